"""Sources of any kind: a ministerial declaration or a web page needs no IOM symbol; slugs are
made once, the same way for every source."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from registry import models as m
from registry.choices import SourceKind

pytestmark = pytest.mark.django_db


def declaration(**fields):
    values = {
        "title": "Budapest Process Ministerial Declaration 2024",
        "kind": SourceKind.OUTCOME,
        "as_of": date(2024, 1, 1),
        "as_of_precision": "year",
    }
    return m.SourceDocument(**{**values, **fields})


def test_a_source_without_a_symbol_is_named_by_its_title_and_slugged_from_it():
    source = declaration()
    source.full_clean()
    source.save()
    assert source.slug == "budapest-process-ministerial-declaration-2024"
    assert (source.label, source.key, str(source)) == (source.title, source.slug, source.title)
    again = declaration()
    again.save()
    assert again.slug == "budapest-process-ministerial-declaration-2024-2"
    long = declaration(
        title="Regional Conference on Migration, Declaration of the Twenty-Ninth Vice-Ministerial Meeting"
    )
    long.save()
    assert long.slug == "regional-conference-on-migration-declaration-of-the"  # cut between words
    source.title = "Renamed"
    source.save()
    assert m.SourceDocument.objects.get(pk=source.pk).slug.startswith("budapest-process")  # kept


def test_a_symbol_is_slugged_as_the_papers_are_and_stays_unique_when_given():
    source = declaration(
        symbol="MC/INF/999", title="A later IOM paper (test source)", kind=SourceKind.IOM_PAPER
    )
    source.save()
    assert (source.slug, source.label, source.key) == ("mc-inf-999", "MC/INF/999", "MC/INF/999")
    declaration().save()
    declaration().save()  # several sources without a symbol
    with pytest.raises(ValidationError, match="Another source has this symbol"):
        declaration(symbol="MC/INF/999").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        declaration(symbol="MC/INF/999").save()


def test_a_bad_symbol_and_dates_after_today_are_refused():
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        declaration(symbol="not a symbol", as_of=tomorrow, date=tomorrow, date_precision="day").full_clean()
    assert set(raised.value.message_dict) == {"symbol", "as_of", "date"}


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_stored_copy_is_described_and_named_by_the_registry(media):
    source = declaration(copy=SimpleUploadedFile("../../evil name.pdf", PDF, "application/pdf"))
    source.full_clean()
    source.save()
    assert source.copy_sha256 == hashlib.sha256(PDF).hexdigest() and source.copy_size == len(PDF)
    assert source.copy_type == "application/pdf"
    assert source.copy.name == f"sources/{source.slug}-{source.copy_sha256[:12]}.pdf"
    assert (media / source.copy.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"plain text", "a PDF or an HTML file"),
        ("page.pdf", b"<html>not a pdf</html>", "a PDF or an HTML file"),
        ("big.pdf", PDF + b"0" * (m.COPY_MAX_BYTES + 1), "at most 20 MB"),
    ],
)
def test_a_copy_that_is_not_pdf_or_html_or_too_big_is_refused(media, name, content, message):
    with pytest.raises(ValidationError, match=message):
        declaration(copy=SimpleUploadedFile(name, content)).full_clean()


def test_an_html_copy_is_accepted(media):
    html = b"<!DOCTYPE html><html><body>Chair's summary</body></html>"
    source = declaration(copy=SimpleUploadedFile("summary.html", html))
    source.full_clean()
