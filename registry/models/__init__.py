"""The registry's data model, one module per concept (docs/data-model.md tells it at length).

Glossary, one name per concept, in code, pages and API alike:

- **process**: a Regional Consultative Process on Migration (the Puebla Process, MIDSA, ...);
  its slug is its stable identity, its names and their aliases are cited.
- **participant**: who takes part in processes: a **state** (or territory, with an ISO 3166-1
  code) or an **organization**; one table, two proxies.
- **source**: a document facts are cited to (MC/INF/266, SCPF/30, or any later one); its
  **as-of date** is the day its facts describe.
- **account**: what one source says about one process as of the source's date (the row of its
  annex table, year established, region, secretariat, priorities, stated totals). Every account
  is kept; a later one never overwrites an earlier. (The table keeps its first name,
  registry_processsnapshot.)
- **the account in force** on a day: the process's latest account whose source is as of that day
  or earlier (`accounts_in_force`); each aspect, role lists included, has its own (the latest
  account stating it: `account_stating`, `StatedList`, `Participation.objects.as_of`).
- **stated list**: that an account states one role's list, **complete** (whoever it omits has
  left the role) or **partial** (it adds or confirms); **departure**: a source's statement that a
  participant left or withdrew from a role.
- **participation**: a participant's role in a process over a period, as an account states it,
  or **curated** (no account: recorded later by a curator, with its own citations).
- **as of a day**: the facts valid then: curated facts whose period covers the day, and facts of
  the accounts in force for what they state (`Participation.objects.as_of(day)`,
  `IomRole.objects.as_of(day)`).
- **stated total**: a count a source states ("Total: 42"), compared with the participations listed.
- **status over time** (StatusPeriod): a process's status (active, dormant, concluded) over a
  dated, cited period; **succession**: one process continued by another from a date.
- **alias**: another name of a process, participant or IOM office, with its language and citations;
  one may be marked as the name shown in a language.
- **citation**: a source and a locator ("SCPF/30: Annex II, row 'MIDSA'") attached to any fact.
- **former slug**: a slug a record had before a curator renamed it; its addresses redirect to
  the record's, and no other record may take it (`KeepsFormerSlugs`).
- **seed key**: which record a fixture entry became, so re-seeding never duplicates a rename.
- **note translation**: a note the registry writes itself (a curator's English words on a record)
  in French and Spanish, keyed by its English text.
- **registry version**: the counter every write bumps; caches key on it.
- **subscription**, **delivery**: a webhook subscriber, and one change delivered (or to deliver)
  to it — the outbox.
- **change** (the change feed): one recorded change to a record, numbered (`sequence`) in commit
  order; what changed is in the record's history row.
"""

from .account_lists import *  # noqa: F403
from .accounts import *  # noqa: F403
from .aliases import *  # noqa: F403
from .base import *  # noqa: F403
from .changes import *  # noqa: F403
from .events import *  # noqa: F403
from .groupings import *  # noqa: F403
from .iom import *  # noqa: F403
from .lineage import *  # noqa: F403
from .participants import *  # noqa: F403
from .participations import *  # noqa: F403
from .processes import *  # noqa: F403
from .rates import *  # noqa: F403
from .reads import *  # noqa: F403
from .reconciliation import *  # noqa: F403
from .recording import *  # noqa: F403
from .resolution import *  # noqa: F403
from .seeding import *  # noqa: F403
from .slugs import *  # noqa: F403
from .sources import *  # noqa: F403
from .translations import *  # noqa: F403
from .version import *  # noqa: F403
from .webhooks import *  # noqa: F403
