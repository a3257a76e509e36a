"""The API's serializers: `base` (validation, citations), `records`, `processes`, `history`."""

from .history import HistoryRecordSerializer
from .processes import ProcessSerializer
from .records import (
    EventSerializer,
    IomOfficeSerializer,
    IomRoleSerializer,
    OrganizationSerializer,
    ParticipantSerializer,
    ParticipationSerializer,
    RegionSerializer,
    SourceDocumentSerializer,
)

__all__ = [
    "EventSerializer",
    "HistoryRecordSerializer",
    "IomOfficeSerializer",
    "IomRoleSerializer",
    "OrganizationSerializer",
    "ParticipantSerializer",
    "ParticipationSerializer",
    "ProcessSerializer",
    "RegionSerializer",
    "SourceDocumentSerializer",
]
