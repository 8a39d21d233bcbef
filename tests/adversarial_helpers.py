"""Shared checks of the adversarial build tests: a refused build names what is wrong and
never shows a traceback; withheld text is in no file of the site."""

from __future__ import annotations

import subprocess

from conftest import SiteProject


def assert_refused(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """The build failed, said each needle, and did not crash."""
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the build should have failed:\n{output}"
    assert "Traceback" not in output, f"a crash, not a clear error:\n{output}"
    for needle in needles:
        assert needle in output, f"{needle!r} not named in:\n{output}"
    return output


def assert_absent(project: SiteProject, *needles: str) -> None:
    assert project.site.is_dir(), "the site was built"
    for needle in needles:
        assert project.files_containing(needle) == [], f"{needle!r} reached the site"


def non_strict(project: SiteProject) -> SiteProject:
    """The plugin's strict option off (problems withhold with a warning) and MkDocs' too."""
    project.configure(strict=False, mkdocs_strict=False)
    return project
