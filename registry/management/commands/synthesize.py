"""Synthetic data for benchmarks: the real registry's shape, N times over.

    manage.py synthesize --factor 100     # ~2,000 processes, ~20,000 participants,
                                          # ~200,000 participations, ~50,000 events

Records are marked by a "synthetic-" slug prefix and cite the real sources; they go in with
bulk inserts (no audit history: benchmark data, not curated facts). Run it on a database of its
own (DATABASE_URL), after `migrate` and `seed`.
"""

import random
from datetime import date

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from registry import models as m
from registry.choices import EventKind, ParticipantKind, ProcessKind, ProcessStatus, Role

PER_FACTOR = {"processes": 20, "participants": 200, "participations": 2000, "events": 500}
ROLES = [Role.MEMBER] * 6 + [Role.OBSERVER, Role.PARTNER, Role.OBSERVER_OR_PARTNER, Role.CHAIR]


class Command(BaseCommand):
    help = "Add synthetic processes, participants, participations and events (N times the real registry)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=100)
        parser.add_argument("--seed", type=int, default=2009, help="random seed (the data is reproducible)")

    def handle(self, *args, factor, seed, **options):
        rng = random.Random(seed)
        counts = {name: per * factor for name, per in PER_FACTOR.items()}
        sources = list(m.SourceDocument.objects.order_by("as_of"))
        regions = list(m.Region.objects.all())
        # Numbered after any synthetic records already there, so the command can run again.
        first = m.Process.objects.filter(slug__startswith="synthetic-process-").count()
        first_participant = m.Participant.objects.filter(slug__startswith="synthetic-participant-").count()
        first_event = m.Event.objects.filter(slug__startswith="synthetic-event-").count()
        with transaction.atomic():
            m.RegistryVersion.bump()  # bulk writes send no signals
            processes = m.Process.objects.bulk_create(
                m.Process(
                    slug=f"synthetic-process-{i}",
                    name=f"Synthetic Consultative Process {i}",
                    short_name=f"SCP-{i}",
                    kind=rng.choice(ProcessKind.values),
                    status=rng.choice(ProcessStatus.values),
                )
                for i in range(first, first + counts["processes"])
            )
            accounts = m.ProcessAccount.objects.bulk_create(
                m.ProcessAccount(
                    process=process,
                    source=(source := rng.choice(sources)),
                    name_as_listed=process.name,
                    region=rng.choice([r for r in regions if r.source_id == source.pk] or [None]),
                    year_established=rng.randint(1985, 2008),
                    main_areas=rng.choice(["trafficking", "labour migration", "border management", "asylum"]),
                )
                for process in processes
            )
            # Each states its lists whole, as the papers' accounts do.
            m.StatedList.objects.bulk_create(
                (m.StatedList(account=account, role=role) for account in accounts for role in Role.values),
                batch_size=5000,
            )
            participants = []
            for i in range(first_participant, first_participant + counts["participants"]):
                kind = ParticipantKind.ORGANIZATION if i % 3 == 0 else ParticipantKind.STATE
                noun = "Organization" if kind == ParticipantKind.ORGANIZATION else "State"
                participant = m.Participant(
                    slug=f"synthetic-participant-{i}", name=f"Synthetic {noun} {i}", kind=kind
                )
                participant.name_key = participant.name.casefold()
                participants.append(participant)
            participants = m.Participant.objects.bulk_create(participants, batch_size=2000)
            seen, rows, listed = set(), [], [0] * len(accounts)
            while len(rows) < counts["participations"]:
                index = rng.randrange(len(accounts))
                participant, role = rng.choice(participants), rng.choice(ROLES)
                if (index, participant.pk, role) in seen:
                    continue
                seen.add((index, participant.pk, role))
                start = date(rng.randint(1990, 2008), 1, 1) if rng.random() < 0.3 else None
                row = m.Participation(
                    process=processes[index],
                    participant=participant,
                    role=role,
                    account=accounts[index],
                    start=start,
                    start_precision="year" if start else "",
                    position=listed[index],  # the order in its process's list (a small integer)
                    counted_in_total=role == Role.MEMBER,
                )
                listed[index] += 1
                rows.append(row)
            m.Participation.objects.bulk_create(rows, batch_size=5000)
            events = []
            for i in range(first_event, first_event + counts["events"]):
                day = date(rng.randint(1990, 2009), rng.randint(1, 12), rng.randint(1, 28))
                events.append(
                    m.Event(
                        slug=f"synthetic-event-{i}",
                        process=rng.choice(processes),
                        kind=rng.choice(EventKind.values),
                        title=f"Synthetic meeting {i}",
                        start=day,
                        start_precision="day",
                        end=day,
                        end_precision="day",
                    )
                )
            m.Event.objects.bulk_create(events, batch_size=5000)
        self.refresh_statistics()
        self.stdout.write(", ".join(f"{n:,} {name}" for name, n in counts.items()) + " added.")

    @staticmethod
    def refresh_statistics():
        """What autovacuum would do a while after a bulk load, done at once so that the benchmark
        measures the plans a running server has: PostgreSQL's planner statistics, and the
        visibility map its index-only scans need. SQLite plans without statistics here."""
        if connection.vendor != "postgresql":
            return
        # VACUUM cannot run inside a transaction (a test's): ANALYZE alone then.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (m.Process, m.ProcessAccount, m.Participant, m.Participation, m.Event):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
