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


def _chain(n: int) -> str:
    lines = ["import openai", "", "", "def f(x=False):", "    v0 = g()"]
    lines += [f"    v{i} = v{i - 1} if x else v{i - 1}" for i in range(1, n + 1)]
    lines += [f"    return v{n}", "", "", "def g(again=False):", "    if again:", "        return f()",
              "    return openai.OpenAI()", ""]
    return "\n".join(lines)


def _work(tmp_path: Path, n: int) -> int:
    """How many expressions are worked out to answer what `g` (entered first) and `f` return."""
    path = tmp_path / f"chain{n}.py"
    path.write_text(_chain(n), encoding="utf-8")
    project = Project(tmp_path, [path])
    resolver = Resolver(project, sdk_catalog(Config()), "feature", {})
    info = project.module_info(project.add(path))
    count = [0]
    inner = resolver._infer

    def counted(e, scope):  # type: ignore[no-untyped-def]
        count[0] += 1
        return inner(e, scope)

    resolver._infer = counted  # type: ignore[method-assign]
    for name in ("g", "f"):
        fn = resolver.infer(ast.Name(id=name, ctx=ast.Load(), lineno=99, col_offset=0), info.scope)
        assert type(resolver._func_return(fn, None)) is Client
    return count[0]


def test_a_value_read_twice_inside_a_loop_of_returns_is_worked_out_once_per_pass(tmp_path: Path) -> None:
    # each line reads the one before twice: worked out anew at each read (a value read from the loop's open
    # answer is not final), the work doubled with each line; kept while the loop's answers stand, it grows
    # with the lines
    small, large = _work(tmp_path, 6), _work(tmp_path, 12)
    assert large < 3 * small, (small, large)
