"""The API's serializers: `base` (validation, citations), `records`, `processes`, `history`."""

from .history import HistoryRecordSerializer
from .processes import ProcessSerializer
from .recording import (
    AccountPreviewSerializer,
    AccountRecordingSerializer,
    RecordedAccountSerializer,
    account_url,
    preview_data,
    unresolved_data,
)
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
    "account_url",
    "AccountPreviewSerializer",
    "AccountRecordingSerializer",
    "RecordedAccountSerializer",
    "preview_data",
    "unresolved_data",
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
