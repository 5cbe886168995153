"""Fixes: text edits on exact node spans, applied to a fixpoint and checked before anything is written.

A rule's fix is a tuple of `Edit`s (1-based row, 1-based character column, as in ruff's JSON), built
with the helpers here from the `ast` node spans the resolver recorded. Applying them never writes a
file that no longer parses: the result must parse with LibCST (the formatting-preserving parser the
fixes are validated against) and with `compile()`, else the file is left as it was and the failure
is reported. Writes are atomic (temporary file, then rename) and keep encoding, BOM, line endings
and file mode.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from tokenlint.findings import Edit, Fix
from tokenlint.fstrings import lower_fstrings
from tokenlint.typeparams import lower_type_params

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource


# ------------------------------------------------------------------ building edits


def pos(source: "ModuleSource", line: int, byte_col: int) -> tuple[int, int]:
    """(row, 1-based character column) of an `ast` (line, byte offset) position."""
    return line, source.column(line, byte_col)


def span_edit(source: "ModuleSource", node: ast.AST, text: str) -> Edit:
    """Replace the whole text of `node` with `text`."""
    r1, c1 = pos(source, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    r2, c2 = pos(source, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return Edit(r1, c1, r2, c2, text)


def insert_at(source: "ModuleSource", line: int, byte_col: int, text: str) -> Edit:
    r, c = pos(source, line, byte_col)
    return Edit(r, c, r, c, text)


def insert_keyword(source: "ModuleSource", call: ast.Call, keyword_text: str) -> Edit:
    """Add `keyword_text` (e.g. `metadata={"feature": "x"}`) as the last argument of `call`,
    following the call's layout: same line when the arguments share one, one per line (with a
    trailing comma) when they are laid out one per line."""
    args: list[ast.AST] = [*call.args, *call.keywords]
    end_row, end_col = call.end_lineno, call.end_col_offset  # type: ignore[attr-defined]
    close = (end_row, end_col - 1)  # the closing parenthesis
    if not args:
        return insert_at(source, close[0], close[1], keyword_text)
    last = max(args, key=lambda a: (a.end_lineno, a.end_col_offset))  # type: ignore[attr-defined]
    between = _text_between(source, last.end_lineno, last.end_col_offset, close[0], close[1])  # type: ignore
    has_comma = between.lstrip().startswith(",")
    multiline = last.end_lineno != close[0] and "\n" in between  # type: ignore[attr-defined]
    first = min(args, key=lambda a: (a.lineno, a.col_offset))  # type: ignore[attr-defined]
    hugged = multiline and first.lineno == last.end_lineno != call.lineno  # type: ignore[attr-defined]
    if hugged and not _text_between(source, last.end_lineno, last.end_col_offset,  # type: ignore[arg-type]
                                    last.end_lineno + 1, 0).strip().lstrip(",").strip():  # type: ignore
        # black's hugged layout (all arguments on one line between the brackets' lines): the new
        # argument joins them there; a line grown too long is split one per line (layout.py)
        multiline = False
    if multiline:
        indent = _indent_of(source, last.lineno, last.col_offset)  # type: ignore[attr-defined]
        row, after = last.end_lineno, last.end_col_offset  # type: ignore[attr-defined]
        comma_here = has_comma and "\n" not in between[:between.index(",")]
        if comma_here:
            after += between.index(",") + 1
        # a comment ending the line stays on its line: the new argument goes on the next one
        line = source.lines[row - 1].rstrip("\r\n").encode("utf-8")
        rest = line[after:].decode("utf-8", errors="replace")
        comma = "" if has_comma else ","
        if rest.strip().startswith("#") and (comma_here or not has_comma):
            r1, c1 = pos(source, row, after)
            r2, c2 = pos(source, row, len(line))
            return Edit(r1, c1, r2, c2, f"{comma}{rest}\n{indent}{keyword_text},")
        if has_comma:
            comma_at = last.end_col_offset + between.index(",")  # type: ignore[attr-defined]
            return insert_at(source, last.end_lineno, comma_at + 1,  # type: ignore[attr-defined]
                             f"\n{indent}{keyword_text},")
        return insert_at(source, last.end_lineno, last.end_col_offset,  # type: ignore[attr-defined]
                         f",\n{indent}{keyword_text},")
    if has_comma:
        comma_at = last.end_col_offset + between.index(",")  # type: ignore[attr-defined]
        return insert_at(source, last.end_lineno, comma_at + 1, f" {keyword_text}")  # type: ignore[attr-defined]
    return insert_at(source, last.end_lineno, last.end_col_offset, f", {keyword_text}")  # type: ignore[attr-defined]


def insert_dict_item(source: "ModuleSource", d: ast.Dict, item_text: str) -> Edit:
    """Add `"key": value` to a dict literal, after its last item: on the same line when the items
    share one, on a line of its own (with a trailing comma) when they are laid out one per line."""
    if not d.values:
        return insert_at(source, d.end_lineno, d.end_col_offset - 1, item_text)  # type: ignore[arg-type]
    last = d.values[-1]
    between = _text_between(source, last.end_lineno, last.end_col_offset,  # type: ignore[arg-type]
                            d.end_lineno, d.end_col_offset - 1)  # type: ignore[operator]
    first = d.keys[0] if d.keys[0] is not None else d.values[0]
    if last.end_lineno != d.end_lineno and "\n" in between and first.lineno != d.lineno \
            and "#" not in between:  # type: ignore[attr-defined]
        # one item per line: the new one goes on its own line, indented as the last one
        indent = _indent_of(source, last.end_lineno, 0)  # type: ignore[arg-type]
        comma = between.index(",") + 1 if between.lstrip().startswith(",") else 0
        prefix = "" if comma else ","
        return insert_at(source, last.end_lineno, last.end_col_offset + comma,  # type: ignore[arg-type,operator]
                         f"{prefix}\n{indent}{item_text},")
    if between.lstrip().startswith(","):
        at = last.end_col_offset + between.index(",") + 1  # type: ignore[operator]
        return insert_at(source, last.end_lineno, at, f" {item_text}")  # type: ignore[arg-type]
    return insert_at(source, last.end_lineno, last.end_col_offset, f", {item_text}")  # type: ignore[arg-type]


def _text_between(source: "ModuleSource", l1: int, c1: int, l2: int, c2: int) -> str:
    lines = source.lines
    if l1 == l2:
        return lines[l1 - 1].encode("utf-8")[c1:c2].decode("utf-8", errors="replace")
    first = lines[l1 - 1].encode("utf-8")[c1:].decode("utf-8", errors="replace")
    last = lines[l2 - 1].encode("utf-8")[:c2].decode("utf-8", errors="replace")
    return first + "".join(lines[l1:l2 - 1]) + last


def _indent_of(source: "ModuleSource", line: int, byte_col: int) -> str:
    text = source.lines[line - 1]
    stripped = text.lstrip(" \t")
    indent = text[: len(text) - len(stripped)]
    return indent


def nested_literal(path: tuple[str, ...], leaf: str) -> str:
    """`{"a": {"b": leaf}}` for path ("a", "b"); `leaf` itself for an empty path."""
    for key in reversed(path):
        leaf = f"{{{python_string(key)}: {leaf}}}"
    return leaf


def insert_at_path(source: "ModuleSource", call: ast.Call, kwarg: str, path: tuple[str, ...],
                   leaf: str, position: Optional[int] = None) -> Optional[Edit]:
    """Put `leaf` (source text) at `kwarg[path[0]][path[1]]...` of `call`, creating what is missing:
    a new keyword, or new items in dict literals (also a config object's keywords:
    `GenerateContentConfig(labels=...)`). `position`: the argument may be passed by position there
    (`chain.invoke(x, {...})`). None when the place is taken or cannot be seen (a variable,
    `**kwargs`, `*args`, a key already there): the fix never overwrites what the author wrote."""
    if any(k.arg is None for k in call.keywords):
        return None
    existing = next((k.value for k in call.keywords if k.arg == kwarg), None)
    if position is not None and existing is None:
        if any(isinstance(a, ast.Starred) for a in call.args):
            return None
        existing = call.args[position] if position < len(call.args) else None
    if existing is None:
        return insert_keyword(source, call, f"{kwarg}={nested_literal(path, leaf)}")
    node: ast.expr = existing
    for i, key in enumerate(path):
        rest = nested_literal(path[i + 1:], leaf)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                return None  # {**base, ...}: the key may be inside
            found = next((v for k, v in zip(node.keys, node.values)
                          if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value.lower() == key.lower()), None)
            if found is None:
                return insert_dict_item(source, node, f"{python_string(key)}: {rest}")
            node = found
        elif isinstance(node, ast.Call) and key.isidentifier() and not node.args:
            if any(k.arg is None for k in node.keywords):
                return None
            found = next((k.value for k in node.keywords if k.arg == key), None)
            if found is None:
                return insert_keyword(source, node, f"{key}={rest}")
            node = found
        else:
            return None
    return None


def python_string(value: str) -> str:
    """A double-quoted Python string literal for `value`."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def make_fix(applicability: str, message: str, *edits: Edit) -> Fix:
    return Fix(applicability=applicability, message=message, edits=tuple(edits))


# ------------------------------------------------------------------ applying edits


_LINE_END = re.compile(r"\r\n|\r|\n")


def _offsets(text: str) -> list[int]:
    """Character offset of the start of each line (Python's line ends only)."""
    return [0] + [m.end() for m in _LINE_END.finditer(text)]  # a regex: a 10 MB file in 0.1 s, not 2.5 s


def apply_fixes(text: str, fixes: list[tuple[Edit, ...]]) -> tuple[str, list[int]]:
    """Apply whole fixes: a fix whose edits overlap an edit already taken is skipped entirely (a
    later pass, on the new text, may still apply it), never applied in part.

    Returns the new text and the indices of the fixes applied.
    """
    starts = _offsets(text)

    def off(row: int, col: int) -> int:
        if row - 1 >= len(starts):
            return len(text)
        return min(starts[row - 1] + col - 1, len(text))

    taken: list[tuple[int, int, str]] = []
    applied: list[int] = []
    for i, edits in enumerate(fixes):
        spans = [(off(e.row, e.column), off(e.end_row, e.end_column), e.content) for e in edits]
        if any(_overlaps(a, b, ta, tb) for a, b, _ in spans for ta, tb, _ in taken) or _self_overlap(spans):
            continue
        taken.extend(spans)
        applied.append(i)
    out: list[str] = []
    cursor = 0
    for a, b, content in sorted(taken, key=lambda s: (s[0], s[1])):
        out.append(text[cursor:a])
        out.append(content)
        cursor = b
    out.append(text[cursor:])
    return "".join(out), applied


def _overlaps(a: int, b: int, ta: int, tb: int) -> bool:
    if a == b and ta == tb:
        return a == ta  # two insertions at one point: order would be arbitrary
    return a < tb and ta < b or (a == b and ta < a < tb) or (ta == tb and a < ta < b)


def _self_overlap(spans: list[tuple[int, int, str]]) -> bool:
    ordered = sorted(spans)
    return any(ordered[i][1] > ordered[i + 1][0] for i in range(len(ordered) - 1))


def keep_line_endings(old: str, new: str) -> str:
    """`new` (fixed text with "\n" line ends, as rules see it) with the line endings of `old` (the
    text as read): unchanged lines keep theirs byte for byte, a changed or added line takes the
    ending of the line it replaces or follows, so a CRLF, CR or mixed file stays as it was."""
    if "\r" not in old:
        return new
    old_lines = io.StringIO(old, newline="").readlines()
    ends = [line[len(line.rstrip("\r\n")):] for line in old_lines]
    present = {e for e in ends if e}
    if len(present) == 1:  # one convention throughout: no need to align lines
        return new.replace("\n", present.pop()) if present != {"\n"} else new
    # the most used ending; a tie goes to the one written first (never to a set's order, which changes per run)
    fallback = max(present, key=lambda e: (ends.count(e), -ends.index(e))) if present else "\n"
    new_lines = new.split("\n")
    last_has_end = new.endswith("\n")
    if last_has_end:
        new_lines.pop()
    old_bodies = [line[: len(line) - len(e)] for line, e in zip(old_lines, ends)]
    out_ends = [e or fallback for e in _aligned_endings(old_bodies, ends, new_lines)]
    if not last_has_end and out_ends:
        out_ends[-1] = ""
    return "".join(body + end for body, end in zip(new_lines, out_ends))


