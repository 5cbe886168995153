"""The faster scans of project text find what the plain patterns they replace find (written for
speed: any difference would change which classes are read as facades)."""

from __future__ import annotations

import re

import pytest

from tokenlint.resolve.facades import _DEF_ANY, _NOT_IMPLEMENTED, _not_implemented

# method bodies around `raise NotImplementedError`: docstrings of every length about the 2,000-byte
# bound, code between, spaces and lines before the raise, headers inside headers
NOT_IMPLEMENTED_TEXTS = [
    b'def x():\n    """a"""\n    return 1\ndef y():\n    """b"""\n    raise NotImplementedError\n',
    b"def f(x=undef(a)):\n  raise NotImplementedError\n",
    b"def g():\n    '''d'''\n\n\n    raise   NotImplementedError('x')",
    b'def h():\n    """' + b"x" * 1990 + b'"""\n' + b" " * 5000 + b"raise NotImplementedError",
    b'def h():\n    """' + b"x" * 2000 + b'"""\n' + b" " * 50 + b"raise NotImplementedError",
    b'def h():\n    """' + b"x" * 2001 + b'"""\n raise NotImplementedError',
    b'def h():\n    """' + b"x" * 1999 + b'"""\n  raise\n   NotImplementedError',
    b'def k():\n    """x"""\n  raise  \n\n NotImplementedError\ndef z():\n  raise NotImplementedError',
    b'def a(self) -> int:\n    """Doc."""\n    if x:\n        raise NotImplementedError\n    return 1\n',
    b"def b(self):  # note\n    raise NotImplementedError\n",
    b'class A:\n    def m(self):\n        """see n"""\n        ...\n    def n(self):\n        raise NotImplementedError()\n',
    b"def c():\n    pass\n" * 50 + b"def d():\n    raise NotImplementedError",
]


@pytest.mark.parametrize("raw", NOT_IMPLEMENTED_TEXTS)
def test_not_implemented_names_match_the_pattern(raw: bytes) -> None:
    assert _not_implemented(raw) == [m.group(1) for m in _NOT_IMPLEMENTED.finditer(raw)]


@pytest.mark.parametrize("raw", NOT_IMPLEMENTED_TEXTS)
def test_not_implemented_names_match_the_pattern_in_single_quotes(raw: bytes) -> None:
    raw = raw.replace(b'"""', b"'''")
    assert _not_implemented(raw) == [m.group(1) for m in _NOT_IMPLEMENTED.finditer(raw)]


DEF_TEXTS = [b"def gen(self):", b"def  gen (self):", b"def\tgen\n(", b"async def gen(", b"def generate(",
             b"def xgen(", b"undef gen(", b"def gen", "def 生成(self):".encode(), b"def def gen(",
             b"def gen.x(", b"def gen)(", b"'''def gen('''"]


@pytest.mark.parametrize("raw", DEF_TEXTS)
@pytest.mark.parametrize("name", ["gen", "生成", "generate"])
def test_def_index_finds_what_a_search_per_name_finds(raw: bytes, name: str) -> None:
    """`_DEF_ANY` indexes a method's name where `def\\s+<name>\\s*\\(` would find it, and only there."""
    per_name = re.compile(rb"def\s+" + re.escape(name.encode()) + rb"\s*\(").search(raw) is not None
    assert (name.encode() in {m.group(1) for m in _DEF_ANY.finditer(raw)}) == per_name


class _Text:
    """A module as the indexes see it: its bytes only."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw


MODULES = [_Text(b"class A:\n    def gen(self): ...\n    def run(self): ...\n"),
           _Text(b"class B(A):\n    def gen(self):\n        return 1\n"),
           _Text(b"def helper(x):\n    return x\n"),
           _Text(b"class C(A):\n    def run(self): pass\n    def gen (self): pass\n"),
           _Text(b"undef gen(\n")]


@pytest.mark.parametrize("subset", [[0, 1, 3], [3, 1, 0], [4, 2], [], [1]])
def test_a_view_of_the_project_index_is_the_index_of_its_modules(subset: list[int]) -> None:
    """`DefsAmong` (a subset's function-name index read from the project's) lists, for every name,
    the modules `def_index(subset)` lists, in the subset's order."""
    from tokenlint.resolve.facades import DefsAmong, def_index

    modules = [MODULES[i] for i in subset]
    view = DefsAmong(def_index(MODULES), modules, {id(ms) for ms in MODULES})
    own = def_index(modules)
    for name in (b"gen", b"run", b"helper", b"missing", b""):
        assert view.get(name, []) == own.get(name, [])
        assert (name in view) == (name in own)


def test_a_view_holding_a_module_the_project_index_did_not_read_scans_its_modules() -> None:
    """A module added to the project after its index was built is read by the view itself."""
    from tokenlint.resolve.facades import DefsAmong, def_index

    late = _Text(b"class D(A):\n    def gen(self): pass\n")
    view = DefsAmong(def_index(MODULES), [MODULES[0], late], {id(ms) for ms in MODULES})
    assert view.get(b"gen", []) == [MODULES[0], late]
    assert b"helper" not in view


def test_the_undeclared_method_shortcut_follows_modules_added_after_the_index():
    """`_undeclared_targets` skips its subclass search for a name no project text defines; a module
    added after the function-name index was built may define it, whichever was first (two orders)."""
    from types import SimpleNamespace

    from tokenlint.resolve.facades import FacadeMixin

    late = _Text(b"class D(A):\n    def send_late(self): pass\n")
    for index_first in (True, False):
        r = type("R", (FacadeMixin,), {})()
        r.project = SimpleNamespace(by_path={i: ms for i, ms in enumerate(MODULES)})
        if index_first:
            assert not r._may_define(b"send_late")  # the index covers the project: the shortcut holds
        r.project.by_path["late"] = late
        assert r._may_define(b"send_late"), index_first
        assert r._may_define(b"gen")
    assert not r._may_define(b"never_written")


def test_a_session_keeps_the_shortcut_after_checking_a_file_outside_its_walk(tmp_path):
    """The flake8 plugin's Session: a file outside the walked tree (under `build/`) checked after the
    index was built joins the index, so names no module defines still need no search afterwards."""
    from tokenlint.config import Config
    from tokenlint.engine import Session

    (tmp_path / "app").mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "app" / "llm.py").write_text(
        "from openai import OpenAI\n"
        "class LLM:\n"
        "    def chat(self, text):\n"
        "        return self.send_message(text)\n"
        "class GPT(LLM):\n"
        "    def send_message(self, text):\n"
        "        return OpenAI().chat.completions.create(model='m', messages=[{'role': 'user', 'content': text}])\n"
        "def answer(llm: LLM, q):\n"
        "    return llm.chat(q)\n", encoding="utf-8")
    (tmp_path / "build" / "late.py").write_text(
        "from app.llm import LLM\nclass Late(LLM):\n    def send_late(self, text):\n        return text\n", encoding="utf-8")
    session = Session(tmp_path, Config())
    session.check_file(tmp_path / "app" / "llm.py")
    r = session.resolver
    assert r._may_define(b"send_message") and not r._may_define(b"never_written")
    session.check_file(tmp_path / "build" / "late.py")
    assert r._may_define(b"send_late")
    assert not r._may_define(b"never_written")  # the index covers the late module: the shortcut holds
