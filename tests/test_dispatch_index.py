"""A module of many calls, some in branches chosen by a model name: TKL202 skips exactly the calls
inside `if model == ...` bodies (not their `else:`), however many statements the module holds. The
enclosing statements are found by an index built once per body; this generated module checks the
index answers as a walk of every statement would (it asserts results, never time)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

CALL = 'client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "q"}])'


def _module(n: int) -> tuple[str, set[int], set[int]]:
    """The source, the lines of calls that must be reported, the lines of calls in a model's branch."""
    lines = ["import sys", "from openai import OpenAI", "client = OpenAI()", "model = sys.argv[1]"]
    reported: set[int] = set()
    branched: set[int] = set()

    def add(text: str, into: set[int] | None) -> None:
        lines.append(text)
        if into is not None:
            into.add(len(lines))

    for i in range(n):
        shape = i % 6
        if shape == 0:
            add(f"r{i} = {CALL}", reported)
        elif shape == 1:
            add(f'if model == "m{i}":', None)
            add(f"    r{i} = {CALL}", branched)
            add("else:", None)
            add(f"    r{i} = {CALL}", reported)  # a default, not a translation
        elif shape == 2:
            add(f'x{i} = 1; r{i} = {CALL}', reported)  # two statements on one line
        elif shape == 3:
            add(f"for k{i} in range(2):", None)
            add(f'    if model in ["a{i}", "b{i}"]:', None)
            add(f"        r{i} = {CALL}", branched)
        elif shape == 4:
            add("try:", None)
            add(f'    if model.startswith("c{i}"):', None)
            add(f"        r{i} = {CALL}", branched)
            add("except Exception:", None)
            add(f"    r{i} = {CALL}", reported)
        else:
            add(f"match model:", None)
            add(f'    case "d{i}":', None)
            add(f"        r{i} = {CALL}", reported)  # a match case is no `if` on the name
    return "\n".join(lines) + "\n", reported, branched


def test_a_module_of_many_calls_reports_each_call_outside_a_models_branch(tmp_path) -> None:
    source, reported, branched = _module(96)
    root = make(tmp_path / "proj", {"app.py": source})
    result = analyse([root], Config(select=("TKL202",)), root=root)
    rows = {f.row for fr in result.files for f in fr.findings if f.code == "TKL202"}
    assert rows == reported
    assert not rows & branched
    assert reported | branched <= {s.line for s in result.sites}  # the branch silences TKL202, not the site
