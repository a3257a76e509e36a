"""The maps: SVG world maps drawn on the server (no tiles, no script), a process's participants
(members dark, other roles light) or one state highlighted, as of the date in use.

The outlines and the framing are registry/world_map.py's; gzipped on the way out. A map is framed
on the countries it highlights (?world=1: the world), and has a viewBox but no fixed size, so it
scales to its box."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import local_names
from .. import models as m
from ..choices import Role
from ..presentation import as_of
from ..world_map import frame, framed, world

MEMBER_FILL, OTHER_FILL = "#0b5394", "#7fa9d1"


def iso_codes(participations) -> tuple[set[str], set[str]]:
    """The ISO codes of the members among these participations (their participants loaded), and
    of the other participants: what a process's map colours, and what the page sizes it by."""
    members = {
        p.participant.iso_code for p in participations if p.role == Role.MEMBER and p.participant.iso_code
    }
    others = {p.participant.iso_code for p in participations if p.participant.iso_code} - members
    return members, others


# An image, opened alone too: its own <style> colours the map, and nothing else may load or run.
@csp_replace({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "script-src": ["'none'"]})
def map_svg(request, kind, slug):
    """The SVG world map of a process's participants (members dark, other roles light) or of a
    state (highlighted), as of the date in use; ?world=1 shows the whole world."""
    when = as_of(request)
    if kind not in ("process", "state"):
        raise Http404(_("No such map."))
    if kind == "process":
        process = get_object_or_404(m.Process, slug=slug)
        members, others = iso_codes(
            m.Participation.objects.as_of(when.day).filter(process=process).select_related("participant")
        )
        title = _("%(name)s: %(members)s members, %(others)s with other roles (%(day)s)") % {
            "name": local_names.book().process_short_name(process).text,
            "members": len(members),
            "others": len(others),
            "day": when.phrase,
        }
    else:
        state = get_object_or_404(m.State, slug=slug)
        members, others = ({state.iso_code} if state.iso_code else set()), set()
        title = local_names.book().participant_name(state).text
    rules = [
        "g { fill: #cfd6dd; stroke: #fff; stroke-width: .6; } circle { fill-opacity: 0; stroke: none; }",
    ]
    for codes, fill in ((members, MEMBER_FILL), (others, OTHER_FILL)):
        for code in sorted(codes):
            rules.append(f".{code.lower()} path, .{code.lower()} circle {{ fill: {fill}; fill-opacity: 1; }}")
    x, y, width, height = frame(() if request.GET.get("world") else framed(members, others))
    _view_box, elements, _boxes = world()
    body = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<style>{' '.join(rules)}</style>{elements}</svg>"
    )
    return HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
