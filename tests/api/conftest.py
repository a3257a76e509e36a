"""API test helpers: clients for anonymous, viewer and curator (token) users, and the endpoint
table the generic tests run over (in the manner of NetBox's API test mixins)."""

from dataclasses import dataclass, field

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from registry import models as m
from registry.permissions import CURATOR, VIEWER

from ..helpers import make_staff_user

CITED = {"citations": [{"source": "SCPF/30", "locator": "Annex II, a test row"}]}


@dataclass
class Endpoint:
    name: str  # the URL segment: /api/<name>/
    model: type
    key: str  # the attribute the URL addresses an object by
    create: dict
    patch: dict
    filters: list[str] = field(default_factory=list)  # query strings that must narrow the list

    def __str__(self):
        return self.name

    def list_url(self, query=""):
        return f"/api/{self.name}/" + (f"?{query}" if query else "")

    def detail_url(self, obj_or_key):
        key = obj_or_key if isinstance(obj_or_key, str | int) else getattr(obj_or_key, self.key)
        return f"/api/{self.name}/{key}/"

    def queryset(self):
        return self.model.objects.all()


ENDPOINTS = [
    Endpoint(
        "processes",
        m.Process,
        "slug",
        create={
            "slug": "test-dialogue",
            "name": "Test Dialogue on Migration",
            "short_name": "TDM",
            "kind": "geographic",
            "status": "active",
            **CITED,
        },
        patch={"status_note": "Met again in 2010 (test)."},
        filters=[
            "region=scpf-30-africa",
            "kind=thematic",
            "member=australia",
            "q=puebla",
            "as_of=2003",
            "theme=trafficking",
            "established_after=2000",
            "established_before=1995",
        ],
    ),
    Endpoint(
        "states",
        m.State,
        "slug",
        create={
            "slug": "bouvet-island",
            "name": "Bouvet Island",
            "kind": "territory",
            "iso_code": "bv",
            **CITED,
        },
        patch={"note": "A test note."},
        filters=["q=cote d'ivoire", "iso_code=nz", "process=midsa", "kind=territory"],
    ),
    Endpoint(
        "organizations",
        m.Organization,
        "slug",
        create={
            "slug": "test-network",
            "name": "Test Migration Network",
            "organization_type": "civil_society",
            **CITED,
        },
        patch={"acronym": "TMN"},
        filters=["q=unhcr", "organization_type=united_nations", "process=bali-process"],
    ),
    Endpoint(
        "participations",
        m.Participation,
        "pk",
        create={
            "process": "bali-process",
            "participant": "chile",
            "role": "observer",
            "start": "2010-03",
            **CITED,
        },
        patch={"status_note": "Confirmed at the 2010 meeting (test)."},
        filters=[
            "process=bali-process",
            "role=observer",
            "as_of=2009-04-30",
            "cited_in=MC/INF/266",
            "participant=australia",
            "iso_code=NZ",
            "kind=organization",
        ],
    ),
    Endpoint(
        "iom-roles",
        m.IomRole,
        "pk",
        create={"process": "bali-process", "function": "research", "status": "not_yet", **CITED},
        patch={"note": "A test note."},
        filters=["process=midsa", "function=secretariat", "status=not_applicable", "office=iom-ankara"],
    ),
    Endpoint(
        "iom-offices",
        m.IomOffice,
        "slug",
        create={
            "slug": "iom-testville",
            "name": "IOM Testville",
            "kind": "country",
            "city": "Testville",
            **CITED,
        },
        patch={"city": "Testopolis"},
        filters=["kind=mrf", "q=pretoria"],
    ),
    Endpoint(
        "events",
        m.Event,
        "slug",
        create={
            "slug": "bali-test-meeting-2010",
            "process": "bali-process",
            "kind": "meeting",
            "title": "Test meeting",
            "start": "2010-05-03",
            "end": "2010-05-04",
            "organizers": ["australia", "indonesia"],
            **CITED,
        },
        patch={"place": "Bali"},
        filters=["process=igc", "kind=ministerial", "year=2002", "q=workshop", "cited_in=SCPF/30"],
    ),
    Endpoint(
        "regions",
        m.Region,
        "slug",
        create={"slug": "scpf-30-test", "name": "Test heading", "source": "SCPF/30", "position": 99, **CITED},
        patch={"name": "Test heading, renamed"},
        filters=["source=MC/INF/266", "q=africa"],
    ),
    Endpoint(
        "sources",
        m.SourceDocument,
        "symbol",
        create={
            "symbol": "MC/INF/999",
            "slug": "mc-inf-999",
            "title": "A later paper (test)",
            "as_of": "2010-06",
        },
        patch={"description": "What it covers (test)."},
        filters=["q=2009"],
    ),
]


@pytest.fixture
def anon():
    return APIClient()


def token_client(name, group):
    user = make_staff_user(name, group)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.user = user
    return client


@pytest.fixture
def curator_api(db):
    return token_client("api-curator", CURATOR)


@pytest.fixture
def viewer_api(db):
    return token_client("api-viewer", VIEWER)
