"""Which lines of a file carry a `# noqa` comment, and for which codes: read from comment tokens.

A `# noqa` inside a string literal (`"... # noqa"`, a docstring) is text, not a comment, and
suppresses nothing: the file is tokenized (with Python's own `tokenize`), and only COMMENT tokens
count. Tokenizing is slow next to a regex, so it happens once per file, and only for a file where
a finding lands on a line holding the word (`Comments`).
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Optional

# `# noqa`, `# noqa: TKL101`, `# noqa:TKL101,TKL2 E501`. Linear: letters, digits and separators
# cannot trade characters.
NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_SEP = re.compile(r"[,\s]+")

Directives = dict[int, Optional[frozenset[str]]]
"""1-based row -> the codes (prefixes) a comment on it suppresses; None: every code."""


def directives(text: str) -> Directives:
    """The `# noqa` comments of a source text, by row. A file that stops tokenizing part way (it
    parses, but `tokenize` disagrees) keeps the comments before that point: never a suppression the
    file does not really carry."""
    out: Directives = {}
    if "noqa" not in text.lower():
        return out
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type != tokenize.COMMENT:
                continue
            m = NOQA.search(tok.string)
            if m is None:
                continue
            codes = m.group("codes")
            row = tok.start[0]
            if codes is None:
                out[row] = None
            elif out.get(row, frozenset()) is not None:
                out[row] = out.get(row, frozenset()) | {c.upper() for c in _SEP.split(codes) if c}  # type: ignore[operator]
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError):
        pass
    return out


def suppressed(code: str, rows: tuple[int, ...], found: Directives) -> bool:
    """Whether a `# noqa` on one of `rows` (the finding's first line, the call's last) covers `code`."""
    for row in rows:
        if row not in found:
            continue
        codes = found[row]
        if codes is None or any(code.startswith(c) for c in codes):
            return True
    return False


def rows_with_word(text: str) -> set[int]:
    """The 1-based rows (as `tokenize` numbers them: lines split at "\n") holding "noqa" in any case:
    only on those can a `# noqa` comment sit."""
    low = text.lower()  # never adds or removes a "\n", so rows counted here are the text's
    out: set[int] = set()
    row, at = 1, 0
    i = low.find("noqa")
    while i >= 0:
        row += low.count("\n", at, i)
        at = i
        out.add(row)
        i = low.find("noqa", i + 4)
    return out


class Comments:
    """A file's `# noqa` comments, read as `directives` reads them, but tokenized only when a
    finding lands on a line holding the word: most findings do not, and tokenizing every file with
    a finding and a `noqa` anywhere (in langchain-community, most files) cost more than the rules."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rows = rows_with_word(text)
        self._found: Optional[Directives] = None

    def suppress(self, code: str, rows: tuple[int, ...]) -> bool:
        """Whether a `# noqa` on one of `rows` covers `code` (`suppressed`)."""
        if self.rows.isdisjoint(rows):
            return False
        if self._found is None:
            self._found = directives(self.text)
        return suppressed(code, rows, self._found)
