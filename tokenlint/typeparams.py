"""Python 3.12 type parameters (PEP 695) read by an older Python: the text lowered to its grammar.

`def f[T](x)`, `class Box[T: Base]:` and `type Alias[T] = ...` are rejected by the parser of Python
3.10 and 3.11, which took the whole file out of the analysis. Used only when `ast.parse` has failed:
the parameter lists are blanked out in place (spaces, a backslash before each line break inside one)
and `type X = v` reads as `X = v`, from the tokens (strings and comments are never touched), so every
other node keeps its line and column. The analysis never needs the type parameters themselves.

PEP 701 f-strings (the f-string's own quotes, backslashes or comments inside its braces) have no such
lowering: rewriting the string would move columns inside it and could change what it means; such a
file is reported as needing Python 3.12 (`project.NEWER_GRAMMAR`)."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from typing import Optional


def lower_type_params(text: str) -> Optional[str]:
    """`text` with its type parameter lists blanked and its `type` statements read as assignments;
    None when it has none (or cannot be tokenized)."""
    if "[" not in text and "type" not in text:
        return None
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL)]
    except (tokenize.TokenError, SyntaxError, ValueError):  # IndentationError is a SyntaxError
        return None
    lines = io.StringIO(text, newline="").readlines()
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []  # (start, end, replacement on one line)
    blank: list[tuple[tuple[int, int], tuple[int, int]]] = []  # bracketed spans to blank
    starts = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    for i, tok in enumerate(toks):
        if tok.type != tokenize.NAME or i + 2 >= len(toks):
            continue
        nxt, third = toks[i + 1], toks[i + 2]
        if tok.string in ("def", "class") and nxt.type == tokenize.NAME and third.string == "[":
            end = _closing(toks, i + 2)
        elif tok.string == "type" and (i == 0 or toks[i - 1].type in starts or toks[i - 1].string == ";") \
                and nxt.type == tokenize.NAME and third.string in ("[", "="):
            # `type X = v` -> `X      = v`: the name moves onto `type`, its old place is blanked
            edits.append((tok.start, nxt.end, nxt.string + " " * (nxt.end[1] - tok.start[1] - len(nxt.string))))
            end = _closing(toks, i + 2) if third.string == "[" else None
            if third.string == "=" or end is None:
                continue
        else:
            continue
        if end is None:
            return None
        blank.append((third.start, toks[end].end))
    if not edits and not blank:
        return None
    # a character is blanked by as many spaces as its UTF-8 bytes: node columns count bytes
    chars = [list(line) for line in lines]
    for (l1, c1), (l2, c2) in blank:
        for ln in range(l1, l2 + 1):
            row = chars[ln - 1]
            a = c1 if ln == l1 else 0
            b = c2 if ln == l2 else len(row) - (1 if row and row[-1] == "\n" else 0)
            for c in range(a, b):
                row[c] = " " * len(row[c].encode("utf-8"))
            if ln < l2:  # the span goes on on the next line: join them explicitly
                if b > a and row[b - 1] == " ":
                    row[b - 1] = "\\"
                else:  # an empty line inside the list: nothing on it moves
                    row.insert(b, "\\")
    for (l1, c1), (_l2, c2), rep in edits:
        width = len("".join(chars[l1 - 1][c1:c2]).encode("utf-8"))
        name = rep.rstrip(" ")
        chars[l1 - 1][c1:c2] = [name + " " * (width - len(name.encode("utf-8")))]
    return "".join("".join(row) for row in chars)


def parse_type_params(text: str) -> Optional[ast.Module]:
    """The tree of `text` read through `lower_type_params`: None when there are no type parameters to
    lower (or the tree cannot be built); the lowered text's SyntaxError when it still does not parse
    (a real error, at its own place)."""
    new = lower_type_params(text)
    if new is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(new, filename="<unknown>", type_comments=False)
    except (ValueError, MemoryError, RecursionError):
        return None


def _closing(toks: list[tokenize.TokenInfo], i: int) -> Optional[int]:
    """The index of the `]` closing the `[` at toks[i], else None."""
    depth = 0
    for j in range(i, len(toks)):
        s = toks[j].string
        if toks[j].type == tokenize.OP and s in "([{":
            depth += 1
        elif toks[j].type == tokenize.OP and s in ")]}":
            depth -= 1
            if depth == 0:
                return j if s == "]" else None
    return None
