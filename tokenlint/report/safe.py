"""Make text from the analysed code harmless in a terminal, Markdown or a table cell."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Remove terminal control characters (ANSI escapes, bidi overrides); keep newlines and tabs."""
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str, limit: int = 80) -> str:
    s = " ".join(clean(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def md_cell(text: str) -> str:
    s = one_line(text, 120)
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("<", "&lt;").replace(">", "&gt;")


_WS = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\[\]*_~!#+{}])")


def md_text(text: Any, limit: int = 400) -> str:
    """Any string from the audited code, made inert in Markdown (inside or outside a table): one line
    without control characters (`safe.clean`), escaped as `md_cell` does (which cuts at 120
    characters, too short for a paragraph), plus `&` (entities) and the characters that start
    emphasis, links, images or headings."""
    s = _WS.sub(" ", clean(str(text)))  # one line; unlike one_line, keeps edge spaces of separators
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    for a, b in _MD_REPLACE:
        s = s.replace(a, b)
    return _MD_SPECIAL.sub(r"\\\1", s)


_MD_REPLACE = (("\\", "\\\\"), ("&", "&amp;"), ("|", "\\|"), ("`", "'"), ("<", "&lt;"), (">", "&gt;"))
