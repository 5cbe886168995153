"""Python 3.12 f-strings (PEP 701) read by an older Python: the text lowered to its grammar.

Python 3.12 lets an f-string's expressions hold the f-string's own quotes (`f"{row["name"]}"`), a
backslash (`f"{'\\n'.join(lines)}"`), comments, and line breaks inside a one-line string. Python 3.10
and 3.11 reject the whole file, which took every call in it out of the analysis. Used only when
`ast.parse` has failed: LibCST (which reads the 3.12 grammar) finds each f-string, and each expression
that the older grammar rejects is rewritten in place, keeping every line and column:
- a string literal inside it written with the outer quote takes the other quote (`row['name']`: the
  same value) when its text allows;
- otherwise the expression becomes `_` padded with spaces: the analysis reads an f-string's
  expressions as dynamic text, which `_` still is.
Nothing outside the offending expressions changes, so every other node keeps its place and meaning.
"""

from __future__ import annotations

import ast
import io
import warnings
from typing import Iterator, Optional

from tokenlint.typeparams import parse_type_params

_QUOTES = ('"""', "'''", '"', "'")


def lower_fstrings(text: str) -> Optional[str]:
    """`text` with the f-string expressions an older Python rejects rewritten in place; None when there
    are none, or when the text is not valid Python 3.12 or cannot be lowered without moving a line."""
    if "f" not in text and "F" not in text:
        return None
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = libcst.parse_module(text, config=libcst.PartialParserConfig(python_version="3.12"))
        spans = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except Exception:  # noqa: BLE001 - not valid 3.12 either: the file's own syntax error stands
        return None
    # Python's own line ends only (\n, \r\n, \r), as LibCST counts them
    chars = [list(line) for line in io.StringIO(text, newline="").readlines()] or [[]]
    changed = False
    for fstring in _outermost_fstrings(module):
        quote = fstring.end
        for part in _expressions(fstring.parts):
            rng = spans.get(part.expression)
            if rng is None:
                return None
            source = _segment(chars, rng)
            if source != module.code_for_node(part.expression):
                return None  # positions that do not point at the expression: never edit blind
            if _older_accepts(source, quote):
                continue
            edits = _requoted(part.expression, quote, spans, chars)
            trial = None
            if edits is not None:
                trial = [row[:] for row in chars]
                for (line, col), new in edits:
                    trial[line - 1][col] = new
            if trial is not None and _older_accepts(_segment(trial, rng), quote):
                chars[:] = trial
            elif any(c in source for c in "\r\n") and len(quote) == 1:
                return None  # a one-line string whose expression spans lines: nothing keeps the lines
            else:
                _blank(chars, rng)
            changed = True
    return "".join("".join(row) for row in chars) if changed else None


def parse_fstrings(text: str) -> Optional[ast.Module]:
    """The tree of `text` read through `lower_fstrings` (and `typeparams` when it also has PEP 695
    type parameters); None when there is nothing to lower or the lowered text still does not parse."""
    new = lower_fstrings(text)
    if new is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return ast.parse(new, filename="<unknown>", type_comments=False)
            except SyntaxError:
                return parse_type_params(new)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _outermost_fstrings(node) -> Iterator:
    """The f-strings of the module that are not inside another f-string."""
    import libcst

    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, libcst.FormattedString):
            yield cur
            continue
        stack.extend(reversed(cur.children))


def _expressions(parts) -> Iterator:
    """Every replacement field of an f-string's parts, those nested in format specs included."""
    import libcst

    for part in parts:
        if isinstance(part, libcst.FormattedStringExpression):
            yield part
            if part.format_spec:
                yield from _expressions(part.format_spec)


def _older_accepts(source: str, quote: str) -> bool:
    """Whether Python 3.11 accepts `source` as an expression of an f-string delimited by `quote`."""
    if "\\" in source or "#" in source or quote in source:
        return False
    return len(quote) == 3 or "\n" not in source


def _requoted(expression, quote: str, spans, chars) -> Optional[list[tuple[tuple[int, int], str]]]:
    """Character edits giving the other quote to each string literal in `expression` written with the
    outer f-string's quote; None when one cannot take it (its text holds the other quote)."""
    import libcst

    other = {"'": '"', '"': "'", "'''": '"""', '"""': "'''"}[quote]
    edits: list[tuple[tuple[int, int], str]] = []
    stack = [expression]
    while stack:
        cur = stack.pop()
        if isinstance(cur, (libcst.SimpleString, libcst.FormattedString)):
            mine = cur.quote if isinstance(cur, libcst.SimpleString) else cur.end
            if mine != quote and quote not in mine:
                continue
            if len(mine) != len(other):
                return None
            rng = spans.get(cur)
            if rng is None or rng.start.line != rng.end.line and len(mine) == 1:
                return None
            inner = _segment(chars, rng)
            body = inner[len(inner) - len(inner.lstrip("rRbBuUfF")) + len(mine): len(inner) - len(mine)]
            if other[0] in body or (isinstance(cur, libcst.FormattedString) and quote[0] in body):
                return None
            start = rng.start.column + len(inner) - len(inner.lstrip("rRbBuUfF"))
            end_line, end_col = rng.end.line, rng.end.column - len(mine)
            for k in range(len(mine)):
                edits.append(((rng.start.line, start + k), other[k]))
                edits.append(((end_line, end_col + k), other[k]))
            continue
        stack.extend(cur.children)
    return edits


def _segment(chars: list[list[str]], rng) -> str:
    (l1, c1), (l2, c2) = (rng.start.line, rng.start.column), (rng.end.line, rng.end.column)
    if l1 == l2:
        return "".join(chars[l1 - 1][c1:c2])
    return "".join(["".join(chars[l1 - 1][c1:])] + ["".join(chars[i]) for i in range(l1, l2 - 1)]
                   + ["".join(chars[l2 - 1][:c2])])


def _blank(chars: list[list[str]], rng) -> None:
    """The expression at `rng` becomes `_` and spaces; line breaks stay, so no line moves. A character
    is replaced by as many spaces as its UTF-8 bytes: node columns count bytes."""
    first = True
    for ln in range(rng.start.line, rng.end.line + 1):
        row = chars[ln - 1]
        a = rng.start.column if ln == rng.start.line else 0
        b = rng.end.column if ln == rng.end.line else len(row)
        for c in range(a, b):
            if row[c] in ("\n", "\r", "\r\n"):
                continue
            width = len(row[c].encode("utf-8"))
            row[c] = ("_" + " " * (width - 1)) if first else " " * width
            first = False
