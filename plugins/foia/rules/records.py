"""The decision record: schema version 1, parsing and validation.

A record is one Markdown file under ``decisions/`` whose YAML front matter holds the
facts of the signed form. Anything malformed, ambiguous or unknown is an error that
names the file and the key, and a record with any error is never published.

This module knows nothing of MkDocs: the plugin, the command line and the tests all
call the same plain functions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

SCHEMA_VERSION = 1
DECISIONS_DIR = "decisions"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "string", "date", "bool", "string-list"
    required: bool
    description: str


# The single source of truth for the front matter. The JSON Schema is generated from
# this table (see json_schema()), so the editor schema and the validator cannot drift.
FIELDS: tuple[Field, ...] = (
    Field("reference", "string", True, "Unique decision reference, written as on the form: letters, year, number (e.g. 'DMPCD YYYY NNN')."),
    Field("title", "string", True, "Title of the decision as on the form."),
    Field("approved", "date", True, "Approval date: the date the decision maker signed (YYYY-MM-DD)."),
    Field("decision_maker", "string", True, "Who took the decision, e.g. 'Deputy Mayor for Policing and Crime'."),
    Field("summary", "string", False, "One-paragraph summary for listings."),
    Field("deferred", "bool", True, "Is the publication of this form to be deferred?"),
    Field("deferred_reason", "string", False, "Why publication is deferred. Required when deferred is true, forbidden otherwise."),
    Field("deferred_until", "date", False, "Until what date publication is deferred, if known. Only when deferred is true."),
    Field("part2", "bool", True, "Is there a Part 2 form?"),
    Field("part2_reason", "string", False, "Why there is a Part 2 form. Required when part2 is true, forbidden otherwise."),
    Field("tags", "string-list", False, "Topics for listings and filters."),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RecordError(Exception):
    """One problem with one file, named by its path and (where there is one) its key."""

    def __init__(self, path: str, key: str | None, message: str):
        self.path = path
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: " + (f"key '{self.key}': " if self.key else "")
        return where + self.message


@dataclass(frozen=True)
class Record:
    path: str  # relative to the docs dir, POSIX separators
    reference: str
    title: str
    approved: dt.date
    decision_maker: str
    deferred: bool
    part2: bool
    body: str
    summary: str | None = None
    deferred_reason: str | None = None
    deferred_until: dt.date | None = None
    part2_reason: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.reference)

    @property
    def year(self) -> int:
        return self.approved.year

    @property
    def url(self) -> str:
        """Site-relative URL of the Part 1 page, stable and derived from the reference."""
        return f"{DECISIONS_DIR}/{self.year}/{self.slug}/"

    def public_fields(self) -> dict[str, Any]:
        """The fields that may appear in any public output (never body text)."""
        return {
            "reference": self.reference,
            "title": self.title,
            "approved": self.approved.isoformat(),
            "decision_maker": self.decision_maker,
            "summary": self.summary,
            "deferred": self.deferred,
            "deferred_reason": self.deferred_reason,
            "deferred_until": self.deferred_until.isoformat() if self.deferred_until else None,
            "part2": self.part2,
            "part2_reason": self.part2_reason,
            "tags": list(self.tags),
            "url": self.url,
        }


def slugify(reference: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reference.casefold()).strip("-")
    return slug


# ----------------------------------------------------------------------------- YAML


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 3x faster
    """SafeLoader that refuses ambiguity: duplicate keys are errors, dates stay text so
    they can be checked per key, and only true/false are booleans (not yes/no/on/off)."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (listed twice)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)



