"""Atom feeds of the change feed (Django's syndication framework): the whole registry, one
process (and its facts), one state or organization (and its participations). Linked from the
pages with <link rel="alternate" type="application/atom+xml">."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .. import models as m
from ..history import feed_entries

ITEMS = 50

PAGE_OF_RESOURCE = {
    "processes": "registry:process_detail",
    "states": "registry:state_detail",
    "organizations": "registry:organization_detail",
}


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj):
        return _("RCP Registry: changes")

    def subtitle(self, obj):
        return _("Every recorded change to the registry, newest first.")

    def link(self, obj):
        return reverse("registry:home")

    def changes(self, obj):
        return m.Change.objects.all()

    def items(self, obj):
        page = list(self.changes(obj).select_related("user").order_by("-sequence")[:ITEMS])
        feed_entries(page)
        return page

    def item_title(self, change):
        return f"{change.label} — {m.ChangeAction(change.action).label} ({change.resource})"

    def item_description(self, change):
        if not change.delta:
            return format_html("<p>{}</p>", change.reason or m.ChangeAction(change.action).label)
        rows = format_html_join(
            "", "<li>{}: {} → {}</li>", ((n, _shown(o), _shown(v)) for n, o, v in change.delta)
        )
        reason = format_html("<p>{}</p>", change.reason) if change.reason else ""
        return format_html("{}<ul>{}</ul>", reason, rows)

    def item_link(self, change):
        view = PAGE_OF_RESOURCE.get(change.resource)
        if view and change.exists:
            return reverse(view, args=[change.key])
        return reverse("registry:home")

    def item_guid(self, change):
        return f"urn:rcp-registry:change:{change.sequence}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.time

    def item_pubdate(self, change):
        return change.time


class ProcessChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(m.Process, slug=slug)

    def title(self, process):
        return _("RCP Registry: changes to %(process)s") % {"process": process.short_name or process.name}

    def subtitle(self, process):
        return _("Changes to the process and its facts, newest first.")

    def link(self, process):
        return process.get_absolute_url()

    def changes(self, process):
        return m.Change.objects.of_process(process)


class ParticipantChangesFeed(ChangesFeed):
    organizations = False

    def get_object(self, request, slug):
        manager = m.Organization.objects if self.organizations else m.State.objects
        return get_object_or_404(manager, slug=slug)

    def title(self, participant):
        return _("RCP Registry: changes to %(participant)s") % {"participant": participant.name}

    def subtitle(self, participant):
        return _("Changes to it, its names and its participations, newest first.")

    def link(self, participant):
        return participant.get_absolute_url()

    def changes(self, participant):
        return m.Change.objects.of_participant(participant)


class OrganizationChangesFeed(ParticipantChangesFeed):
    organizations = True


def _shown(value):
    return "—" if value in (None, "") else value
