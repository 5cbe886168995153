"""Bad input for values that can be several things and for the binding forms (issue 12, items 3-4):
recursive aliases, cycles through class attributes, globals and closures, and a name bound to a
client on thousands of branches stay within the resolver's work caps and never crash."""

from __future__ import annotations

import ast
import time
from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse

CYCLES = '''\
from openai import OpenAI

a = a.b
x = y
y = x
client = OpenAI()
client = client.with_options(timeout=5)


class Service:
    llm = None

    def spin(self):
        Service.llm = Service.llm.with_options(timeout=3)
        self.other = self.other.copy()
        Service.llm = self.llm

    def ask(self, q):
        return self.llm.chat.completions.create(model="gpt-4o", messages=q)


def rebind():
    global z
    z = z.child
    z = OpenAI() if z else z


def closure():
    w = None

    def inner():
        nonlocal w
        w = w.parent

    return inner


def ask(q):
    return client.chat.completions.create(model="gpt-4o", messages=q)


def ask_z(q):
    return z.chat.completions.create(model="gpt-4o", messages=q)
'''


def _sites(tmp_path: Path, source: str) -> list:
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    result = analyse([path], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def test_recursive_aliases_and_cycles_never_crash(tmp_path):
    by_function = {s.function: s for s in _sites(tmp_path, CYCLES)}
    assert by_function["ask"].provider == "openai"  # `client = client.with_options(...)` keeps the client
    assert by_function["ask"].confidence == "resolved"
    assert by_function["ask_z"].provider == "openai"  # `z = z.child` is unknown; `OpenAI() if z else z` is not


def test_a_name_bound_on_thousands_of_branches_is_a_small_union(tmp_path):
    classes = ["OpenAI", "Groq", "AzureOpenAI"]
    lines = ["from groq import Groq", "from openai import AzureOpenAI, OpenAI", "", "", "def pick(k):"]
    for i in range(3000):
        lines.append(f"    {'if' if i == 0 else 'elif'} k == {i}:\n        client = {classes[i % 3]}()")
    lines.append("    return client\n\n")
    for i in range(300):
        lines.append(f"def ask_{i}(k, q):\n    return pick(k).chat.completions.create(model='m{i}', messages=q)\n\n")
    start = time.monotonic()
    sites = _sites(tmp_path, "\n".join(lines))
    assert time.monotonic() - start < 60
    assert len(sites) == 300
    assert {s.provider for s in sites} == {"multi"}
    assert {s.providers for s in sites} == {("azure_openai", "groq", "openai")}


def test_thousands_of_isinstance_guards_read_their_block_a_bounded_number_of_times(tmp_path, monkeypatch):
    # each `if not isinstance(x, C): raise` guard narrows x in the rest of its block: a block of thousands
    # of guards is read for the first few only (binder.MAX_GUARDS), not once per guard
    from tokenlint.resolve import binder
    from tokenlint.resolve.loops import walk_local

    read = [0]
    narrow = binder._narrow

    def counted(narrowed, tests, stmts):  # type: ignore[no-untyped-def]
        read[0] += sum(1 for _ in walk_local(stmts))
        narrow(narrowed, tests, stmts)

    monkeypatch.setattr(binder, "_narrow", counted)
    body = "".join(f"    if not isinstance(x, Kind{i}):\n        raise TypeError(x)\n    x.step{i}()\n" for i in range(2000))
    source = "from openai import OpenAI\n\n\ndef check(x):\n" + body
    start = time.monotonic()
    _sites(tmp_path, source)
    assert time.monotonic() - start < 30
    nodes = sum(1 for _ in ast.walk(ast.parse(source)))
    assert 0 < read[0] <= binder.MAX_GUARDS * nodes
