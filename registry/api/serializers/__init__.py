"""The API's serializers: `base` (validation, citations), `records`, `processes`, `history`."""

from .history import HistoryRecordSerializer
from .processes import ProcessSerializer
from .records import (
    EventSerializer,
    IomOfficeSerializer,
    IomRoleSerializer,
    OrganizationSerializer,
    ParticipationSerializer,
    RegionSerializer,
    SourceDocumentSerializer,
    StateSerializer,
)

__all__ = [
    "EventSerializer",
    "HistoryRecordSerializer",
    "IomOfficeSerializer",
    "IomRoleSerializer",
    "OrganizationSerializer",
    "StateSerializer",
    "ParticipationSerializer",
    "ProcessSerializer",
    "RegionSerializer",
    "SourceDocumentSerializer",
]
