"""The foia command: help, new, check, build and publish (with real builds into tmp_path)."""

from __future__ import annotations

import re
import stat
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


def test_new_asks_in_a_terminal(tmp_path):
    docs = sample_content(tmp_path / "content")
    answers = {
        "Title": "Custody healthcare contract",
        "Approval date": "2026-11-23",
        "Reference": "",  # accept the proposal
        "Decision maker": "",  # accept the default
        "One-paragraph summary": "",
        "Is the publication of this form to be deferred?": "perhaps",  # asked again
        "Is there a Part 2 form?": "yes",
        "If yes, for what reason": "Prices are commercially sensitive.",
        "File with the Part 1 text": str(body_file(tmp_path)),
    }
    asked: list[tuple[str, str | None]] = []
    repeat = {"Is the publication of this form to be deferred?": ["no"]}

    def ask(question: str, default: str | None) -> str:
        asked.append((question, default))
        for start, answer in answers.items():
            if question.startswith(start):
                if asked.count((question, default)) > 1 and start in repeat:
                    return repeat[start].pop(0)
                return answer if answer else (default or "")
        raise AssertionError(f"unexpected question {question!r}")

    args = cli.build_parser().parse_args(["new", "--content", str(docs)])
    rel, text = cli.new_record(args, docs, ask)
    assert rel == "decisions/2026/dmpcd-2026-202.md"
    assert ("Reference", "DMPCD 2026 202") in asked
    record, errors = parse_record(rel, text.encode())
    assert errors == []
    assert record.decision_maker == "Deputy Mayor for Policing and Crime"
    assert record.deferred is False and record.part2 and record.part2_reason == "Prices are commercially sensitive."


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
