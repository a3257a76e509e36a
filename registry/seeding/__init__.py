"""Load the curated data in fixtures/ into the database (`manage.py seed`).

The loader is idempotent and never destroys a curator's work:

- a record that is missing is created (with its citations), and its creation is recorded in the
  audit history with the reason "Loaded from the curated fixtures";
- a record that exists is never changed: where a curator's value differs from the fixtures, the
  difference is reported as a conflict and the curator's value stays;
- a record a curator deleted (its deletion is in the audit history) is not created again; it is
  reported as skipped.

Names in participation lists are resolved through the participants' names and variants, so every
spelling the sources use ends on one record; each spelling actually used becomes an alias citing
the list that uses it.
"""

from .loader import seed
from .store import SEED_REASON, FixtureError, SeedReport

__all__ = ["SEED_REASON", "FixtureError", "SeedReport", "seed"]
