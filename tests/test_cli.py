"""The foia command: help, new, check, build and publish (with real builds into tmp_path)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SiteProject, record_text
from foia.commands import cli
from foia.rules.content import load_content
from foia.rules.ledger import load_first_published
from foia.rules.records import parse_record

COMMANDS = ["import", "new", "status", "publish", "check", "build"]
LEDGER_EXCLUDED = "exclude_docs: |\n  publication-log.yml\n"  # as in the project's mkdocs.yml


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main([command, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: foia {command}") and "--config" in out


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


@pytest.mark.parametrize("command", ["import", "status", "publish", "new"])
def test_wrapper_scripts_run_their_command(command):
    script = ROOT / "scripts" / command
    assert script.stat().st_mode & stat.S_IXUSR
    text = script.read_text()
    assert 'source "$(dirname "$0")/_bootstrap"' in text
    assert re.search(rf'^exec foia {command} -f "\$ROOT/mkdocs.yml" "\$@"$', text, re.M)


def test_missing_configuration_is_exit_2(tmp_path, capsys):
    assert cli.main(["check", "-f", str(tmp_path / "mkdocs.yml")]) == 2
    assert "mkdocs.yml" in capsys.readouterr().err


def test_configuration_without_the_foia_plugin_is_exit_2(tmp_path, capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - search\n")
    assert cli.main(["status", "-f", str(tmp_path / "mkdocs.yml")]) == 2
    assert "'foia' plugin" in capsys.readouterr().err


# ----------------------------------------------------------------------------- foia new


def sample_content(docs: Path) -> Path:
    for reference, approved in (("DMPCD 2026 175", "2026-09-23"), ("DMPCD 2026 201", "2026-11-20"),
                                ("DMPCD 2025 300", "2025-06-02")):
        path = docs / f"decisions/{approved[:4]}/{reference.lower().replace(' ', '-')}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_text(reference, approved), encoding="utf-8")
    return docs


def body_file(tmp_path: Path) -> Path:
    path = tmp_path / "part1.md"
    path.write_text("## Recommendation\n\nThe DMPC is asked to approve the grant.\n", encoding="utf-8")
    return path


def new(docs: Path, *args: str) -> int:
    return cli.main(["new", "--content", str(docs), "--no-input", *args])


FLAGS = ["--title", "Knife crime grants", "--approved", "2026-11-24", "--decision-maker",
         "Deputy Mayor for Policing and Crime", "--deferred", "no", "--part2", "no"]


def test_new_from_flags_proposes_the_next_free_reference(tmp_path, capsys):
    docs = sample_content(tmp_path / "content")
    assert new(docs, *FLAGS, "--body-file", str(body_file(tmp_path)), "--tag", "grants") == 0
    target = docs / "decisions/2026/dmpcd-2026-202.md"
    assert "dmpcd-2026-202.md" in capsys.readouterr().out
    record, errors = parse_record("decisions/2026/dmpcd-2026-202.md", target.read_bytes())
    assert errors == []
    assert record.reference == "DMPCD 2026 202" and record.title == "Knife crime grants"
    assert record.deferred is False and record.part2 is False and record.tags == ("grants",)
    assert "The DMPC is asked to approve the grant." in record.body
    assert load_content(docs).errors == []


def test_new_counts_references_of_invalid_records_too(tmp_path):
    docs = sample_content(tmp_path / "content")
    (docs / "decisions/2026/dmpcd-2026-230.md").write_text("---\nreference: DMPCD 2026 230\n---\nbroken\n")
    assert new(docs, *FLAGS, "--body-file", str(body_file(tmp_path))) == 0
    assert (docs / "decisions/2026/dmpcd-2026-231.md").exists()


def test_new_deferred_with_reason_and_date(tmp_path):
    docs = sample_content(tmp_path / "content")
    flags = list(FLAGS)
    flags[flags.index("--deferred") + 1] = "yes"
    args = [*flags, "--deferred-reason", "Providers must be told first.", "--deferred-until", "2027-01-15",
            "--reference", "DMPCD 2026 250", "--body-file", str(body_file(tmp_path))]
    assert new(docs, *args) == 0
    record, errors = parse_record("decisions/2026/dmpcd-2026-250.md",
                                  (docs / "decisions/2026/dmpcd-2026-250.md").read_bytes())
    assert errors == [] and record.deferred and str(record.deferred_until) == "2027-01-15"


def test_new_without_a_terminal_lists_every_missing_answer(tmp_path, capsys):
    docs = sample_content(tmp_path / "content")
    assert new(docs, "--title", "Something") == 2
    err = capsys.readouterr().err
    for flag in ("--approved", "--decision-maker", "--deferred yes|no", "--part2 yes|no", "--body-file"):
        assert flag in err
    assert sorted(p.name for p in (docs / "decisions/2026").iterdir()) == ["dmpcd-2026-175.md", "dmpcd-2026-201.md"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--reference", "DMPCD 2026 175"], "already used"),
        (["--reference", "not a reference"], "is not a reference"),
        (["--deferred-until", "2027-01-01"], "need --deferred yes"),
        (["--part2-reason", "Personal data."], "needs --part2 yes"),
    ],
)
def test_new_refuses_bad_answers(tmp_path, capsys, extra, message):
    docs = sample_content(tmp_path / "content")
    assert new(docs, *FLAGS, "--body-file", str(body_file(tmp_path)), *extra) == 2
    assert message in capsys.readouterr().err
    assert not (docs / "decisions/2026/dmpcd-2026-202.md").exists()


def test_new_validates_the_record_before_writing(tmp_path, capsys):
    docs = sample_content(tmp_path / "content")
    flags = list(FLAGS)
    flags[flags.index("--deferred") + 1] = "yes"
    args = [*flags, "--deferred-reason", "Reason.", "--deferred-until", "2026-01-01",
            "--body-file", str(body_file(tmp_path))]
    assert new(docs, *args) == 2
    err = capsys.readouterr().err
    assert "key 'deferred_until'" in err and "earlier than the approval date" in err
    assert not (docs / "decisions/2026/dmpcd-2026-202.md").exists()


def test_new_asks_in_a_terminal_again_with_the_reason(tmp_path):
    docs = sample_content(tmp_path / "content")
    (docs / "decisions/2026/dmpcd-2026-201.md").write_text(
        record_text("DMPCD 2026 201", "2026-11-20", tags="[grants, custody]"), encoding="utf-8")
    # Each question with its answers in turn: an invalid answer is asked again, with the reason.
    script = {
        "Title": ["Custody healthcare contract"],
        "Approval date": ["31/02/2026", "23/11/2026"],  # not a real date; then day-first
        "Reference": ["DMPCD 2025 301", "DMPCD 2026 175", ""],  # wrong year; in use; the proposal
        "Decision maker": [""],  # the default
        "One-paragraph summary": [""],
        "Tags": ["custody, Custody , health"],
        "Is the publication of this form to be deferred?": ["perhaps", "yes"],
        "If yes, for what reason (deferral)": ["Providers must be told first."],
        "If yes, for what reason": ["Providers must be told first.", "Prices are commercially sensitive."],
        "Until what date": ["20/11/2026", "15/01/2027"],  # before approval; then fine
        "Is there a Part 2 form?": ["yes"],
        "File with the Part 1 text": [str(body_file(tmp_path))],
    }
    asked: list[tuple[str, str | None]] = []
    told: list[str] = []

    def ask(question: str, default: str | None) -> str:
        asked.append((question, default))
        start = next((s for s in script if question.startswith(s)), None)
        assert start is not None, f"unexpected question {question!r}"
        answer = script[start].pop(0)
        return answer or (default or "")

    args = cli.build_parser().parse_args(["new", "--content", str(docs)])
    rel, text = cli.new_record(args, docs, ask, told.append)
    assert rel == "decisions/2026/dmpcd-2026-202.md"
    assert ("Reference", "DMPCD 2026 202") in asked
    assert any(q.startswith("Tags") and "grants" in q and "custody" in q for q, _ in asked), "tags in use are offered"
    assert any("'31/02/2026' is not a real date" in t for t in told)
    assert any("DMPCD 2025 301 is a reference of 2025" in t and "approved in 2026" in t for t in told)
    assert any("DMPCD 2026 175 is already used" in t for t in told)
    assert any("answer yes or no, not 'perhaps'" in t for t in told)
    assert any("2026-11-20 is earlier than the approval date 2026-11-23" in t for t in told)
    record, errors = parse_record(rel, text.encode())
    assert errors == []
    assert record.approved == dt.date(2026, 11, 23) and record.tags == ("custody", "health")
    assert record.decision_maker == "Deputy Mayor for Policing and Crime"
    assert record.deferred and record.deferred_until == dt.date(2027, 1, 15)
    assert record.part2 and record.part2_reason == "Prices are commercially sensitive."


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--reference", "DMPCD 2025 301"], "is a reference of 2025, but the decision was approved in 2026"),
        (["--approved", "24/13/2026"], "--approved: '24/13/2026' is not a real date"),
    ],
)
def test_new_refuses_a_reference_of_another_year_and_bad_dates(tmp_path, capsys, extra, message):
    docs = sample_content(tmp_path / "content")
    assert new(docs, *FLAGS, "--body-file", str(body_file(tmp_path)), *extra) == 2
    assert message in capsys.readouterr().err


def test_new_reads_a_day_first_approval_date(tmp_path):
    docs = sample_content(tmp_path / "content")
    flags = list(FLAGS)
    flags[flags.index("--approved") + 1] = "24/11/2026"
    assert new(docs, *flags, "--body-file", str(body_file(tmp_path))) == 0
    assert (docs / "decisions/2026/dmpcd-2026-202.md").exists()


def test_new_dry_run_writes_nothing(tmp_path, capsys):
    docs = sample_content(tmp_path / "content")
    assert new(docs, *FLAGS, "--body-file", str(body_file(tmp_path)), "--dry-run") == 0
    assert "reference: DMPCD 2026 202" in capsys.readouterr().out
    assert not (docs / "decisions/2026/dmpcd-2026-202.md").exists()


# ----------------------------------------------------------------------------- foia check


def test_check_passes_on_the_project_content(capsys):
    assert cli.main(["check", "-f", str(ROOT / "mkdocs.yml")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_check_lists_every_problem(project, capsys):
    project.add_record("DMPCD 2016 010", "2016-02-01")
    project.add_record("DMPCD 2016 011", "2016-02-01", defered="true")
    project.add_record("DMPCD 2016 012", "2016-02-01", approved="2016-02-31")
    assert cli.main(["check", "-f", str(project.root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "dmpcd-2016-011.md: key 'defered'" in err
    assert "dmpcd-2016-012.md: key 'approved'" in err
    assert "dmpcd-2016-010.md" not in err


def test_check_reports_a_malformed_ledger(project, capsys):
    project.add_record("DMPCD 2016 010", "2016-02-01")
    project.write("publication-log.yml", "first_published:\n  \"DMPCD 2016 010\": yesterday\n")
    assert cli.main(["check", "-f", str(project.root / "mkdocs.yml")]) == 1
    assert "publication-log.yml" in capsys.readouterr().err


# ----------------------------------------------------------------------------- build and publish

DEFERRED_CANARY = "The sapphire gondola contract stays confidential until the deferral date passes."


def publishing_project(project: SiteProject) -> SiteProject:
    project.configure(extra=LEDGER_EXCLUDED)
    project.add_record("DMPCD 2016 010", "2016-02-01", "A public decision about street lighting in Hackney.")
    project.add_record("DMPCD 2016 020", "2016-02-08", DEFERRED_CANARY, deferred="true",
                       deferred_reason="Standstill period.", deferred_until="2016-02-29")
    return project


def publish(project: SiteProject, day: str) -> int:
    return cli.main(["publish", "-f", str(project.root / "mkdocs.yml"), "--as-of", day])


def ledger_path(project: SiteProject) -> Path:
    return project.content / "publication-log.yml"


def published_on(project: SiteProject, url: str) -> str | None:
    """The 'Published' date the decision page shows, if any."""
    html = (project.site / url / "index.html").read_text(encoding="utf-8")
    m = re.search(r"Published.{0,80}?datetime=\"(\d{4}-\d{2}-\d{2})\"", html, re.S)
    return m.group(1) if m else None


def test_publish_records_first_publication_after_a_successful_build(project):
    publishing_project(project)
    assert publish(project, "2016-02-15") == 0
    ledger = ledger_path(project)
    assert {k: str(v) for k, v in load_first_published(ledger).items()} == {"DMPCD 2016 010": "2016-02-15"}
    assert published_on(project, "decisions/2016/dmpcd-2016-010") == "2016-02-15", "built against the new ledger"
    assert project.files_containing("sapphire gondola") == []

    first = ledger.read_bytes()
    assert publish(project, "2016-02-15") == 0
    assert ledger.read_bytes() == first, "idempotent"

    # The deferral date passes: the decision appears and is recorded with no other action.
    assert publish(project, "2016-02-29") == 0
    assert {k: str(v) for k, v in load_first_published(ledger).items()} == {
        "DMPCD 2016 010": "2016-02-15", "DMPCD 2016 020": "2016-02-29",
    }
    assert published_on(project, "decisions/2016/dmpcd-2016-010") == "2016-02-15", "from the ledger, not the build date"
    assert published_on(project, "decisions/2016/dmpcd-2016-020") == "2016-02-29"
    assert project.files_containing("sapphire gondola")

    second = ledger.read_bytes()
    assert publish(project, "2016-03-10") == 0
    assert ledger.read_bytes() == second, "a later day never changes an existing entry"


def test_failed_build_leaves_the_ledger_and_the_site_untouched(project, capsys):
    publishing_project(project)
    assert publish(project, "2016-02-15") == 0
    ledger_before = ledger_path(project).read_bytes()
    site_before = project.site_files()
    # A new public decision links to the deferred one: the build must fail.
    project.add_record("DMPCD 2016 030", "2016-02-10", "See [the earlier decision](dmpcd-2016-020.md).")
    capsys.readouterr()
    assert publish(project, "2016-02-16") == 1
    assert "ledger" in capsys.readouterr().err
    assert ledger_path(project).read_bytes() == ledger_before
    assert project.site_files() == site_before
    assert "DMPCD 2016 030" not in ledger_path(project).read_text(encoding="utf-8")


def test_failed_first_publication_writes_no_ledger(project):
    publishing_project(project)
    project.add_record("DMPCD 2016 030", "2016-02-10", "See [the earlier decision](dmpcd-2016-020.md).")
    assert publish(project, "2016-02-16") == 1
    assert not ledger_path(project).exists()
    assert not project.site.exists()


def test_malformed_ledger_stops_publish_before_building(project, capsys):
    publishing_project(project)
    bad = "first_published:\n  \"DMPCD 2016 010\": 2016-02-15\n  \"DMPCD 2016 010\": 2016-02-16\n"
    project.write("publication-log.yml", bad)
    assert publish(project, "2016-03-01") == 2
    err = capsys.readouterr().err
    assert "publication-log.yml" in err and "listed twice" in err
    assert ledger_path(project).read_text(encoding="utf-8") == bad, "never reset"
    assert not project.site.exists()


def test_only_one_publish_at_a_time(project, capsys):
    publishing_project(project)
    with cli.publication_lock(cli.load_project(project.root / "mkdocs.yml")):
        assert publish(project, "2016-02-15") == 2
    assert "another foia publish is running" in capsys.readouterr().err
    assert not ledger_path(project).exists() and not project.site.exists()


def test_build_command_builds_as_of_the_date_without_touching_the_ledger(project):
    publishing_project(project)
    config = str(project.root / "mkdocs.yml")
    assert cli.main(["build", "-f", config, "--as-of", "2016-02-15"]) == 0
    assert project.files_containing("sapphire gondola") == []
    assert cli.main(["build", "-f", config, "--as-of", "2016-02-29"]) == 0
    assert project.files_containing("sapphire gondola")
    assert not ledger_path(project).exists()


def test_publish_refuses_a_date_after_today_in_london(project, capsys):
    publishing_project(project)
    from foia.rules.dates import london_today

    tomorrow = (london_today() + dt.timedelta(days=1)).isoformat()  # the rule itself is about today
    assert publish(project, tomorrow) == 2
    err = capsys.readouterr().err
    assert tomorrow in err and "after today" in err and "foia build --as-of" in err
    assert not ledger_path(project).exists() and not project.site.exists()


def test_check_reports_a_ledger_date_before_approval(project, capsys):
    project.add_record("DMPCD 2016 010", "2016-02-01")
    project.write("publication-log.yml", 'first_published:\n  "DMPCD 2016 010": 2016-01-29\n  "DMPCD 1999 001": 1999-02-01\n')
    assert cli.main(["check", "-f", str(project.root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "before its approval date 2016-02-01" in err
    assert "warning:" in err and "'DMPCD 1999 001', but no valid record" in err


# ----------------------------------------------------------------------------- everyday use


def script_env() -> dict[str, str]:
    # The venv the tests run in has the test extras: use its install stamp.
    return {**os.environ, "FOIA_EXTRAS": "test", "NO_MKDOCS_2_WARNING": "1"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of"], "argument --as-of: expected one argument"),
        (["--as-of="], "--as-of must be a date written YYYY-MM-DD, got ''"),
        (["--as-of", ""], "--as-of must be a date written YYYY-MM-DD, got ''"),
        (["--as-of", "31/12/2016"], "--as-of must be a date written YYYY-MM-DD, got '31/12/2016'"),
        (["--as-of=2016-13-01"], "--as-of is not a real date: '2016-13-01'"),
        (["--as-of", "2016-02-01", "stray"], "unrecognized arguments: stray"),
    ],
)
def test_scripts_build_gives_the_same_errors_as_foia_build(tmp_path, args, message):
    script = subprocess.run([str(ROOT / "scripts" / "build"), *args], cwd=tmp_path, env=script_env(),
                            capture_output=True, text=True, timeout=300)
    direct = subprocess.run([sys.executable, "-m", "foia.commands.cli", "build", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert script.returncode == direct.returncode == 2
    assert message in script.stderr and message in direct.stderr
    assert "unbound variable" not in script.stderr and "Traceback" not in script.stderr
    assert not (tmp_path / "site").exists() and not list(ROOT.glob(".site-building-*"))


def test_scripts_foia_runs_any_command_from_any_folder(tmp_path):
    proc = subprocess.run([str(ROOT / "scripts" / "foia"), "check"], cwd=tmp_path, env=script_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK: ") and "records" in proc.stdout
    proc = subprocess.run([str(ROOT / "scripts" / "foia"), "--version"], cwd=tmp_path, env=script_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.startswith("foia ")


def many_records(docs: Path, count: int) -> None:
    for n in range(1, count + 1):
        path = docs / f"decisions/2021/test-2021-{n:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_text(f"TEST 2021 {n:04d}", "2021-03-01", f"Decision number {n}."), encoding="utf-8")


@pytest.mark.parametrize("command", ["status", "import", "help"])
def test_output_piped_to_head_ends_quietly(tmp_path, command):
    from conftest import SEEDS

    docs = tmp_path / "content"
    many_records(docs, 1500)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\nplugins:\n  - foia\n", encoding="utf-8")
    forms = []
    for n in range(40):  # 40 forms: a long dry run
        text = (SEEDS / "DMPCD-2015-148.txt").read_text(encoding="utf-8").replace("DMPCD 2015 148", f"DMPCD 2015 {n + 1:03d}")
        forms.append(tmp_path / f"form-{n}.txt")
        forms[-1].write_text(text, encoding="utf-8")
    args = {
        "status": ["status", "-f", str(tmp_path / "mkdocs.yml"), "--as-of", "2021-03-10"],
        "import": ["import", "-f", str(tmp_path / "mkdocs.yml"), "--dry-run", *map(str, forms)],
        "help": ["--help"],
    }[command]
    code = "import sys; from foia.commands.cli import main; sys.exit(main(sys.argv[1:]))"
    quoted = " ".join(shlex.quote(a) for a in [sys.executable, "-c", code, *args])
    proc = subprocess.run(["bash", "-c", f"{quoted} 2>{tmp_path}/err | head -n 1; echo \"${{PIPESTATUS[0]}}\""],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    first, status = proc.stdout.splitlines()[0], proc.stdout.splitlines()[-1]
    assert first.strip()
    err = (tmp_path / "err").read_text()
    assert err == "", err  # no traceback, no "Broken pipe": the command ends quietly
    assert status in {"0", "1"}, (status, err)
    assert not (docs / "decisions/2015").exists(), "a dry run writes nothing"


def test_only_scripts_test_installs_the_test_extras():
    bootstrap = (ROOT / "scripts" / "_bootstrap").read_text()
    assert '-e ".${extras:+[$extras]}"' in bootstrap and 'stamp=".venv/.foia-installed${extras:+-$extras}"' in bootstrap
    assert re.search(r"^FOIA_EXTRAS=test$", (ROOT / "scripts" / "test").read_text(), re.M)
    for name in ("build", "foia", "import", "new", "status", "publish", "generate-corpus", "benchmark"):
        text = (ROOT / "scripts" / name).read_text()
        assert "FOIA_EXTRAS" not in text and "[test]" not in text, name
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    assert "pypdfium2" in runtime and "reportlab" not in runtime and "pytest" not in runtime
    assert any(d.startswith("reportlab") for d in project["optional-dependencies"]["test"])
    assert project["license"] == "MIT" and not any("License ::" in c for c in project.get("classifiers", []))
    lock = (ROOT / "requirements.lock").read_text().splitlines()
    pins = [line for line in lock if line and not line.startswith("#")]
    assert pins == sorted(pins, key=lambda p: p.split("==")[0].lower().replace("_", "-"))
    assert {"pypdfium2==5.15.2", "reportlab==5.1.0", "pillow==13.0.0"} <= set(pins)


@pytest.mark.parametrize("environ, installed, expected", [
    ({}, {"properdocs", "mkdocs"}, "properdocs"),
    ({}, {"mkdocs"}, "mkdocs"),
    ({"FOIA_GENERATOR": "mkdocs"}, {"properdocs", "mkdocs"}, "mkdocs"),
    ({"FOIA_GENERATOR": " properdocs "}, {"properdocs", "mkdocs"}, "properdocs"),
    ({"FOIA_GENERATOR": "properdocs"}, {"mkdocs"}, "is not installed"),
    ({"FOIA_GENERATOR": "hugo"}, {"properdocs", "mkdocs"}, "must be one of"),
])
def test_foia_build_uses_the_generator_that_is_installed(monkeypatch, environ, installed, expected):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: (real("json") if name in installed else None)
                        if name in ("properdocs", "mkdocs") else real(name, *a))
    if expected in ("mkdocs", "properdocs"):
        assert cli.generator(environ) == expected
    else:
        with pytest.raises(cli.CliError, match=expected):
            cli.generator(environ)


@pytest.mark.parametrize("name, line", [("mkdocs", "mkdocs-1."), ("properdocs", "ProperDocs")])
def test_foia_build_runs_the_chosen_generator(project, name, line):
    pytest.importorskip(name)
    project.add_record("DMPCD 2016 001", "2016-01-04")
    env = {**os.environ, "FOIA_GENERATOR": name}
    proc = subprocess.run([sys.executable, "-m", "foia.commands.cli", "build", "-f", str(project.root / "mkdocs.yml"),
                           "--as-of", "2016-02-01"], cwd=project.root, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    page = (project.site / "decisions/2016/dmpcd-2016-001/index.html").read_text(encoding="utf-8")
    assert re.search(rf'<meta name="generator" content="[^"]*{line}', page), "built by the chosen generator"
