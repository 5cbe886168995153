"""Make text from the analysed code harmless in every output: a terminal or CI log, JSON, XML, a URI,
Markdown posted as a pull-request comment, a table cell.

Every string a report takes from the checkout (file names, model names, messages quoting code)
goes through here. The repository's author chose those strings: a newline in a file name must not
start a `::error` workflow command line in a CI log, an ANSI escape must not rewrite the terminal,
a file name that is not UTF-8 must not crash a writer, `@someone` must not notify anyone.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# everything `_CONTROL` takes, plus what ends or breaks a line (newline, carriage return, tab, NEL,
# line and paragraph separators), the BOM, the two non-characters XML forbids, and lone surrogates
# (a non-UTF-8 file name as Python reads it: byte 0xff is "\udcff")
_NOT_INLINE = re.compile(r"[\x00-\x1f\x7f\x80-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                         r"\ufffe\uffff\ud800-\udfff]")
_VISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def clean(text: str) -> str:
    """Remove terminal control characters (ANSI escapes, bidi overrides); keep newlines and tabs.
    Only for text tokenlint lays out itself; a string from the checkout on one line takes `inline`."""
    return _CONTROL.sub("\ufffd", text)


def _visible(m: "re.Match[str]") -> str:
    ch = m.group()
    if ch in _VISIBLE:
        return _VISIBLE[ch]
    if "\udc80" <= ch <= "\udcff":  # an undecodable byte of a file name: show the byte
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return "\ufffd"


def inline(text: Any) -> str:
    """One line, printable: newline, carriage return and tab shown as `\\n`, `\\r`, `\\t`; an
    undecodable file-name byte as `\\xNN`; every other control, bidi or invisible character as
    U+FFFD. Safe for a log line, a JSON or XML value, and encodable as UTF-8."""
    s = str(text)
    return _NOT_INLINE.sub(_visible, s) if _NOT_INLINE.search(s) else s


def inline_all(value: Any) -> Any:
    """`inline` on every string of a JSON-like value (keys too)."""
    if isinstance(value, str):
        return inline(value)
    if isinstance(value, list):
        return [inline_all(v) for v in value]
    if isinstance(value, dict):
        return {inline(k) if isinstance(k, str) else k: inline_all(v) for k, v in value.items()}
    return value


def uri_path(rel: str, safe: str = "/-._~") -> str:
    """A relative path as a percent-encoded URI reference: the exact bytes of the name (a non-UTF-8
    name keeps its bytes), so `#`, `?`, `%`, spaces and newlines cannot change what it points to."""
    return quote(rel.encode("utf-8", "surrogateescape"), safe=safe)


def one_line(text: str, limit: int = 80) -> str:
    s = inline(" ".join(str(text).split()))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def md_cell(text: str) -> str:
    s = one_line(text, 120)
    return _defuse(s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("<", "&lt;")
                   .replace(">", "&gt;"))


# GitHub notifies `@someone` and links bare URLs and `www.` names in a comment: a zero-width space
# (as an entity, so the Markdown source stays printable) after `@`, in `://` and after `www` keeps
# the text and breaks the match
_ZWSP = "&#8203;"
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(?=://)|(?<=(?<![\w.])[Ww]{3})(?=\.)")


def _defuse(s: str) -> str:
    return _AUTOLINK.sub(_ZWSP, s.replace("@", "@" + _ZWSP))


_WS = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\[\]*_~!#+{}])")


def md_text(text: Any, limit: int = 400) -> str:
    """Any string from the audited code, made inert in Markdown (inside or outside a table): one line
    without control characters (`safe.inline`), escaped as `md_cell` does (which cuts at 120
    characters, too short for a paragraph), plus `&` (entities) and the characters that start
    emphasis, links, images or headings; mentions and autolinks defused."""
    s = inline(_WS.sub(" ", str(text)))  # one line; unlike one_line, keeps edge spaces of separators
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    for a, b in _MD_REPLACE:
        s = s.replace(a, b)
    return _defuse(_MD_SPECIAL.sub(r"\\\1", s))


_MD_REPLACE = (("\\", "\\\\"), ("&", "&amp;"), ("|", "\\|"), ("`", "'"), ("<", "&lt;"), (">", "&gt;"))
