"""The downloads of the whole registry, one entry each: the API's /api/export/<file> and
`manage.py export --format <format>` both dispatch through DOWNLOADS."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from . import country_year
from .formats import csv_lines, csv_zip, json_document
from .popolo import popolo_document


@dataclass(frozen=True)
class Download:
    file_name: str  # as the API names it: "registry.json"
    format: str  # as the command names it: "json"
    content_type: str
    description: str
    write: Callable[[date | None, str], Iterator[bytes]]

    def stream(self, as_of: date | None = None, base_url: str = "") -> Iterator[bytes]:
        """The download's bytes, as they are made; base_url roots the links of the Popolo export."""
        return self.write(as_of, base_url)

    def attachment_name(self, day: date) -> str:
        stem, extension = self.file_name.split(".")
        return f"rcp-{stem}-{day.isoformat()}.{extension}"

    @property
    def http_content_type(self) -> str:
        return (
            f"{self.content_type}; charset=utf-8"
            if self.content_type in ("application/json", "text/csv")
            else self.content_type
        )


def _encoded(chunks: Iterator[str]) -> Iterator[bytes]:
    return (chunk.encode() for chunk in chunks)


DOWNLOADS = {
    download.file_name: download
    for download in (
        Download(
            "registry.json",
            "json",
            "application/json",
            "The whole registry as one JSON document: its tables, columns and rows by id, with a "
            "schema version; `manage.py import` reads it back.",
            lambda as_of, base_url: _encoded(json_document(as_of)),
        ),
        Download(
            "registry.zip",
            "csv",
            "application/zip",
            "One CSV file a table (UTF-8, RFC 4180, a header row) and README.json, in a zip.",
            lambda as_of, base_url: csv_zip(as_of),
        ),
        Download(
            "popolo.json",
            "popolo",
            "application/json",
            "Popolo JSON: processes, states and organizations as organizations; participations as "
            "memberships with role, dates and sources.",
            lambda as_of, base_url: _encoded(popolo_document(as_of, base_url=base_url)),
        ),
        Download(
            "country-year.csv",
            "country-year",
            "text/csv",
            "One row per state, process and year (the Correlates of War IGO data's dyadic shape), "
            "from the earliest year a process was established to the as-of year: status 1 full "
            "member, 3 observer, 0 not a participant, -1 process not yet established, -9 no source "
            "by then; with the registry's roles and the sources.",
            lambda as_of, base_url: _encoded(csv_lines(country_year.COLUMNS, country_year.rows(as_of))),
        ),
    )
}
DOWNLOADS_BY_FORMAT = {download.format: download for download in DOWNLOADS.values()}
