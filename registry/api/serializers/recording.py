"""A new account of a process, as the API takes it (POST /api/processes/{slug}/accounts/) and
what it answers: the preview of a dry run, or the recorded account. The rules are the model's
(registry.models.recording.AccountDraft); these classes only read and write JSON."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ... import models as m
from ...choices import MechanismType, OrganizationType, ParticipantKind, Role, SecretariatKind
from ...dates import PartialDateError, parse_partial_date
from ...local_names import name_resolver
from ..fields import ParticipantBriefSerializer, SourceKeyField, brief_participant
from .processes import AccountSerializer
from .records import list_url

__all__ = [
    "account_url",
    "AccountRecordingSerializer",
    "AccountPreviewSerializer",
    "RecordedAccountSerializer",
    "preview_data",
    "unresolved_data",
]

LEADER_FIELDS = {role.value: role for role in m.LEADERSHIP_ROLES}


class NewParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ParticipantKind.choices)
    iso_code = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    organization_type = serializers.ChoiceField(
        choices=OrganizationType.choices, required=False, allow_blank=True, default=""
    )

    def create(self, validated_data):
        return m.NewParticipant(**validated_data)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "The slug or ISO code of an existing participant."},
            {
                "type": "object",
                "description": "A participant to create.",
                "required": ["name", "kind"],
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "kind": {"type": "string", "enum": ParticipantKind.values},
                    "iso_code": {"type": "string", "maxLength": 2},
                    "acronym": {"type": "string", "maxLength": 40},
                    "organization_type": {"type": "string", "enum": ["", *OrganizationType.values]},
                },
            },
        ]
    }
)
class ResolutionField(serializers.Field):
    """Who a name that did not resolve is: an existing participant's slug (or ISO code), or a
    participant to create: {"name": "Kosovo", "kind": "territory", "iso_code": "XK"}."""

    default_error_messages = {
        "unknown": _("No participant with the slug or ISO code {value}."),
        "invalid": _("Give a participant's slug, or the fields of a participant to create."),
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            participant = m.Participant.objects.filter(slug=data).first() or (
                m.Participant.objects.filter(iso_code=data.upper()).first() if len(data) == 2 else None
            )
            if participant is None:
                self.fail("unknown", value=data)
            return participant
        if isinstance(data, dict):
            serializer = NewParticipantSerializer(data=data)
            serializer.is_valid(raise_exception=True)
            return serializer.save()
        self.fail("invalid")

    def to_representation(self, value):
        return value.slug if isinstance(value, m.Participant) else value.__dict__


class LeaderSerializer(serializers.Serializer):
    participant = serializers.CharField(max_length=300, help_text=_("The name as the document writes it."))
    start = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Since when: YYYY, YYYY-MM or YYYY-MM-DD.")
    )
    end = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Until when, for a past holder.")
    )

    def validate_start(self, value):
        if value:
            try:
                parse_partial_date(value)
            except PartialDateError as error:
                raise serializers.ValidationError(str(error)) from error
        return value

    def validate_end(self, value):
        if value:
            try:
                parse_partial_date(value, end=True)
            except PartialDateError as error:
                raise serializers.ValidationError(str(error)) from error
        return value


class DepartureSerializer(serializers.Serializer):
    participant = serializers.CharField(max_length=300, help_text=_("The name as the document writes it."))
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    kind = serializers.ChoiceField(
        choices=m.LEAVING_KINDS,
        default="left",
        help_text=_(
            "left or withdrew: no longer holds the role from the source's date; suspended: still "
            "listed, marked suspended."
        ),
    )


class AccountRecordingSerializer(serializers.Serializer):
    source = SourceKeyField(
        help_text=_("The source's symbol, or else its slug (POST /api/sources/ adds one).")
    )
    locator = serializers.CharField(max_length=300, help_text=_("Where in the source: “para. 3”, “Annex I”."))
    lists = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=300, allow_blank=True)),
        help_text=_(
            "Role → the names as the document writes them, in its order. Each list is complete (whoever "
            "it omits has left the role, as of the source's date) unless its role is in partial_lists; "
            "a role not given is not stated and stays as the last source stating it gave it."
        ),
    )
    partial_lists = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        required=False,
        default=list,
        help_text=_(
            "The roles whose lists are partial (“X joined”, “among those present”): they add or "
            "confirm, and infer no departure."
        ),
    )
    departures = DepartureSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("Who the document says left, withdrew or is suspended."),
    )
    region = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("The regional heading the source puts the process under; left out: not stated."),
    )
    year_established = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    mechanism_type = serializers.ChoiceField(
        choices=MechanismType.choices,
        required=False,
        allow_blank=True,
        help_text=_("How the source classifies the process: rcp, irf or global; left out: not stated."),
    )
    secretariat_kind = serializers.ChoiceField(
        choices=SecretariatKind.choices, required=False, allow_blank=True
    )
    secretariat = serializers.CharField(
        required=False, allow_blank=True, help_text=_("As the source describes it.")
    )
    main_areas = serializers.CharField(required=False, allow_blank=True)
    stated_totals = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=32767),
        required=False,
        default=dict,
        help_text=_("Role → the total the document states."),
    )
    chair = LeaderSerializer(required=False)
    co_chair = LeaderSerializer(required=False)
    presidency_pro_tempore = LeaderSerializer(required=False)
    resolutions = serializers.DictField(
        child=ResolutionField(),
        required=False,
        default=dict,
        help_text=_("Name as written → who it is, for a name that did not resolve or resolved to several."),
    )
    correction = serializers.BooleanField(
        default=False, help_text=_("Needed to record an account older than the one in force today.")
    )
    name_as_listed = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why, kept in the history (else the X-Change-Reason header, else a reason made up)."),
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Answer with the preview (200) and write nothing.")
    )

    def validate_lists(self, lists):
        unknown = [role for role in lists if role not in Role.values]
        if unknown:
            raise serializers.ValidationError(
                _("Not roles: %(roles)s. Roles: %(known)s.")
                % {"roles": ", ".join(unknown), "known": ", ".join(Role.values)}
            )
        return lists

    def validate_stated_totals(self, totals):
        return self.validate_lists(totals)

    def _header_reason(self) -> str:
        request = self.context.get("request")
        return request.headers.get("X-Change-Reason", "").strip()[:100] if request else ""

    def draft(self, process, replacing=None) -> m.AccountDraft:
        data = self.validated_data
        leaders = [
            m.Leader(role, data[role]["participant"], data[role]["start"], data[role]["end"])
            for role in LEADER_FIELDS
            if role in data
        ]
        return m.AccountDraft(
            process=process,
            source=data["source"],
            locator=data["locator"],
            lists=data["lists"],
            stated_totals=data["stated_totals"],
            leaders=leaders,
            picks=data["resolutions"],
            correction=data["correction"],
            reason=data["reason"] or self._header_reason(),
            replacing=replacing,
            name_as_listed=data["name_as_listed"],
            partial_roles=frozenset(data["partial_lists"]),
            leavings=[m.Leaving(d["role"], d["participant"], d["kind"]) for d in data["departures"]],
            aspects=m.AccountAspects(**{name: data[name] for name in m.ASPECT_FIELDS if name in data}),
            resolver=name_resolver(),
        )


def account_url(account, request) -> str:
    kwargs = {"slug": account.process.slug, "source": account.source.key}
    return str(reverse("api:process-account", kwargs=kwargs, request=request))


def _participant(participant, context) -> dict:
    if isinstance(participant, m.Participant):
        return {**brief_participant(participant, context), "new": False}
    return {
        "slug": None,
        "name": participant.name,
        "kind": participant.kind,
        "iso_code": participant.iso_code or None,
        "local_name": None,
        "url": None,
        "new": True,
    }


def unresolved_data(preview, context) -> list[dict]:
    return [
        {
            "name": resolution.name,
            "ambiguous": resolution.ambiguous,
            "candidates": [
                {
                    "participant": brief_participant(candidate.participant, context),
                    "score": candidate.score,
                    "matched": candidate.matched,
                }
                for candidate in resolution.candidates
            ],
        }
        for resolution in preview.unresolved
    ]


def preview_data(preview, context) -> dict:
    def changes(rows):
        return [
            {
                "participant": _participant(row.participant, context),
                "roles": row.roles,
                "previous_roles": row.previous_roles,
                "names_as_cited": row.names,
                "departure": row.departure or None,
            }
            for row in rows
        ]

    in_force = preview.in_force
    return {
        "compared_with": {"source": in_force.source.key, "as_of": in_force.source.as_of_param}
        if in_force
        else None,
        "joined": changes(preview.joined),
        "left": changes(preview.left),
        "changed": changes(preview.changed),
        "unchanged": changes(preview.unchanged),
        "unresolved": unresolved_data(preview, context),
        "totals": preview.totals,
    }


# For the OpenAPI description only: preview_data() writes the answer.
class PreviewParticipantSerializer(ParticipantBriefSerializer):
    new = serializers.BooleanField(help_text=_("A participant the request creates."))

    class Meta(ParticipantBriefSerializer.Meta):
        fields = [*ParticipantBriefSerializer.Meta.fields, "new"]


class RoleChangeSerializer(serializers.Serializer):
    participant = PreviewParticipantSerializer()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    previous_roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    names_as_cited = serializers.ListField(child=serializers.CharField())
    departure = serializers.CharField(
        allow_null=True,
        help_text=_(
            "Of one who left: how the document says so (left, withdrew); null when a complete "
            "list omits it (the departure is inferred)."
        ),
    )


class CandidateSerializer(serializers.Serializer):
    participant = ParticipantBriefSerializer()
    score = serializers.FloatField(
        help_text=_("0-100, as in reconciliation: 100, a name of theirs; else how close (60-95).")
    )
    matched = serializers.CharField(help_text=_("The name or alias that matched."))


class UnresolvedSerializer(serializers.Serializer):
    name = serializers.CharField()
    ambiguous = serializers.BooleanField(help_text=_("Several records have exactly this name."))
    candidates = CandidateSerializer(many=True)


class TotalSerializer(serializers.Serializer):
    stated = serializers.IntegerField()
    listed = serializers.IntegerField()


class ComparedWithSerializer(serializers.Serializer):
    source = serializers.CharField()
    as_of = serializers.CharField()


class AccountPreviewSerializer(serializers.Serializer):
    compared_with = ComparedWithSerializer(
        allow_null=True, help_text=_("The account in force on the new source's date.")
    )
    joined = RoleChangeSerializer(many=True)
    left = RoleChangeSerializer(many=True)
    changed = RoleChangeSerializer(many=True)
    unchanged = RoleChangeSerializer(many=True)
    unresolved = UnresolvedSerializer(many=True)
    totals = serializers.DictField(child=TotalSerializer())


class RecordedDepartureSerializer(serializers.Serializer):
    participant = ParticipantBriefSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    kind = serializers.CharField()
    name_as_cited = serializers.CharField()

    def to_representation(self, departure):
        return {
            "participant": brief_participant(departure.participant, self.context),
            "role": departure.role,
            "kind": departure.kind,
            "name_as_cited": departure.name_as_cited,
        }


class RecordedAccountSerializer(AccountSerializer):
    """An account with its address, the participations it lists and the departures it states."""

    process = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    participations = serializers.SerializerMethodField()
    departures = RecordedDepartureSerializer(many=True, read_only=True)

    class Meta(AccountSerializer.Meta):
        fields = ["url", "process", *AccountSerializer.Meta.fields, "departures", "participations"]

    def get_url(self, account) -> str:
        return account_url(account, self.context.get("request"))

    def get_participations(self, account) -> str:
        request = self.context.get("request")
        return list_url("participation", request, process=account.process.slug, cited_in=account.source.key)
