"""Route 7: raw HTML in a record. HTML comments never reach the generator (records and
pages); markup that hides text in a record is an error naming the file and the line,
however it is spelt (case, entities, whitespace, attribute lists, nesting)."""

from __future__ import annotations

import pytest
from adversarial_helpers import assert_absent, assert_refused, non_strict

from conftest import record_text
from foia.rules.records import parse_record

PATH = "decisions/2016/dmpcd-2016-031.md"
NOTE = "OCHRE PELICAN"


def parse(body: str):
    return parse_record(PATH, record_text("DMPCD 2016 031", "2016-02-08", body).encode("utf-8"))


def lines_of(body: str, snippet: str) -> range:
    """The file lines a snippet of the body takes (record_text's front matter is 8 lines)."""
    text = record_text("DMPCD 2016 031", "2016-02-08", body)
    first = text[: text.index(snippet)].count("\n") + 1
    return range(first, first + snippet.count("\n") + 1)


HIDING = [
    ("<span hidden>{note}</span>", "'hidden' attribute"),
    ("<p HIDDEN>{note}</p>", "'hidden' attribute"),
    ("<p\nhidden\n>{note}</p>", "'hidden' attribute"),
    ("<p/hidden>{note}</p>", "'hidden' attribute"),
    ("<div markdown=\"1\" hidden>\n{note}\n</div>", "'hidden' attribute"),
    ("A paragraph with {note}.\n{{: hidden }}", "'hidden' attribute"),
    ("A paragraph with {note}.\n{{ hidden }}", "'hidden' attribute"),
    ("A paragraph with {note}.\n{{: style=\"display:none\" }}", "'display: none'"),
    ("<span style=\"display:none\">{note}</span>", "'display: none'"),
    ("<span style=\"DISPLAY : NONE\">{note}</span>", "'display: none'"),
    ("<span style=\"dis&#112;lay:none\">{note}</span>", "'display: none'"),
    ("<span style=\"d\\69splay:none\">{note}</span>", "CSS escapes"),
    ("<span style=\"display:/**/none\">{note}</span>", "CSS escapes or comments"),
    ("<span style=\"visibility:hidden\">{note}</span>", "'visibility: hidden'"),
    ("<span style=\"opacity:0\">{note}</span>", "'opacity: 0'"),
    ("<span style=\"font-size:0\">{note}</span>", "'font-size: 0'"),
    ("<span style=\"position:absolute;left:-9999px\">{note}</span>", "'position: absolute'"),
    ("<span style=\"clip:rect(0 0 0 0)\">{note}</span>", "'clip: rect(0 0 0 0)'"),
    ("<span style=\"color:#fff\">{note}</span>", "'color: #fff'"),
    ("<span style=\"vertical-align:-9999px\">{note}</span>", "'vertical-align: -9999px'"),
    ("<span style=\"text-align:left;height:0;overflow:hidden\">{note}</span>", "'height: 0'"),
    ("<template>{note}</template>", "<template> element"),
    ("<noscript>{note}</noscript>", "<noscript> element"),
    ("<script>var a = '{note}';</script>", "<script> element"),
    ("<style>/* {note} */</style>", "<style> element"),
    ("<object data=\"x.pdf\">{note}</object>", "<object> element"),
    ("<embed src=\"x.pdf\" title=\"{note}\">", "<embed> element"),
    ("<iframe srcdoc=\"{note}\"></iframe>", "<iframe> element"),
    ("<input type=\"hidden\" value=\"{note}\">", "<input> element"),
    ("<INPUT TYPE=HIDDEN VALUE=\"{note}\">", "<input> element"),
    ("<p aria-hidden=\"true\">{note}</p>", "'aria-hidden' attribute"),
    ("<p class=\"md-visually-hidden\">{note}</p>", "'class' attribute"),
    ("<p data-note=\"{note}\">x</p>", "'data-note' attribute"),
    ("<svg><desc>{note}</desc></svg>", "<svg> element"),
    ("<title>{note}</title>", "<title> element"),
    ("<dialog>{note}</dialog>", "<dialog> element"),
    ("<ruby>x<rp>{note}</rp></ruby>", "<ruby> element"),
    ("<canvas>{note}</canvas>", "<canvas> element"),
    ("<p><b><i><span style=\"display:none\">{note}</span></i></b></p>", "'display: none'"),
    ("<![CDATA[ {note} ]]>", "does not show"),
    ("<?php {note} ?>", "does not show"),
    ("<!DOCTYPE {note}>", "does not show"),
    ("<a href=\"javascript:alert('{note}')\">x</a>", "'javascript:' address"),
    ("<a href=\"java&#x09;script:alert('{note}')\">x</a>", "'javascript:' address"),
    ("<a href=\"data:text/html,{note}\">x</a>", "'data:' address"),
    ("<img src=\"data:image/svg+xml,<svg>{note}</svg>\" alt=\"x\">", "'data:' address"),
    ("<span onmouseover=\"alert('{note}')\">x</span>", "'onmouseover' attribute"),
]


@pytest.mark.parametrize(("markup", "named"), HIDING)
def test_markup_that_hides_text_is_an_error_naming_the_line(markup, named):
    body = f"The first paragraph of Part 1.\n\n{markup.format(note=NOTE)}\n\nThe last paragraph."
    record, errors = parse(body)
    assert record is None
    assert errors, "hiding markup must be an error"
    message = str(errors[0])
    assert message.startswith(f"{PATH}: line "), message
    assert any(named in str(e) for e in errors), [str(e) for e in errors]
    line = int(message.split("line ", 1)[1].split(":", 1)[0])
    assert line in lines_of(body, markup.format(note=NOTE)), message


