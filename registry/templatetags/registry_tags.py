"""Template tags of the public pages."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from .. import local_names
from .. import models as m
from ..addresses import page_url
from ..choices import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def cite(context, citations):
    """A fact's citations as numbered marks, each a button that opens (click, tap, Enter) a note
    with the source's symbol, the place (annex, paragraph, row) and links to the source's page and
    to the document (its web address, the registry's copy). The note is an HTML popover: no
    script. Numbers run through the page; a citation met again keeps its number and its note.
    Python, not an included template: a process page cites hundreds of facts."""
    request = context.get("request")
    marks = getattr(request, "_citation_marks", None) if request is not None else None
    if marks is None:
        marks = {}
        if request is not None:
            request._citation_marks = marks
    parts = []
    for citation in citations:
        source = citation.source
        key = (source.pk, citation.locator)
        if key in marks:
            number, note = marks[key], ""
        else:
            number = marks[key] = len(marks) + 1
            note = _citation_note(number, source, citation.locator)
        label = _("Source %(number)s: %(source)s") % {"number": number, "source": source.label}
        parts.append(
            format_html(
                '<sup class="cite"><button type="button" popovertarget="cite-{}" aria-label="{}">{}</button>'
                "</sup>{}",
                number,
                label,
                number,
                note,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (each part is format_html's)


@register.simple_tag(takes_context=True)
def participation_rows(context, rows):
    """The rows of a process's table of participants: the participant (with the name the source
    cites, when another), the sources listing it, the period, the notes, the citations. Python, not
    a template loop: a process lists dozens to hundreds of participants, and the loop's five cells
    a row took 9 ms of a 58 ms page on PostgreSQL."""
    query = context["as_of"].query
    by_curators = format_html('<small class="muted">{}</small>', _("recorded by curators"))
    suspended = format_html(' <span class="differs">{}</span>', _("suspended"))
    # Each cell says what it holds (data-label): on a phone the rows stack as records (site.css).
    labels = [conditional_escape(_(label)) for label in ("Listed in", "Period", "Note", "Source")]
    html = []
    for row in rows:
        participant = row.participant
        name = format_html(
            '<a href="{}{}">{}</a>', participant.get_absolute_url(), query, local_name(participant)
        )
        if row.name_as_cited and row.name_as_cited != participant.name:
            as_cited = _("as cited: %(name)s") % {"name": row.name_as_cited}
            name += format_html(' <small class="muted">({})</small>', as_cited)
        listed = ", ".join(
            format_html('{} <small class="muted">({})</small>', source.as_of_display, source.label)
            for source in row.listed
        )
        note = conditional_escape(row.group_label or "") + (suspended if row.suspended else "")
        if row.status_note:
            note += " " + _local_note(row.status_note)
        html.append(
            f'\n    <tr><th scope="row">{name}</th>'
            f'\n    <td data-label="{labels[0]}">{listed or by_curators}</td>'
            f'\n    <td data-label="{labels[1]}">{conditional_escape(row.period_display or "—")}</td>'
            f'\n    <td data-label="{labels[2]}">{note}</td>'
            f'\n    <td data-label="{labels[3]}">{cite(context, row.citation_list)}</td></tr>\n  '
        )
    return mark_safe("".join(html))  # noqa: S308 (each value escaped above)


def _citation_note(number: int, source, locator: str) -> str:
    links = [
        format_html('<a href="{}">{}</a>', page_url("registry:source_detail", source.slug), _("the source"))
    ]
    if source.web_address:
        links.append(
            format_html('<a href="{}" rel="external noopener">{}</a>', source.web_address, _("the document"))
        )
    if source.copy:
        links.append(
            format_html(
                '<a href="{}">{}</a>',
                page_url("registry:source_copy", source.slug),
                _("the registry's copy"),
            )
        )
    return format_html(
        '<span id="cite-{}" popover class="cite-note" role="note"><strong>{}</strong> ({}), {} '
        '<span class="cite-links">{}</span> '
        '<button type="button" popovertarget="cite-{}" popovertargetaction="hide" aria-label="{}">×</button>'
        "</span>",
        number,
        source.label,
        source.as_of_display,
        locator,
        mark_safe(" · ".join(links)),  # noqa: S308 (format_html's)
        number,
        _("Close"),
    )


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
    return book.participant_short_name(obj) if short else book.participant_name(obj)


def _local_note(text) -> str:
    """A note the registry writes itself, in the active language; where no translation of it is
    recorded (a source's words quoted, or a note written since), in English with its language
    said, so a screen reader reads it as English."""
    note = local_names.local_note(text or "")
    if not note.fallback:
        return conditional_escape(note.text)
    return format_html('<span lang="{}">{}</span>', note.language, note.text)


@register.filter
def local_note(text):
    return _local_note(text)


@register.filter
def local_name(obj):
    """A process's or participant's name in the active language, fallback marked."""
    return _marked(_local(obj))


@register.filter
def local_short_name(obj):
    """A process's short name in the active language, fallback marked; an organization's acronym."""
    return _marked(_local(obj, short=True))


@register.filter
def name_and_acronym(participant):
    """The name in the active language, then the acronym in it ("Organización Internacional para
    las Migraciones (OIM)"); no acronym when it is the name (Europol)."""
    name, acronym = _local(participant), _local(participant, short=True).text
    if not acronym or acronym == name.text or acronym == participant.name:
        return _marked(name)
    return format_html("{} ({})", _marked(name), acronym)


@register.filter
def plain_name(obj):
    """The name in the active language as plain text (titles, attributes)."""
    return _local(obj).text


@register.filter
def plain_short_name(obj):
    return _local(obj, short=True).text


@register.filter
def table_cells(values):
    """A <td> cell for each value, escaped: a matrix's row in one call rather than a template loop
    (a page of the overlap matrix has 2,500 cells: 35 ms in the loop)."""
    return mark_safe("".join(f"<td>{conditional_escape(value)}</td>" for value in values))


@register.filter
def marked(name):
    """A LocalName as HTML, fallback marked."""
    return _marked(name)


@register.filter
def role_label(role: str) -> str:
    """A role's name in the active language, capitalized to begin a phrase ("Member / ...")."""
    label = str(Role(role).label) if role in Role.values else role
    return label[:1].upper() + label[1:]


@register.simple_tag
def filter_fields(filterset, names: str):
    """The form's fields named (in that order), split: the first shown always, the others folded
    on a phone — with how many of those are in use, so a folded filter is never a hidden one."""
    fields = {field.name: field for field in filterset.form.visible_fields()}
    chosen = [fields[name] for name in names.split() if name in fields]
    rest = chosen[1:]
    in_use = sum(1 for field in rest if any(value for value in filterset.data.getlist(field.html_name)))
    return {"first": chosen[:1], "rest": rest, "in_use": in_use}


@register.filter
def long_text(value, words: int = 24):
    """A report's cell of source text (a string, or a list shown a line each): longer than `words`
    words, its first words are the summary of a fold that holds the whole — on a phone the
    records stay short; on a wider screen fold.js opens it, the summary then hidden (site.css)."""
    if isinstance(value, list | tuple):
        lines = [str(line) for line in value if line]
    else:
        lines = str(value or "").splitlines()
    if not any(line.strip() for line in lines):
        return "—"
    body = mark_safe("<br>".join(conditional_escape(line) for line in lines))  # noqa: S308 (escaped)
    text = " ".join(lines).split()
    if len(text) <= words:
        return body
    return format_html(
        '<details class="fold long"><summary>{}…</summary>{}</details>', " ".join(text[:10]), body
    )
