"""The export formats, written as streams of text or bytes: one JSON document, or a zip of CSV
files. Both name their sources and the day they were made; both are stable (rows by id, keys in
a fixed order), so two exports of the same registry on the same day are byte-identical."""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from .. import models as m
from ..spreadsheets import csv_cell
from .tables import SCHEMA_VERSION, sections

ABOUT = (
    "The RCP Registry: the Regional Consultative Processes on Migration, their participants, "
    "secretariats, themes and IOM's role, each fact cited to its source."
)


def header(as_of: date | None, made_on: date | None = None) -> dict:
    sources = m.SourceDocument.objects.order_by("pk")
    return {
        "schema_version": SCHEMA_VERSION,
        "about": ABOUT,
        "made_on": (made_on or timezone.localdate()).isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
        "scope": (
            "complete"
            if as_of is None
            else "the participations, IOM roles and events valid on the day; the other tables complete"
        ),
        "sources": [source.reference for source in sources],
    }


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_document(as_of: date | None = None, made_on: date | None = None) -> Iterator[str]:
    """{"schema_version", "about", "made_on", "as_of", "scope", "sources", "tables": {name:
    {"columns": [...], "rows": [[...], ...]}}}, one row a line."""
    meta = header(as_of, made_on)
    yield dumps(meta)[:-1] + ',"tables":{'
    for index, (name, columns, records) in enumerate(sections(as_of)):
        yield f'{"," if index else ""}\n{dumps(name)}:{{"columns":{dumps(columns)},"rows":['
        for number, record in enumerate(records):
            yield f"{',' if number else ''}\n{dumps(record)}"
        yield "]}"
    yield "}}\n"


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (zipfile writes to it)."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def csv_lines(columns, records) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(columns)
    for record in records:
        writer.writerow([csv_cell(value) for value in record])  # formulas escaped, as the pages do
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_zip(as_of: date | None = None, made_on: date | None = None) -> Iterator[bytes]:
    """A zip of one CSV file a table (UTF-8, RFC 4180, a header row) and README.json (the
    document's header), streamed: each file is compressed as its rows are read."""
    pipe = _Pipe()
    made = made_on or timezone.localdate()
    stamp = (made.year, made.month, made.day, 0, 0, 0)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("README.json", date_time=stamp)
        archive.writestr(info, json.dumps(header(as_of, made_on), ensure_ascii=False, indent=2))
        yield pipe.take()
        for name, columns, records in sections(as_of):
            info = zipfile.ZipInfo(f"{name}.csv", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for text in csv_lines(columns, records):
                    member.write(text.encode("utf-8"))
                    yield pipe.take()
    yield pipe.take()
