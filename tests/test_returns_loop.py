"""A function's return value worked out inside a loop of returns (`f` returns `g()`, `g` returns `f()` on one
branch and a client on the other) is the same whichever of the two was asked first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tokenlint.config import Config
from tokenlint.engine import sdk_catalog
from tokenlint.project import Project
from tokenlint.resolve.resolver import Resolver
from tokenlint.resolve.values import Client, Func

SOURCE = ("import openai\n"
          "\n"
          "\n"
          "def f():\n"
          "    return g()\n"
          "\n"
          "\n"
          "def g(again=False):\n"
          "    if again:\n"
          "        return f()\n"
          "    return openai.OpenAI()\n")


def _returns(tmp_path: Path, order: tuple[str, ...]) -> dict[str, object]:
    path = tmp_path / "loop.py"
    path.write_text(SOURCE, encoding="utf-8")
    project = Project(tmp_path, [path])
    resolver = Resolver(project, sdk_catalog(Config()), "feature", {})
    info = project.module_info(project.add(path))
    funcs = {}
    for name in order:
        fn = resolver.infer(ast.Name(id=name, ctx=ast.Load(), lineno=99, col_offset=0), info.scope)
        assert isinstance(fn, Func)
        funcs[name] = resolver._func_return(fn, None)
    return funcs


@pytest.mark.parametrize("order", [("f", "g"), ("g", "f")])
def test_each_function_of_the_loop_returns_the_client_whichever_is_asked_first(tmp_path: Path, order) -> None:
    got = _returns(tmp_path, order)
    assert all(type(v) is Client for v in got.values()), got
