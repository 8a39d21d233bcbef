"""The leak scan on folders it did not build: every channel a withheld text could hide in."""

from __future__ import annotations

import gzip
import json

import lxml.html
import pytest

from foia.proof.fingerprints import Fingerprint, sentences, sha256
from foia.proof.normalise import normalise
from foia.proof.scan import _link_checker, scan_site, withheld_links

CANARY = "The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN for the test."


def _pdf_of(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


PDF = _pdf_of("Part 2 form of DMPCD 2016 002.")


def fingerprints():
    fps = [Fingerprint("part2", "decisions/2016/x.part2.md", n, n) for n in sentences(CANARY)]
    fps.append(Fingerprint("reference", "decisions/2016/dmpcd-2016-002.md", normalise("DMPCD 2016 002"), "DMPCD 2016 002"))
    fps.append(Fingerprint("filename", "decisions/2016/dmpcd-2016-002.part2.pdf", "dmpcd-2016-002.part2.pdf", "x"))
    return fps


def scan(site):
    return scan_site(site, fingerprints=fingerprints(), withheld_urls={"decisions/2016/dmpcd-2016-002/"},
                     withheld_hashes={sha256(PDF): "decisions/2016/dmpcd-2016-002.part2.pdf"})


def write(site, rel, data):
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>x</title></head><body>{body}</body></html>"


@pytest.fixture
def site(tmp_path):
    s = tmp_path / "site"
    write(s, "index.html", page("<p>Nothing to see. The decision text is public.</p><a href='decisions/2016/dmpcd-2016-001/'>ok</a>"))
    write(s, "assets/logo.png", b"\x89PNG\r\n")
    return s


def test_clean_site_has_no_leaks(site):
    assert scan(site) == []


@pytest.mark.parametrize(
    ("rel", "data"),
    [
        ("a/index.html", page("<p>The confidential canary sentence mentions <em>ZEBRA QUARTZ</em> ELEVEN for the test.</p>")),
        ("b/index.html", page("<p>The confidential canary sentence\n   mentions zebra quartz eleven\tfor the test.</p>")),
        ("c/index.html", page('<img alt="The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN" src="x.png">')),
        ("d/index.html", page("<!-- The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN for the test. -->")),
        ("e/index.html", page("<script>var d = {\"t\": \"The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN\"};</script>")),
        ("f/index.html", page("<p>The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN for the test.</p>").replace("canary", "can&#97;ry")),
        ("search/search_index.json", json.dumps({"docs": [{"text": "The confidential canary sentence mentions \u201cZEBRA QUARTZ ELEVEN\u201d"}]})),
        ("search/escaped.json", json.dumps({"docs": [{"text": "<p>The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN</p>"}]}, ensure_ascii=True)),
        ("feed.xml", "<feed><entry><content type='html'>&lt;p&gt;The confidential canary sentence &lt;em&gt;mentions&lt;/em&gt; ZEBRA QUARTZ ELEVEN&lt;/p&gt;</content></entry></feed>"),
        ("decisions.csv", "reference,title\nX,\"The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN\"\n"),
        ("pagefind/fragment/en_1.pf_fragment", gzip.compress(b'pagefind_dcd{"content":"The confidential canary sentence mentions ZEBRA QUARTZ ELEVEN for the test."}', mtime=0)),
        ("sitemap.xml.gz", gzip.compress(b"<urlset><url><loc>https://x.test/decisions/2016/dmpcd-2016-002/</loc></url></urlset>", mtime=0)),
        ("robots.txt", "The reference DMPCD-2016-002 appears here."),
        ("notes.txt", "dmpcd 2016 002"),
    ],
)
def test_text_is_found_in_every_channel(site, rel, data):
    write(site, rel, data)
    leaks = scan(site)
    assert leaks, f"leak in {rel} not found"
    assert {leak.file for leak in leaks} == {rel}


def test_copied_part2_file_is_found_by_its_bytes_under_any_name(site):
    write(site, "assets/report.pdf", PDF)
    leaks = scan(site)
    assert {leak.file for leak in leaks} == {"assets/report.pdf"}
    assert any("copy of withheld file" in leak.what for leak in leaks)


def test_file_named_after_part2_file_and_links_to_it(site):
    write(site, "files/dmpcd-2016-002.part2.pdf", b"other bytes")
    write(site, "x/index.html", page("<a href='../files/DMPCD-2016-002.part2.pdf'>doc</a>"))
    files = {leak.file for leak in scan(site)}
    assert files == {"files/dmpcd-2016-002.part2.pdf", "x/index.html"}


def test_withheld_page_folder_and_relative_links_to_it(site):
    write(site, "decisions/2016/dmpcd-2016-002/index.html", page("<p>x</p>"))
    write(site, "decisions/2016/dmpcd-2016-001/index.html", page("<a href='../dmpcd-2016-002/'>next</a>"))
    write(site, "decisions/2016/index.html", page("<a href='/decisions/2016/dmpcd-2016-002/index.html'>abs</a>"))
    leaks = scan(site)
    assert {leak.file for leak in leaks} >= {
        "decisions/2016/dmpcd-2016-002/index.html",
        "decisions/2016/dmpcd-2016-001/index.html",
        "decisions/2016/index.html",
    }
    assert any("links to withheld page" in leak.what for leak in leaks)


def test_short_common_words_do_not_match(site):
    write(site, "x/index.html", page("<p>The confidential canary sentence.</p><p>Mentions zebra.</p>"))
    assert scan(site) == []


def test_withheld_links_resolves_relative_to_the_page():
    html = "<p><a href='../2016-other/'>a</a> <a href='../dmpcd-2016-002/#part-1'>b</a></p>"
    found = withheld_links("decisions/2016/dmpcd-2016-001/index.html", html, {"decisions/2016/dmpcd-2016-002/"})
    assert found == [("../dmpcd-2016-002/#part-1", "decisions/2016/dmpcd-2016-002/")]


def test_sentences_ignore_short_fragments():
    assert sentences("Too short. Also short here.") == []
    assert sentences("This sentence has six words here.") == [" this sentence has six words here "]
    # Longer sentences become overlapping 8-word windows that cover every word.
    assert sentences("One two three four five six seven eight nine ten eleven twelve thirteen.") == [
        " one two three four five six seven eight ",
        " five six seven eight nine ten eleven twelve ",
        " six seven eight nine ten eleven twelve thirteen ",
    ]


# ----------------------------------------------------------------------------- speed-ups keep the meaning


def test_text_split_by_nested_inline_markup_is_read_in_page_order(site):
    write(site, "n/index.html", page(
        "<p>The confidential canary sentence <a href='x/'>mentions <b>ZEBRA QUARTZ</b></a> ELEVEN for the test.</p>"))
    assert {leak.file for leak in scan(site)} == {"n/index.html"}


def test_plain_relative_links_resolve_as_urljoin_does():
    import posixpath
    import random
    from urllib.parse import unquote, urljoin, urlsplit

    from foia.proof.scan import _link_path

    def by_urljoin(base, link):
        path = unquote(urlsplit(urljoin("http://site.invalid" + base, link.strip())).path)
        norm = posixpath.normpath(path) if path else "/"
        return norm + ("/" if path.endswith("/") and norm != "/" else "")

    segments = ["..", ".", "a", "b.c", "x-y", "index.html", "", "~z", "_q", "..a", ".b", "a..", "%20", "?q", "#f"]
    rng = random.Random(5)
    for _ in range(20000):
        link = "/".join(rng.choice(segments) for _ in range(rng.randint(1, 6))) + rng.choice(["", "/"])
        base = rng.choice(["/index.html", "/decisions/2019/x/index.html", "/a/", "/404.html"])
        if link.strip() and not link.strip().startswith("#"):
            assert _link_path(base, link) == by_urljoin(base, link), (base, link)


def test_a_scanner_skips_only_files_it_passed_byte_for_byte_at_the_same_path(site):
    from foia.proof.scan import Scanner

    scanner = Scanner(fingerprints(), {"decisions/2016/dmpcd-2016-002/"})
    assert scanner.scan_site(site) == []
    write(site, "index.html", page(f"<p>{CANARY}</p>"))  # same path, new bytes
    assert {leak.file for leak in scanner.scan_site(site)} == {"index.html"}
    assert {leak.file for leak in scanner.scan_site(site)} == {"index.html"}, "a file with a leak is never skipped"
    write(site, "other/index.html", (site / "index.html").read_bytes())  # same bytes, new path
    assert {leak.file for leak in scanner.scan_site(site)} == {"index.html", "other/index.html"}


def test_a_proof_session_reuses_its_scanner_only_for_the_same_fingerprints(site):
    import datetime as dt

    from foia.proof.scan import ProofSession, scan_with_plan
    from foia.rules.plan import Plan

    session = ProofSession()
    clean = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=[])
    assert session.scan(site, clean) == []
    write(site, "x/index.html", page(f"<p>{CANARY}</p>"))
    strict = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=fingerprints())
    assert {leak.file for leak in session.scan(site, strict)} == {"x/index.html"}
    assert {leak.file for leak in scan_with_plan(site, strict)} == {"x/index.html"}  # without a session: fresh
    scanner = session._scanner
    assert {leak.file for leak in session.scan(site, strict)} == {"x/index.html"}
    assert session._scanner is scanner, "the same plan reuses the scanner"


def test_the_scan_module_keeps_no_scanner_between_calls():
    import foia.proof.scan as scan_module

    assert not any(isinstance(v, scan_module.Scanner) for v in vars(scan_module).values())
    assert not hasattr(scan_module, "_last_scanner")


# ----------------------------------------------------------------------------- the fast paths give the slow paths' answers


def test_unescape_is_html_unescape():
    import html
    import random

    from foia.proof.extract import unescape as _unescape

    alphabet = [*"&;#xX0123456789aAbmpltgqou \t\n<>", "&amp;", "&lt", "&#38;", "&#x26;", "&notin;", "&not", "&AMP",
                "\x80", "\ufffd", "\u00e9", "&\u00e9", "&1", "&_"]
    rng = random.Random(3)
    for _ in range(50000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert _unescape(text) == html.unescape(text), repr(text)
    garbage = bytes(rng.randrange(256) for _ in range(200000)).decode("utf-8", "replace")
    assert _unescape(garbage) == html.unescape(garbage)


def test_the_file_name_hint_finds_every_name_that_case_folding_finds():
    """A name is searched for (case-folded) only in texts whose normalised form holds its
    hint; on random texts around the names, the leaks are those of searching every text."""
    import random

    from foia.proof.scan import Scanner

    names = ["dmpcd-2016-002.part2.pdf", "ceo-2018-035.part2.note", "x_y.part2.docx", "final.part2.pdf"]
    fps = [Fingerprint("filename", f"decisions/{n}", n, n) for n in names]
    always = Scanner(fps)
    always.name_hints = False  # the slow path: every text searched for every name
    hinted = Scanner(fps)
    assert hinted.name_hints
    noise = ["\u0301", "\u0338", "\u0307", " ", "-", ".", "\u00e9", "\ufb01", "\u212a", "\u017f", "\u0130", "\u00df",
             "\ufffd", "A", "z", "<b>", "&amp;"]
    rng = random.Random(11)
    for _ in range(4000):
        name = rng.choice(names)
        cut = rng.randint(0, len(name))
        variant = rng.choice([name, name.upper(), name.replace("fi", "\ufb01"), name.replace("k", "\u212a"),
                              name.replace("s", "\u017f"), name[:cut] + rng.choice(noise) + name[cut:]])
        text = "".join(rng.choice(noise) for _ in range(rng.randint(0, 3))) + variant + "".join(
            rng.choice(noise) for _ in range(rng.randint(0, 3)))
        data = text.encode("utf-8")
        assert hinted.scan_file("notes.txt", data) == always.scan_file("notes.txt", data), repr(text)


def test_a_name_changed_by_a_combining_mark_after_it_is_still_found(site):
    from foia.proof.scan import Scanner

    name = "ceo-2018-035.part2.note"
    scanner = Scanner([Fingerprint("filename", "decisions/ceo-2018-035.part2.note", name, name)])
    [leak] = scanner.scan_file("notes.txt", "see CEO-2018-035.part2.NOTE\u0301 here".encode())
    assert "names withheld file" in leak.what


def test_non_ascii_file_names_have_no_hint_and_are_searched_in_every_text():
    from foia.proof.scan import Scanner, _name_hint

    assert _name_hint("d\u00e9cision.part2.pdf") is None
    scanner = Scanner([Fingerprint("filename", "x", "d\u00e9cision.part2.pdf", "x")])
    assert not scanner.name_hints
    assert scanner.scan_file("a.txt", "D\u00c9CISION.PART2.PDF".encode())


def _resolve_every_link(scanner, rel, links):
    """withheld_targets without the pre-filter: every link resolved."""
    return [(link, url + "/") for link in links for url in scanner.resolved_targets(rel, link)]


def test_links_skipped_unresolved_are_exactly_those_that_cannot_lead_to_a_withheld_page():
    import random

    from foia.proof.scan import Scanner

    scanner = Scanner([], {"decisions/2016/dmpcd-2016-002/", "about/", "a/b.c/"})
    segments = ["..", ".", "", "decisions", "2016", "dmpcd-2016-002", "dmpcd%2D2016-002", "dmpcd-2016-\t002",
                "dmpcd-2016-\n002", "%64mpcd-2016-002", "about", "abo%75t", "b.c", "a", "index.html", "x", "?q=1",
                "#f", ";p", "dmpcd-2016-002?x", "dmpcd-2016-002#y", "%2F", "%"]
    prefixes = ["", "/", "./", "../", "https://other.example/", "//host/", "http:", " ", "\t"]
    bases = ["index.html", "decisions/2016/index.html", "decisions/2016/dmpcd-2016-001/index.html",
             "decisions/2016/dmpcd-2016-002/index.html", "decisions/2016/dmpcd-2016-002/sub/x.html", "about/index.html",
             "a/b.c/d/e.html", "feed.xml"]
    rng = random.Random(9)
    for _ in range(20000):
        link = rng.choice(prefixes) + "/".join(rng.choice(segments) for _ in range(rng.randint(1, 5))) + rng.choice(["", "/"])
        rel = rng.choice(bases)
        try:
            expected = _resolve_every_link(scanner, rel, [link])
        except ValueError:
            continue  # urlsplit refuses it either way
        assert scanner.withheld_targets(rel, [link]) == expected, (rel, link)


@pytest.mark.parametrize("href", [
    "../dmpcd-2016-002/", "../dmpcd&#45;2016-002/", "../%64mpcd-2016-002/", "../dmpcd-2016-&#9;002/",
    "../dmpcd-2016-&#10;002/index.html", "https://elsewhere.example/decisions/2016/dmpcd%2D2016-002",
])
def test_links_are_gathered_however_the_withheld_segment_is_written(site, href):
    write(site, "decisions/2016/dmpcd-2016-001/index.html", page(f"<p><a href='{href}'>next</a></p>"))
    leaks = [leak for leak in scan(site) if "links to withheld page" in leak.what]
    assert [leak.file for leak in leaks] == ["decisions/2016/dmpcd-2016-001/index.html"]


def test_withheld_links_in_a_page_inside_a_withheld_folder_are_resolved():
    found = withheld_links("decisions/2016/dmpcd-2016-002/sub/index.html", "<a href='../'>up</a><a href='x/'>x</a>",
                           {"decisions/2016/dmpcd-2016-002/"})
    assert found == [("../", "decisions/2016/dmpcd-2016-002/")]


def test_worker_processes_find_what_one_process_finds_in_path_order(site):
    from foia.proof.scan import BATCH, Scanner

    for i in range(3 * BATCH):
        write(site, f"p{i:03d}/index.html", page(f"<p>Page {i}. {CANARY if i % 50 == 7 else ''}</p>"))
    write(site, "p100/report.pdf", PDF)
    one = Scanner(fingerprints(), {"decisions/2016/dmpcd-2016-002/"}, {sha256(PDF): "x.pdf"})
    shared = Scanner(fingerprints(), {"decisions/2016/dmpcd-2016-002/"}, {sha256(PDF): "x.pdf"})
    expected = one.scan_site(site, workers=1)
    assert len({leak.file for leak in expected}) == 5
    assert shared.scan_site(site, workers=2) == expected
    assert shared.passed == one.passed
    assert shared.scan_site(site, workers=2) == expected, "files with leaks are never skipped"


def test_without_worker_processes_the_scan_runs_whole_in_this_process(site, monkeypatch):
    import multiprocessing.forkserver

    from foia.proof.scan import BATCH, Scanner

    for i in range(2 * BATCH):
        write(site, f"p{i:03d}/index.html", page(f"<p>Page {i}. {CANARY if i == 70 else ''}</p>"))

    def no_server():
        raise OSError("no sockets here")

    monkeypatch.setattr(multiprocessing.forkserver, "ensure_running", no_server)
    leaks = Scanner(fingerprints()).scan_site(site, workers=2)
    assert {leak.file for leak in leaks} == {"p070/index.html"}


def test_a_file_name_that_is_not_utf8_hides_no_other_name(site):
    """A Part 2 file named on a non-UTF-8 disk reaches the scan with lone surrogates; the
    names after it must still be found, and texts holding such characters still read."""
    from foia.proof.scan import Scanner

    odd = Fingerprint("filename", "decisions/2015/r\udce9sum\udce9.pdf", "r\udce9sum\udce9.pdf", "x")
    scanner = Scanner([odd, *fingerprints()])
    write(site, "notes.txt", "see dmpcd-2016-002.part2.pdf here")
    write(site, "odd.json", '{"a": "r\\udce9sum\\udce9.pdf and \\ud800 alone"}')
    leaks = scanner.scan_site(site, workers=1)
    assert [(leak.file, leak.what) for leak in leaks if "names withheld file" in leak.what] == [
        ("notes.txt", "names withheld file decisions/2016/dmpcd-2016-002.part2.pdf"),
        ("odd.json", "names withheld file decisions/2015/r\udce9sum\udce9.pdf"),
    ]


@pytest.mark.parametrize("packed", [
    lambda leak: gzip.compress(b"nothing here ") + gzip.compress(leak),
    lambda leak: gzip.compress(b"nothing here ") + leak,
    lambda leak: gzip.compress(b"nothing here ") + b"\x1f\x8b damaged " + leak,
])
def test_nothing_hides_after_the_first_member_of_a_gzip_file(site, packed):
    write(site, "sitemap.xml.gz", packed(CANARY.encode()))
    assert "sitemap.xml.gz" in {leak.file for leak in scan(site)}


def test_a_small_text_budget_per_batch_changes_no_result(site, monkeypatch):
    import foia.proof.scan

    for i in range(5):
        write(site, f"p{i}/index.html", page(f"<p>Page {i}. {CANARY if i == 3 else ''}</p>"))
    expected = scan(site)
    monkeypatch.setattr(foia.proof.scan, "BATCH_BYTES", 1)
    assert scan(site) == expected and {leak.file for leak in expected} == {"p3/index.html"}


def test_a_calling_script_without_a_main_guard_still_gets_the_whole_scan(tmp_path):
    """Its workers import the script as their main module, which runs the scan again and
    fails; the scan then runs in the script's process, not waiting on workers forever."""
    import subprocess
    import sys

    site = tmp_path / "site"
    for i in range(1100):
        write(site, f"p{i:04d}/index.html", page(f"<p>Page {i}. {CANARY if i == 1050 else ''}</p>"))
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from foia.proof.fingerprints import Fingerprint\n"
        "from foia.proof.normalise import normalise\n"
        "from foia.proof.scan import Scanner\n"
        f"needle = normalise({'ZEBRA QUARTZ ELEVEN for the test'!r})\n"
        f"leaks = Scanner([Fingerprint('text', 'x.md', needle, 'x')]).scan_site({str(site)!r}, workers=2)\n"
        "print('LEAKS', [leak.file for leak in leaks])\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "LEAKS ['p1050/index.html']" in proc.stdout.splitlines(), proc.stdout


def test_the_folder_listing_is_what_rglob_lists(tmp_path):
    from pathlib import Path

    from foia.proof.scan import _files_in

    s = tmp_path / "site"
    write(s, "a/b/c.html", "x")
    write(s, ".hidden/.x", "x")
    write(s, "z.txt", "x")
    (s / "empty").mkdir()
    (s / "link.txt").symlink_to(s / "z.txt")
    (s / "linked-folder").symlink_to(s / "a", target_is_directory=True)
    (s / "dangling").symlink_to(s / "nowhere")
    expected = sorted(p.relative_to(s).as_posix() for p in Path(s).rglob("*") if p.is_file())
    assert _files_in(s) == expected


def test_suffix_is_paths_suffix():
    from pathlib import Path

    from foia.proof.extract import suffix as _suffix

    for rel in ["a/b.HTML", "a.b/c", "a/.hidden", "a/b.", "x.tar.GZ", "noext", "a/..", "a/b..c", "dir/.x.y"]:
        assert _suffix(rel) == Path(rel).suffix.lower(), rel


@pytest.mark.parametrize("href", [
    "../dmpcd-2016-002/", "../dmpcd&#45;2016&#45;002/", "../dmpcd-2016-%30%30%32/", "../dmpcd-2016-&#x30;02/index.html",
    "https://decisions.test/decisions/2016/dmpcd-2016-002/", "../dmpcd-20&#9;16-002/", "/decisions/2016/DMPCD-2016-002/",
])
def test_withheld_links_quick_check_never_skips_a_link_the_parser_would_resolve(href):
    """The check before parsing looks at the raw fragment with entities decoded; a link
    spelled with entities, %-escapes or a tab must still be parsed and found."""
    html = f"<p>See <a href=\"{href}\">the other decision</a>.</p>"
    base = "decisions/2016/dmpcd-2016-001/index.html"
    urls = {"decisions/2016/dmpcd-2016-002/"}
    slow = _link_checker(frozenset(urls)).withheld_targets(
        base, lxml.html.fragment_fromstring(html, create_parent="div").xpath("//@href"))
    assert withheld_links(base, html, urls) == slow
    if "DMPCD" not in href:
        assert slow, "the case is a real link to the withheld page"


def test_withheld_links_skips_the_parse_when_nothing_can_name_a_withheld_page(monkeypatch):
    import foia.proof.scan as leakscan_module

    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed although no withheld URL segment is in the fragment")

    monkeypatch.setattr(leakscan_module.lxml.html, "fragment_fromstring", no_parse)
    html = "<h2 id='summary'>Summary<a class='headerlink' href='#summary'>¶</a></h2><p>Text.</p>"
    assert withheld_links("decisions/2016/dmpcd-2016-001/index.html", html, {"decisions/2016/dmpcd-2016-002/"}) == []


def test_a_reading_made_ahead_is_the_scans_reading_of_the_same_bytes(site, monkeypatch):
    """ProofSession.read_ahead reads files in a worker while the site builds; the scan takes
    that reading for a site file with the same bytes (and finds the same leaks)."""
    import datetime as dt

    import foia.proof.scan as scan_module
    from foia.proof.scan import ProofSession
    from foia.rules.plan import Plan

    plan = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=fingerprints())
    annex = _pdf_of(CANARY)
    write(site, "decisions/2016/dmpcd-2016-001.annex.pdf", annex)
    expected = ProofSession().scan(site, plan)
    assert {leak.file for leak in expected} == {"decisions/2016/dmpcd-2016-001.annex.pdf"}

    session = ProofSession()
    assert session.read_ahead({"decisions/2016/dmpcd-2016-001.annex.pdf": annex, "index.md": b"# Home"})
    real_read = scan_module.extract.read

    def read_no_pdf(rel, data, **kwargs):
        assert not rel.endswith(".pdf"), "read again although read ahead"
        return real_read(rel, data, **kwargs)

    monkeypatch.setattr(scan_module.extract, "read", read_no_pdf)
    assert session.scan(site, plan) == expected


def test_without_a_worker_to_read_ahead_the_scan_reads_everything_itself(site, monkeypatch):
    import datetime as dt

    import foia.proof.scan as scan_module
    from foia.proof.scan import ProofSession
    from foia.rules.plan import Plan

    monkeypatch.setattr(scan_module, "start_workers", lambda: False)
    plan = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=fingerprints())
    write(site, "a/annex.pdf", _pdf_of(CANARY))
    session = ProofSession()
    assert not session.read_ahead({"a/annex.pdf": _pdf_of(CANARY)})
    assert {leak.file for leak in session.scan(site, plan)} == {"a/annex.pdf"}


def test_reading_ahead_leaves_the_build_with_one_thread():
    """The build forks its render-ahead helper only while it has a single thread."""
    import threading

    from foia.proof.scan import ProofSession

    session = ProofSession()
    assert session.read_ahead({"a/annex.pdf": _pdf_of(CANARY)})
    assert threading.active_count() == 1
    session.discard_ahead()


def test_pages_scanned_beside_the_build_are_passed_only_byte_for_byte(site, monkeypatch):
    """ProofSession.scan_ahead scans pages as the generator writes them. The scan of the
    finished folder skips a page only if the scan ahead passed those very bytes at that path:
    a page that leaks is never passed ahead, and a page changed after it was scanned ahead
    (here: a leak written into it later) is read again and found."""
    import datetime as dt
    import time

    import foia.proof.scan as scan_module
    from foia.proof.scan import ProofSession
    from foia.rules.plan import Plan

    plan = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=fingerprints())
    pages = {f"decisions/2016/dmpcd-2016-{i:03d}/index.html": page(f"<p>Public decision {i}.</p>") for i in range(80)}
    pages["decisions/2016/dmpcd-2016-050/index.html"] = page(f"<p>{CANARY}</p>")  # leaks from the start
    session = ProofSession()
    assert session.scan_ahead(site, plan)
    for rel, html in pages.items():
        session.page_coming(rel)
        write(site, rel, html)
    # Changed after it was handed over: scanned ahead before or after the change (timing),
    # never passed with these bytes.
    time.sleep(3)  # time to scan what was sent (what it has not reached, the final scan reads)
    write(site, "decisions/2016/dmpcd-2016-000/index.html", page(f"<p>Changed after: {CANARY}</p>"))
    read = []
    real_read = scan_module.extract.read
    monkeypatch.setattr(scan_module.extract, "read", lambda rel, data, **kw: read.append(rel) or real_read(rel, data, **kw))
    leaks = session.scan(site, plan)
    assert {leak.file for leak in leaks} == {"decisions/2016/dmpcd-2016-000/index.html",
                                             "decisions/2016/dmpcd-2016-050/index.html"}
    # Pages 0 to 63 were sent (the rest are left to the final scan); never the leaking one.
    assert 1 <= session.passed_ahead <= 63
    read_again = {r for r in read if r.startswith("decisions/")}
    assert {"decisions/2016/dmpcd-2016-000/index.html", "decisions/2016/dmpcd-2016-050/index.html"} <= read_again
    assert len(read_again) == 80 - session.passed_ahead + 1  # page 0 was passed with its earlier bytes
    assert leaks == ProofSession().scan(site, plan)  # what a scan without the work ahead finds


def test_a_scan_ahead_that_dies_leaves_the_whole_scan_to_the_build(site):
    import datetime as dt

    from foia.proof.scan import ProofSession
    from foia.rules.plan import Plan

    plan = Plan(day=dt.date(2016, 1, 1), public=[], withheld=[], errors=[], fingerprints=fingerprints())
    session = ProofSession()
    assert session.scan_ahead(site, plan)
    session._scan_ahead._worker.kill()
    for i in range(40):
        session.page_coming(f"p{i}/index.html")
        write(site, f"p{i}/index.html", page(f"<p>{CANARY if i == 7 else 'Fine.'}</p>"))
    assert {leak.file for leak in session.scan(site, plan)} == {"p7/index.html"}
    assert session.passed_ahead == 0
