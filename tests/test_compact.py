"""Pages without the templates' blank lines and indentation: what a browser shows is the
same, and white space that can show (pre, code, scripts, an inline white-space style) is kept."""

from __future__ import annotations

import re

import lxml.html
import pytest

from foia.outputs.compact import compact_html


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>a\n    b</p>\n\n\n  <p>c</p>", "<p>a\nb</p>\n<p>c</p>"),
    ("<div>\n\t \n</div>", "<div>\n</div>"),
    ("<p>one two</p>", "<p>one two</p>"),  # spaces without a line break: untouched
    ("<pre>  keep\n    this\n</pre>\n   <p>x</p>", "<pre>  keep\n    this\n</pre>\n<p>x</p>"),
    ("<p><code>a\n   b</code>\n  c</p>", "<p><code>a\n   b</code>\nc</p>"),
    ("<kbd>Ctrl\n  C</kbd>", "<kbd>Ctrl\n  C</kbd>"),
    ("<script>var s = `a\n   b`;</script>\n  <i>x</i>", "<script>var s = `a\n   b`;</script>\n<i>x</i>"),
    ("<style>\n  p { }\n</style>", "<style>\n  p { }\n</style>"),
    ("<textarea>\n  line\n</textarea>", "<textarea>\n  line\n</textarea>"),
    ("<PRE>\n  x\n</PRE>\n  y", "<PRE>\n  x\n</PRE>\ny"),
    ("<pre>unclosed\n   stays", "<pre>unclosed\n   stays"),
    ("<prefix>\n   a</prefix>", "<prefix>\na</prefix>"),  # not a pre element
    ('<p style="white-space: pre">a\n    b</p>\n   <p>c</p>', '<p style="white-space: pre">a\n    b</p>\n   <p>c</p>'),
])
def test_compact_html(html, expected):
    assert compact_html(html) == expected
    assert compact_html(expected) == expected  # idempotent


def _shown_text(html: str) -> str:
    """The text of a page with runs of white space made one space, as a browser collapses them."""
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter("script", "style", "pre", "code", "kbd", "textarea"):
        el.drop_tree()
    return " ".join(doc.text_content().split())


def test_a_built_site_is_compact_and_reads_exactly_as_before(project):
    """Every page of a real build, compared with the same build without compaction: the
    text a browser shows, every element and every attribute are the same; the kept
    elements are byte for byte the same; and no page has a blank line or indentation left."""
    project.add_record("DMPCD 2016 001", "2016-01-11", "First para.\n\n    indented code\n    stays\n\n"
                       "Some `inline   code` and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    project.add_record("DMPCD 2016 002", "2016-02-01", '<p style="white-space: pre">Kept\n    as written</p>\n')
    project.build("2016-06-01")
    compact = {rel: data.decode() for rel, data in project.site_files().items() if rel.endswith(".html")}
    yml = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(yml.replace("  - foia:\n", "  - foia:\n      compact_html: false\n"),
                                             encoding="utf-8")
    project.build("2016-06-01")
    loose = {rel: data.decode() for rel, data in project.site_files().items() if rel.endswith(".html")}
    assert compact.keys() == loose.keys() and len(compact) > 5
    saved = 0
    for rel, page in compact.items():
        before = loose[rel]
        assert _shown_text(page) == _shown_text(before), rel
        for tag in ("pre", "code", "script", "style"):
            kept = re.compile(rf"<{tag}\b.*?</{tag}>", re.S)
            assert kept.findall(page) == kept.findall(before), (rel, tag)
        tags = [(el.tag, sorted(el.attrib.items())) for el in lxml.html.document_fromstring(page).iter()]
        assert tags == [(el.tag, sorted(el.attrib.items())) for el in lxml.html.document_fromstring(before).iter()]
        if "white-space: pre" in before:
            assert page == before, rel
            continue
        outside = re.sub(r"<(pre|code|kbd|script|style|textarea)\b.*?</\1>", "<kept/>", page, flags=re.S)
        assert not re.search(r"\n[ \t]*\n|\n[ \t]+", outside), rel
        saved += len(before) - len(page)
    assert saved > 0
