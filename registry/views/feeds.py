"""Atom feeds of the change feed (Django's syndication framework): the whole registry, one
process (and its facts), one state or organization (and its participations), told in words in the
page's language (views/feed_items.py). Linked from the pages with <link rel="alternate"
type="application/atom+xml">."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .. import models as m
from .feed_items import feed_items

ITEMS = 50


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
        return feed_items(self.changes(obj), ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.time

    def item_pubdate(self, item):
        return item.time


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
