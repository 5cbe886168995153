"""Folder runs skip only what they should: a committed file cannot hide tracked code from the gate.

Each attack commits something that used to make discovery skip a folder or file (an empty
`pyvenv.cfg`, a fake interpreter, a package named `build`, `dist` or `env`, `.gitignore` patterns),
and the gate (`tokenlint check .` with its cache, on a fresh clone) must report exactly what
`--no-cache` reports on the clean tree. What discovery should skip (untracked build output and
virtualenvs) stays skipped.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.security.clones import Files, attack_and_clean, clone, gate, repository, write

UNTAGGED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[{'role': 'user', 'content': q}])\n"
)
CLEAN: Files = {"pyproject.toml": "[tool.tokenlint]\n", "app/__init__.py": "", "app/llm.py": UNTAGGED,
                "main.py": "from app.llm import ask\nprint(ask('hi'))\n"}
TODAY = ("--today", "2026-06-01")


def _reported(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": TKL" in line or line.startswith("Found ")]


def _same_as_clean(tmp_path, attack: Files) -> None:
    clean, attacked = attack_and_clean(tmp_path, CLEAN, attack)
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", *TODAY, ".")
    assert want.code == 1 and "app/llm.py" in want.out
    for _ in range(2):  # cold, then from the cache the first run wrote
        got = gate(attacked, runner, "check", *TODAY, ".")
        assert (got.code, _reported(got.out)) == (want.code, _reported(want.out)), got.err


@pytest.mark.parametrize("attack", [
    {"app/pyvenv.cfg": ""},
    {"pyvenv.cfg": "home = /usr/bin\n"},
    {"app/pyvenv.cfg": "home = /usr/bin\n", "app/bin/python": "#!/bin/sh\n", "app/Scripts/python.exe": "MZ"},
    {"pyvenv.cfg": "home = /usr/bin\n", "bin/python": "#!/bin/sh\n"},
], ids=["empty-pyvenv-cfg", "root-pyvenv-cfg", "fake-venv-in-package", "fake-venv-at-root"])
def test_a_committed_virtualenv_marker_hides_nothing_tracked(tmp_path, attack):
    _same_as_clean(tmp_path, attack)


@pytest.mark.parametrize("attack", [
    {".gitignore": "app/\n"},
    {".gitignore": "*.py\n"},
    {".gitignore": "llm.py\nmain.py\n"},
    {"app/.gitignore": "*\n"},
    {".gitignore": "/*\n!.gitignore\n"},
], ids=["folder", "every-py", "by-name", "nested-star", "everything"])
def test_gitignore_cannot_hide_a_tracked_file(tmp_path, attack):
    _same_as_clean(tmp_path, attack)


@pytest.mark.parametrize("name", ["build", "dist", "env", "venv", "node_modules", "__pycache__", "site-packages"])
def test_a_tracked_package_with_a_build_output_name_is_analysed(tmp_path, name):
    moved = {k.replace("app/", f"{name}/"): v.replace("app.llm", f"{name}.llm") for k, v in CLEAN.items()}
    clean = clone(repository(tmp_path / "clean-origin", CLEAN), tmp_path / "ci" / "clean")
    attacked = clone(repository(tmp_path / "attacked-origin", moved), tmp_path / "ci" / "attacked")
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", *TODAY, ".")
    got = gate(attacked, runner, "check", *TODAY, ".")
    assert got.code == want.code == 1
    assert _reported(got.out) == [line.replace("app/", f"{name}/") for line in _reported(want.out)]


def test_untracked_build_output_and_virtualenvs_stay_skipped(tmp_path):
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"README.txt": "x\n"})
    # what a build and a developer's virtualenv leave in the checkout, never committed
    write(attacked, {"build/lib/app/llm.py": UNTAGGED, "dist/x/llm.py": UNTAGGED, ".venv/lib/site.py": UNTAGGED,
                     "py311/pyvenv.cfg": "home = /usr/bin\n", "py311/lib/site.py": UNTAGGED,
                     "py311/bin/python": "#!/bin/sh\n"})
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", *TODAY, ".")
    got = gate(attacked, runner, "check", *TODAY, ".")
    assert (got.code, _reported(got.out)) == (want.code, _reported(want.out))


def test_config_excludes_still_remove_tracked_files(tmp_path):
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"pyproject.toml": '[tool.tokenlint]\nexclude = ["app/"]\n'})
    runner = tmp_path / "runner"
    got = gate(attacked, runner, "check", *TODAY, ".")
    assert got.code == 0 and "app/llm.py" not in got.out  # documented suppression: the config's exclude


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX PATH handling")
def test_without_git_discovery_degrades_to_the_folder_walk(tmp_path, monkeypatch):
    from tokenlint.discovery import discover

    repo = repository(tmp_path / "repo", {**CLEAN, ".gitignore": "ignored/\n", "build/gen.py": "x = 1\n",
                                          "ignored/x.py": "x = 1\n"})
    with_git = sorted(p.relative_to(repo).as_posix() for p in discover([repo], repo))
    assert with_git == ["app/__init__.py", "app/llm.py", "build/gen.py", "ignored/x.py", "main.py"]
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # git cannot be run: nothing is known of what it tracks
    monkeypatch.setattr("tokenlint.gitinfo._memo", {})
    without = sorted(p.relative_to(repo).as_posix() for p in discover([repo], repo))
    assert without == ["app/__init__.py", "app/llm.py", "main.py"]
    assert os.environ["PATH"] == str(empty)


def test_a_checkout_named_through_dot_dot_gets_the_same_answer(tmp_path):
    """`tokenlint check ../checkout` (as the README's base-worktree recipe runs it) finds the same files."""
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {".gitignore": "app/\n", "pyproject.toml":
                                                         '[tool.tokenlint]\nexclude = ["main.py"]\n'})
    write(attacked, {"app/untracked.py": UNTAGGED})  # ignored and untracked: skipped
    beside = tmp_path / "ci" / "beside"
    beside.mkdir()
    runner = tmp_path / "runner"
    want = gate(attacked, runner, "check", "--no-cache", *TODAY, ".")
    got = gate(beside, runner, "check", "--no-cache", *TODAY, "../attacked")
    assert (got.code, _reported(got.out)) == (want.code, _reported(want.out))
    assert "app/llm.py" in want.out and "untracked" not in want.out