_RESYNC = 200  # lines looked ahead for the next unchanged line: fixes change a few lines at a time


def _aligned_endings(old: list[str], ends: list[str], new: list[str]) -> list[str]:
    """For each line of `new`, the ending of the `old` line it is, replaces (same place in a changed
    block) or follows (an added line). Linear: walks both files, and after a difference resumes at
    the nearest line the two have in common again."""
    where: dict[str, list[int]] = {}
    for k, body in enumerate(old):
        where.setdefault(body, []).append(k)
    out: list[str] = []
    i = j = 0
    while j < len(new):
        if i < len(old) and old[i] == new[j]:
            out.append(ends[i])
            i, j = i + 1, j + 1
            continue
        best = None  # (cost, lines of old replaced, lines of new replacing them)
        for dj in range(min(_RESYNC, len(new) - j)):
            if best is not None and dj >= best[0]:
                break
            seen = where.get(new[j + dj])
            if not seen:
                continue
            at = bisect.bisect_left(seen, i)
            if at < len(seen) and seen[at] - i < _RESYNC and (best is None or seen[at] - i + dj < best[0]):
                best = (seen[at] - i + dj, seen[at] - i, dj)
        di, dj = (best[1], best[2]) if best is not None else (min(_RESYNC, len(old) - i), min(_RESYNC, len(new) - j))
        for k in range(dj):
            if di:  # replaced: the ending of the line in the same place
                out.append(ends[i + min(k, di - 1)])
            else:  # added: the ending of the line before
                out.append(ends[i - 1] if i > 0 else (ends[0] if ends else ""))
        i, j = i + di, j + dj
    return out


def check_parses(text: str) -> Optional[str]:
    """None when `text` parses with LibCST and compiles; else the reason. On a Python older than 3.12, a
    file written with type parameters (PEP 695) or PEP 701 f-strings compiles when its lowered text
    does (`typeparams`, `fstrings`): LibCST, which reads that grammar, must then parse the text as
    written."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<fixed>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError) as exc:
        older = sys.version_info < (3, 12) and isinstance(exc, SyntaxError)
        try:
            lowered = (lower_type_params(text) or lower_fstrings(text)) if older else None
        except Exception:  # noqa: BLE001 - a lowering that fails is no lowering: the error stands
            lowered = None
        if lowered is None or check_parses(lowered) is not None:
            return f"the fixed code does not compile: {getattr(exc, 'msg', exc)}"
    except (RecursionError, MemoryError):
        return "the fixed code does not compile: nested too deeply"
    try:
        import libcst

        libcst.parse_module(text)
    except Exception as exc:  # libcst raises ParserSyntaxError and a few internal errors
        return f"the fixed code does not parse with LibCST: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    return None


@dataclass
class FileFix:
    """What fixing one file did."""

    path: str
    abspath: str = ""
    applied: int = 0
    new_text: Optional[str] = None
    error: Optional[str] = None
    messages: tuple[str, ...] = ()
