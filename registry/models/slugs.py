"""Slugs made once, when a record is created, from its name: its pages and API address stay.

A curator may still rename a slug (a typo, a new official name). The slug it had is then kept as a
**former slug** of the record: its old addresses keep answering with a redirect to the new ones
(registry.middleware.FormerSlugRedirectMiddleware), the reconciliation service still knows the old
id, the API and the Popolo export list it among the record's identifiers, and no other record of
its kind may ever take it."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

__all__ = ["FormerSlug", "KeepsFormerSlugs", "unique_slug", "unique_slugs"]

MAX_BASE = 56  # room for "-2", "-3" ... in a slug of 60 characters or more


class FormerSlug(models.Model):
    """A slug a record had before a curator renamed it (see the module's docstring)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(_("slug"), max_length=100)
    replaced = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["replaced", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="former_slug_never_reused"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="former_slug_record_idx")]
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")

    def __str__(self):
        return self.slug

    @classmethod
    def owner(cls, model, slug: str):
        """The record of the model (a concrete model: Participant for State) that once had this slug."""
        former = (
            cls.objects.filter(content_type=ContentType.objects.get_for_model(model), slug=slug)
            .values_list("object_id", flat=True)
            .first()
        )
        return model._base_manager.filter(pk=former).first() if former is not None else None


class KeepsFormerSlugs(models.Model):
    """A record whose renamed slug becomes a former slug (see the module's docstring)."""

    former_slug_records = GenericRelation(FormerSlug)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            before = None
            if self.pk is not None and not self._state.adding:
                before = type(self)._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
            if before != self.slug and self._slug_taken_by() is not None:
                raise ValidationError({"slug": _("This slug was another record's address.")})
            super().save(*args, **kwargs)
            if before is not None and before != self.slug:
                kind = ContentType.objects.get_for_model(self._meta.concrete_model)
                FormerSlug.objects.filter(content_type=kind, object_id=self.pk, slug=self.slug).delete()
                FormerSlug.objects.get_or_create(
                    content_type=kind, slug=before, defaults={"object_id": self.pk}
                )

    @property
    def former_slugs(self) -> list[str]:
        return [former.slug for former in self.former_slug_records.all()]

    def _slug_taken_by(self):
        """Another record that had this slug, or None."""
        owner = FormerSlug.owner(self._meta.concrete_model, self.slug) if self.slug else None
        return owner if owner is not None and owner.pk != self.pk else None

    def clean(self):
        super().clean()
        owner = self._slug_taken_by()
        if owner is not None:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” was the address of %(record)s: it stays theirs.")
                    % {"slug": self.slug, "record": owner}
                }
            )


def _base(text: str, fallback: str) -> str:
    """slugify(text) ("SCPF/30" -> "scpf-30"), cut between words."""
    base = slugify(text.replace("/", "-"))
    if len(base) > MAX_BASE - 1:
        base = base[:MAX_BASE].rsplit("-", 1)[0]
    return base.strip("-") or fallback


def _taken(queryset, exclude_pk=None, startswith: str = "") -> set[str]:
    """The slugs the queryset's records use now or once did."""
    now = queryset.filter(slug__startswith=startswith).exclude(pk=exclude_pk)
    former = FormerSlug.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), slug__startswith=startswith
    ).exclude(object_id=exclude_pk)
    return set(now.values_list("slug", flat=True)) | set(former.values_list("slug", flat=True))


def _first_free(base: str, taken: set[str]) -> str:
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def unique_slug(queryset, text: str, fallback: str, exclude_pk=None) -> str:
    """The slug of the text, with "-2", "-3" ... when the queryset's records use it now or once did."""
    base = _base(text, fallback)
    return _first_free(base, _taken(queryset, exclude_pk, base))


def unique_slugs(queryset, texts, fallback: str) -> list[str]:
    """unique_slug() of each text, for many new records at once (two queries), none taking another's."""
    taken = _taken(queryset)
    slugs = []
    for text in texts:
        slug = _first_free(_base(text, fallback), taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs
