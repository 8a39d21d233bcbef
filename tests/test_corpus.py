"""The synthetic corpus behind the benchmark: valid records, every kind of withheld
record, canaries exactly where the plan withholds, and the same folder for a seed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import corpus as corpus_mod
from conftest import ROOT
from foia.proof import extract
from foia.rules.content import load_content
from foia.rules.plan import build_plan

N = 60


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    corpus = corpus_mod.generate(N, tmp_path_factory.mktemp("corpus"), seed=7)
    return corpus, load_content(corpus.docs_dir)


def test_every_record_is_valid_and_counted(generated):
    corpus, content = generated
    assert content.errors == []
    assert len(content.records) == len(corpus.records) == N
    assert sorted(r.path for r in content.records) == sorted(corpus.records)
    assert {p.path for p in content.part2_files} == set(corpus.part2_files)
    assert len(corpus.part2_files) == 3  # 5% of 60
    assert {a.path for a in content.attachments} == set(corpus.documents)
    assert len({r.approved.year for r in content.records}) >= 10
    assert len({r.decision_maker for r in content.records}) >= 3
    assert any(r.tags for r in content.records) and any(r.summary for r in content.records)
    assert any("| Item | Borough |" in r.body for r in content.records), "some bodies have tables"
    sizes = [len(r.body.encode()) for r in content.records]
    assert min(sizes) >= 1800 and max(sizes) <= 20_000 and max(sizes) > 2 * min(sizes)


def test_deferrals_are_past_future_and_undated_relative_to_the_as_of_date(generated):
    corpus, content = generated
    deferred = [r for r in content.records if r.deferred]
    assert len(deferred) == 3
    day = corpus.as_of
    kinds = {"past" if r.deferred_until and r.deferred_until <= day else
             "future" if r.deferred_until else "undated" for r in deferred}
    assert kinds == {"past", "future", "undated"}
    plan = build_plan(content, day)
    assert sorted(r.path for r in plan.withheld) == sorted(corpus.withheld)
    assert all(r.approved <= day for r in content.records)


def test_canaries_sit_only_in_withheld_text_and_markers_only_in_released_records(generated):
    corpus, content = generated
    plan = build_plan(content, corpus.as_of)
    withheld_files = set(plan.withheld_paths)
    assert len(corpus.canaries) == len(corpus.part2_files) + len(corpus.withheld)
    assert set(corpus.canaries.values()) <= withheld_files
    texts = {p.relative_to(corpus.docs_dir).as_posix(): p.read_text(encoding="utf-8")
             for p in corpus.docs_dir.rglob("*.md")}
    texts.update({p.relative_to(corpus.docs_dir).as_posix(): extract.read(p.name, p.read_bytes()).text()
                  for p in corpus.docs_dir.rglob("*.pdf")})
    for canary, rel in corpus.canaries.items():
        assert [f for f, t in texts.items() if canary in t] == [rel]
    public = {r.path for r in plan.public}
    assert corpus.released and set(corpus.released.values()) <= public
    for marker, rel in corpus.released.items():
        assert [f for f, t in texts.items() if marker in t] == [rel]


def test_the_same_seed_writes_the_same_folder_and_another_seed_does_not(tmp_path, generated):
    corpus, _ = generated
    again = corpus_mod.generate(N, tmp_path / "again", seed=7)
    other = corpus_mod.generate(N, tmp_path / "other", seed=8)

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(again.docs_dir) == files(corpus.docs_dir)
    assert files(other.docs_dir) != files(corpus.docs_dir)


def test_an_extra_decision_is_a_valid_public_record(tmp_path):
    corpus = corpus_mod.generate(20, tmp_path / "c")
    rel = corpus_mod.extra_decision(corpus.docs_dir)
    content = load_content(corpus.docs_dir)
    assert content.errors == []
    plan = build_plan(content, corpus.as_of)
    assert rel in {r.path for r in plan.public} and len(content.records) == 21


def test_the_command_refuses_a_folder_that_is_not_empty(tmp_path):
    script = ROOT / "scripts" / "generate-corpus"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.md").write_text("mine", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "corpus.py"), "5", str(tmp_path / "full")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "not empty" in proc.stderr
    assert (tmp_path / "full" / "keep.md").read_text(encoding="utf-8") == "mine"
    assert script.is_file() and script.stat().st_mode & 0o111


def test_one_decision_in_five_has_a_pdf_annex_linked_from_its_part_1(generated):
    corpus, content = generated
    assert len(corpus.documents) == N // 5
    records = {r.path: r for r in content.records}
    for document in corpus.documents:
        folder, name = document.rsplit("/", 1)
        owner = next(r for path, r in records.items() if path.rsplit("/", 1)[0] == folder and f"]({name})" in r.body)
        assert name.startswith(owner.slug)
        reading = extract.read(document, (corpus.docs_dir / document).read_bytes())
        assert reading.problems == [] and f"Annex A to {owner.reference}" in reading.text()


def test_one_part2_form_in_five_is_a_pdf_with_its_canary_in_its_text_and_metadata(tmp_path):
    corpus = corpus_mod.generate(200, tmp_path / "c", seed=3)
    pdfs = [p for p in corpus.part2_files if p.endswith(".pdf")]
    assert len(corpus.part2_files) == 10 and len(pdfs) == 2
    assert corpus.withheld_documents, "some withheld record has an annex"
    for rel in [*pdfs, *corpus.withheld_documents]:
        data = (corpus.docs_dir / rel).read_bytes()
        [canary] = [c for c, where in corpus.canaries.items() if where == rel]
        assert canary.encode() in data, "in the metadata: a plain search of the bytes finds it"
        assert data.count(canary.encode()) == 1, "the text layer is compressed"
        assert canary in "\n".join(extract.read(rel, data).lines)


def test_withheld_and_public_text_share_no_needle_but_stock_wording(tmp_path):
    """The plan's fingerprints of a generated corpus are found in no public page source, so a
    build of it passes its leak scan only if nothing leaks."""
    from foia.proof.fingerprints import Needles
    from foia.proof.normalise import normalised_utf8

    corpus = corpus_mod.generate(300, tmp_path / "c", seed=11)
    plan = build_plan(load_content(corpus.docs_dir), corpus.as_of, stock_wording=corpus_mod.STOCK_WORDING)
    search = Needles((f.needle, f.describe()) for f in plan.fingerprints if f.kind != "filename")
    assert len(search) > 1000
    public = [*(r.path for r in plan.public), *(d for d in corpus.documents if d not in plan.withheld_paths)]
    for rel in public:
        data = (corpus.docs_dir / rel).read_bytes()
        assert search.found_in(normalised_utf8(extract.read(rel, data, source=True).text())) == [], rel
