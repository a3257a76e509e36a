"""The registry's data model, one module per concept."""

from .base import *  # noqa: F403
from .events import *  # noqa: F403
from .groupings import *  # noqa: F403
from .iom import *  # noqa: F403
from .names import *  # noqa: F403
from .participants import *  # noqa: F403
from .participations import *  # noqa: F403
from .processes import *  # noqa: F403
from .reads import *  # noqa: F403
from .seeding import *  # noqa: F403
from .sources import *  # noqa: F403
from .version import *  # noqa: F403
