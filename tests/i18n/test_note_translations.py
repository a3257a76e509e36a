"""The notes the registry writes itself ("Took over the Chair in 2006") read in French and Spanish
on the pages; a note with no translation (a source's words quoted, or a note edited since) shows
in English, said to be English. Exports and the API keep the English: it is what the records hold."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from registry import models as m

pytestmark = pytest.mark.django_db

QUOTATION = re.compile(r'^["“].*["”]\.?$')


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_note_the_sources_write_is_translated_unless_it_only_quotes_a_source(later_sources):
    notes = m.notes_written()
    translations = {row.english: row for row in m.NoteTranslation.objects.all()}
    assert len(notes) > 80
    lacking = sorted(
        note
        for note in notes
        if not QUOTATION.match(note)
        and not (note in translations and translations[note].french and translations[note].spanish)
    )
    assert lacking == []
    # and no translation is kept for a note no record holds (a stale one would never show)
    grouping_notes = set(m.RegionalGrouping.objects.values_list("note", flat=True))
    assert sorted(set(translations) - notes - grouping_notes) == []


def test_a_participations_note_reads_in_the_pages_language(client):
    url = "/{}/processes/budapest-process/?as_of=2009-04-30"
    assert "Took over the Chair in 2006 (column &#x27;Current Priorities&#x27;)." in page(
        client, url.format("en")
    )
    assert "A pris la présidence en 2006 (colonne « Current Priorities »)." in page(client, url.format("fr"))
    assert "Asumió la presidencia en 2006 (columna «Current Priorities»)." in page(client, url.format("es"))
    assert "Took over the Chair" not in page(client, url.format("fr"))


def test_a_stated_totals_note_reads_in_the_pages_language_on_the_home_page_and_the_process_page(client):
    french = "La ligne énumère 43 gouvernements pour un total annoncé de 42."
    assert french in page(client, "/fr/?as_of=2009-04-30")
    assert french in page(client, "/fr/processes/bali-process/?as_of=2009-04-30")
    assert "La fila enumera 43 gobiernos" in page(client, "/es/processes/bali-process/?as_of=2009-04-30")


def test_a_note_edited_since_its_translation_shows_in_english_said_to_be_english(client):
    row = m.Participation.objects.get(status_note__startswith="Took over the Chair in 2006")
    row.status_note = "Took over the Chair in 2006, as the column 'Current Priorities' says."
    row.save()
    french = page(client, "/fr/processes/budapest-process/?as_of=2009-04-30")
    assert "A pris la présidence en 2006" not in french  # the translation of the old words
    edited = "Took over the Chair in 2006, as the column &#x27;Current Priorities&#x27; says."
    assert f'<span lang="en">{edited}</span>' in french
    # written for the new words, it shows at once (the pages' caches key on the registry's version)
    m.NoteTranslation.objects.create(
        english=row.status_note,
        french="A pris la présidence en 2006, selon la colonne « Current Priorities ».",
    )
    assert "A pris la présidence en 2006, selon la colonne" in page(
        client, "/fr/processes/budapest-process/?as_of=2009-04-30"
    )


def test_a_quotation_stays_in_english_marked_as_english(client, later_sources):
    html = page(client, "/fr/processes/bali-process/")
    assert '<span lang="en">&quot;IOM and UNHCR have participant status.&quot;</span>' in html


def test_the_api_keeps_the_english_note_whatever_the_language_asked(client):
    response = client.get("/api/processes/bali-process/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    text = response.content.decode()
    assert "The row lists 43 governments against its stated total of 42." in text
    assert "La ligne énumère" not in text


def test_a_translation_needs_a_language_and_its_english_is_unique():
    with pytest.raises(ValidationError):
        m.NoteTranslation(english="Hosts a meeting.").full_clean()
    with pytest.raises(ValidationError):
        m.NoteTranslation(english="Hosts the secretariat.", french="Accueille le secrétariat.").full_clean()


def test_the_translations_command_counts_the_notes_in_each_language(later_sources):
    out = StringIO()
    call_command("translations", stdout=out)
    text = out.getvalue()
    counts = re.findall(r"the registry's notes: (\d+)/(\d+)", text)
    assert len(counts) == 2 and all(int(done) == int(total) - 5 for done, total in counts)
    assert '"IOM and UNHCR have participant status."' in text


def test_curators_find_the_notes_missing_a_language_in_the_admin(admin_client):
    m.NoteTranslation.objects.create(english="Hosts a meeting.", french="Accueille une réunion.")
    html = admin_client.get("/admin/registry/notetranslation/?missing=es").content.decode()
    assert "Hosts a meeting." in html and "Hosts the secretariat." not in html
    response = admin_client.post(
        "/admin/registry/notetranslation/add/", {"english": "Hosts a seminar.", "french": "", "spanish": ""}
    )
    assert (
        response.status_code == 200
        and "Give the note in French, in Spanish, or both." in response.content.decode()
    )
    assert not m.NoteTranslation.objects.filter(english="Hosts a seminar.").exists()
