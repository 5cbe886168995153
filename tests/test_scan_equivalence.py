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