def strict_yaml(text: str) -> Any:
    """YAML without guesses: dates stay text, only true/false are booleans, no repeated key."""
    return yaml.load(text, Loader=_StrictLoader)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file, or a RecordError saying where the bad bytes are."""
    if not data.strip():
        raise RecordError(path, None, "file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise RecordError(
            path, None, f"is not valid UTF-8 (byte {e.start}, line {line}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def split_front_matter(path: str, text: str) -> tuple[dict[str, Any], str]:
    """Front matter mapping and body. Raises RecordError on any YAML problem."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise RecordError(path, None, "has no YAML front matter (the file must start with a '---' line)")
    try:
        meta = strict_yaml(match.group(1) or "")
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise RecordError(path, None, f"YAML syntax error in front matter{where}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordError(path, None, "front matter must be a mapping of keys to values")
    return meta, text[match.end():]


# ------------------------------------------------------------------------ validation


def _check_value(path: str, f: Field, value: Any) -> tuple[Any, list[RecordError]]:
    if f.kind == "string":
        if not isinstance(value, str):
            return None, [RecordError(path, f.name, f"must be text, got {_describe(value)}")]
        if not value.strip():
            return None, [RecordError(path, f.name, "must not be empty")]
        return value.strip(), []
    if f.kind == "bool":
        if not isinstance(value, bool):
            return None, [RecordError(path, f.name, f"must be true or false, got {_describe(value)}")]
        return value, []
    if f.kind == "date":
        text = value if isinstance(value, str) else None
        if text is None or not _ISO_DATE.match(text.strip()):
            return None, [
                RecordError(path, f.name, f"must be a date written YYYY-MM-DD, got {_describe(value)}")
            ]
        try:
            return dt.date.fromisoformat(text.strip()), []
        except ValueError:
            return None, [RecordError(path, f.name, f"is not a real date: {text.strip()!r}")]
    if f.kind == "string-list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, [RecordError(path, f.name, f"must be a list of non-empty text items, got {_describe(value)}")]
        if len({v.strip().casefold() for v in value}) != len(value):
            return None, [RecordError(path, f.name, "lists the same tag twice")]
        return tuple(v.strip() for v in value), []
    raise AssertionError(f.kind)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    kind = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return f"{kind.get(type(value), type(value).__name__)} {value!r}"


def validate(path: str, meta: dict[str, Any], body: str) -> tuple[Record | None, list[RecordError]]:
    """Check one record's front matter; every problem is reported, not only the first."""
    errors: list[RecordError] = []
    values: dict[str, Any] = {}
    for key in meta:
        if not isinstance(key, str) or key not in FIELDS_BY_NAME:
            hint = difflib.get_close_matches(str(key).lower().replace("-", "_"), FIELDS_BY_NAME, n=1, cutoff=0.6)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            errors.append(RecordError(path, str(key), f"unknown key{suggestion}; allowed keys: {', '.join(FIELDS_BY_NAME)}"))
    for f in FIELDS:
        if f.name not in meta:
            if f.required:
                errors.append(RecordError(path, f.name, "is required but missing"))
            continue
        value, problems = _check_value(path, f, meta[f.name])
        errors.extend(problems)
        if not problems:
            values[f.name] = value

    deferred = values.get("deferred")
    if deferred is True and "deferred_reason" not in meta:
        errors.append(RecordError(path, "deferred_reason", "is required when deferred is true"))
    if deferred is False:
        for key in ("deferred_reason", "deferred_until"):
            if key in meta:
                errors.append(RecordError(path, key, "is only allowed when deferred is true"))
    part2 = values.get("part2")
    if part2 is True and "part2_reason" not in meta:
        errors.append(RecordError(path, "part2_reason", "is required when part2 is true"))
    if part2 is False and "part2_reason" in meta:
        errors.append(RecordError(path, "part2_reason", "is only allowed when part2 is true"))
    approved, until = values.get("approved"), values.get("deferred_until")
    if approved and until and until < approved:
        errors.append(
            RecordError(path, "deferred_until", f"{until.isoformat()} is earlier than the approval date {approved.isoformat()}")
        )
    if not body.strip():
        errors.append(RecordError(path, None, "has no Part 1 text after the front matter"))

    reference = values.get("reference")
    if reference is not None:
        if not slugify(reference):
            errors.append(RecordError(path, "reference", "must contain letters or digits"))
        elif approved is not None:
            expected = f"{DECISIONS_DIR}/{approved.year}/{slugify(reference)}.md"
            if path != expected:
                errors.append(
                    RecordError(
                        path,
                        "reference",
                        f"a record with reference {reference!r} approved in {approved.year} must be stored as "
                        f"'{expected}', so that its URL is stable",
                    )
                )
    if errors:
        return None, errors
    return Record(path=path, body=body, **values), []


def parse_record(path: str, data: bytes) -> tuple[Record | None, list[RecordError]]:
    try:
        meta, body = split_front_matter(path, decode(path, data))
    except RecordError as e:
        return None, [e]
    return validate(path, meta, body)


# ------------------------------------------------------------------------ JSON Schema

_JSON_TYPES = {
    "string": {"type": "string", "minLength": 1, "pattern": r"\S"},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "bool": {"type": "boolean"},
    "string-list": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the front matter, generated from FIELDS."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "record.schema.json",
        "title": f"Decision record front matter, schema version {SCHEMA_VERSION}",
        "description": "Front matter of content/decisions/<year>/<slug>.md. Dates are YYYY-MM-DD, quoted or not.",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in FIELDS if f.required],
        "properties": {f.name: {**_JSON_TYPES[f.kind], "description": f.description} for f in FIELDS},
        "allOf": [
            {
                "if": {"properties": {"deferred": {"const": True}}},
                "then": {"required": ["deferred_reason"]},
                "else": {"not": {"anyOf": [{"required": ["deferred_reason"]}, {"required": ["deferred_until"]}]}},
            },
            {
                "if": {"properties": {"part2": {"const": True}}},
                "then": {"required": ["part2_reason"]},
                "else": {"not": {"required": ["part2_reason"]}},
            },
        ],
    }
