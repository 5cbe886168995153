"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tokenlint.cli import main

# The conformance tests import LiteLLM, which fetches its model price map from the network at import
# unless told to use the copy it ships: no test sends anything anywhere.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

# Tests that start tokenlint (or flake8 with its plugin) in a subprocess test this checkout, not
# whichever copy the environment has installed (an editable install of another worktree).
CHECKOUT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (CHECKOUT, os.environ.get("PYTHONPATH")) if p)


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory):
    """The cache key (tokenlint.seal) of the test session, not of whoever runs the tests: a fresh
    user cache folder for this process and every tokenlint it starts."""
    import os

    from tokenlint import seal

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    seal._key = seal._key_problem = None  # noqa: SLF001 - read again from the new place
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old
    seal._key = seal._key_problem = None  # noqa: SLF001


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
