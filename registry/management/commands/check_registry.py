"""Report stated totals against listed participations, where sources disagree (kept side by side),
uncited facts, missing ISO codes and ambiguous names. With --strict, exit with an error when
anything needs a curator's attention (a disagreement between sources does not: it is kept)."""

from django.core.management.base import BaseCommand, CommandError

from registry import conflicts, integrity


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Fail when a problem is found.")

    def handle(self, *args, strict, **options):
        self.stdout.write("Records:")
        for label, number in integrity.counts().items():
            self.stdout.write(f"  {label}: {number}")
        self.stdout.write("\nStated totals against listed participations (per process and source):")
        for check in integrity.stated_totals():
            self.stdout.write(f"  {check}")
        found = conflicts.conflicts()
        self.stdout.write(f"\nWhere sources disagree ({len(found)}; each kept, dated, cited):")
        for conflict in found:
            self.stdout.write(f"  {conflict}")
        problems = integrity.problems()
        if not problems:
            self.stdout.write(
                self.style.SUCCESS("\nNo problems: every difference is explained, every fact cited.")
            )
            return
        self.stdout.write(self.style.WARNING(f"\n{len(problems)} problem(s):"))
        for problem in problems:
            self.stdout.write(f"  - {problem}")
        if strict:
            raise CommandError(f"{len(problems)} problem(s) need a curator's attention.")
