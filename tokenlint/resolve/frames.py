"""Which memoized answers are final: the same whichever answer of a loop was asked first.

Some answers are worked out by following others that may lead back to them: a facade whose remote
implementation calls a worker that embeds through the facade again, a wrapper reaching itself. An
answer asked again while it is still being worked out ("open") gives a stand-in (nothing there), so
what is worked out inside the loop depends on where the loop was entered: on the order files are
analysed in, which differs with the number of worker processes and with what each worker met first.

Tarjan's low links find the loops as the answers are worked out:
- an answer whose work met no open answer is final, remembered for good: its work never depended on
  what was open, so it is the same from any entry;
- an answer whose work met one open below it, or read such a provisional answer, is provisional:
  reused only while that open one is being worked out, and forgotten when it is done;
- the answer that met itself with nothing open below is its loop's head, and the loop's members are
  then known. The loop is solved again entered at its first member by place (file, line, name), then
  again with each member answering while open what it answered the round before, till no answer
  changes (a fixpoint, MAX_ROUNDS at most): those answers are final, the same whichever member a file
  asked first, and no member is left answering the stand-in it met. (An answer meeting only itself, a
  function calling itself, keeps finding nothing there: it has one entry.)
Should the solution entered at the first member find another first member (what is followed depends
on the answers met), the loop's head keeps the answer it found, remembered with the loop's members and
reused only while none of them is open (from inside its loop it would be another answer).

Every participant keeps its own memo dict (its stand-in stored there while open) and names itself by a
tag, so keys of different memos never meet.
"""

from __future__ import annotations

from typing import Any, Callable

MISSING = object()  # `recall` found no answer usable here
_TOP = 1 << 30  # above any stack index
MAX_ROUNDS = 3  # a loop is solved again at most this many times (its answers usually settle in one)


def place_of(info: Any, node: Any, name: str = "") -> tuple:
    """Where `node` of the module `info` is (file, line, column, a name): the order of a loop's members."""
    return info.source.relpath, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), name


class FrameMixin:
    """The bookkeeping of the answers being worked out (a mixin of the `Resolver`)."""

    def _frames(self) -> "_Frames":
        st = self.__dict__.get("_frames_state")
        if st is None:
            st = self.__dict__["_frames_state"] = _Frames()
        return st

    def recall(self, tag: str, memo: dict, key: Any) -> Any:
        """`memo`'s answer for `key` usable here (the stand-in when `key` is open), else MISSING."""
        fr = self._frames()
        fk = (tag, key)
        i = fr.at.get(fk)
        if i is not None:  # open: its stand-in, and the asker is part of its loop
            fr.read(i)
            return memo[key]
        if key in memo:
            j = fr.prov.get(fk)
            if j is not None:  # provisional: the asker is in the loop that answer depends on
                fr.read(j)
            return memo[key]
        head = fr.heads.get(fk)
        if head is not None and not any(m in fr.at for m in head[1]):
            return head[0]
        return MISSING

    def solve(self, tag: str, memo: dict, key: Any, stand_in: Any, compute: Callable[[], Any],
              place: tuple, canonical: bool = False) -> Any:
        """`compute()`'s answer for `key`, remembered in `memo` as final or provisional, or its loop
        solved from its first member (see the module's docstring). `stand_in`: what `key` answers
        while open; `place`: where it is (a sortable tuple: file, line, ...)."""
        fr = self._frames()
        fk = (tag, key)
        idx = len(fr.stack)
        info = (place, tag, memo, key, stand_in, compute)
        value, low, forget, members = self._run(fk, info)
        if low > idx:  # final
            memo[key] = value
            return value
        if low < idx:
            return value
        # the head of a loop: its members are known
        members[fk] = info
        first = min(members, key=lambda m: members[m][:2])
        if first == fk:  # entered at its first member: this solution is the loop's
            return self._settle(fk, info, value, forget)
        _forget(fr, forget)
        if not canonical:
            p, t, m, k, s, c = members[first]
            self.solve(t, m, k, s, c, p, canonical=True)
            if key in memo and fk not in fr.prov:
                return memo[key]
        fr.heads[fk] = (value, frozenset(members))
        return value

    def _settle(self, fk: Any, info: tuple, value: Any, forget: list) -> Any:
        """The loop headed by `fk`, entered at its first member, solved again with each member
        answering while open what it answered the round before, till no answer changes (MAX_ROUNDS
        at most): its answers are then final."""
        fr = self._frames()
        idx = len(fr.stack)
        memo, key = info[2], info[3]
        if not forget:  # it met only itself (a function calling itself): nothing there, as entered
            memo[key] = value
            return value
        before: dict = {}
        for _ in range(MAX_ROUNDS):
            now = {pk: m[k] for m, k, pk in forget}
            now[fk] = value
            if now.keys() == before.keys() and all(same(now[k], before[k]) for k in now):
                break
            before = now
            _forget(fr, forget)
            outer = fr.seeds
            fr.seeds = {**outer, **now}
            try:
                value, low, forget, _members = self._run(fk, info)
            finally:
                fr.seeds = outer
            if low != idx:  # what is followed changed with the answers: no longer this loop
                if low > idx:
                    memo[key] = value
                return value
        for _m, _k, pk in forget:
            fr.prov.pop(pk, None)  # kept: final
        memo[key] = value
        return value

    def _run(self, fk: Any, info: tuple) -> tuple[Any, int, list, dict]:
        """Work out `fk`'s answer once: it, the lowest stack index its work read, the provisional
        answers it leaves to forget, and its loop's members so far (a provisional answer's are
        handed to the open one it depends on)."""
        fr = self._frames()
        _place, _tag, memo, key, stand_in, compute = info
        idx = len(fr.stack)
        memo[key] = fr.seeds.get(fk, stand_in)
        fr.push(fk, info)
        done = False
        try:
            value = compute()
            done = True
        finally:
            low, forget, members = fr.pop(fk)
            memo.pop(key, None)
            if low < idx:  # provisional until the open answer `low` is done, with the answers that read it
                if done:
                    memo[key] = value
                    fr.prov[fk] = low
                    forget.append((memo, key, fk))
                for _m, _k, pk in forget:
                    fr.prov[pk] = low
                fr.forget[low].extend(forget)
                fr.members[low].update(members)
                fr.members[low][fk] = info
                fr.read(low)
                forget, members = [], {}
            elif not done:  # (an error: what its loop left provisional is forgotten)
                _forget(fr, forget)
        return value, low, forget, members

    def floor_mark(self) -> int:
        """Before working out an answer of a memo taking no part in loops (an expression's value):
        what `floor_final` needs to tell whether it read a provisional answer."""
        fr = self._frames()
        saved = fr.floor
        fr.floor = _TOP
        return saved

    def provisional_get(self, key: Any) -> Any:
        """A value of a memo taking no part in loops (an expression's, keyed with its memo's tag) worked out
        from open or provisional answers, while none of them has changed since (no answer closed or was
        forgotten): read again as it was, its dependence on those answers passed on to the asker. MISSING
        otherwise. Without it such a value was worked out anew at each read: exponentially often in a
        function of a loop of returns reading one local twice per line (`v2 = v1 if x else v1`)."""
        fr = self._frames()
        gen, values = self.__dict__.get("_provisional", (-1, None))
        if gen != fr.gen or not values:
            return MISSING
        got = values.get(key)
        if got is None:
            return MISSING
        fr.read(got[1])
        return got[0]

    def frames_height(self) -> int:
        """How many answers are open."""
        return len(self._frames().stack)

    def floor_low(self, saved: int) -> int:
        """As `floor_final`, but the lowest stack index the answer read (at least the stack's height when
        it read nothing open or provisional: final)."""
        fr = self._frames()
        got = fr.floor
        fr.floor = got if got < saved else saved
        return got if got < len(fr.stack) else len(fr.stack)

    def provisional_put(self, key: Any, value: Any, low: int) -> None:
        """Remember `value`, worked out from the open or provisional answer at stack index `low` and above,
        for `provisional_get` (all such values are dropped once an answer closes or is forgotten)."""
        fr = self._frames()
        gen, values = self.__dict__.get("_provisional", (-1, None))
        if gen != fr.gen or values is None:
            values = {}
            self.__dict__["_provisional"] = (fr.gen, values)
        values[key] = (value, low)

    def floor_final(self, saved: int) -> bool:
        """After it: whether the answer read no answer open or provisional when it was begun (then it
        is final; else it is the loop's, and not to be remembered)."""
        return self.floor_low(saved) >= len(self._frames().stack)


