"""The Atom feeds' entries, told in words: the change feed's rows grouped and worded for a person.

One entry per change ("Cambodia listed as member in Colombo Process — The Tribune, 29 June 2024"),
except that what one write did together — the changes of one transaction with one reason, such as
an account recorded — is one entry listing who joined, who left and what changed. Titles and
summaries use the fields' and records' names in the feed's language: no field name, no id, no
slug. Each entry links to the public page of its record (or of the process, participant or source
it belongs to) in the feed's language."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import models as m
from ..choices import Role
from ..dates import day_label
from ..history import feed_entries
from ..local_names import book

WINDOW = 1000  # the newest changes read to make a feed's entries: a bound on the work per feed
TOGETHER = timedelta(seconds=10)


@dataclass
class FeedItem:
    changes: list = field(default_factory=list)  # Change rows, newest first
    title: str = ""
    summary: str = ""
    link: str = ""
    partial: bool = False  # the oldest entry, cut by the window: more changes went with it

    @property
    def guid(self) -> str:
        first, last = self.changes[-1].sequence, self.changes[0].sequence
        numbers = str(first) if first == last else f"{first}-{last}"
        return f"urn:rcp-registry:change:{numbers}"

    @property
    def time(self) -> datetime:
        return self.changes[0].time


def feed_items(changes, limit: int) -> list[FeedItem]:
    """The newest `limit` entries of a queryset of changes, in a constant number of queries."""
    rows = list(changes.select_related("user").order_by("-sequence")[:WINDOW])
    items = []
    for change in rows:
        last = items[-1] if items else None
        if last is not None and _together(last.changes[-1], change):
            last.changes.append(change)
        elif len(items) == limit:
            break
        else:
            items.append(FeedItem(changes=[change]))
    if items and len(rows) == WINDOW and rows[-1] in items[-1].changes:
        if len(items) > 1:
            items.pop()  # the oldest may have more changes beyond the window: told whole or not at all
        else:
            items[0].partial = True
    told = [change for item in items for change in item.changes]
    feed_entries(told)
    ids = {change.process_id for change in told if change.process_id}
    processes = m.Process.objects.in_bulk(ids) if ids else {}
    earlier = _earlier_lists([item for item in items if len(item.changes) > 1])
    for item in items:
        _word(item, processes, earlier)
    return items


def _together(newer, older) -> bool:
    """Changes of one write (an account recorded, an import, the seed): next to each other in the
    feed, by the same person, for the same reason, within moments of each other."""
    return (
        bool(newer.reason)
        and (newer.reason, newer.user_id) == (older.reason, older.user_id)
        and newer.time - older.time <= TOGETHER
    )


# --------------------------------------------------------------------------- titles and summaries


def _earlier_lists(groups) -> dict:
    """{account id: {participant: {roles}}} of the account each recorded account follows (the
    process's latest with an earlier source), for the entries that record one: three queries."""
    recorded = [
        change.record
        for item in groups
        for change in item.changes
        if change.model == "registry.processaccount" and change.action == "created" and change.exists
    ]
    if not recorded:
        return {}
    accounts = list(
        m.ProcessAccount.objects.filter(process__in={a.process_id for a in recorded})
        .select_related("source")
        .order_by("source__as_of")
    )
    follows = {}
    for account in recorded:
        day = account.source.as_of
        before = [a for a in accounts if a.process_id == account.process_id and a.source.as_of < day]
        if before:
            follows[account.pk] = before[-1].pk
    rows = m.Participation.objects.filter(account__in=set(follows.values())).select_related("participant")
    lists = {}
    for row in rows:
        lists.setdefault(row.account_id, {}).setdefault(row.participant, set()).add(row.role)
    return {account: lists.get(previous, {}) for account, previous in follows.items()}


def _word(item: FeedItem, processes: dict, earlier: dict):
    changes = item.changes
    item.link = _page(changes[0], processes)
    if len(changes) == 1:
        change = changes[0]
        item.title = _title(change)
        item.summary = _summary(change)
        return
    accounts = [c for c in changes if c.model == "registry.processaccount" and c.record is not None]
    process = processes.get(changes[0].process_id)
    process = _process_label(process) if process is not None else ""
    if accounts:
        account = accounts[0].record
        item.link = account.process.get_absolute_url()
        title = _("%(process)s: the account of %(source)s recorded") % {
            "process": process or _process_label(account.process),
            "source": _source_label(account.source),
        }
    else:
        count = len(changes)
        if item.partial:
            title = _("%(count)d changes or more") % {"count": count}
        elif process:
            title = ngettext("%(process)s: %(count)d change", "%(process)s: %(count)d changes", count) % {
                "process": process,
                "count": count,
            }
        else:
            title = ngettext("%(count)d change", "%(count)d changes", count) % {"count": count}
        if process and item.partial:
            title = f"{process}: {title}"
    item.title = title
    previous = earlier.get(accounts[0].record.pk) if accounts else None
    item.summary = _group_summary(changes, previous)


def _title(change) -> str:
    record = change.record
    if record is None:
        return change.key
    if isinstance(record, m.Participation):
        words = {
            "created": _("%(participant)s listed as %(role)s in %(process)s"),
            "updated": _("%(participant)s as %(role)s in %(process)s: changed"),
            "deleted": _("%(participant)s no longer listed as %(role)s in %(process)s"),
        }[change.action]
        title = words % {
            "participant": _participant_label(record.participant),
            "role": _role(record.role),
            "process": _process_label(record.process),
        }
    else:
        kind = str(type(record)._meta.verbose_name)
        kind = kind[:1].upper() + kind[1:]
        words = {
            "created": _("%(kind)s added: %(name)s"),
            "updated": _("%(kind)s changed: %(name)s"),
            "deleted": _("%(kind)s removed: %(name)s"),
        }[change.action]
        title = words % {"kind": kind, "name": change.label}
    source = _cited_source(record)
    return f"{title} — {_source_label(source)}" if source is not None else title


def _summary(change) -> str:
    reason = format_html("<p>{}</p>", change.reason) if change.reason else ""
    if change.action != "updated" or not change.delta:
        return reason or format_html("<p>{}</p>", _title(change))
    rows = format_html_join("", "<li>{}</li>", ((line,) for line in _field_changes(change)))
    return format_html("{}<ul>{}</ul>", reason, rows)


def _field_changes(change) -> list[str]:
    """ "status note: “—” → “Confirmed”", with the field's name in the feed's language."""
    model = type(change.record)
    lines = []
    for name, old, new in change.delta:
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            continue
        if model_field.is_relation and not model_field.many_to_one:
            continue
        label = str(getattr(model_field, "verbose_name", name))
        lines.append(
            _("%(field)s: %(old)s → %(new)s")
            % {"field": label, "old": _shown(model_field, old), "new": _shown(model_field, new)}
        )
    return lines


def _group_summary(changes, previous=None) -> str:
    """Who joined, who left, whose role changed, and how many other records, then the reason. With
    the lists of the account a recorded account follows (`previous`), joined and left are against
    those; else every participation written is told."""
    joined, left, changed, others = [], [], [], {}
    listed = {}
    for change in reversed(changes):  # oldest first, as written
        record = change.record
        if isinstance(record, m.Participation):
            if previous is not None and change.action == "created":
                listed.setdefault(record.participant, set()).add(record.role)
                continue
            name = f"{_participant_label(record.participant)} ({_role(record.role)})"
            {"created": joined, "deleted": left, "updated": changed}[change.action].append(name)
        elif record is not None and not isinstance(record, m.ProcessAccount):  # the title tells it
            others[type(record)] = others.get(type(record), 0) + 1
    if previous is not None:
        for participant, roles in listed.items():
            before = previous.get(participant)
            name = _with_roles(participant, roles)
            if before is None:
                joined.append(name)
            elif before != roles:
                changed.append(name)
        for participant, roles in previous.items():
            if participant not in listed:
                left.append(_with_roles(participant, roles))
    parts = []
    for heading, names in ((_("Listed"), joined), (_("No longer listed"), left), (_("Changed"), changed)):
        if names:
            parts.append(format_html("<p>{}: {}</p>", heading, ", ".join(names)))
    if others:
        counted = ", ".join(
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in others.items()
        )
        parts.append(format_html("<p>{}: {}</p>", _("Also"), counted))
    if changes[0].reason:
        parts.append(format_html("<p>{}</p>", changes[0].reason))
    return format_html_join("", "{}", ((part,) for part in parts))


def _shown(model_field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date | datetime):
        return day_label(value if isinstance(value, date) else value.date())
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[:4].isdigit():
        try:
            return day_label(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return f"“{value}”"


def _process_label(process) -> str:
    return str(book().process_short_name(process) or book().process_name(process))


def _participant_label(participant) -> str:
    return str(book().participant_name(participant))


def _with_roles(participant, roles) -> str:
    return f"{_participant_label(participant)} ({', '.join(_role(role) for role in sorted(roles))})"


def _role(role) -> str:
    return str(Role(role).label) if role in Role.values else role


def _cited_source(record):
    """The source a record says it comes from: an account's, a listed participation's, a citation's."""
    if isinstance(record, m.Citation | m.ProcessAccount):
        return record.source
    if isinstance(record, m.Participation) and record.account_id:
        return record.account.source
    return None


def _source_label(source) -> str:
    """ "SCPF/30, April 2009"; a title that says its date already is not told it twice."""
    day = source.as_of_display if source.as_of else ""
    return f"{source.label}, {day}" if day and day not in source.label else source.label


def _page(change, processes) -> str:
    """The public page of the record, or of what it belongs to, in the active language."""
    record = change.record
    if isinstance(record, m.Process | m.Participant | m.SourceDocument) and change.exists:
        return record.get_absolute_url()
    if change.process_id in processes:
        return processes[change.process_id].get_absolute_url()
    if isinstance(record, m.ParticipantAlias):
        return record.participant.get_absolute_url()
    source = _cited_source(record) if record is not None else None
    source = source or (getattr(record, "source", None) if record is not None else None)
    if isinstance(source, m.SourceDocument):
        return source.get_absolute_url()
    return reverse("registry:home")
