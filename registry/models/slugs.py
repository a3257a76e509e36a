"""Slugs made once, when a record is created, from its name: its pages and API address stay."""

from django.utils.text import slugify

__all__ = ["unique_slug"]

MAX_BASE = 56  # room for "-2", "-3" ... in a slug of 60 characters or more


def unique_slug(queryset, text: str, fallback: str, exclude_pk=None) -> str:
    """slugify(text) ("SCPF/30" -> "scpf-30"), cut between words, with "-2", "-3" ... when the
    queryset's records already use it."""
    base = slugify(text.replace("/", "-"))
    if len(base) > MAX_BASE - 1:
        base = base[:MAX_BASE].rsplit("-", 1)[0]
    base = base.strip("-") or fallback
    taken = set(queryset.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
