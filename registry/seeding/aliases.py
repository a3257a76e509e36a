"""Participant names in the fixtures: every spelling the sources use resolves to one record, and
each spelling actually used becomes an alias citing the places that use it."""

from __future__ import annotations

from .. import models as m
from ..matching import normalize_name
from .store import FixtureError


class ParticipantNames:
    """Mixed into the loader, which holds `participants`, `name_index` and `alias_usage`."""

    def resolve(self, name: str, slug: str | None = None) -> m.Participant:
        if slug:
            if slug not in self.participants:
                raise FixtureError(f"Unknown participant slug {slug!r}")
            return self.participants[slug]
        key = normalize_name(name)
        if key not in self.name_index:
            raise FixtureError(f"No participant is named {name!r}; add it or a variant to participants.yaml")
        return self.participants[self.name_index[key]]

    def index_name(self, name: str, slug: str):
        key = normalize_name(name)
        if self.name_index.get(key, slug) != slug:
            raise FixtureError(f"The name {name!r} would resolve to both {self.name_index[key]} and {slug}")
        self.name_index[key] = slug

    def register_alias(
        self, slug: str, name: str, language: str = "en", source=None, locator=None, display: str = ""
    ):
        """Remember a spelling of a participant (one alias per normalized spelling; the first
        spelling seen is kept) and, when given, the place that uses it."""
        key = normalize_name(name)
        if key == normalize_name(self.participants[slug].name):
            return
        entry = self.alias_usage[slug].setdefault(
            key, {"name": name, "language": language, "display": "", "cites": []}
        )
        entry["display"] = entry["display"] or display
        if source is not None and (source, locator) not in entry["cites"]:
            entry["cites"].append((source, locator))

    def use_name(self, participant: m.Participant, as_cited: str, source, locator):
        self.register_alias(participant.fixture_key["slug"], as_cited, "en", source, locator)

    def load_participant_aliases(self):
        for slug, variants in self.alias_usage.items():
            participant = self.participants[slug]
            for entry in variants.values():
                alias = self.ensure(
                    m.ParticipantAlias,
                    {"participant": participant, "name": entry["name"], "language": entry["language"]},
                    {"kind": "translation" if entry["display"] else "variant", "display": entry["display"]},
                    label="participant name variants",
                )
                for source, locator in entry["cites"]:
                    self.cite(alias, source, locator)
