"""Who takes part in processes: states, territories and organizations, with every name variant."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import page_url
from ..choices import OrganizationType, ParticipantKind
from ..iso3166 import ISO_3166_1_ALPHA_2
from ..matching import normalize_name, validate_iso_code
from ..territories import territory_codes_named
from ..world_names import iso_codes_named
from .aliases import AliasModel, display_constraints
from .base import CitableModel
from .slugs import KeepsFormerSlugs

__all__ = ["ISO_CODE_TAKEN", "Participant", "State", "Organization", "ParticipantAlias"]


class ParticipantQuerySet(models.QuerySet):
    def states_and_territories(self):
        return self.filter(kind__in=[ParticipantKind.STATE, ParticipantKind.TERRITORY])

    def organizations(self):
        return self.filter(kind=ParticipantKind.ORGANIZATION)

    def named(self, name: str):
        """Participants whose name, acronym or any alias matches the name (normalized); else the
        state or territory whose ISO code it is ("NZ"); else the state the world writes it for
        ("Burma", "South Korea": registry/world_names.py). Each only when the one before finds
        no one: "EC" is the European Commission, "Swedish Migration Board" not Sweden."""
        key, text = normalize_name(name), name.strip()
        named = self.filter(Q(name_key=key) | Q(aliases__name_key=key) | Q(acronym__iexact=text)).distinct()
        if len(text) == 2 and not named.exists():
            named = self.filter(iso_code=text.upper())
        world = iso_codes_named(name)
        if len(world) == 1 and not named.exists():
            named = self.filter(iso_code__in=world)
        return named

    def search(self, text: str):
        """Participants whose name, any name variant or French or Spanish name (CLDR) contains the
        text (case and accents do not matter), or whose acronym or ISO code is the text ("Cote
        d'Ivoire", "laos", "Alemania", "UNHCR", "NZ"), or who the world writes it for ("Burma")."""
        text, key = text.strip(), normalize_name(text)
        if not key:
            return self
        aliases = ParticipantAlias.objects.filter(participant=OuterRef("pk"), name_key__contains=key)
        return self.filter(
            Q(name_key__contains=key)
            | Q(acronym__iexact=text)
            | Q(iso_code=text.upper())
            | Q(slug=text)
            | Exists(aliases)
            | Q(iso_code__in=territory_codes_named(key))  # "Alemania", "Allemagne", "Mexique"
            | Q(iso_code__in=iso_codes_named(text))  # "Burma", "Ivory Coast", "East Timor"
        )


PARTICIPANT_HISTORY = HistoricalRecords()
ISO_CODE_TAKEN = _("Another participant already has this ISO code.")


class Participant(KeepsFormerSlugs, CitableModel):
    """A state, a territory (Hong Kong SAR, Macau SAR, New Caledonia) or an organization that takes
    part in processes. Every spelling the sources use is an alias of one record."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ParticipantKind.choices)
    # NULL, not "": organizations have no code, and codes are unique only where present.
    iso_code = models.CharField(  # noqa: DJ001
        _("ISO 3166-1 code"),
        max_length=2,
        null=True,
        blank=True,
        validators=[validate_iso_code],
        help_text=_("ISO 3166-1 alpha-2 code of a state or territory (XK for Kosovo)."),
    )
    name_language = models.CharField(
        _("language of the name"),
        max_length=8,
        default="en",
        validators=[
            RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", _("A BCP 47 code: en, fr, es, mul, …"))
        ],
        help_text=_(
            "The language of the name as recorded (BCP 47): en, or fr for “Institut de Recherche pour le "
            "Développement”; mul for a name used as is in every language (Frontex, Caritas)."
        ),
    )
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    organization_type = models.CharField(
        _("organization type"), max_length=20, choices=OrganizationType.choices, blank=True
    )
    process = models.ForeignKey(
        "registry.Process",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("body of process"),
        help_text=_("For an organization that is the secretariat or body of a consultative process."),
    )
    note = models.TextField(_("note"), blank=True)
    history = PARTICIPANT_HISTORY

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="participant_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ParticipantKind.values),
                name="participant_kind_valid",
                violation_error_message=_("Unknown participant kind."),
            ),
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=Q(iso_code__isnull=False),
                name="participant_iso_code_unique",
                violation_error_message=_("Another participant already has this ISO code."),
            ),
            models.CheckConstraint(
                condition=Q(iso_code__isnull=True) | Q(iso_code__in=sorted(ISO_3166_1_ALPHA_2)),
                name="participant_iso_code_valid",
                violation_error_message=_("Not an ISO 3166-1 alpha-2 code."),
            ),
            models.CheckConstraint(
                condition=Q(iso_code__isnull=True) | ~Q(kind=ParticipantKind.ORGANIZATION),
                name="participant_organization_without_iso",
                violation_error_message=_("Organizations have no ISO 3166-1 code."),
            ),
            models.CheckConstraint(
                condition=Q(organization_type="") | Q(kind=ParticipantKind.ORGANIZATION),
                name="participant_type_only_for_organizations",
                violation_error_message=_("Only organizations have an organization type."),
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def get_absolute_url(self):
        view = "registry:organization_detail" if self.is_organization else "registry:state_detail"
        return page_url(view, self.slug)

    @property
    def names_shown(self) -> list:
        """Its aliases that are names (not a spelling only remembered as cited), from the
        prefetched aliases."""
        return [alias for alias in self.aliases.all() if alias.is_a_name]

    @property
    def is_organization(self) -> bool:
        return self.kind == ParticipantKind.ORGANIZATION

    def clean(self):
        super().clean()
        self.clean_values()
        # The unique constraint is conditional, so Django would report it for the whole record;
        # say which field.
        if self.iso_code and Participant.objects.exclude(pk=self.pk).filter(iso_code=self.iso_code).exists():
            raise ValidationError({"iso_code": ISO_CODE_TAKEN})

    def clean_values(self):
        """The rules on the record's own values, which need no query (an account that creates many
        participants checks their uniqueness for all of them at once)."""
        if self.iso_code:
            self.iso_code = self.iso_code.upper()
        if self.is_organization and self.iso_code:
            raise ValidationError({"iso_code": _("Organizations have no ISO 3166-1 code.")})
        if not self.is_organization and self.organization_type:
            raise ValidationError({"organization_type": _("Only organizations have an organization type.")})

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.name)
        if self.iso_code:
            self.iso_code = self.iso_code.upper()
        super().save(*args, **kwargs)


class StateManager(models.Manager.from_queryset(ParticipantQuerySet)):
    def get_queryset(self):
        return super().get_queryset().states_and_territories()


class OrganizationManager(models.Manager.from_queryset(ParticipantQuerySet)):
    def get_queryset(self):
        return super().get_queryset().organizations()


class State(Participant):
    """States and territories (a proxy of Participant, for the admin and pages)."""

    objects = StateManager()

    class Meta:
        proxy = True
        verbose_name = _("state or territory")
        verbose_name_plural = _("states and territories")


class Organization(Participant):
    """International, regional, governmental and civil-society organizations (a proxy of Participant)."""

    objects = OrganizationManager()

    class Meta:
        proxy = True
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")


# django-simple-history records the saves and deletes of the model it is declared on, not those
# made through its proxies (django-commons/django-simple-history#191): a state or organization
# written through State or Organization (the API's, the pages' models) is recorded as a participant.
for proxy in (State, Organization):
    models.signals.post_save.connect(PARTICIPANT_HISTORY.post_save, sender=proxy, weak=False)
    models.signals.pre_delete.connect(PARTICIPANT_HISTORY.pre_delete, sender=proxy, weak=False)
    models.signals.post_delete.connect(PARTICIPANT_HISTORY.post_delete, sender=proxy, weak=False)


class ParticipantAlias(AliasModel):
    """A name variant of a participant as a source writes it ("Swaziland", "Laos PDR", "the UK")."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("participant")
    )
    history = HistoricalRecords()

    class Meta(AliasModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "name", "language"],
                name="participant_alias_unique",
                violation_error_message=_("This participant already has this name in this language."),
            ),
            *display_constraints("participant", "participant_alias"),
        ]
        indexes = [models.Index(fields=["name_key"], name="participant_alias_key_idx")]
        verbose_name = _("participant name variant")
        verbose_name_plural = _("participant name variants")

    def get_absolute_url(self):
        return self.participant.get_absolute_url()
