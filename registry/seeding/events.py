"""Events and outputs, and the regional groupings, in the fixtures: each event gets a stable slug
from its process (or source) and title, as the fixtures name them."""

from __future__ import annotations

from django.utils.text import slugify

from .. import models as m
from ..dates import parse_partial_date
from .store import as_list, parse_cite


class EventsAndGroupings:
    """Mixed into the loader, which holds `sources`, `regions`, `processes`, `participants` and
    `_event_slugs`, and resolves and records names (ParticipantNames)."""

    def load_event(self, data, source, process=None, base_locator=None):
        base = (process or source).fixture_key["slug"]  # as the fixtures name it (not a curator's rename)
        slug = slugify(f"{base}-{data['title']}")[:140].strip("-")
        if slug in self._event_slugs:
            slug = f"{slug}-{data.get('start', 'undated')}"
        self._event_slugs.add(slug)
        start, start_precision = parse_partial_date(data["start"]) if data.get("start") else (None, "")
        end, end_precision = parse_partial_date(data["end"], end=True) if data.get("end") else (None, "")
        if start and not end:
            end, end_precision = parse_partial_date(data["start"], end=True)
            if data.get("ongoing"):
                end, end_precision = None, ""
        event = self.ensure(
            m.Event,
            {"slug": slug},
            {
                "process": process,
                "kind": data["kind"],
                "title": data["title"],
                "start": start,
                "start_precision": start_precision,
                "end": end,
                "end_precision": end_precision,
                "place": data.get("place", ""),
                "description": " ".join(data.get("description", "").split()),
                "ongoing": bool(data.get("ongoing", False)),
            },
        )
        if event is None:
            return
        cites = as_list(data["cite"])
        self.cite_all(event, cites, source, base_locator)
        organizers = [self.resolve(name) for name in data.get("organizers", [])]
        if organizers and getattr(event, "_seed_created", False):
            event.organizers.set(organizers)
        first_source, first_locator = parse_cite(cites[0], source, base_locator, self.sources)
        for name, organizer in zip(data.get("organizers", []), organizers, strict=True):
            self.use_name(organizer, name, first_source, first_locator)

    def load_events(self, data):
        for symbol, events in data.items():
            for event in events:
                self.load_event(event, self.sources[symbol])

    def load_groupings(self, data):
        for symbol, scheme in data.items():
            source = self.sources[symbol]
            items = []
            for region_slug, columns in (scheme.get("regions") or {}).items():
                for focus, entries in columns.items():
                    items += [
                        (self.regions[region_slug], focus, entry, scheme["locator"]) for entry in entries
                    ]
            items += [
                (None, "other", entry, entry.get("locator", scheme["locator"]))
                for entry in scheme.get("other", [])
            ]
            for position, (region, focus, entry, locator) in enumerate(items, start=1):
                organization = self.participants[entry["organization"]] if entry.get("organization") else None
                grouping = self.ensure(
                    m.RegionalGrouping,
                    {"source": source, "name": entry["name"]},
                    {
                        "region": region,
                        "focus": focus,
                        "acronym": entry.get("acronym", organization.acronym if organization else ""),
                        "process": self.processes[entry["process"]] if entry.get("process") else None,
                        "organization": organization,
                        "position": position,
                        "note": " ".join(entry.get("note", "").split()),
                    },
                )
                self.cite(grouping, source, locator)
                if organization:
                    self.use_name(organization, entry["name"], source, locator)
