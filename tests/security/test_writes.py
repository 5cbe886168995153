"""Writes stay inside: the repository cannot point the cache, its marker or `tokenlint clean` at
anything outside the checkout and the runner's user cache, nor make an import read code outside.

Each attack is committed to a pull request's tree and run on a fresh clone by the installed console
script (tests/security/clones.py). Beside every checkout sits an `outside` folder standing for the
runner's other files; the assertion is always that it is exactly as it was.
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.security.clones import UNTAGGED_APP, clone, commit, gate, git, repository
from tokenlint import cachedir

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links in a clone")

TODAY = ("--today", "2026-12-01")
TREE = UNTAGGED_APP
CACHE = ".tokenlint_cache"


def snapshot(folder):
    """Every entry under `folder` (links as their targets, files as their bytes): what a write changes."""
    out = {}
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(here, name)
            rel = os.path.relpath(p, folder)
            out[rel] = ("link", os.readlink(p)) if os.path.islink(p) else \
                ("file", open(p, "rb").read()) if os.path.isfile(p) else ("dir", None)
    return out


@pytest.fixture
def outside(tmp_path):
    """Files of the runner beside the checkouts: a marked cache (so `clean` would take it), a note."""
    where = tmp_path / "ci" / "outside"
    (where / "cache").mkdir(parents=True)
    (where / "cache" / ".gitignore").write_text("# created by tokenlint\n*\n", encoding="utf-8")
    (where / "cache" / "keep.txt").write_text("runner data\n", encoding="utf-8")
    (where / "note.txt").write_text("runner data\n", encoding="utf-8")
    before = snapshot(where)
    yield where
    assert snapshot(where) == before, "something was written or removed outside the checkout"


def clean_report(tmp_path, *args):
    checkout = clone(repository(tmp_path / "expected" / "origin", TREE), tmp_path / "expected" / "ci")
    got = gate(checkout, tmp_path / "expected" / "runner", *args, *TODAY, "--no-cache")
    assert got.code == 1 and "TKL101" in got.out
    return got


def fresh(tmp_path, files=None):
    """A fresh clone (at the CI path) of TREE with `files` committed on top."""
    return clone(repository(tmp_path / "attacked-origin", {**TREE, **(files or {})}), tmp_path / "ci" / "attacked")


def with_links(tmp_path, links, files=None):
    """A fresh clone of TREE plus committed symbolic links {path: target} and files."""
    origin = tmp_path / "attacked-origin"
    repository(origin, {**TREE, **(files or {})})
    for path, target in links.items():
        (origin / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, origin / path)
    git(origin, "add", "-f", "-A")
    git(origin, "commit", "-q", "-m", "links")
    return clone(origin, tmp_path / "ci" / "attacked")


@pytest.mark.parametrize("target", ["../outside/cache", "ABSOLUTE", "../outside/new"])
def test_a_committed_symlinked_cache_folder_is_neither_read_nor_written(tmp_path, outside, target):
    target = str(outside / "cache") if target == "ABSOLUTE" else target
    expected = clean_report(tmp_path, "check", ".")
    checkout = with_links(tmp_path, {CACHE: target})
    for _ in range(2):
        got = gate(checkout, tmp_path / "runner", "check", ".", *TODAY)
        assert (got.code, got.out) == (expected.code, expected.out)
        assert "git tracks files" in got.err and len(got.err.splitlines()) == 1
    assert not (outside / "new").exists()


@pytest.mark.parametrize("value", ["../outside/cache", "../outside/new", "ABSOLUTE", ".", "app/.."])
def test_a_cache_dir_outside_the_project_is_an_error(tmp_path, outside, value):
    """Outside, or the project root itself (which `clean` would then remove)."""
    value = str(outside / "cache") if value == "ABSOLUTE" else value
    checkout = fresh(tmp_path, {"pyproject.toml": f"[tool.tokenlint]\ncache-dir = {json.dumps(value)}\n"})
    commands = [("check", "."), ("clean",)] + ([("inventory", ".")] if value == "../outside/new" else [])
    for args in commands:
        got = gate(checkout, tmp_path / "runner", *args)
        assert got.code == 2 and got.out == ""
        assert len(got.err.splitlines()) == 1 and got.err.startswith("tokenlint: error: cache-dir")
    (checkout / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    on_command_line = gate(checkout, tmp_path / "runner", "check", ".", "--cache-dir", value)
    assert on_command_line.code == 2 and on_command_line.err.startswith("tokenlint: error: cache-dir")
    assert not (outside / "new").exists()


def test_a_cache_dir_in_the_user_cache_folder_is_used(tmp_path):
    runner = tmp_path / "runner"
    expected = clean_report(tmp_path, "check", ".")
    where = runner / ".cache" / "tokenlint" / "projects" / "app"
    checkout = fresh(tmp_path)
    for _ in range(2):
        got = gate(checkout, runner, "check", ".", *TODAY, "--cache-dir", str(where))
        assert (got.code, got.out, got.err) == (expected.code, expected.out, "")
    assert (where / ".gitignore").is_file() and list(where.rglob("*.json"))
    assert not (checkout / CACHE).exists()


def test_links_inside_the_cache_folder_are_never_written_through(tmp_path, outside):
    """Whatever put them there (the cache folder is untracked here), a link where the marker, a
    folder or an entry should be is replaced or refused, never followed."""
    expected = clean_report(tmp_path, "check", ".")
    checkout = fresh(tmp_path)
    cache = checkout / CACHE
    cache.mkdir()
    os.symlink(outside / "note.txt", cache / ".gitignore")
    for name in ("v2", "runs-v2", "catalog-v2"):
        os.symlink(outside / "cache", cache / name)
    for _ in range(2):
        got = gate(checkout, tmp_path / "runner", "check", ".", *TODAY)
        assert (got.code, got.out) == (expected.code, expected.out)
    assert os.path.islink(cache / ".gitignore")  # left as it was: the marker is only ever created


def test_clean_removes_only_a_marked_cache_inside(tmp_path, outside):
    checkout = fresh(tmp_path)
    runner = tmp_path / "runner"
    assert gate(checkout, runner, "check", ".").code == 1
    assert (checkout / CACHE / ".gitignore").is_file()
    got = gate(checkout, runner, "clean")
    assert got.code == 0 and "removed" in got.out and not (checkout / CACHE).exists()
    # unmarked, symlinked (to a marked folder outside), outside, or the project root itself
    (checkout / "data").mkdir()
    (checkout / "data" / "x.txt").write_text("keep\n", encoding="utf-8")
    os.symlink(outside / "cache", checkout / "linked")
    (checkout / ".gitignore").write_text("# created by tokenlint\n*\n", encoding="utf-8")
    for value, reason in (("data", "not a tokenlint cache"), ("linked", "symbolic link"),
                          (str(outside / "cache"), "resolves to"), ("../outside/cache", "resolves to"),
                          (".", "resolves to")):
        got = gate(checkout, runner, "clean", "--cache-dir", value)
        assert got.code == 2 and reason in got.err and len(got.err.splitlines()) == 1, (value, got.err)
    assert (checkout / "data" / "x.txt").is_file() and (checkout / "app" / "llm.py").is_file()


def test_git_is_asked_again_only_when_its_index_changed(tmp_path, monkeypatch):
    """Whether git tracks the cache folder is remembered per index state (in the user cache
    folder), so a warm run starts no git; a file committed into the folder later is still noticed."""
    repo = repository(tmp_path / "repo", TREE)
    (repo / CACHE).mkdir()
    assert cachedir.locate(repo, CACHE) == ((repo / CACHE).resolve(), None)
    with monkeypatch.context() as m:
        m.setattr(cachedir, "tracked", lambda *a: pytest.fail("asked git again"))
        assert cachedir.locate(repo, CACHE)[0] is not None
    commit(repo, {f"{CACHE}/v2/forged.json": "{}"})
    where, why = cachedir.locate(repo, CACHE)
    assert where is None and "git tracks files" in why


def test_clean_leaves_a_committed_cache_folder(tmp_path, outside):
    checkout = fresh(tmp_path, {f"{CACHE}/.gitignore": "# created by tokenlint\n*\n",
                                                    f"{CACHE}/v2/readme.txt": "committed\n"})
    got = gate(checkout, tmp_path / "runner", "clean")
    assert got.code == 2 and "git tracks files" in got.err
    assert (checkout / CACHE / "v2" / "readme.txt").is_file()


LEAK = "model-from-outside-the-checkout"
OUTSIDE_LLM = (
    "from openai import OpenAI\n"
    f"MODEL = {LEAK!r}\n"
    "client = OpenAI()\n"
    "def ask(q, feature):\n"
    "    return client.chat.completions.create(model=MODEL, messages=[], metadata={'feature': feature})\n"
)
IMPORTER = (
    "{imports}\n"
    "def go(q):\n"
    "    return ask(q, feature='search') or client.chat.completions.create(model=MODEL, messages=[])\n"
)


@pytest.mark.parametrize("imports", [
    "from ...outside.llm import MODEL, ask, client",  # one dot too many: above the root
    "from .shared.llm import MODEL, ask, client",  # a committed link to a folder outside
    "from shared.llm import MODEL, ask, client",  # the same, by absolute name
])
def test_imports_never_resolve_outside_the_project(tmp_path, imports):
    """With the runner's files beside the checkout or without them, the report is the same: what
    the imports would have found outside never enters the analysis."""
    files = {"app/views.py": IMPORTER.format(imports=imports), "shared_note.txt": "x\n"}
    checkout = with_links(tmp_path, {"app/shared": "../../outside", "shared": "../outside"}, files)
    runner = tmp_path / "runner"
    args = ("inventory", ".", "--format", "json", "--no-cache")
    without = gate(checkout, runner, *args)
    (tmp_path / "ci" / "outside").mkdir(parents=True)
    (tmp_path / "ci" / "outside" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "ci" / "outside" / "llm.py").write_text(OUTSIDE_LLM, encoding="utf-8")
    present = gate(checkout, runner, *args)
    assert present.code == without.code == 0
    assert LEAK not in present.out and "search" not in present.out
    assert json.loads(present.out) == json.loads(without.out)
    cached, uncached = (gate(checkout, runner, "check", ".", *TODAY, *extra) for extra in ((), ("--no-cache",)))
    assert cached.out == uncached.out and LEAK not in cached.out
