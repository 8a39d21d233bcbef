"""``foia``: the comms team's commands (import, new, status, publish, check, build).

The project is found from ``-f/--config`` (default ./mkdocs.yml): the content folder is its
``docs_dir`` and the ledger its foia plugin's ``ledger`` option. Builds run MkDocs in a
child process, so this module never imports MkDocs.

Exit status: 0 success; 1 the command ran and found a problem (overdue decisions, invalid
content, a form that cannot be imported, a failed build); 2 it could not run (bad
arguments, no mkdocs.yml, a malformed ledger).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from foia import __version__
from foia.commands.importer.answers import parse_uk_date
from foia.commands.importer.batch import ImportPlan, Outcome, plan_import, write_all
from foia.commands.newrecord import (
    check_record,
    format_record,
    next_reference,
    normalise_reference,
    record_path,
    references_in_use,
    write_record,
)
from foia.commands.status import build_report, render_text
from foia.rules.content import load_content
from foia.rules.dates import AS_OF_ENV, london_today, parse_day, resolve_as_of
from foia.rules.ledger import (
    LEDGER_ENV,
    LedgerError,
    check_against_records,
    dump_ledger,
    load_first_published,
    with_new_publications,
    write_ledger,
)
from foia.rules.plan import build_plan

DEFAULT_LEDGER = "content/publication-log.yml"
# The configuration when -f is not given (scripts/foia sets it to the project's mkdocs.yml).
CONFIG_ENV = "FOIA_CONFIG"


class CliError(Exception):
    """A reason the command could not run (exit status 2)."""


# ----------------------------------------------------------------------------- project


@dataclass(frozen=True)
class Project:
    config_file: Path
    root: Path
    docs_dir: Path
    ledger: Path


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its paths only: tags such as !ENV or !!python/name are ignored."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_project(config: str | Path) -> Project:
    config_file = Path(config).resolve()
    if not config_file.is_file():
        raise CliError(f"{config}: no such MkDocs configuration file (use -f/--config PATH)")
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise CliError(f"{config_file}: cannot read the MkDocs configuration: {e}") from None
    if not isinstance(data, dict):
        raise CliError(f"{config_file}: the MkDocs configuration must be a mapping")
    root = config_file.parent
    docs_dir = data.get("docs_dir") or "docs"
    options = _foia_options(data.get("plugins"))
    if options is None:
        raise CliError(f"{config_file}: the 'foia' plugin is not listed under 'plugins'")
    ledger = options.get("ledger") or DEFAULT_LEDGER
    return Project(config_file, root, (root / str(docs_dir)).resolve(), (root / str(ledger)).resolve())


def _foia_options(plugins: Any) -> dict[str, Any] | None:
    items = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)) for p in plugins or []
    )
    for name, options in items:
        if name == "foia":
            return options if isinstance(options, dict) else {}
    return None


def _project(args: argparse.Namespace) -> Project:
    return load_project(args.config)


def _day(args: argparse.Namespace) -> dt.date:
    """--as-of wins; then FOIA_AS_OF; then today in London."""
    if getattr(args, "as_of", None):
        return args.as_of
    try:
        return resolve_as_of(None)
    except ValueError as e:
        raise CliError(str(e)) from None


def _as_of_type(text: str) -> dt.date:
    try:
        return parse_day(text, "--as-of")
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _ledger(project: Project) -> dict[str, dt.date]:
    try:
        return load_first_published(project.ledger)
    except LedgerError as e:
        raise CliError(str(e)) from None


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------- building


GENERATOR_ENV = "FOIA_GENERATOR"
GENERATORS = ("properdocs", "mkdocs")  # ProperDocs, the maintained fork of MkDocs 1.6, first


def generator(environ: dict[str, str] | None = None) -> str:
    """The generator that builds the site: FOIA_GENERATOR if set, else ProperDocs when it
    is installed, else MkDocs. Both run the same plugin and make the same pages."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(GENERATOR_ENV, "").strip()
    if chosen:
        if chosen not in GENERATORS:
            raise CliError(f"{GENERATOR_ENV} must be one of {', '.join(GENERATORS)}, not {chosen!r}")
        if importlib.util.find_spec(chosen) is None:
            raise CliError(f"{GENERATOR_ENV}={chosen}, but {chosen} is not installed")
        return chosen
    return next((name for name in GENERATORS if importlib.util.find_spec(name) is not None), "mkdocs")


