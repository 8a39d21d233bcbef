"""Open data: every published decision's public fields as JSON and CSV, with schemas.

Rows come from the plan's public records only, so a withheld decision is not in the
files at all (not even as a row without text). Columns are documented once, here; the
Open data page renders its field list from COLUMNS.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foia.outputs.common import absolute_url
from foia.rules import records
from foia.rules.plan import Plan
from foia.rules.records import Record
from foia.rules.state import publication_date

JSON_FILE = "decisions.json"
CSV_FILE = "decisions.csv"
RECORD_SCHEMA_FILE = "record.schema.json"
EXPORT_SCHEMA_FILE = "decisions.schema.json"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string | date | bool | string-list | url
    required: bool
    description: str


def _field(name: str) -> Column:
    f = records.FIELDS_BY_NAME[name]
    return Column(f.name, f.kind, f.required, f.description)


COLUMNS: tuple[Column, ...] = (
    *(_field(f.name) for f in records.FIELDS),
    Column("published", "date", True,
           "Publication date: the day the Part 1 was first published on this site (YYYY-MM-DD)."),
    Column("url", "url", True, "Address of the decision's Part 1 page."),
)


def row(record: Record, *, site_url: str | None, first_published: dict[str, dt.date]) -> dict[str, Any]:
    values = record.public_fields()
    values["published"] = publication_date(record, first_published).isoformat()
    values["url"] = absolute_url(site_url, record.url)
    return {c.name: values.get(c.name) for c in COLUMNS}


def rows(plan: Plan, *, site_url: str | None, first_published: dict[str, dt.date]) -> list[dict[str, Any]]:
    """Newest first, like every listing."""
    return [row(r, site_url=site_url, first_published=first_published) for r in plan.public]


def render_json(table: list[dict[str, Any]]) -> bytes:
    doc = {
        "export_version": EXPORT_VERSION,
        "schema": EXPORT_SCHEMA_FILE,
        "count": len(table),
        "fields": [c.name for c in COLUMNS],
        "decisions": table,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def render_csv(table: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([c.name for c in COLUMNS])
    for values in table:
        writer.writerow([_cell(values[c.name]) for c in COLUMNS])
    return out.getvalue().encode("utf-8")


_JSON_TYPES = {
    "string": {"type": ["string", "null"]},
    "date": {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "bool": {"type": "boolean"},
    "string-list": {"type": "array", "items": {"type": "string"}},
    "url": {"type": "string", "minLength": 1},
}


def export_schema() -> dict[str, Any]:
    """JSON Schema of decisions.json, generated from COLUMNS like the record schema."""
    columns = {c.name: {**_JSON_TYPES[c.kind], "description": c.description} for c in COLUMNS}
    for c in COLUMNS:
        if c.required and c.kind in ("string", "date"):
            columns[c.name]["type"] = "string"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EXPORT_SCHEMA_FILE,
        "title": "Published decisions (open data export)",
        "type": "object",
        "required": ["export_version", "count", "fields", "decisions"],
        "properties": {
            "export_version": {"const": EXPORT_VERSION},
            "schema": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "fields": {"type": "array", "items": {"enum": [c.name for c in COLUMNS]}},
            "decisions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [c.name for c in COLUMNS],
                    "properties": columns,
                },
            },
        },
    }


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(plan: Plan, site_dir: Path, *, site_url: str | None, first_published: dict[str, dt.date]) -> list[Path]:
    table = rows(plan, site_url=site_url, first_published=first_published)
    files = {
        JSON_FILE: render_json(table),
        CSV_FILE: render_csv(table),
        RECORD_SCHEMA_FILE: _dump(records.json_schema()),
        EXPORT_SCHEMA_FILE: _dump(export_schema()),
    }
    written = []
    for name, data in files.items():
        (site_dir / name).write_bytes(data)
        written.append(site_dir / name)
    return written