VISIBLE = [
    "Line one<br>line two, <b>bold</b>, <i>italic</i>, <sup>1</sup> and <sub>2</sub>.",
    "| Item | Cost |\n|:-----|-----:|\n| Cameras | £3,400,000 |",
    "<table><tr><th scope=\"col\" colspan=\"2\">Cost</th></tr><tr><td>a</td><td style=\"text-align: right\">1</td></tr></table>",
    "<abbr title=\"Deputy Mayor for Policing and Crime\">DMPC</abbr> approved it.",
    "See [the annex](https://example.org/annex.pdf \"The annex\") and ![a chart](chart.png).",
    "<details><summary>Background</summary>\n\nThe history of the scheme.\n\n</details>",
    "Term\n: Its definition.",
    "Prices rose by 5% <span style=\"font-weight: bold\">this year</span>.",
    "An example of markup in code: `<span hidden>x</span>` and `<!-- not a comment -->`.",
    "A less-than sign: 3 < 4, and an arrow <- here.",
]


@pytest.mark.parametrize("body", VISIBLE)
def test_ordinary_visible_markup_is_accepted(body):
    record, errors = parse(body)
    assert errors == [] and record is not None


def test_comments_are_removed_from_the_published_body():
    record, errors = parse(f"Before.<!-- {NOTE} -->After.\n\n<!--\nA note\nover lines\n-->\nEnd.")
    assert errors == []
    assert NOTE not in record.body and "A note" not in record.body
    assert "Before.After." in record.body and "End." in record.body


@pytest.mark.parametrize("body", [
    f"Text.\n\n<!-- {NOTE} never closed\n\nMore text.",
    f"Text.\n\n<!<!-- x -->-- {NOTE}\n\nMore text.",  # a comment that forms when another is cut out
])
def test_an_unterminated_comment_is_an_error_naming_the_line(body):
    record, errors = parse(body)
    assert record is None
    [error] = errors
    assert str(error) == f"{PATH}: line 12: an HTML comment ('<!--') is never closed with '-->'"


# ------------------------------------------------------------------- real builds


def test_comments_in_records_and_pages_never_reach_the_site(project):
    project.add_record("DMPCD 2016 031", "2016-02-08",
                       f"The public text.<!-- Editor: {NOTE} must not be published -->\n\n<!--\n{NOTE} ONE\n-->\nMore public text.")
    project.write("about.md", f"# About\n\nThe about page.\n\n<!-- {NOTE} TWO -->\n")
    project.build("2016-03-01")
    assert_absent(project, NOTE)
    page = (project.site / "decisions/2016/dmpcd-2016-031/index.html").read_text(encoding="utf-8")
    assert "The public text." in page and "More public text." in page
    assert "The about page." in (project.site / "about/index.html").read_text(encoding="utf-8")


def test_hidden_markup_fails_a_strict_build_naming_file_and_line(project):
    project.add_record("DMPCD 2016 031", "2016-02-08", f"Visible.\n\n<span style=\"display:none\">{NOTE}</span>")
    project.add_record("DMPCD 2016 032", "2016-02-08", f"Visible.\n\nA note: {NOTE}.\n{{: hidden }}")
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc, "decisions/2016/dmpcd-2016-031.md: line 12: the style 'display: none' on <span>",
                   "decisions/2016/dmpcd-2016-032.md: line 13: the 'hidden' attribute on <p>")
    assert not project.site.exists()


def test_with_strict_off_a_record_hiding_text_is_withheld(project):
    non_strict(project)
    project.add_record("DMPCD 2016 030", "2016-02-01", "Another decision, published as usual.")
    project.add_record("DMPCD 2016 031", "2016-02-08", f"Visible text.\n\n<template>{NOTE}</template>")
    project.write("about.md", f"# About\n\nUnterminated <!-- {NOTE} THREE\n")
    proc = project.build("2016-03-01")
    assert_absent(project, NOTE, "dmpcd-2016-031")
    assert "decisions/2016/dmpcd-2016-031.md: line 12: the <template> element" in proc.stderr
    assert "about.md: line 3: an HTML comment ('<!--') is never closed" in proc.stderr
    assert (project.site / "decisions/2016/dmpcd-2016-030/index.html").exists()
    assert not (project.site / "about").exists()


def test_ordinary_markup_builds(project):
    for n, body in enumerate(VISIBLE[:8], 1):
        project.add_record(f"DMPCD 2016 {n:03d}", "2016-02-08", body)
    project.write("decisions/2016/chart.png", b"\x89PNG\r\n\x1a\n")  # shown in Part 1 of 005: published
    project.build("2016-03-01")
    assert (project.site / "decisions/2016/chart.png").exists()
    page = (project.site / "decisions/2016/dmpcd-2016-001/index.html").read_text(encoding="utf-8")
    assert "<sup>1</sup>" in page


def test_lines_are_counted_as_in_the_file_after_comments_are_removed():
    body = "Intro.\n\n<!--\none\ntwo\nthree\n-->\n\n<span hidden>x</span>\n\n<!-- a -->\n<!-- b"
    record, errors = parse(body)
    assert record is None
    assert [str(e).split(":")[1].strip() for e in errors] == ["line 21"]
    record, errors = parse(body.replace("<!-- b", ""))
    assert [str(e).split(":")[1].strip() for e in errors] == ["line 18"]
