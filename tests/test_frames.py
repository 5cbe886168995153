"""resolve/frames.py on a toy graph: what each node reaches (its own requests and those of the nodes it
calls) is the same whichever node is asked first, loops included."""

from __future__ import annotations

import itertools

import pytest

from tokenlint.resolve.frames import MISSING, FrameMixin

# a -> b -> c -> a is a loop reaching d's request; b also calls x, which calls only itself
GRAPH = {"a": ["b"], "b": ["c", "x"], "c": ["a", "d"], "d": [], "x": ["x"]}
OWN = {"a": set(), "b": set(), "c": set(), "d": {"req"}, "x": {"xr"}}


class Reach(FrameMixin):
    def __init__(self, graph: dict, broken: str = "") -> None:
        self.graph, self.broken, self.memo, self.computed = graph, broken, {}, []

    def reach(self, n: str) -> frozenset:
        got = self.recall("node", self.memo, n)
        if got is not MISSING:
            return got
        return self.solve("node", self.memo, n, frozenset(), lambda: self._reach(n), ("f.py", ord(n), 0, n))

    def _reach(self, n: str) -> frozenset:
        self.computed.append(n)
        if n == self.broken:
            raise RecursionError
        return frozenset(OWN[n]).union(*[self.reach(m) for m in self.graph[n]])


def test_every_order_gives_the_same_answers() -> None:
    answers = set()
    for order in itertools.permutations(GRAPH):
        r = Reach(GRAPH)
        answers.add(tuple(sorted((n, tuple(sorted(r.reach(n)))) for n in order)))
    # every member of the loop reaches the request, whichever was asked first; x, calling only
    # itself, finds nothing more there
    assert answers == {(("a", ("req", "xr")), ("b", ("req", "xr")), ("c", ("req", "xr")), ("d", ("req",)),
                        ("x", ("xr",)))}


def test_the_answers_of_a_solved_loop_are_final() -> None:
    r = Reach(GRAPH)
    r.reach("b")
    r.computed.clear()
    assert r.reach("c") == {"req", "xr"} and r.reach("a") == {"req", "xr"}
    assert r.computed == []  # remembered: not worked out again
    assert not r._frames().prov and not r._frames().stack


def test_an_error_inside_a_loop_leaves_nothing_provisional() -> None:
    r = Reach(GRAPH, broken="x")  # after c, which read the open a, was worked out
    with pytest.raises(RecursionError):
        r.reach("a")
    fr = r._frames()
    assert not fr.prov and not fr.stack and r.memo == {"d": frozenset({"req"})}  # d is final
