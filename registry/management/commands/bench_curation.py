"""Measure what curators wait for: the process page, saving one participation from it, a 50-name
account previewed and recorded (in the admin and in the API), the same as a partial list, and a
2,000-name account (most of them participants new to the registry) previewed and recorded: the
documented bound (models/account_lists.MAX_NAMES), measured at LARGE_RUNS runs.

    manage.py bench_curation [--process budapest-process] [--runs 10]

Each operation runs --runs times through Django's test client, as a signed-in curator, with
DEBUG off, on the database of DATABASE_URL; everything happens inside a transaction that is
rolled back at the end, so the database is left as it was. Prints a Markdown table: median,
p95 and fastest time, and the queries of one run.
"""

import statistics
import time
from datetime import date
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from ... import models as m
from ...permissions import CURATOR, setup_groups

NAMES = 50
LARGE = 2000
LARGE_RUNS = 3


class FormValues(HTMLParser):
    """The values a browser would send for the first form with a submit button named _save."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.values.append((name, text.removeprefix("\n")))
            self._textarea = None


def form_values(html: str) -> dict:
    parser = FormValues()
    parser.feed(html)
    values: dict = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    return {name: v if len(v) > 1 else v[0] for name, v in values.items() if "__prefix__" not in name}


class Command(BaseCommand):
    help = "Benchmark the curators' pages and writes (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--process", default="budapest-process")
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--small", action="store_true", help=f"Leave out the {LARGE:,}-name account.")

    def handle(self, *args, **options):
        process = m.Process.objects.filter(slug=options["process"]).first()
        if process is None:
            raise CommandError(f"No process with the slug {options['process']} (load the data: make db).")
        runs = max(1, options["runs"])
        rows = []
        with override_settings(DEBUG=False), transaction.atomic():
            client = self._curator()
            operations = self._operations(client, process)
            if options["small"]:
                operations = [
                    (label, operation) for label, operation in operations if f"{LARGE:,}" not in label
                ]
            for label, operation in operations:
                with transaction.atomic():  # warm: templates, content types
                    operation()
                    transaction.set_rollback(True)
                times = []
                for _ in range(min(runs, LARGE_RUNS) if f"{LARGE:,}" in label else runs):
                    with transaction.atomic():
                        start = time.perf_counter()
                        operation()
                        times.append((time.perf_counter() - start) * 1000)
                        transaction.set_rollback(True)
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    operation()
                    transaction.set_rollback(True)
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                rows.append((label, statistics.median(times), p95, times[0], len(queries)))
            transaction.set_rollback(True)
        vendor = connection.vendor
        self.stdout.write(f"\n{process.short_name}, {vendor}, DEBUG off, {runs} runs each\n")
        self.stdout.write(
            "| operation | median ms | p95 ms | fastest ms | queries |\n|---|---:|---:|---:|---:|\n"
        )
        for label, median, p95, fastest, queries in rows:
            self.stdout.write(f"| {label} | {median:.0f} | {p95:.0f} | {fastest:.0f} | {queries} |\n")

    def _curator(self) -> Client:
        setup_groups()
        user = get_user_model().objects.create_user("bench-curator", password=None, is_staff=True)
        user.groups.add(Group.objects.get(name=CURATOR))
        client = Client()
        client.force_login(user)
        return client

    def _operations(self, client, process):
        hub = reverse("admin:registry_process_change", args=[process.pk])
        row = m.Participation.objects.current().filter(process=process).order_by("role", "position").first()
        if row is None:
            raise CommandError(f"{process} has no participation in force to edit.")
        row_url = reverse("admin:registry_participation_change", args=[row.pk]) + f"?hub={process.pk}"
        row_form = form_values(client.get(row_url).content.decode())
        row_form.update({"status_note": "Benchmark edit", "_save": "Save"})
        source = m.SourceDocument.objects.create(
            title="Benchmark declaration (rolled back)",
            kind="outcome",
            as_of=date.today(),
            as_of_precision="day",
        )
        names = self._names(process)
        # Two names misspelt ("Phillipines"): ranked candidates in the preview, settled for the record.
        typos = {name[:-2] + name[-1]: slug for name, slug in names[-2:]}
        names = [name for name, _slug in names[:-2]] + list(typos)
        body = {"source": source.key, "locator": "para. 1", "lists": {"member": names}, "resolutions": typos}
        api = reverse("api:process-accounts", args=[process.slug])
        admin_page = reverse("admin:registry_process_record_account", args=[process.pk])
        admin_form = {
            "source": source.pk,
            "locator": "para. 1",
            "list_member": "\n".join(names),
            "preview": "1",
        }

        known = sorted(m.State.objects.values_list("name", flat=True))
        new = [f"Benchmark Organization {number:04d}" for number in range(LARGE - len(known))]
        large = {
            "source": source.key,
            "locator": "Annex, list of participants",
            "lists": {"member": known + new},
            "resolutions": {name: {"name": name, "kind": "organization"} for name in new},
        }

        def expect(response, status):
            if response.status_code != status:
                raise CommandError(f"{response.request['PATH_INFO']}: {response.status_code}, not {status}")

        return [
            ("process page (admin), GET", lambda: expect(client.get(hub), 200)),
            ("one participation saved from it", lambda: expect(client.post(row_url, row_form), 302)),
            (
                f"{len(names)}-name account, dry run, 2 names unresolved (API)",
                lambda: expect(
                    client.post(api, {**body, "dry_run": True}, content_type="application/json"), 200
                ),
            ),
            (
                f"{len(names)}-name account, recorded, 2 names settled (API)",
                lambda: expect(client.post(api, body, content_type="application/json"), 201),
            ),
            (
                f"{len(names)}-name account as a partial list, recorded (API)",
                lambda: expect(
                    client.post(api, {**body, "partial_lists": ["member"]}, content_type="application/json"),
                    201,
                ),
            ),
            (
                f"{len(names)}-name account, preview (admin)",
                lambda: expect(client.post(admin_page, admin_form), 200),
            ),
            (
                f"{LARGE:,}-name account, {len(new):,} new participants, dry run (API)",
                lambda: expect(
                    client.post(api, {**large, "dry_run": True}, content_type="application/json"), 200
                ),
            ),
            (
                f"{LARGE:,}-name account, {len(new):,} new participants, recorded (API)",
                lambda: expect(client.post(api, large, content_type="application/json"), 201),
            ),
        ]

    @staticmethod
    def _names(process) -> list[tuple[str, str]]:
        """Fifty names as a document writes them: the process's own names as cited, then other
        states' (the registry's spelling, with the slug of the last two)."""
        cited, seen = [], set()
        rows = m.Participation.objects.filter(process=process, role="member").order_by("-pk")
        for participant_id, name in rows.values_list("participant_id", "name_as_cited"):
            if participant_id not in seen and name and len(cited) < NAMES:
                seen.add(participant_id)
                cited.append(name)
        others = m.Participant.objects.states_and_territories().exclude(pk__in=seen)
        cited += list(others.order_by("name").values_list("name", flat=True)[: NAMES - len(cited)])
        slugs = dict(m.Participant.objects.filter(name__in=cited[-2:]).values_list("name", "slug"))
        return [(name, slugs.get(name, "")) for name in cited]