def _forget(fr: "_Frames", forget: list) -> None:
    """Forget provisional answers: asked again, they are worked out again."""
    fr.gen += 1
    for m, k, pk in forget:
        m.pop(k, None)
        fr.prov.pop(pk, None)


def same(a: Any, b: Any) -> bool:
    """Whether two answers are the same, call sites compared by what they say."""
    return _said(a) == _said(b)


def _said(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return tuple(_said(x) for x in v)
    if hasattr(v, "line") and hasattr(v, "kind") and hasattr(v, "providers"):  # a CallSite
        return (v.path, v.line, v.column, v.kind, v.provider, v.providers, v.api, v.model.value, v.target,
                v.alternatives, v.wrapper)
    return v


class _Frames:
    """The open answers (a stack) and what is remembered about the loops they are in."""

    __slots__ = ("stack", "low", "forget", "members", "info", "at", "prov", "heads", "floor", "seeds", "gen")

    def __init__(self) -> None:
        self.stack: list = []  # the open answers' keys, (tag, key)
        self.low: list[int] = []  # the lowest stack index each one's work read (its own + 1: none)
        self.forget: list[list] = []  # the provisional answers each one forgets when done
        self.members: list[dict] = []  # the keys of the loop each one heads, with how to solve them
        self.info: list[tuple] = []  # how to solve each open answer again
        self.at: dict = {}  # each open key's stack index
        self.prov: dict = {}  # each provisional key's lowest open index it depends on
        self.heads: dict = {}  # each loop head not solved from its first member: (answer, its loop's members)
        self.floor = _TOP  # the lowest stack index read since `floor_mark`
        self.seeds: dict = {}  # what the members of loops being settled answer while open
        # bumped whenever an answer closes or is forgotten: a value worked out from open or provisional answers
        # holds while it is unchanged (`provisional_get`), as none of the answers it read has changed
        self.gen = 0

    def push(self, fk: Any, info: tuple) -> None:
        i = len(self.stack)
        self.stack.append(fk)
        self.low.append(i + 1)
        self.forget.append([])
        self.members.append({})
        self.info.append(info)
        self.at[fk] = i

    def pop(self, fk: Any) -> tuple[int, list, dict]:
        self.gen += 1
        self.stack.pop()
        del self.at[fk]
        return self.low.pop(), self.forget.pop(), self.members.pop()

    def read(self, i: int) -> None:
        """The answer on top of the stack read one depending on the open answer at index `i`."""
        if i < self.floor:
            self.floor = i
        if self.low and i < self.low[-1]:
            self.low[-1] = i
