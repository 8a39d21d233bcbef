"""The decision record: schema version 1, parsing and validation.

A record is one Markdown file under ``decisions/`` whose YAML front matter holds the
facts of the signed form. Anything malformed, ambiguous or unknown is an error that
names the file and the key, and a record with any error is never published.

Limits keep a bad file from crashing or swamping a build, each an error naming the file
and key: a record is at most MAX_RECORD_BYTES and its front matter MAX_FRONT_MATTER_BYTES;
YAML anchors and aliases are refused and nesting stops at MAX_YAML_DEPTH (both checked on
the parser's events, before anything is built, so an alias bomb or 100,000 nested brackets
cost nothing); keys must be text; text fields have a maximum length (MAX_LENGTHS), tags a
maximum number and length; dates lie between 1900-01-01 and 2200-12-31 (dates.py); and a
reference may not take a slug the site uses for its own pages (RESERVED_SLUGS).

The body's HTML comments are removed (the published Part 1 is ``Record.body``), markup
that hides text is an error naming the line, and the body's links are kept for the plan
(markup.py).

This module knows nothing of MkDocs: the plugin, the command line and the tests all
call the same plain functions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

import yaml

from foia.rules import markup
from foia.rules.dates import DateError, parse_day

SCHEMA_VERSION = 1
DECISIONS_DIR = "decisions"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what the generator renders as a page

MAX_RECORD_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_YAML_DEPTH = 20
MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_LENGTHS = {"reference": 60, "title": 500, "decision_maker": 200, "summary": 5000,
               "deferred_reason": 5000, "part2_reason": 5000}
# A record's page is decisions/<year>/<slug>/: these would replace the year's listing.
RESERVED_SLUGS = frozenset({"index", "readme"})


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

    def __reduce__(self):  # picklable, for records parsed in another process
        return RecordError, (self.path, self.key, self.message)


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
    # Links and embedded files of the Part 1 body, in order (markup.Link).
    links: tuple[markup.Link, ...] = ()

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


def file_slug(path: str) -> str:
    """The slug a record file claims by its name: the one rule for a record that could not
    be read (its reference unknown), e.g. 'decisions/2016/dmpcd-2016-031.md' -> 'dmpcd-2016-031'."""
    return slugify(PurePosixPath(path).stem)


def page_url(path: str) -> str:
    """Site-relative URL of a Markdown file's page ('decisions/2016/x.md' -> 'decisions/2016/x/')."""
    return f"{PurePosixPath(path).with_suffix('').as_posix()}/"


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


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


class YamlRefused(yaml.MarkedYAMLError):
    """Well-formed YAML the rules do not take: anchors, aliases, deep nesting, keys that are
    not text."""


class NonTextKey(YamlRefused):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise NonTextKey(problem="a key must be text, not a list or mapping", problem_mark=key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (listed twice)", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)



def _check_shape(text: str) -> None:
    """Refuse anchors, aliases, nesting deeper than MAX_YAML_DEPTH and keys that are not
    text, reading the parser's events one by one, before anything is built from them."""
    open_nodes: list[list[Any]] = []  # [is a mapping, nodes seen so far] of each open collection
    for event in yaml.parse(text, Loader=_StrictLoader):
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.CollectionEndEvent) and open_nodes:
                open_nodes.pop()
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(problem=f"YAML aliases (*{event.anchor}) are not allowed: write the value out",
                              problem_mark=event.start_mark)
        if event.anchor is not None:
            raise YamlRefused(problem=f"YAML anchors (&{event.anchor}) are not allowed: write the value out",
                              problem_mark=event.start_mark)
        if open_nodes:
            parent = open_nodes[-1]
            if parent[0] and parent[1] % 2 == 0 and not isinstance(event, yaml.ScalarEvent):
                raise NonTextKey(problem="a key must be text, not a list or mapping", problem_mark=event.start_mark)
            parent[1] += 1
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_nodes) >= MAX_YAML_DEPTH:
                raise YamlRefused(problem=f"nested more than {MAX_YAML_DEPTH} levels deep", problem_mark=event.start_mark)
            open_nodes.append([isinstance(event, yaml.MappingStartEvent), 0])


