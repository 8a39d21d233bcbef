"""Counting the generator's warnings ourselves, for ``--strict``.

MkDocs (and ProperDocs, its fork) abort a strict build only after ``on_post_build``, when
our site folder would already have replaced site/. So the plugin counts warnings itself and
refuses to publish when there are any. The generator logs under its own package name
("mkdocs" or "properdocs"); the counter listens there, whichever it is."""

from __future__ import annotations

import logging

import mkdocs
from mkdocs.utils import CountHandler


def generator_logger() -> logging.Logger:
    # Under ProperDocs, `import mkdocs` is ProperDocs itself, and its loggers are "properdocs.*".
    return logging.getLogger(mkdocs.__name__.split(".", 1)[0])


class WarningCounter:
    def __init__(self) -> None:
        self.handler = CountHandler()
        self.handler.setLevel(logging.WARNING)
        self.logger = generator_logger()
        self.logger.addHandler(self.handler)

    def counts(self) -> list[tuple[str, int]]:
        return self.handler.get_counts()

    def close(self) -> None:
        self.logger.removeHandler(self.handler)
