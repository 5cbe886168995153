"""`--diff-base` sees every file a pull request changed, whatever its name or attributes.

Each attack commits a pull request on top of a base: an untouched module with findings of its own,
and a change that adds an untagged call. The gate (`check --diff-base HEAD~1` on a fresh clone) must
report exactly what a full `--no-cache` run of the same clone reports, minus the untouched module.
"""

from __future__ import annotations

import pytest

from tests.security.clones import clone, commit, gate, repository
from tokenlint.report.safe import inline

UNTAGGED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[{'role': 'user', 'content': q}])\n"
)
TAGGED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    return client.chat.completions.create(model=MODEL, messages=[{'role': 'user', 'content': q}],\n"
    "                                          metadata={'feature': 'faq'})\n"
)
BASE = {"pyproject.toml": "[tool.tokenlint]\n", "legacy/old.py": UNTAGGED, "app/tagged.py": TAGGED,
        "app/renamed from.py": TAGGED}
TODAY = ("--today", "2026-06-01")


def _report_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": TKL" in line]


def _gate_sees_the_change(tmp_path, change: dict, removed: tuple[str, ...] = ()) -> list[str]:
    origin = repository(tmp_path / "origin", BASE)
    for rel in removed:
        (origin / rel).unlink()
    commit(origin, change, "pull request")
    checkout = clone(origin, tmp_path / "ci" / "checkout")
    runner = tmp_path / "runner"
    full = gate(checkout, runner, "check", "--no-cache", *TODAY, ".")
    expected = [line for line in _report_lines(full.out) if not line.startswith("legacy/")]
    assert expected, "the pull request must add findings for this test to mean anything"
    assert any(line.startswith("legacy/old.py") for line in _report_lines(full.out))
    gated = gate(checkout, runner, "check", "--no-cache", *TODAY, "--diff-base", "HEAD~1", ".")
    assert gated.code == 1, gated.err
    assert _report_lines(gated.out) == expected
    return expected


@pytest.mark.parametrize("attributes", ["*.py -diff\n", "*.py binary\n", "*.py diff=secret\n"])
def test_gitattributes_cannot_hide_python_diffs(tmp_path, attributes):
    got = _gate_sees_the_change(tmp_path, {".gitattributes": attributes, "app/tagged.py": TAGGED + UNTAGGED})
    assert all(line.startswith("app/tagged.py:") for line in got)


@pytest.mark.parametrize("name", ["app/ünïcödé.py", "app/with space.py", "app/tab\there.py", 'app/quo"te.py',
                                  "app/日本語 name.py"])
def test_new_file_with_any_name_is_seen(tmp_path, name):
    got = _gate_sees_the_change(tmp_path, {name: UNTAGGED})
    shown = inline(name)  # as every output shows a name: control characters escaped, never raw
    assert got and all(line.startswith(shown + ":") for line in got)


def test_only_the_changed_lines_of_a_file_with_a_space_in_its_name(tmp_path):
    got = _gate_sees_the_change(tmp_path, {"app/renamed from.py": TAGGED + UNTAGGED.replace("ask", "ask2")})
    assert got and all(line.startswith("app/renamed from.py:9:") for line in got)


def test_a_renamed_file_with_a_new_call_is_seen(tmp_path):
    got = _gate_sees_the_change(tmp_path, {"app/rénamed to.py": TAGGED + UNTAGGED.replace("ask", "ask2")},
                                removed=("app/renamed from.py",))
    assert got and all(line.startswith("app/rénamed to.py:") for line in got)


def test_unparsable_hunks_count_as_wholly_changed():
    from tokenlint.gate import _hunks

    diff = b"diff --git a/x.py b/x.py\n@@ nonsense @@\n+x\ndiff --git a/y.py b/y.py\n@@ -1 +1,2 @@\n+a\n+b\n"
    assert _hunks(diff, ["x.py", "y.py"]) == {"y.py": {1, 2}}  # x.py: absent, so wholly changed
    assert _hunks(diff, ["x.py"]) == {}  # sections and names do not pair up: all wholly changed
    assert _hunks(diff, ["y.py", "x.py"]) == {}  # headers that name other files: no lines trusted
