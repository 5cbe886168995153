"""Files written for a newer Python than the one tokenlint runs on.

PEP 695 type parameters (`def f[T](...)`, `class C[T]:`, `type X = ...`, Python 3.12) are common in
new code; on Python 3.11 the parser rejects the whole file, which took every call site in it out of
the inventory (seen on two real applications, with 5 request sites in such files). The parser's
fallback blanks the parameter lists in place, so everything else keeps its line and column."""

from __future__ import annotations

import ast
import datetime as dt
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.project import _parse_type_params

TODAY = dt.date(2026, 12, 5)

GENERIC = '''\
from typing import Callable
from openai import OpenAI

client = OpenAI()
type Messages = list[dict[str, str]]


def traced[**P, T](func: Callable[P, T]) -> Callable[P, T]:
    return func


class Reply[T: (str, bytes)]:
    def ask[U](self, text: U) -> U:  # a comment inside the line
        return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])


async def invoke_json[
    T: dict,
](msgs: Messages) -> T:
    return client.chat.completions.create(model="gpt-4o-mini", messages=msgs)
'''


def _sites(tmp_path, files):
    root = make(tmp_path / "p", files)
    res = analyse([root / f for f in files], Config(root=root), rules=[], root=root, prefilter=False, today=TODAY)
    return res


def test_type_parameters_keep_the_file_and_its_call_sites(tmp_path):
    res = _sites(tmp_path, {"app/gen.py": GENERIC})
    assert not [f for f in res.findings if f.code == "TKL000"]
    lines = sorted(s.line for s in res.sites if s.kind == "direct")
    assert lines == [14, 20]
    # columns as written: the request starts where `client` is on each line
    cols = [s.column for s in sorted(res.sites, key=lambda s: s.line) if s.kind == "direct"]
    assert cols == [16, 12]


def test_fallback_keeps_positions_and_reads_alias_as_assignment():
    tree = _parse_type_params(GENERIC)
    assert tree is not None
    defs = {n.name: (n.lineno, n.col_offset) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    assert defs == {"traced": (8, 0), "Reply": (12, 0), "ask": (13, 4), "invoke_json": (17, 0)}
    alias = next(n for n in tree.body if isinstance(n, ast.Assign) and n.lineno == 5)
    assert alias.targets[0].id == "Messages" and alias.value.col_offset == 16  # `= list[...]` where written


def test_a_real_syntax_error_is_still_reported_with_its_own_message(tmp_path):
    res = _sites(tmp_path, {"app/bad.py": "def f[T](x):\n    return x +\n"})
    errs = [f for f in res.findings if f.code == "TKL000"]
    # the error behind the type parameters, where it is (not "expected '('" at the `[`)
    assert [(f.row, f.message) for f in errs] == [(2, "syntax error: invalid syntax")]


def test_names_called_type_and_subscripts_are_left_alone():
    assert _parse_type_params("type = 3\nx = type[1]\n") is None  # nothing to rewrite: no fallback
    assert _parse_type_params("def f(:\n") is None


def test_blank_lines_and_wide_characters_inside_type_parameters():
    src = ("from openai import OpenAI\nclient = OpenAI()\n"
           "def ask[\n\n    T: str,\n](q: T) -> T:\n    return q\n"
           "def échange[Tλλ](q): return client.chat.completions.create(model='gpt-4.1-mini', messages=q)\n"
           "type Été = int\n")
    tree = _parse_type_params(src)
    assert tree is not None
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr == "create")
    line = src.splitlines()[call.lineno - 1]
    # columns count UTF-8 bytes, as for any parsed file: `client` is where it is written
    assert line.encode("utf-8")[call.col_offset:].startswith(b"client.chat")
    alias = next(n for n in tree.body if isinstance(n, ast.Assign) and n.lineno == 9)
    assert alias.targets[0].id == "Été" and src.splitlines()[8].encode("utf-8")[alias.value.col_offset:] == b"int"


