"""The French and Spanish catalogues are complete, current and compiled.

A string marked for translation in the code or a template and missing from a catalogue (or left
untranslated, fuzzy, or with other placeholders than its English original) fails here; so does a
catalogue whose compiled .mo differs from its .po. `make messages` regenerates the catalogues.
"""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE = Path(settings.BASE_DIR) / "registry" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def catalogue(language) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    po = catalogue(language)
    assert len(po) > 400
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                assert placeholders(form) <= placeholders(entry.msgid) | placeholders(entry.msgid_plural), (
                    entry
                )
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches(language):
    po, mo = catalogue(language), polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgid, e.msgid_plural): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
    written = {
        (e.msgid, e.msgid_plural): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in po.translated_entries()
    }
    assert {
        key: (text, {int(k): v for k, v in plural.items()}) for key, (text, plural) in compiled.items()
    } == (written), "run `make messages` (compilemessages)"


def test_the_catalogues_hold_every_marked_string(tmp_path):
    """Extract the strings marked in the code and templates now (makemessages on a copy of the
    code) and compare with the committed catalogues: nothing marked is missing, nothing stale."""
    if shutil.which("xgettext") is None:
        # `make test` installs gettext; in CI a missing tool fails rather than skips.
        if os.environ.get("CI"):
            pytest.fail("xgettext (gettext) is missing")
        pytest.skip("xgettext (gettext) is not installed")
    root = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns("locale", "__pycache__")
    shutil.copytree(root / "registry", tmp_path / "registry", ignore=ignore)
    shutil.copytree(root / "config", tmp_path / "config", ignore=ignore)
    (tmp_path / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
            call_command("makemessages", locale=["fr"], verbosity=0)
    finally:
        os.chdir(cwd)
    extracted = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    marked = {(e.msgid, e.msgid_plural) for e in extracted}
    for language in LANGUAGES:
        committed = {(e.msgid, e.msgid_plural) for e in catalogue(language) if not e.obsolete}
        assert sorted(marked - committed) == [], f"missing from {language}: run `make messages`"
        assert sorted(committed - marked) == [], f"stale in {language}: run `make messages`"


@pytest.mark.parametrize(
    ("language", "english", "expected"),
    [
        ("es", "presidency pro tempore", "Presidencia Pro Tempore"),
        ("fr", "presidency pro tempore", "présidence pro tempore"),
        (
            "es",
            "Regional Consultative Processes on Migration",
            "Procesos Consultivos Regionales sobre Migración",
        ),
        (
            "fr",
            "Regional Consultative Processes on Migration",
            "Processus consultatifs régionaux sur la migration",
        ),
        ("es", "Mission with Regional Functions", "Misión con Funciones Regionales"),
        (
            "fr",
            "capacity-building and technical cooperation",
            "renforcement des capacités et coopération technique",
        ),
    ],
)
def test_the_field_vocabulary(language, english, expected):
    with translation.override(language):
        assert translation.gettext(english) == expected


@pytest.mark.django_db
def test_the_report_gives_the_coverage_and_the_names_missing(capsys):
    call_command("translations", strict=True)
    out = capsys.readouterr().out
    for language in LANGUAGES:
        total = len([e for e in catalogue(language) if not e.obsolete])
        assert f"  {language}: {total}/{total} entries translated (100.0%), 0 fuzzy" in out
    spanish = out.split("Names in es:")[1]
    assert "processes (name): 13/17 (13 cited aliases)" in spanish
    assert "Manila Process (Manila Process)" in spanish.split("processes without a name")[1].split("\n")[0]
    assert "states and territories: " in spanish and "CLDR" in spanish
    assert re.search(r"organizations' acronyms: \d+/\d+ cited in es \(the others keep theirs\)", spanish)
