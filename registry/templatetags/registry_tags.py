"""Template tags of the public pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join

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
        parts.append((urls[source.slug], f"{source.symbol}, {citation.locator}", source.symbol))
    # An empty join is an empty SafeString.
    return format_html_join("", '<sup><a class="cite" href="{}" title="{}">{}</a></sup>', parts)