# PEP 701 (Python 3.12): an f-string's expressions may hold backslashes and the f-string's own quotes
PEP701 = '''\
from openai import OpenAI

client = OpenAI()


def summary(names, row):
    text = f"{"\\n".join(names)} for {row["user"]}: é {row["é"]!r:>{row["w"]}}"
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''
# valid 3.12, but no in-place lowering keeps its lines: a one-line f-string whose expression spans two
UNLOWERABLE = '''\
import openai


def summary(names):
    return f"{len(names) +
              1} names"
'''
OLDER = sys.version_info < (3, 12)


def test_a_pep701_file_is_analysed_with_its_sites_in_place(tmp_path):
    res = _sites(tmp_path, {"app/fmt.py": PEP701})
    assert not res.newer_grammar and not [f for f in res.findings if f.code == "TKL000"]
    [site] = [s for s in res.sites if s.path == "app/fmt.py"]
    assert (site.line, site.column) == (8, 12)


@pytest.mark.skipif(not OLDER, reason="Python 3.12+ reads PEP 701 f-strings itself")
def test_the_lowered_pep701_text_keeps_every_line_and_column_and_the_literal_values():
    from tokenlint.fstrings import lower_fstrings, parse_fstrings

    lowered = lower_fstrings(PEP701)
    assert lowered is not None and lowered.count("\n") == PEP701.count("\n")
    assert [len(a.encode()) for a in lowered.splitlines()] == [len(a.encode()) for a in PEP701.splitlines()]
    tree = parse_fstrings(PEP701)
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr == "create")
    assert (call.lineno, call.col_offset) == (8, 11)
    # the f-string's own quotes inside it take the other quote: the subscripts keep their keys
    keys = sorted(n.slice.value for n in ast.walk(tree) if isinstance(n, ast.Subscript))
    assert keys == ["user", "w", "é"]
    # an expression no quote change can save (a backslash) becomes `_`: still dynamic text
    assert any(isinstance(n, ast.Name) and n.id == "_" for n in ast.walk(tree))
    # already valid for the older grammar, or not valid 3.12 at all: nothing to lower
    assert lower_fstrings('x = f"{a[\'k\']}"\n') is None and lower_fstrings('x = f"{1 +}"\n') is None


@pytest.mark.skipif(not OLDER, reason="Python 3.12+ reads PEP 701 f-strings itself")
def test_a_pep701_fstring_that_cannot_be_lowered_is_a_notice_not_a_finding(tmp_path):
    res = _sites(tmp_path, {"app/fmt.py": UNLOWERABLE})
    assert not [f for f in res.findings if f.code == "TKL000"]
    [newer] = res.newer_grammar
    assert newer.path == "app/fmt.py"
    assert newer.error.startswith("needs Python 3.12+ to analyse: an f-string at line 5")


def test_a_broken_fstring_is_still_a_syntax_error(tmp_path):
    # not valid in any grammar: TKL000, whatever Python runs
    res = _sites(tmp_path, {"app/bad.py": 'x = f"{1 +}"\n'})
    assert [f.row for f in res.findings if f.code == "TKL000"] == [1]
    assert not res.newer_grammar


@pytest.mark.skipif(not OLDER, reason="Python 3.12+ reads PEP 701 f-strings itself")
def test_check_prints_one_notice_line_naming_the_file(tmp_path, run):
    root = make(tmp_path / "p", {"app/fmt.py": UNLOWERABLE}, '[tool.tokenlint]\nselect = ["TKL000", "TKL101"]\n')
    out = run(root, "check", "--no-cache", ".")
    assert "TKL000" not in out.stdout
    notes = [ln for ln in out.stderr.splitlines() if "notice" in ln]
    assert notes == [notes[0]] and notes[0].startswith("tokenlint: notice: app/fmt.py: needs Python 3.12+")


@pytest.mark.skipif(not OLDER, reason="Python 3.12+ reads PEP 701 f-strings itself")
def test_the_older_parser_may_point_past_the_fstring_within_its_statement(tmp_path):
    # Python 3.11 reports this one at the call's closing parenthesis, a line after the f-string; the
    # f-string's expression spans lines inside a one-line string: no lowering, a notice
    source = "def report(log, text):\n    log(\n        f\"{len(text.split(\n    )) } lines\"\n    )\n"
    res = _sites(tmp_path, {"app/log.py": source})
    assert [f.path for f in res.newer_grammar] == ["app/log.py"]
    assert not [f for f in res.findings if f.code == "TKL000"]
    # a statement with an f-string and a real error elsewhere in the file: still TKL000
    broken = _sites(tmp_path / "b", {"app/log.py": source + "x = (\n"})
    assert [f.code for f in broken.findings] == ["TKL000"] and not broken.newer_grammar


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    'a = f"{d["k"]}"', "b = f'{x!r:>{w}}'", 'c = f"{"\\\\n".join(xs)}"', "\x0cd = 1", "é = f\"{ 'é' }\"",
    'e = f"""{\n  d["k"]\n}"""', "f = g(\n  f\"{h('x')}\",\n)", "# f\"{'x'}\" in a comment", 'g = "not an f-string {x}"',
    "h = f\"{f'{f\"{x}\"}'}\"", "i = (1 +\\\n 2)",
]), min_size=1, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_lowering_never_raises_and_never_moves_a_line(lines, end):
    from tokenlint.fstrings import lower_fstrings

    text = end.join(line.replace("\n", end) for line in lines) + end
    lowered = lower_fstrings(text)
    if lowered is not None:
        assert lowered.count(end) == text.count(end)
        assert [len(x.encode()) for x in lowered.split(end)] == [len(x.encode()) for x in text.split(end)]
        ast.parse(lowered)


TEMPLATED = '''\
from openai import OpenAI
{% if cookiecutter.use_cache %}
import cache
{% endif %}
client = OpenAI()
'''


def test_a_project_generators_template_is_a_notice_not_a_syntax_error(tmp_path, run):
    """A cookiecutter / Jinja template (`{% if ... %}` lines, `{{ cookiecutter.x }}`) is Python only once
    rendered: no TKL000 of the user's code, a notice naming the file and the tag's line, and it is
    listed as not analysed; a real syntax error beside it is still TKL000, and so is one in a file
    whose only braces are an f-string's."""
    files = {"app/agent.py": TEMPLATED,
             "app/name.py": "from openai import OpenAI\nfrom {{ cookiecutter.package }}.llm import client\n",
             "app/broken.py": 'from openai import OpenAI\nx = f"{{literal}}" (\n',
             "app/prompt.py": 'from openai import OpenAI\nPROMPT = """{% if history %}{{ history }}{% endif %}"""\nx = (\n'}
    root = make(tmp_path / "p", files, '[tool.tokenlint]\nselect = ["TKL000", "TKL101"]\n')
    res = analyse([root], Config(root=root, select=("TKL000",)), root=root, today=TODAY)
    assert sorted((f.path, f.error.split(":")[0]) for f in res.notices) == [
        ("app/agent.py", "a template, not Python"), ("app/name.py", "a template, not Python")]
    # a Jinja prompt inside a string breaks nothing: the file's real error is still TKL000
    assert sorted((f.path, f.code) for f in res.findings) == [("app/broken.py", "TKL000"), ("app/prompt.py", "TKL000")]
    out = run(root, "check", "--no-cache", ".")
    notes = sorted(ln for ln in out.stderr.splitlines() if "notice" in ln)
    assert notes == ["tokenlint: notice: app/agent.py: a template, not Python: a Jinja tag at line 2 "
                     "(a project generator's template)",
                     "tokenlint: notice: app/name.py: a template, not Python: a Jinja tag at line 2 "
                     "(a project generator's template)"]
    assert "app/broken.py" in out.stdout and "app/prompt.py" in out.stdout and "app/agent.py" not in out.stdout
