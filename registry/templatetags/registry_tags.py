"""Template tags of the public pages."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from .. import local_names
from .. import models as m

register = template.Library()


@register.simple_tag
def cite(citations):
    """A fact's citations as superscript source symbols linking to the source, with the place
    (annex, paragraph, row) on hover. Python, not an included template: a process page cites
    hundreds of facts, and an {% include %} per fact made it several times slower."""
    urls = {}
    parts = []
    for citation in citations:
        source = citation.source
        if source.slug not in urls:
            urls[source.slug] = reverse("registry:source_detail", args=[source.slug])
        parts.append((urls[source.slug], f"{source.label}, {citation.locator}", source.label))
    # An empty join is an empty SafeString.
    return format_html_join("", '<sup><a class="cite" href="{}" title="{}">{}</a></sup>', parts)


def _language_name(code: str) -> str:
    """The language's name in the active language, as written in a sentence ("français")."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name if get_language() == "en" else name.lower()


def _marked(name) -> str:
    """The name, in its language; a name shown in another language for want of one says so
    (visibly, and to screen readers)."""
    if not name.fallback:
        return conditional_escape(name.text)
    note = _("No name in %(requested)s is recorded: shown in %(shown)s.") % {
        "requested": _language_name(name.requested),
        "shown": _language_name(name.language),
    }
    return format_html(
        '<span lang="{}">{}</span><abbr class="fallback" title="{}" aria-label="{}">{}</abbr>',
        name.language,
        name.text,
        note,
        note,
        name.language.upper(),
    )


def _local(obj, short=False):
    book = local_names.book()
    if isinstance(obj, m.Process):
        return book.process_short_name(obj) if short else book.process_name(obj)
    return book.participant_name(obj)


@register.filter
def local_name(obj):
    """A process's or participant's name in the active language, fallback marked."""
    return _marked(_local(obj))


@register.filter
def local_short_name(obj):
    """A process's short name in the active language, fallback marked."""
    return _marked(_local(obj, short=True))


@register.filter
def plain_name(obj):
    """The name in the active language as plain text (titles, attributes)."""
    return _local(obj).text


@register.filter
def plain_short_name(obj):
    return _local(obj, short=True).text


@register.filter
def marked(name):
    """A LocalName as HTML, fallback marked."""
    return _marked(name)
