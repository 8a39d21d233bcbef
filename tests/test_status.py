"""The status dashboard on a small fixed content set, for fixed as-of dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import record_path, record_text
from foia.commands import cli
from foia.commands.status import build_report
from foia.rules.content import load_content
from foia.rules.ledger import write_ledger

D = dt.date

# A fixed content set around Christmas 2021 (27 and 28 December are substitute bank holidays).
RECORDS = {
    "TEST 2021 001": dict(approved="2021-12-24"),  # Friday: due Wed 29 Dec
    "TEST 2021 002": dict(approved="2021-12-20"),  # Monday: due Tue 21 Dec
    "TEST 2021 003": dict(approved="2021-12-01", deferred="true", deferred_reason="Contract not signed.",
                          deferred_until="2022-01-08"),  # a Saturday: due Mon 10 Jan
    "TEST 2021 004": dict(approved="2021-11-15", deferred="true", deferred_reason="Live operation."),  # no date
    "TEST 2022 001": dict(approved="2022-01-05"),  # Wednesday: due Thu 6 Jan
}
LEDGER = {"TEST 2021 002": D(2021, 12, 21), "TEST 2021 001": D(2021, 12, 30)}


def write_content(docs: Path) -> Path:
    for reference, fields in RECORDS.items():
        approved = fields["approved"]
        path = docs / record_path(reference, approved)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_text(reference, approved, f"Part 1 text of {reference}.",
                                    **{k: v for k, v in fields.items() if k != "approved"}), encoding="utf-8")
    return docs


@pytest.fixture
def docs(tmp_path) -> Path:
    return write_content(tmp_path / "content")


def report_for(docs: Path, day: dt.date, ledger=None):
    return build_report(load_content(docs), LEDGER if ledger is None else ledger, day)


def states(report) -> dict[str, str]:
    return {d.record.reference: d.state for d in report.decisions}


def test_on_the_deadline_day_nothing_is_overdue(docs):
    report = report_for(docs, D(2021, 12, 29))
    assert states(report) == {
        "TEST 2021 004": "to_be_reviewed",
        "TEST 2021 003": "deferred",
        "TEST 2021 002": "on_time",
        "TEST 2021 001": "due",  # due today; the ledger entry of 30 Dec is after the as-of date
    }
    assert "TEST 2022 001" not in states(report), "approved after the as-of date"
    assert not report.overdue and not report.failed
    due = {d.record.reference: d.due for d in report.decisions}
    assert due["TEST 2021 001"] == D(2021, 12, 29) and due["TEST 2021 003"] == D(2022, 1, 10)
    assert due["TEST 2021 004"] is None
    lists = report.deferred_lists()
    assert [d.record.reference for d in lists["releasing_soon"]] == ["TEST 2021 003"]  # 8 Jan is within 14 days
    assert [d.record.reference for d in lists["to_be_reviewed"]] == ["TEST 2021 004"]
    assert lists["released_not_published"] == [] and lists["later"] == []


def test_published_one_working_day_after_the_deadline_is_late(docs):
    report = report_for(docs, D(2021, 12, 31))
    late = next(d for d in report.decisions if d.record.reference == "TEST 2021 001")
    assert late.state == "late" and late.first_published == D(2021, 12, 30) and late.working_days_late == 1
    assert not report.failed


def test_missed_deadlines_are_overdue_and_fail(docs):
    report = report_for(docs, D(2022, 1, 11))
    got = states(report)
    assert got["TEST 2021 003"] == "overdue"  # released Saturday 8 Jan, due Monday 10 Jan, still not published
    assert got["TEST 2022 001"] == "overdue"  # due Thursday 6 Jan
    assert got["TEST 2021 004"] == "to_be_reviewed", "a deferral with no date is never overdue"
    assert [d.record.reference for d in report.overdue] == ["TEST 2021 003", "TEST 2022 001"]
    late_by = {d.record.reference: d.working_days_late for d in report.overdue}
    assert late_by == {"TEST 2021 003": 1, "TEST 2022 001": 3}
    assert [d.record.reference for d in report.deferred_lists()["released_not_published"]] == ["TEST 2021 003"]
    assert report.failed


def test_released_on_a_weekend_is_not_overdue_before_its_working_day(docs):
    report = report_for(docs, D(2022, 1, 10), ledger={})
    got = states(report)
    assert got["TEST 2021 003"] == "due"
    assert [d.record.reference for d in report.deferred_lists()["released_not_published"]] == ["TEST 2021 003"]


def test_per_year_figures_and_share_on_time(docs):
    report = report_for(docs, D(2022, 1, 11))
    years = {row["year"]: row for row in report.years()}
    assert years[2021] == {
        "year": 2021, "decisions": 4, "published": 2, "on_time": 1, "late": 1, "overdue": 1, "due": 0,
        "deferred": 0, "to_be_reviewed": 1, "share_on_time": round(1 / 3, 4),
    }
    assert years[2022]["overdue"] == 1 and years[2022]["share_on_time"] == 0.0
    totals = report.totals()
    assert totals["decisions"] == 5 and totals["on_time"] == 1 and totals["share_on_time"] == 0.25


def test_share_is_null_when_nothing_has_fallen_due(docs):
    report = report_for(docs, D(2021, 12, 20), ledger={})
    assert report.totals()["share_on_time"] is None


def test_ledger_problems_are_warnings(docs):
    ledger = {**LEDGER, "TEST 1999 001": D(2000, 1, 4), "TEST 2021 004": D(2021, 11, 16)}
    report = report_for(docs, D(2021, 12, 31), ledger=ledger)
    assert any("TEST 1999 001" in w and "no valid record" in w for w in report.warnings)
    assert any("TEST 2021 004" in w and "withheld" in w for w in report.warnings)


def test_invalid_record_is_a_problem_that_fails_status(docs):
    (docs / "decisions/2021/test-2021-009.md").write_text("---\nreference: TEST 2021 009\n---\nText\n")
    report = report_for(docs, D(2021, 12, 29))
    assert report.problems and all("test-2021-009.md" in p for p in report.problems)
    assert report.failed


# ----------------------------------------------------------------------------- command line

MKDOCS_YML = "site_name: T\ndocs_dir: content\nplugins:\n  - foia:\n      ledger: publication-log.yml\n"


@pytest.fixture
def project_dir(tmp_path) -> Path:
    write_content(tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    write_ledger(tmp_path / "publication-log.yml", LEDGER)
    return tmp_path


def run(project_dir: Path, *args: str) -> int:
    return cli.main(["status", "-f", str(project_dir / "mkdocs.yml"), *args])


def test_exit_status_is_one_only_when_something_is_overdue(project_dir, capsys):
    assert run(project_dir, "--as-of", "2021-12-29") == 0
    out = capsys.readouterr().out
    assert "Nothing overdue" in out and "Wednesday 29 December 2021" in out
    assert run(project_dir, "--as-of", "2022-01-11") == 1
    out = capsys.readouterr().out
    assert "OVERDUE: 2 decision(s): TEST 2021 003, TEST 2022 001" in out


def test_as_of_comes_from_the_environment_when_not_given(project_dir, capsys, monkeypatch):
    monkeypatch.setenv("FOIA_AS_OF", "2022-01-11")
    assert run(project_dir, "--json") == 1
    assert json.loads(capsys.readouterr().out)["as_of"] == "2022-01-11"
    assert run(project_dir, "--json", "--as-of", "2021-12-29") == 0, "--as-of wins over FOIA_AS_OF"


def test_json_shape(project_dir, capsys):
    assert run(project_dir, "--as-of", "2022-01-11", "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"format", "as_of", "decisions", "deferred", "years", "totals", "overdue", "problems",
                         "warnings"}
    assert data["format"] == 1 and data["as_of"] == "2022-01-11"
    assert data["overdue"] == ["TEST 2021 003", "TEST 2022 001"]
    entry = next(d for d in data["decisions"] if d["reference"] == "TEST 2021 001")
    assert entry == {
        "reference": "TEST 2021 001", "title": "Decision TEST 2021 001", "path": "decisions/2021/test-2021-001.md",
        "approved": "2021-12-24", "deferred": False, "deferred_until": None, "due": "2021-12-29",
        "first_published": "2021-12-30", "public": True, "state": "late", "working_days_late": 1,
    }
    assert [d["approved"] for d in data["decisions"]] == sorted(d["approved"] for d in data["decisions"])
    assert set(data["deferred"]) == {"releasing_soon", "later", "to_be_reviewed", "released_not_published"}
    assert data["deferred"]["to_be_reviewed"] == ["TEST 2021 004"]
    assert [row["year"] for row in data["years"]] == [2021, 2022]
    keys = {"decisions", "published", "on_time", "late", "overdue", "due", "deferred", "to_be_reviewed",
            "share_on_time"}
    assert set(data["totals"]) == keys and all(set(row) == keys | {"year"} for row in data["years"])


def test_malformed_ledger_stops_status_with_exit_2(project_dir, capsys):
    (project_dir / "publication-log.yml").write_text("first_published: [\n", encoding="utf-8")
    assert run(project_dir, "--as-of", "2021-12-29") == 2
    err = capsys.readouterr().err
    assert "publication-log.yml" in err and "not valid YAML" in err


def test_bad_as_of_is_a_usage_error(project_dir, capsys):
    with pytest.raises(SystemExit) as e:
        run(project_dir, "--as-of", "29/12/2021")
    assert e.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_every_published_decision_stays_listed_when_another_record_is_invalid(project_dir, capsys):
    docs = project_dir / "content"
    # Another file claims TEST 2021 002's reference (approved a year later): both are withheld.
    clash = docs / "decisions/2022/test-2021-002.md"
    clash.parent.mkdir(parents=True, exist_ok=True)
    clash.write_text(record_text("TEST 2021 002", "2022-01-04"), encoding="utf-8")
    # A published decision's own file is broken.
    (docs / record_path("TEST 2021 001", "2021-12-24")).write_text("---\nreference: [\n---\nText\n", encoding="utf-8")
    # And an unrelated record is invalid.
    (docs / "decisions/2021/test-2021-009.md").write_text("---\nreference: TEST 2021 009\n---\nText\n")
    assert run(project_dir, "--as-of", "2022-01-11") == 1
    out = capsys.readouterr().out
    rows = {line.split("  ")[0].strip(): line for line in out.splitlines() if line.startswith("TEST ")}
    assert "WITHHELD: content needs fixing" in rows["TEST 2021 002"] and "2021-12-21" in rows["TEST 2021 002"]
    assert "WITHHELD: content needs fixing" in rows["TEST 2021 001"] and "test-2021-001.md" in rows["TEST 2021 001"]
    assert "on time" in out or "OVERDUE" in out
    assert "Content needs fixing" in out and "CONTENT NEEDS FIXING" in out
    assert run(project_dir, "--as-of", "2022-01-11", "--json") == 1
    data = json.loads(capsys.readouterr().out)
    states = {(d["reference"], d["path"]): d["state"] for d in data["decisions"]}
    assert states[("TEST 2021 002", "decisions/2021/test-2021-002.md")] == "invalid"
    assert states[("TEST 2021 001", "decisions/2021/test-2021-001.md")] == "invalid"
    assert states[("TEST 2022 001", "decisions/2022/test-2022-001.md")] == "overdue"
    assert any("test-2021-009.md" in p for p in data["problems"])