def run_mkdocs_build(project: Project, day: dt.date | None, *, ledger_file: Path | None = None,
                     site_dir: str | None = None, extra: list[str] | None = None) -> int:
    """``build`` of the project by the installed generator (see generator()) in a child
    process; returns its exit status. ``extra``: more build options (``--strict``, ``-v``...)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if day is not None:
        env[AS_OF_ENV] = day.isoformat()
    if ledger_file is not None:
        env[LEDGER_ENV] = str(ledger_file)
    command = [sys.executable, "-m", generator(), "build", "-f", str(project.config_file)]
    if site_dir:
        command += ["--site-dir", site_dir]
    command += extra or []
    sys.stdout.flush()
    return subprocess.run(command, cwd=project.root, env=env).returncode


@contextlib.contextmanager
def publication_lock(project: Project):
    """One ``foia publish`` per ledger at a time, so two runs cannot both rewrite it. The lock
    file lives in the temp folder, not beside the ledger, so it never shows up in git."""
    name = hashlib.sha256(str(project.ledger).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"foia-publish-{name}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CliError(f"another foia publish is running for {_rel(project.ledger)}; try again later") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(project: Project, day: dt.date, out: TextIO | None = None) -> int:
    """Build as of ``day`` against the ledger that would result, and only if the build (and
    its leak scan and site swap) succeeds, write that ledger. Existing entries never change."""
    with publication_lock(project):
        return _publish(project, day, out or sys.stdout)


def _publish(project: Project, day: dt.date, out: TextIO) -> int:
    old = _ledger(project)
    plan = build_plan(load_content(project.docs_dir), day)
    new = with_new_publications(old, (r.reference for r in plan.public), day)
    added = sorted(set(new) - set(old))
    with tempfile.TemporaryDirectory(prefix="foia-ledger-") as tmp:
        pending = Path(tmp) / "publication-log.yml"
        pending.write_text(dump_ledger(new), encoding="utf-8")
        status = run_mkdocs_build(project, day, ledger_file=pending)
    if status != 0:
        print(f"foia publish: the build as of {day.isoformat()} failed; the site and the ledger "
              f"{_rel(project.ledger)} were not changed", file=sys.stderr)
        return 1
    if added:
        write_ledger(project.ledger, new)
        print(f"Published as of {day.isoformat()}; first publication recorded in {_rel(project.ledger)} for:", file=out)
        for reference in added:
            print(f"  {reference}", file=out)
    else:
        print(f"Published as of {day.isoformat()}; no decision became public, ledger unchanged.", file=out)
    for reference in sorted(set(old) - {r.reference for r in plan.public}):
        print(f"Note: the ledger lists {reference}, which is not public as of {day.isoformat()}.", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------- commands


def cmd_build(args: argparse.Namespace) -> int:
    project = _project(args)
    status = run_mkdocs_build(project, args.as_of, site_dir=args.site_dir, extra=args.mkdocs_options)
    return 0 if status == 0 else 1


def cmd_publish(args: argparse.Namespace) -> int:
    day, today = _day(args), london_today()
    if day > today:
        raise CliError(f"as of {day.isoformat()}: that is after today ({today.isoformat()}) in London; publish records "
                       "only what has happened (preview a later day with: foia build --as-of DATE)")
    return publish(_project(args), day)


def cmd_status(args: argparse.Namespace) -> int:
    project = _project(args)
    report = build_report(load_content(project.docs_dir), _ledger(project), _day(args))
    if args.json:
        json.dump(report.as_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(report))
    return 1 if report.failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    project = _project(args)
    content = load_content(project.docs_dir)
    problems = [str(e) for e in content.errors]
    warnings: list[str] = []
    try:
        ledger = load_first_published(project.ledger)
    except LedgerError as e:
        problems.append(str(e))
        ledger = {}
    for finding in check_against_records(ledger, content.records):
        (problems if finding.fatal else warnings).append(f"{_rel(project.ledger)}: {finding.message}")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {_rel(project.docs_dir)}; these records will not be published:",
              file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"OK: {len(content.records)} records, {len(content.part2_files)} Part 2 files, "
          f"{len(ledger)} ledger entries; no problems.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    docs = Path(args.content).resolve() if args.content else _project(args).docs_dir
    plan = plan_import(args.forms, docs, force=args.force, dry_run=args.dry_run)
    if plan.problems:
        print(f"foia import: {len(plan.problems)} problem(s); nothing was written:", file=sys.stderr)
        for p in plan.problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    if args.dry_run:
        for outcome in plan.outcomes:
            for write in outcome.writes:
                target = docs / write.rel_path
                exists = " (exists: --force would update it)" if target.exists() else ""
                print(f"# {outcome.form.form} -> {write.what} {_rel(target)}{exists} (dry run, not written)")
                if write.what == "record":
                    print(write.data.decode("utf-8"))
            for note in outcome.notes:
                print(f"# {note}")
        return 0
    write_all(docs, plan.writes)  # every file, or none; only then is anything printed
    for outcome in plan.outcomes:
        _report_import(outcome, docs, plan)
    return 0


def _report_import(outcome: Outcome, docs: Path, plan: ImportPlan) -> None:
    item = outcome.form
    for write in outcome.writes:
        target = _rel(docs / write.rel_path)
        if write.what == "record":
            print(f"Imported {item.reference} from {item.form} -> {target}")
        elif write.what == "signed form":
            print(f"  Signed form copied to {target}, linked from Part 1 (published with the record).")
        else:
            print(f"Stored the Part 2 form of {item.reference} from {item.form} -> {target} (never published).")
    for note in outcome.notes:
        print(f"  {note}")
    record = item.record
    if record is None:
        return
    if record.part2:
        part2_given = any(w.what == "Part 2 form" and o.form.reference == record.reference
                          for o in plan.outcomes for w in o.writes)
        if not part2_given:
            stem = _rel(docs / record.path).removesuffix(".md")
            print(f"  There is a Part 2 form: import it too (foia import PART2-FORM), or store it as {stem}.part2.md "
                  "(it is never published).")
    if record.deferred:
        until = record.deferred_until
        print(f"  Deferred {'until ' + until.isoformat() if until else 'with no date (to be reviewed)'}.")


# -- foia new ----------------------------------------------------------------------------

Ask = Callable[[str, str | None], str]
Tell = Callable[[str], None]


def _terminal_ask(question: str, default: str | None) -> str:
    suffix = f" [{default}]" if default else ""
    answer = input(f"{question}{suffix}: ").strip()
    return answer or (default or "")


def _tell(message: str) -> None:
    print(f"  {message}", file=sys.stderr)


def _yes_no_value(text: str) -> bool:
    value = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}.get(text.strip().lower())
    if value is None:
        raise ValueError(f"answer yes or no, not {text!r}")
    return value


def _yes_no_arg(text: str) -> bool:
    try:
        return _yes_no_value(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _date_value(text: str) -> dt.date:
    """A date as the importer reads one: 2026-11-24, 24/11/2026, 24 November 2026 (day first)."""
    return parse_uk_date(text)


def _tags_value(text: str) -> list[str]:
    tags: list[str] = []
    for tag in (t.strip() for t in text.split(",")):
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    return tags


@dataclass
class _Answers:
    """Each answer from its flag, else (in a terminal) asked until it is valid, saying why
    an answer was refused; without a terminal, every missing answer is listed at once."""

    args: argparse.Namespace
    ask: Ask | None
    tell: Tell
    missing: list[str]

    def get(self, name: str, flag: str, question: str, parse: Callable[[str], Any], *, default: str | None = None,
            required: bool = True) -> Any:
        given = getattr(self.args, name)
        if given is not None and not isinstance(given, bool):
            try:
                return parse(given)
            except ValueError as e:
                raise CliError(f"{flag}: {e}") from None
        if given is not None:
            return given
        if self.ask is None:
            if default is not None:
                return parse(default)
            if required:
                self.missing.append(flag)
            return None
        while True:
            answer = self.ask(question, default).strip()
            if not answer:
                if not required:
                    return None
                self.tell("An answer is needed.")
                continue
            try:
                return parse(answer)
            except ValueError as e:
                self.tell(f"{e}. Please answer again.")


def new_record(args: argparse.Namespace, docs: Path, ask: Ask | None, tell: Tell = _tell) -> tuple[str, str]:
    """(path relative to docs, record text) from flags, asking for what is missing when
    ``ask`` is given. Raises CliError listing everything missing or invalid."""
    answers = _Answers(args, ask, tell, [])
    content = load_content(docs)
    used = references_in_use(docs)

    title = answers.get("title", "--title", "Title", str.strip)
    approved: dt.date | None = answers.get(
        "approved", "--approved", "Approval date, the decision maker's signature (e.g. 24/11/2026)", _date_value,
        default=london_today().isoformat() if ask else None)
    year = approved.year if approved else london_today().year
    proposed = next_reference(docs, year, args.prefix)

    def reference_value(text: str) -> str:
        normal = normalise_reference(text)
        if normal is None:
            raise ValueError(f"{text!r} is not a reference like '{args.prefix.upper()} {year} 001'")
        if normal in used:
            raise ValueError(f"{normal} is already used in {docs} (the next free one is {proposed})")
        if approved is not None and normal.split()[1] != str(approved.year):
            raise ValueError(f"{normal} is a reference of {normal.split()[1]}, but the decision was approved in "
                             f"{approved.year} ({approved.isoformat()}); the next free one is {proposed}")
        return normal

    reference = answers.get("reference", "--reference", "Reference", reference_value, default=proposed)
    decision_maker = answers.get("decision_maker", "--decision-maker", "Decision maker", str.strip,
                                 default="Deputy Mayor for Policing and Crime" if ask else None)
    summary = answers.get("summary", "--summary", "One-paragraph summary (optional)", str.strip, required=False)
    tags = list(args.tag or [])
    if not tags and ask is not None:
        in_use = Counter(t for r in content.records for t in r.tags)
        offer = ", ".join(t for t, _ in in_use.most_common(12)) or "none yet"
        tags = ask(f"Tags, separated by commas (in use: {offer}; blank for none)", None)
        tags = _tags_value(tags)
    deferred = answers.get("deferred", "--deferred yes|no", "Is the publication of this form to be deferred? (yes/no)",
                           _yes_no_value)
    deferred_reason = deferred_until = None
    if deferred:
        deferred_reason = answers.get("deferred_reason", "--deferred-reason", "If yes, for what reason", str.strip)

        def until_value(text: str) -> dt.date:
            day = _date_value(text)
            if approved is not None and day < approved:
                raise ValueError(f"{day.isoformat()} is earlier than the approval date {approved.isoformat()}")
            return day

        deferred_until = answers.get("deferred_until", "--deferred-until",
                                     "Until what date, if known (e.g. 15/01/2027; blank if not known)",
                                     _date_value if ask is None else until_value, required=False)
    part2 = answers.get("part2", "--part2 yes|no", "Is there a Part 2 form? (yes/no)", _yes_no_value)
    part2_reason = (answers.get("part2_reason", "--part2-reason", "If yes, for what reason", str.strip)
                    if part2 else None)
    body = answers.get("body_file", "--body-file", "File with the Part 1 text in Markdown ('-' for standard input)",
                       _read_body)
    if answers.missing:
        raise CliError("missing: " + ", ".join(answers.missing) + " (run in a terminal to be asked)")
    if deferred is False and (args.deferred_reason or args.deferred_until):
        raise CliError("--deferred-reason and --deferred-until need --deferred yes")
    if part2 is False and args.part2_reason:
        raise CliError("--part2-reason needs --part2 yes")
    assert approved is not None and reference is not None
    values = {
        "reference": reference, "title": title, "approved": approved, "decision_maker": decision_maker,
        "summary": summary, "deferred": deferred, "deferred_reason": deferred_reason,
        "deferred_until": deferred_until, "part2": part2, "part2_reason": part2_reason, "tags": tags or None,
    }
    rel = record_path(reference, approved)
    text = format_record(values, body)
    _, errors = check_record(rel, text)
    if errors:
        raise CliError("the record would not be valid:\n  - " + "\n  - ".join(str(e) for e in errors))
    return rel, text


def _read_body(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read {path}: {e}") from None


def cmd_new(args: argparse.Namespace) -> int:
    docs = Path(args.content).resolve() if args.content else _project(args).docs_dir
    interactive = not args.no_input and sys.stdin.isatty()
    rel, text = new_record(args, docs, _terminal_ask if interactive else None)
    target = docs / rel
    if args.dry_run:
        print(f"# {_rel(target)} (dry run, not written)")
        print(text)
        return 0
    if target.exists() and not args.force:
        raise CliError(f"{_rel(target)} already exists; use --force to replace it")
    write_record(docs, rel, text)
    print(f"Wrote {_rel(target)}")
    return 0


# ----------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="foia",
        description="Publish Part 1 of police and crime decisions on time, and prove nothing withheld leaks.",
        epilog="Exit status: 0 success, 1 problems found (overdue, invalid content, failed build), 2 could not run.",
    )
    parser.add_argument("--version", action="version", version=f"foia {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("-f", "--config", default=os.environ.get(CONFIG_ENV) or "mkdocs.yml", metavar="PATH",
                        help=f"MkDocs configuration of the project (default: ${CONFIG_ENV}, else ./mkdocs.yml); "
                             "its docs_dir is the content folder")
    as_of = argparse.ArgumentParser(add_help=False)
    as_of.add_argument("--as-of", type=_as_of_type, metavar="YYYY-MM-DD",
                       help=f"London date to act as of (default: ${AS_OF_ENV}, else today in Europe/London)")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument("--content", metavar="DIR", help="content folder (default: docs_dir of the configuration)")
    content.add_argument("--force", action="store_true", help="replace an existing record file")
    content.add_argument("--dry-run", action="store_true", help="print the record instead of writing it")

    p = sub.add_parser("import", parents=[config, content], help="turn signed decision forms (text) into records",
                       description="Turn decision forms, as published text, into records in "
                                   "<content>/decisions/<year>/<slug>.md. A missing, unclear or contradictory "
                                   "confidentiality answer is an error naming the form and the question; "
                                   "nothing is written unless every form imports cleanly.")
    p.add_argument("forms", nargs="+", metavar="FORM", help="form text file(s), e.g. ../shared/seeds/DMPCD-2015-148.txt")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("new", parents=[config, content], help="create a new record",
                       description="Create a new record from flags; in a terminal, asks for whatever is missing. "
                                   "Proposes the next free reference of the approval year.")
    p.add_argument("--reference", help="e.g. 'DMPCD 2026 202' (default: the next free one of the year)")
    p.add_argument("--prefix", default="DMPCD", help="reference prefix for the proposed reference (default: DMPCD)")
    p.add_argument("--title")
    p.add_argument("--approved", metavar="DATE",
                   help="approval date, the decision maker's signature: 2026-11-24, 24/11/2026 (day first)...")
    p.add_argument("--decision-maker", dest="decision_maker", help="e.g. 'Deputy Mayor for Policing and Crime'")
    p.add_argument("--summary", help="one-paragraph summary for listings")
    p.add_argument("--deferred", type=_yes_no_arg, metavar="yes|no",
                   help="Is the publication of this form to be deferred? (required)")
    p.add_argument("--deferred-reason", dest="deferred_reason")
    p.add_argument("--deferred-until", dest="deferred_until", metavar="DATE")
    p.add_argument("--part2", type=_yes_no_arg, metavar="yes|no", help="Is there a Part 2 form? (required)")
    p.add_argument("--part2-reason", dest="part2_reason")
    p.add_argument("--tag", action="append", help="a tag (repeat for more)")
    p.add_argument("--body-file", dest="body_file", metavar="PATH",
                   help="Markdown file with the Part 1 text ('-' reads standard input)")
    p.add_argument("--no-input", action="store_true", help="never ask, even in a terminal")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("status", parents=[config, as_of], help="the publication dashboard; exit 1 if anything is overdue",
                       description="Due date, first publication date and on time / late / overdue for every "
                                   "decision, the deferrals, and per-year figures. Exit status 1 when a decision "
                                   "is overdue or content has problems.")
    p.add_argument("--json", action="store_true", help="machine-readable output (shape documented in foia.status)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("publish", parents=[config, as_of], help="build the site and record first publication dates",
                       description="Build the site as of the date (with the leak scan) and, only if the build "
                                   "succeeds, record in the ledger the first publication date of every decision "
                                   "that became public. Running it again changes nothing.")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("check", parents=[config], help="validate content and the ledger (no build)",
                       description="Validate every record, Part 2 file and the ledger; list every problem; "
                                   "exit 1 on any.")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", parents=[config, as_of], help="build the site as of a date (mkdocs build)",
                       description="mkdocs build of the project with FOIA_AS_OF set; site/ is replaced only when "
                                   "the build and the leak scan pass. Does not touch the ledger. Other options "
                                   "(--strict, -v...) are passed to mkdocs build.")
    p.add_argument("-d", "--site-dir", dest="site_dir", metavar="DIR", help="build into DIR instead of site_dir")
    p.set_defaults(func=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    out = _QuietPipe(sys.stdout)
    saved, sys.stdout = sys.stdout, out  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        out.flush()
        sys.stdout = saved


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if (extra and args.command != "build") or any(not e.startswith("-") for e in extra[:1]):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.mkdocs_options = extra
    try:
        return args.func(args)
    except CliError as e:
        print(f"foia {args.command}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"foia {args.command}: {e}; nothing more was written", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"foia {args.command}: interrupted; nothing more was written", file=sys.stderr)
        return 130


class _QuietPipe(io.TextIOBase):
    """Standard output that ends quietly when its reader goes away (``foia status | head``):
    the rest of the output is dropped, the command still finishes its work, no traceback."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def _reader_gone(self) -> None:
        self.gone = True
        # What the stream still holds goes nowhere, so the interpreter's last flush is quiet too.
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


if __name__ == "__main__":
    sys.exit(main())
