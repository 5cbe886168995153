"""The gate runs the installed tokenlint, never code from the checkout it reads.

A pull request can add a `tokenlint/` package, a `tokenlint.py`, or modules named like tokenlint's
dependencies or the standard library's. Each payload below leaves a mark in the runner's home and
prints a passing verdict; the runner's tokenlint must report exactly the clean tree's findings and
leave no mark.
"""

from __future__ import annotations

import sys

import pytest

from tests.security.clones import attack_and_clean, gate

TREE = {
    "pyproject.toml": "[tool.tokenlint]\n",
    "app/llm.py": (
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': q}])\n"
    ),
}


def payload(name: str) -> str:
    return ("import os, sys\n"
            f"open(os.path.join(os.environ.get('HOME', '.'), 'pwned-{name}'), 'w').close()\n"
            "print('All checks passed!')\n"
            "sys.exit(0)\n")


SHADOWS = {  # modules tokenlint imports on its way to reading a file
    "click.py": payload("click"),
    "pathspec/__init__.py": payload("pathspec"),
    "libcst/__init__.py": payload("libcst"),
    "tomllib.py": payload("tomllib"),
    "difflib.py": payload("difflib"),
}
OWN_NAME = {
    "tokenlint/__init__.py": payload("package"),
    "tokenlint/__main__.py": payload("main"),
    "tokenlint/cli.py": payload("cli"),
    "tokenlint.py": payload("module"),
}


def marks(*folders) -> list[str]:
    return sorted(p.name for f in folders for p in f.rglob("pwned-*"))


def compare(tmp_path, attack, command=()):
    clean, attacked = attack_and_clean(tmp_path, TREE, attack)
    expected = gate(clean, tmp_path / "clean-runner", "check", "-q", "--no-cache", ".")
    assert expected.code == 1 and "TKL101" in expected.out
    runner = tmp_path / "runner"
    for extra in (("--no-cache",), ()):
        got = gate(attacked, runner, "check", "-q", ".", *extra, command=command)
        assert (got.code, got.out) == (expected.code, expected.out), got.err
    assert marks(runner, attacked) == []


def test_the_console_script_never_imports_the_checkout(tmp_path):
    compare(tmp_path, {**OWN_NAME, **SHADOWS})


@pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is new in Python 3.11")
def test_python_P_m_tokenlint_never_imports_the_checkout(tmp_path):
    compare(tmp_path, {**OWN_NAME, **SHADOWS}, command=(sys.executable, "-P", "-m", "tokenlint"))


@pytest.mark.parametrize("pythonpath", [None, "."])
def test_python_m_tokenlint_imports_no_dependency_from_the_checkout(tmp_path, monkeypatch, pythonpath):
    """`python -m` puts the working directory on sys.path (PYTHONPATH=. a second time): every such
    entry goes before tokenlint imports anything."""
    if pythonpath:
        monkeypatch.setenv("PYTHONPATH", pythonpath)
    compare(tmp_path, SHADOWS, command=(sys.executable, "-m", "tokenlint"))


def test_python_m_tokenlint_in_a_checkout_with_its_own_tokenlint_runs_that_one(tmp_path):
    """Why the README says: in CI, the console script (or `python -P -m`). Python finds `tokenlint`
    in the working directory before the installed one, so no code of tokenlint's runs at all; if this
    ever fails, Python stopped doing so and the advice can be relaxed."""
    _, attacked = attack_and_clean(tmp_path, TREE, OWN_NAME)
    runner = tmp_path / "runner"
    got = gate(attacked, runner, "check", ".", command=(sys.executable, "-m", "tokenlint"))
    assert got.out.strip() == "All checks passed!" and marks(runner) == ["pwned-package"]
