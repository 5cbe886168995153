"""Answer gitignore-style patterns in time linear in the path, whatever a repository's patterns are.

pathspec turns each pattern into a Python regular expression, and Python's backtracking engine
takes polynomial time on some of them: `a*a*a*a*a*a*b` against a long file name, or
`**/a/**/a/**/b` against a deep folder, ran for minutes. The patterns come from the checkout
(`.gitignore`, `exclude` in pyproject.toml), so a pull request could stall the gate. Here each
pattern's regex is classed by its unbounded repeats: one that cannot backtrack much (`*.pyc`,
`**/build/`, nearly every real pattern) runs on `re` as before; the others run on a small
Thompson/Pike machine built from Python's own parse of the same regex, with the same
leftmost-first answer (so the same `ps_d` directory mark pathspec reads) in O(path x pattern).
Verdicts follow pathspec's GitIgnoreSpec (the last file-level match wins over directory matches).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

import pathspec

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

DIR_MARK = "ps_d"  # pathspec's group: the pattern matched a folder the path lies in


class Unsupported(Exception):
    """A regex construct the machine does not run (pathspec never emits one)."""


# ---------------------------------------------------------------- the machine
# instructions: ("char", pred) ("split", a, b) ("jmp", a) ("mark",) ("bol",) ("eol",) ("eos",) ("match",)


def _pred(op, av) -> Callable[[str], bool]:  # type: ignore[no-untyped-def]
    if op is C.LITERAL:
        ch = chr(av)
        return lambda c: c == ch
    if op is C.NOT_LITERAL:
        ch = chr(av)
        return lambda c: c != ch
    if op is C.ANY:
        return lambda c: c != "\n"
    if op is C.IN:
        negate = False
        chars: set[str] = set()
        ranges: list[tuple[int, int]] = []
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                chars.add(chr(iav))
            elif iop is C.RANGE:
                ranges.append(iav)
            else:
                raise Unsupported(str(iop))
        return lambda c: (c in chars or any(lo <= ord(c) <= hi for lo, hi in ranges)) != negate
    raise Unsupported(str(op))


class _Compiler:
    def __init__(self, mark_group: Optional[int]) -> None:
        self.prog: list[list] = []
        self.mark_group = mark_group

    def emit(self, *ins) -> int:  # type: ignore[no-untyped-def]
        self.prog.append(list(ins))
        return len(self.prog) - 1

    def seq(self, items) -> None:  # type: ignore[no-untyped-def]
        for op, av in items:
            self.one(op, av)

    def one(self, op, av) -> None:  # type: ignore[no-untyped-def]
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            self.emit("char", _pred(op, av))
        elif op is C.AT:
            kind = {C.AT_BEGINNING: "bol", C.AT_BEGINNING_STRING: "bol", C.AT_END: "eol", C.AT_END_STRING: "eos"}
            if av not in kind:
                raise Unsupported(str(av))
            self.emit(kind[av])
        elif op is C.SUBPATTERN:
            group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise Unsupported("inline flags")
            self.seq(body)
            if group is not None and group == self.mark_group:
                self.emit("mark")
        elif op is C.BRANCH:
            jumps = []
            alts = av[1]
            for i, alt in enumerate(alts):
                if i < len(alts) - 1:
                    split = self.emit("split", 0, 0)
                    self.prog[split][1] = len(self.prog)
                    self.seq(alt)
                    jumps.append(self.emit("jmp", 0))
                    self.prog[split][2] = len(self.prog)
                else:
                    self.seq(alt)
            for j in jumps:
                self.prog[j][1] = len(self.prog)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, body = av
            greedy = op is C.MAX_REPEAT
            for _ in range(lo):
                self.seq(body)
            if hi == C.MAXREPEAT:
                split = self.emit("split", 0, 0)
                self.seq(body)
                self.emit("jmp", split)
                self._order(split, split + 1, len(self.prog), greedy)
            else:
                splits = []
                for _ in range(hi - lo):
                    splits.append(self.emit("split", 0, 0))
                    self.seq(body)
                for s in splits:
                    self._order(s, s + 1, len(self.prog), greedy)
        else:
            raise Unsupported(str(op))

    def _order(self, at: int, body: int, out: int, greedy: bool) -> None:
        self.prog[at][1], self.prog[at][2] = (body, out) if greedy else (out, body)


class Machine:
    """`search` of one regex (the subset pathspec emits) in O(len(text) x len(program)); the answer
    is the match Python's `re` would return, reduced to: no match (None), or whether the `ps_d`
    group took part."""

    def __init__(self, regex: "re.Pattern[str]") -> None:
        parsed = P.parse(regex.pattern, regex.flags & ~re.UNICODE)
        if regex.flags & ~(re.UNICODE | re.ASCII):
            raise Unsupported("flags")
        comp = _Compiler(parsed.state.groupdict.get(DIR_MARK))
        comp.seq(list(parsed))
        comp.emit("match")
        self.prog = [tuple(i) for i in comp.prog]
        self.anchored = bool(self.prog) and self.prog[0][0] == "bol"

    def _add(self, threads: list, seen: set, pc: int, mark: bool, pos: int, text: str) -> None:
        stack = [(pc, mark)]
        while stack:
            pc, mark = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            ins = self.prog[pc]
            kind = ins[0]
            if kind == "jmp":
                stack.append((ins[1], mark))
            elif kind == "split":
                stack.append((ins[2], mark))  # pushed first: explored after the preferred branch
                stack.append((ins[1], mark))
            elif kind == "mark":
                stack.append((pc + 1, True))
            elif kind == "bol":
                if pos == 0:
                    stack.append((pc + 1, mark))
            elif kind == "eol":
                n = len(text)
                if pos == n or (pos == n - 1 and text[pos] == "\n"):
                    stack.append((pc + 1, mark))
            elif kind == "eos":
                if pos == len(text):
                    stack.append((pc + 1, mark))
            else:  # "char" or "match": a thread waits here
                threads.append((pc, mark))

    def search(self, text: str) -> Optional[bool]:
        found: Optional[bool] = None
        threads: list = []
        self._add(threads, set(), 0, False, 0, text)
        for pos in range(len(text) + 1):
            nxt: list = []
            seen: set = set()
            for pc, mark in threads:
                ins = self.prog[pc]
                if ins[0] == "match":
                    found = mark
                    break  # lower-priority threads lose to this match
                if pos < len(text) and ins[1](text[pos]):
                    self._add(nxt, seen, pc + 1, mark, pos + 1, text)
            if found is None and not self.anchored and pos < len(text):
                self._add(nxt, seen, 0, False, pos + 1, text)  # a later start, lowest priority
            threads = nxt
            if not threads:
                break
        return found


# ---------------------------------------------------------------- classing and specs


def _unbounded(items, out: list[bool]) -> None:  # type: ignore[no-untyped-def]
    """Append, for each unbounded repeat, whether what it repeats can match a `/`."""
    for op, av in items:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, body = av
            if hi == C.MAXREPEAT:
                out.append(_may_cross(body))
            _unbounded(body, out)
        elif op is C.SUBPATTERN:
            _unbounded(av[3], out)
        elif op is C.BRANCH:
            for alt in av[1]:
                _unbounded(alt, out)


def _may_cross(body) -> bool:  # type: ignore[no-untyped-def]
    for op, av in body:
        if op is C.ANY or (op is C.IN and any(i[0] is C.NEGATE for i in av)):
            return True
        if op is C.NOT_LITERAL and av != ord("/"):
            return True
        if op in (C.SUBPATTERN, C.BRANCH, C.MAX_REPEAT, C.MIN_REPEAT):
            return True
    return False


def risky(regex: "re.Pattern[str]") -> bool:
    """Whether backtracking on this regex can take more than about O(path x longest name): two
    repeats that can span folders (`**/a/**/b`), or three repeats in all (`*a*b*`). One of each
    (`**/*.py`) backtracks only over the folders and within one name."""
    try:
        parsed = P.parse(regex.pattern, regex.flags & ~re.UNICODE)
    except (re.error, RecursionError, OverflowError):
        return True
    reps: list[bool] = []
    _unbounded(list(parsed), reps)
    return sum(reps) >= 2 or len(reps) >= 3


def unreadable(line: str) -> Optional[str]:
    """Why pathspec cannot compile this one gitignore line (None: it can)."""
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (re.error, ValueError) as exc:
        return str(exc)
    return None


def _compiled(lines: list[str]) -> "pathspec.GitIgnoreSpec":
    """pathspec's spec of the lines, without those it cannot compile: git skips a pattern it cannot
    read (a range running backwards, `[C-8]`, as in a file name copied into .gitignore; a trailing
    backslash) and still applies the rest of the file. Each line is tried alone only when the whole
    file fails, so a readable file costs nothing more."""
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (re.error, ValueError):
        pass
    return pathspec.GitIgnoreSpec.from_lines([line for line in lines if unreadable(line) is None])


class Spec:
    """A list of gitignore patterns (as pathspec parses them) answering in linear time.

    `check(rel)`: True ignored, False re-included by a negation, None no pattern decides.
    `match(rel)`: whether the path is ignored."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.spec = _compiled(list(lines))
        self.rows: list[tuple[bool, Callable[[str], Optional[bool]]]] = []
        fast: list[str] = []
        # patterns that need the linear machine, each with a literal every path it matches contains
        # (`*replit*` needs "replit"): real .gitignore files carry such patterns, and running the
        # machine on every path made discovery several times slower
        self.needles: list[str] = []
        unguarded = False
        for p in self.spec.patterns:
            regex = getattr(p, "regex", None)
            if p.include is None or regex is None:
                continue
            slow = risky(regex)
            match = _matcher(regex, slow)
            if slow or not isinstance(regex.pattern, str):
                need = _needle(getattr(p, "pattern", None))
                if need:
                    self.needles.append(need)
                    match = _guarded(match, need)
                else:
                    unguarded = True
            else:
                fast.append("(?:" + re.sub(r"\(\?P<\w+>", "(?:", regex.pattern) + ")")
            self.rows.append((bool(p.include), match))
        self.decides_nothing = not self.rows
        # one regex made of every well-behaved pattern says first whether any can match at all: most
        # paths match none, and trying the patterns one by one was most of the time spent finding
        # files in projects with the 180-line .gitignore files real projects carry
        self.any: Optional[re.Pattern[str]] = None
        self.prefilter = not unguarded
        if fast and not unguarded:
            try:
                self.any = re.compile("|".join(fast))
            except re.error:
                self.prefilter = False

    def check(self, rel: str) -> Optional[bool]:
        if self.decides_nothing:
            return None
        if self.prefilter and (self.any is None or self.any.search(rel) is None) and \
                not any(n in rel for n in self.needles):
            return None
        # pathspec's GitIgnoreSpec, newest pattern first: a file-level match decides; a folder-level
        # match (the path lies inside a matched folder) decides only when no file-level one does
        verdict: Optional[bool] = None
        level = 0
        for include, match in reversed(self.rows):
            got = match(rel)
            if got is None:
                continue
            priority = 1 if got else 2
            if priority > level:
                verdict, level = include, priority
            if priority == 2:
                break
        return verdict

    def match(self, rel: str) -> bool:
        return bool(self.check(rel))


def _needle(pattern: object) -> str:
    """The longest literal run of a gitignore pattern (outside wildcards and brackets), which any
    path the pattern matches contains; "" when there is none or the pattern escapes characters."""
    if not isinstance(pattern, str) or "\\" in pattern:
        return ""
    text = re.sub(r"\[[^\]]*\]", "*", pattern.lstrip("!"))
    return max(re.split(r"[*?\[\]/]", text), key=len, default="")


def _guarded(match: Callable[[str], Optional[bool]], need: str) -> Callable[[str], Optional[bool]]:
    return lambda rel: match(rel) if need in rel else None


def _matcher(regex: "re.Pattern[str]", slow: bool) -> Callable[[str], Optional[bool]]:
    """None: no match; else whether the directory mark group matched. `slow`: `risky(regex)`."""
    if slow:
        try:
            return Machine(regex).search
        except (Unsupported, re.error, RecursionError, OverflowError):
            pass  # pathspec never emits what the machine cannot run; if it ever does, use re

    def run(rel: str) -> Optional[bool]:
        m = regex.search(rel)
        return None if m is None else bool(m.groupdict().get(DIR_MARK))

    return run
