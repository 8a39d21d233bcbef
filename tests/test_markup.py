"""markup.py: the speed trick (rendering only the blocks that can hold markup or a link)
finds exactly the links and hiding markup of the plain rule (rendering the whole body),
on the sample records and on thousands of bodies mixing every kind of block."""

from __future__ import annotations

import random

import pytest

from conftest import ROOT
from foia.rules import markup
from foia.rules.records import split_front_matter

BLOCKS = [
    "A plain paragraph about the decision.",
    "A paragraph with [a link](annex.pdf) and ![an image](chart.png).",
    "A paragraph with a [reference link][ref] in it.",
    "[ref]: Appendix%20A.pdf \"Appendix A\"",
    "[ref2]: two.pdf\n    <span hidden>after a definition</span> [r](after-def.pdf)",
    "Text before\n[ref3]: three.pdf\nand after a definition [three][ref3]",
    "- first item\n- second item with [a link](<Appendix B.pdf>)",
    "- a list item",
    "    an indented continuation with <span hidden>hidden</span> and [x](indented.pdf)",
    "    <script>an indented code block or a continuation</script>",
    "1. numbered\n\n    continued paragraph [y](numbered.pdf)",
    "<div hidden>",
    "</div>",
    "<div markdown=\"1\">",
    "Inside a div: [z](in-div.pdf)",
    "| a | b |\n|:--|--:|\n| <span style=\"display:none\">x</span> | [t](table.pdf) |",
    "A paragraph with attributes.\n{: style=\"opacity:0\" }",
    "## A heading {: hidden }",
    "Term\n: A definition with [d](def.pdf).",
    "`<template>` in code, and `[not a link](code.pdf)`.",
    "<template>\ncontent\n</template>",
    "Text < 3 and { braces } and [brackets].",
    "<p>raw <b>bold</b></p>",
    "> A quote with [q](quote.pdf).\n>\n> <span hidden>q</span>",
    "    plain indented text",
    "\tA tab-indented block with [tab](tab.pdf)",
    "<!DOCTYPE x>",
    ": another definition with <span hidden>x</span>",
    "> a second quote [q2](quote2.pdf)",
    "* a star item\n{: style=\"color:red\" }",
    "2) a parenthesised item [p](paren.pdf)",
    "Setext heading\n==============",
    "---",
]


def agree(body: str) -> None:
    renderer = markup.Renderer()
    whole, parts = renderer.html(body, whole=True), renderer.html(body)
    assert markup.links(parts) == markup.links(whole), body
    # The same problems, whichever element carries them (a loose or tight list item).
    assert {h.needles for h in markup.hidden_markup(parts)} == {h.needles for h in markup.hidden_markup(whole)}, body


@pytest.mark.parametrize("seed", range(60))
def test_rendering_the_markup_parts_finds_what_rendering_the_whole_body_finds(seed):
    rng = random.Random(seed)
    for _ in range(50):
        blocks = rng.choices(BLOCKS, k=rng.randint(1, 8))
        separators = [rng.choice(["\n\n", "\n\n\n", "\n  \n", "\n"]) for _ in blocks]
        agree("".join(b + s for b, s in zip(blocks, separators, strict=True)))


def test_the_sample_records_agree():
    for path in sorted((ROOT / "content" / "decisions").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, body = split_front_matter(str(path), text)
        agree(body + "\n\nSee [the annex](x.pdf) and <span style=\"display:none\">x</span>.\n")


def test_a_body_without_markup_is_not_rendered_at_all():
    assert markup.markup_parts("A paragraph.\n\nAnother one.") == ""
    assert markup.Renderer().html("A paragraph.\n\nAnother one.") == ""
