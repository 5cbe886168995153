"""The reaching-assignments pass (tokenlint/resolve/reaching.py): which plain assignments of a name
may reach a read, over branches, loops, `try` and early exits; None where it cannot tell."""

from __future__ import annotations

import ast
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from tokenlint.resolve.reaching import reaching


def values(src: str, line: int | None, name: str = "m"):
    body = ast.parse(textwrap.dedent(src)).body
    out = reaching(body, name, line)
    return None if out is None else [ast.literal_eval(v) for v in out]


def test_branches_join_and_a_later_assignment_kills():
    src = """
    if a:
        m = 1
    else:
        m = 2
    use(m)
    m = 3
    use(m)
    """
    assert values(src, 6) == [1, 2]
    assert values(src, 8) == [3]
    assert values(src, None) == [3]


def test_an_if_without_else_keeps_the_value_before_it():
    assert values("m = 1\nif a:\n    m = 2\nuse(m)\n", 4) == [1, 2]


def test_a_branch_that_returns_or_raises_does_not_fall_through():
    src = "m = 1\nif a:\n    m = 2\n    return\nelif b:\n    m = 3\n    raise X\nuse(m)\n"
    assert values(src, 8) == [1]


def test_loops_may_not_run_and_try_handlers_join():
    assert values("m = 1\nfor x in y:\n    m = 2\nuse(m)\n", 4) == [1, 2]
    assert values("m = 1\nwhile c:\n    m = 2\n    break\nuse(m)\n", 5) == [1]
    src = "try:\n    m = 1\nexcept E:\n    m = 2\nuse(m)\n"
    assert values(src, 5) == [1, 2]


def test_a_read_inside_a_branch_sees_only_what_reaches_it():
    src = "m = 1\nif a:\n    m = 2\n    use(m)\nelse:\n    use(m)\n"
    assert values(src, 4) == [2]
    assert values(src, 6) == [1]


def test_other_bindings_make_the_answer_unknown():
    for src in ("for m in y:\n    pass\nuse(m)\n", "m, n = f()\nuse(m)\n", "m = 1\nm += 'x'\nuse(m)\n",
                "with f() as m:\n    pass\nuse(m)\n", "import m\nuse(m)\n"):
        assert values(src, src.count("\n")) is None, src


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["m = 1", "if a:\n    m = 2", "if a:\n    return",
                                 "while b:\n    m = 3", "try:\n    m = 4\nexcept E:\n    pass", "x = 5"]),
                max_size=40))
def test_any_body_answers_with_values_written_before_the_read(parts):
    src = "\n".join(parts) + "\nuse(m)\n"
    line = src.count("\n")
    out = values(src, line)
    assert out is None or set(out) <= {1, 2, 3, 4}


def test_a_huge_body_is_capped_not_walked():
    src = "m = 1\n" + "if a:\n    m = 2\n" * 3000 + "use(m)\n"
    assert values(src, src.count("\n")) is None