def strict_yaml(text: str) -> Any:
    """YAML without guesses: dates stay text, only true/false are booleans, no repeated key;
    no anchors or aliases, no deep nesting, keys are text (YamlRefused, a YAMLError)."""
    _check_shape(text)
    return yaml.load(text, Loader=_StrictLoader)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file, or a RecordError saying where the bad bytes are."""
    if not data.strip():
        raise RecordError(path, None, "file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise RecordError(path, None, f"is a binary file, not Markdown text (a NUL byte on line {line})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise RecordError(
            path, None, f"is not valid UTF-8 (byte {e.start}, line {line}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def front_matter_end(text: str) -> int | None:
    """Where the front matter block (``---`` ... ``---``) ends, or None if there is none."""
    match = _FRONT_MATTER.match(text)
    return match.end() if match else None


def split_front_matter(path: str, text: str) -> tuple[dict[str, Any], str]:
    """Front matter mapping and body. Raises RecordError on any YAML problem."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise RecordError(path, None, "has no YAML front matter (the file must start with a '---' line)")
    yaml_text = match.group(1) or ""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        raise RecordError(path, None, f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    try:
        meta = strict_yaml(yaml_text)
    except YamlRefused as e:
        key = None if isinstance(e, NonTextKey) else _key_at(yaml_text, e.problem_mark.line)
        raise RecordError(path, key, f"front matter line {e.problem_mark.line + 2}: {e.problem}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise RecordError(path, None, f"YAML syntax error in front matter{where}: {problem}") from None
    except RecursionError:  # defence in depth: _check_shape stops nesting long before this
        raise RecordError(path, None, f"front matter is nested more than {MAX_YAML_DEPTH} levels deep") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordError(path, None, "front matter must be a mapping of keys to values")
    return meta, text[match.end():]


def _key_at(yaml_text: str, line: int) -> str | None:
    """The top-level key whose value holds the given (0-based) line of front matter."""
    key = None
    for number, text in enumerate(yaml_text.splitlines()):
        if number > line:
            break
        if m := re.match(r"([A-Za-z_][\w-]*)\s*:", text):
            key = m.group(1)
    return key


# ------------------------------------------------------------------------ validation


def _check_value(path: str, f: Field, value: Any) -> tuple[Any, list[RecordError]]:
    if f.kind == "string":
        if not isinstance(value, str):
            return None, [RecordError(path, f.name, f"must be text, got {_describe(value)}")]
        if not value.strip():
            return None, [RecordError(path, f.name, "must not be empty")]
        if len(value.strip()) > MAX_LENGTHS[f.name]:
            return None, [RecordError(path, f.name, f"is {len(value.strip())} characters long; "
                                                    f"at most {MAX_LENGTHS[f.name]} are allowed")]
        return value.strip(), []
    if f.kind == "bool":
        if not isinstance(value, bool):
            return None, [RecordError(path, f.name, f"must be true or false, got {_describe(value)}")]
        return value, []
    if f.kind == "date":
        if not isinstance(value, str):
            return None, [RecordError(path, f.name, f"must be a date written YYYY-MM-DD, got {_describe(value)}")]
        try:
            return parse_day(value, f.name), []
        except DateError as e:
            return None, [RecordError(path, f.name, e.problem)]
    if f.kind == "string-list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, [RecordError(path, f.name, f"must be a list of non-empty text items, got {_describe(value)}")]
        if len(value) > MAX_TAGS:
            return None, [RecordError(path, f.name, f"lists {len(value)} tags; at most {MAX_TAGS} are allowed")]
        if long := [v.strip() for v in value if len(v.strip()) > MAX_TAG_LENGTH]:
            return None, [RecordError(path, f.name, f"tag {_short(long[0])} is longer than {MAX_TAG_LENGTH} characters")]
        if len({v.strip().casefold() for v in value}) != len(value):
            return None, [RecordError(path, f.name, "lists the same tag twice")]
        return tuple(v.strip() for v in value), []
    raise AssertionError(f.kind)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    kind = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return f"{kind.get(type(value), type(value).__name__)} {_short(value)}"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...'"


def validate(path: str, meta: dict[str, Any], body: str) -> tuple[Record | None, list[RecordError]]:
    """Check one record's front matter; every problem is reported, not only the first."""
    errors: list[RecordError] = []
    values: dict[str, Any] = {}
    for key in meta:
        if not isinstance(key, str):
            errors.append(RecordError(path, _short(key), "a key must be text"))
        elif key not in FIELDS_BY_NAME:
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
        elif slugify(reference) in RESERVED_SLUGS:
            errors.append(RecordError(path, "reference", f"{reference!r} gives the slug {slugify(reference)!r}, which "
                                                         "the site keeps for its own pages (a year's listing)"))
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


def parse_record(path: str, data: bytes, renderer: markup.Renderer | None = None
                 ) -> tuple[Record | None, list[RecordError]]:
    """A record from a file's bytes, or every problem found in it. The record's body is its
    published Part 1: HTML comments removed."""
    if len(data) > MAX_RECORD_BYTES:
        return None, [RecordError(path, None, f"is {len(data):,} bytes; a record may be at most "
                                              f"{MAX_RECORD_BYTES // 1024 // 1024} MiB")]
    try:
        text = decode(path, data)
        meta, body = split_front_matter(path, text)
    except RecordError as e:
        return None, [e]
    first_line = text[: len(text) - len(body)].count("\n") + 1
    lines_kept = markup.strip_comments(body, keep_lines=True)[0]  # for line numbers as in the file
    body, problems = clean_body(path, body, first_line)
    if problems:  # an unterminated comment: nothing after it can be told apart
        return None, problems
    record, errors = validate(path, meta, body)
    html = (renderer or markup.Renderer()).html(body)
    errors += hidden_markup_errors(path, lines_kept, html, first_line)
    if errors:
        return None, errors
    return _with_links(record, html), []


def clean_body(path: str, body: str, first_line: int) -> tuple[str, list[RecordError]]:
    """A Markdown body without its HTML comments; an unterminated one is an error naming
    the line (counted in the file, whose body starts at first_line)."""
    cleaned, open_at = markup.strip_comments(body)
    if open_at is None:
        if (costly := markup.too_costly(cleaned)) is not None:
            kept = markup.strip_comments(body, keep_lines=True)[0]
            line = first_line - 1 + (markup.too_costly(kept) or costly)
            return body, [RecordError(path, None, f"line {line}: more than {markup.MAX_BRACKETS_PER_BLOCK:,} '[' in "
                                                  "one paragraph; Markdown cannot render that in reasonable time")]
        return cleaned, []
    kept, kept_at = markup.strip_comments(body, keep_lines=True)
    line = first_line + (kept[:kept_at].count("\n") if kept_at is not None else cleaned[:open_at].count("\n"))
    return body, [RecordError(path, None, f"line {line}: an HTML comment ('<!--') is never closed with '-->'")]


def hidden_markup_errors(path: str, body: str, html: str, first_line: int) -> list[RecordError]:
    """Hiding markup in the rendered body, each at its line (body: with comments blanked
    but their line breaks kept, so lines count as in the file)."""
    return [RecordError(path, None, f"line {first_line - 1 + markup.line_of(body, h.needles)}: {h.what} can hide "
                                    "text from readers; a record's Part 1 is published as written, so write it "
                                    "plainly or leave it out")
            for h in markup.hidden_markup(html)]


def _with_links(record: Record, html: str) -> Record:
    found = tuple(markup.links(html))
    return replace(record, links=found) if found else record


# ------------------------------------------------------------------------ JSON Schema

_JSON_TYPES = {
    "string": {"type": "string", "minLength": 1, "pattern": r"\S"},
    # Years 1900 to 2200, as dates.parse_day accepts.
    "date": {"type": "string", "format": "date", "pattern": r"^(?:19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"},
    "bool": {"type": "boolean"},
    "string-list": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": MAX_TAG_LENGTH},
                    "uniqueItems": True, "maxItems": MAX_TAGS},
}


def _json_property(f: Field) -> dict[str, Any]:
    limit = {"maxLength": MAX_LENGTHS[f.name]} if f.name in MAX_LENGTHS else {}
    return {**_JSON_TYPES[f.kind], **limit, "description": f.description}


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
        "properties": {f.name: _json_property(f) for f in FIELDS},
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
