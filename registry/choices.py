"""Controlled vocabularies of the registry (roles, kinds, statuses)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class SourceKind(models.TextChoices):
    IOM_PAPER = "iom-paper", _("IOM paper")
    OUTCOME = "outcome", _("outcome document or declaration")
    MEETING_REPORT = "meeting-report", _("meeting report")
    WEB_PAGE = "web-page", _("web page")
    OTHER = "other", _("other")


class ParticipantKind(models.TextChoices):
    STATE = "state", _("state")
    TERRITORY = "territory", _("territory")
    ORGANIZATION = "organization", _("organization")


class OrganizationType(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organization")
    UNITED_NATIONS = "united_nations", _("United Nations entity")
    REGIONAL_BODY = "regional_body", _("regional body or economic community")
    PROCESS_BODY = "process_body", _("body or secretariat of a consultative process")
    GOVERNMENT_AGENCY = "government_agency", _("national government body")
    CIVIL_SOCIETY = "civil_society", _("NGO or civil-society network")
    RESEARCH = "research", _("research or academic institution")
    FINANCIAL = "financial", _("development bank or donor")
    OTHER = "other", _("other")


class ProcessKind(models.TextChoices):
    GEOGRAPHIC = "geographic", _("regional (geographically organized)")
    INTERREGIONAL = "interregional", _("inter-regional")
    LIKE_MINDED = "like_minded", _("like-minded states")
    THEMATIC = "thematic", _("thematically organized")
    GLOBAL = "global", _("global (open to every state)")


class MechanismType(models.TextChoices):
    """How IOM classifies an inter-State consultation mechanism on migration (since 2010)."""

    RCP = "rcp", _("regional consultative process on migration")
    IRF = "irf", _("interregional forum on migration")
    GLOBAL = "global", _("global process on migration")


class ProcessStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DORMANT = "dormant", _("dormant")
    CONCLUDED = "concluded", _("concluded")
    INACTIVE = "inactive", _("inactive")
    UNKNOWN = "unknown", _("not reported since the sources")


class Role(models.TextChoices):
    MEMBER = "member", _("member / participating government")
    OBSERVER = "observer", _("observer")
    PARTNER = "partner", _("partner")
    OBSERVER_OR_PARTNER = "observer_or_partner", _("observer or partner (the source does not say which)")
    PARTICIPANT_STATUS = "participant_status", _("participant status")
    SECRETARIAT = "secretariat", _("secretariat")
    STEERING_GROUP = "steering_group", _("steering group")
    CHAIR = "chair", _("chair")
    CO_CHAIR = "co_chair", _("co-chair")
    PRESIDENCY_PRO_TEMPORE = "presidency_pro_tempore", _("presidency pro tempore")
    THEMATIC_COORDINATOR = "thematic_coordinator", _("thematic coordinator")
    INVITED = "invited", _("invited")
    OTHER = "other", _("other participation")


class SecretariatKind(models.TextChoices):
    IOM = "iom", _("IOM serves as secretariat")
    ORGANIZATION = "organization", _("hosted by another organization")
    REGIONAL_BODY = "regional_body", _("secretariat of a regional body")
    JOINT = "joint", _("joint secretariat")
    TECHNICAL = "technical", _("independent technical secretariat")
    PERMANENT = "permanent", _("permanent secretariat of the process")
    NONE = "none", _("no official secretariat")


class IomFunction(models.TextChoices):
    SECRETARIAT = "secretariat", _("secretariat functions")
    EXPERT = "expert", _("expert contributions")
    RESEARCH = "research", _("research and information dissemination")
    CAPACITY = "capacity", _("capacity-building and technical cooperation")
    IMPLEMENTING = "implementing", _("implementing partner")


class IomRoleStatus(models.TextChoices):
    DESCRIBED = "described", _("described")
    NOT_APPLICABLE = "not_applicable", _("not applicable")
    NOT_YET = "not_yet", _("not yet")
    NOT_CURRENTLY = "not_currently", _("not currently")


class OfficeKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    MRF = "mrf", _("Mission with Regional Functions")
    SLM = "slm", _("Special Liaison Mission")
    REGIONAL_OFFICE = "regional_office", _("regional office")
    COUNTRY = "country", _("country mission")
    TCC = "tcc", _("Technical Cooperation Centre")


class AliasKind(models.TextChoices):
    OFFICIAL = "official", _("official name")
    SHORT = "short", _("short name")
    ACRONYM = "acronym", _("acronym")
    FORMER = "former", _("former name")
    VARIANT = "variant", _("name variant")
    TRANSLATION = "translation", _("translation")
    # A spelling a document used and a curator settled ("Phillipines" -> Philippines): remembered so
    # that the next document writing it resolves, but not a name of the record. A curator who
    # finds it a real name gives it another kind.
    AS_CITED = "as_cited", _("spelling as cited (not a name)")


# The kinds that are names of the record: shown ("Also written"), exported, offered.
NAME_KINDS = [kind for kind in AliasKind.values if kind != AliasKind.AS_CITED]


class DepartureKind(models.TextChoices):
    """How a source says a participant stopped holding a role (models/participations.Departure)."""

    LEFT = "left", _("left")
    WITHDREW = "withdrew", _("withdrew")


# The roles one participant holds at a time, handing over to the next (models/participations.py).
LEADERSHIP_ROLES = (Role.CHAIR, Role.CO_CHAIR, Role.PRESIDENCY_PRO_TEMPORE)


class EventKind(models.TextChoices):
    MINISTERIAL = "ministerial", _("ministerial conference")
    CONFERENCE = "conference", _("conference")
    MEETING = "meeting", _("meeting")
    WORKSHOP = "workshop", _("workshop")
    SEMINAR = "seminar", _("seminar")
    TRAINING = "training", _("training")
    STUDY = "study", _("study or publication")
    PROJECT = "project", _("project or programme")
    DECLARATION = "declaration", _("declaration or outcome document")
    AGREEMENT = "agreement", _("agreement")
    MILESTONE = "milestone", _("milestone")


class GroupingFocus(models.TextChoices):
    MIGRATION_FOCUS = "focus", _("migration focus")
    MIGRATION_INTEREST = "interest", _("migration interest (prime focus often economic)")
    OTHER_GROUP = "other", _("other regional group on migration")


class NameDisplay(models.TextChoices):
    NAME = "name", _("the name shown in its language")
    SHORT = "short", _("the short name shown in its language")
