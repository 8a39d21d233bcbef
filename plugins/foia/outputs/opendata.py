"""Open data: every published decision's public fields as JSON and CSV, with schemas, and a
Frictionless data package (datapackage.json) describing the CSV with a Table Schema.

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

from foia.outputs import documents as docs
from foia.outputs.common import absolute_url, london_midnight
from foia.outputs.identity import OGL_NAME, OGL_TITLE, OGL_URL, Identity
from foia.rules import records
from foia.rules.plan import Document, Plan
from foia.rules.records import Record
from foia.rules.state import publication_date

JSON_FILE = "decisions.json"
CSV_FILE = "decisions.csv"
RECORD_SCHEMA_FILE = "record.schema.json"
EXPORT_SCHEMA_FILE = "decisions.schema.json"
DATAPACKAGE_FILE = "datapackage.json"
LIST_SEPARATOR = "; "  # between the items of a list in a CSV cell
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string | date | bool | string-list | url | url-list
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
    Column("documents", "url-list", False,
           "Addresses of the documents published with the decision (such as the signed decision form), "
           "in the order its Part 1 links them."),
)


def row(record: Record, *, site_url: str | None, first_published: dict[str, dt.date],
        documents: list[Document] = ()) -> dict[str, Any]:
    values = record.public_fields()
    values["published"] = publication_date(record, first_published).isoformat()
    values["url"] = absolute_url(site_url, record.url)
    values["documents"] = [docs.url(d, site_url) for d in documents]
    return {c.name: values.get(c.name) for c in COLUMNS}


def rows(plan: Plan, *, site_url: str | None, first_published: dict[str, dt.date]) -> list[dict[str, Any]]:
    """Newest first, like every listing."""
    return [row(r, site_url=site_url, first_published=first_published, documents=docs.documents(plan, r))
            for r in plan.public]


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
        return LIST_SEPARATOR.join(value)
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
    "url-list": {"type": "array", "items": {"type": "string", "minLength": 1}},
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


# Table Schema (Frictionless) field of each column kind, as written in the CSV.
_TABLE_FIELDS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "date": {"type": "date", "format": "default"},
    "bool": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "string-list": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "url-list": {"type": "string"},
}


def table_schema() -> dict[str, Any]:
    """The Table Schema of decisions.csv, generated from COLUMNS like the JSON schemas."""
    fields = []
    for c in COLUMNS:
        f: dict[str, Any] = {"name": c.name, **_TABLE_FIELDS[c.kind], "description": c.description}
        if c.kind in ("string-list", "url-list"):
            f["description"] += f" Several values are separated by {LIST_SEPARATOR!r}."
        constraints = {}
        if c.required:
            constraints["required"] = True
        if c.name == "reference":
            constraints["unique"] = True
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    return {"fields": fields, "primaryKey": ["reference"], "missingValues": [""]}


def datapackage(plan: Plan, *, identity: Identity, site_url: str | None, count: int) -> dict[str, Any]:
    """A Frictionless Data Package (v1) describing decisions.csv; paths are relative to it."""
    licence = {"name": OGL_NAME, "path": OGL_URL, "title": OGL_TITLE}
    slug = records.slugify(identity.short_name) or "decisions"
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"{slug}-decisions",
        "title": f"Decisions of the {identity.name}",
        "description": (f"Every decision of the {identity.name} whose Part 1 is published on this site, with its "
                        "public fields (never a Part 2 form, never a decision whose publication is deferred). "
                        f"{count} decision{'s' if count != 1 else ''} as of {plan.day.isoformat()}."),
        "licenses": [licence],
        "created": london_midnight(plan.day),
        "contributors": [{"title": identity.name, "role": "publisher", **({"path": identity.url} if identity.url else {}),
                          **({"email": identity.email} if identity.email else {})}],
        "keywords": ["decisions", "police and crime", "freedom of information"],
        "resources": [{
            "name": "decisions",
            "path": CSV_FILE,
            "profile": "tabular-data-resource",
            "title": "Published decisions",
            "description": "One row per published decision, newest first.",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": True,
                        "header": True},
            "schema": table_schema(),
            "licenses": [licence],
        }],
    }
    if site_url:
        package["homepage"] = site_url
    return package


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(plan: Plan, site_dir: Path, *, site_url: str | None, first_published: dict[str, dt.date],
          identity: Identity | None = None) -> list[Path]:
    table = rows(plan, site_url=site_url, first_published=first_published)
    identity = identity or Identity(name="Decisions", short_name="Decisions")
    files = {
        JSON_FILE: render_json(table),
        CSV_FILE: render_csv(table),
        RECORD_SCHEMA_FILE: _dump(records.json_schema()),
        EXPORT_SCHEMA_FILE: _dump(export_schema()),
        DATAPACKAGE_FILE: _dump(datapackage(plan, identity=identity, site_url=site_url, count=len(table))),
    }
    written = []
    for name, data in files.items():
        (site_dir / name).write_bytes(data)
        written.append(site_dir / name)
    return written
