"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tokenlint.cli import main


@pytest.fixture
def run(monkeypatch):
    """The CLI in-process from a working directory (stdout and stderr kept apart); a crash is a
    test error, never a swallowed exit code."""

    def _run(cwd: Path, *args: str):
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return _run


@pytest.fixture
def cli(run):
    return run
