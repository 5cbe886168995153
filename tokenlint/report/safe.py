"""Make text from the analysed code harmless in a terminal, Markdown or a table cell."""

from __future__ import annotations

import re

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
