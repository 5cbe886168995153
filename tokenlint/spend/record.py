"""The common usage record every reader produces, and the value parsers they share.

A record is one usage row of any export: its UTC day, provider, model, attribution, four token
buckets that never overlap (uncached input, cache read, cache write, output), requests, batch flag
and cost in US dollars as a Decimal with its basis. Parsers raise RowError with a short reason; the
reader driver counts it against the file and goes on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

REPORTED, COMPUTED, UNKNOWN = "reported", "computed", "unknown"


class RowError(ValueError):
    """One row cannot be read; `kind` groups the problem in the per-file count."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


@dataclass(slots=True)
class UsageRecord:
    source: str  # export name (openai-usage, litellm, ...)
    kind: str  # billing | attribution
    day: dt.date  # UTC day of the period start
    provider: str  # catalog provider name, or "unknown"
    model_raw: str
    model: str = ""  # normalised (filled by the pricing step)
    feature: Optional[str] = None
    site: Optional[str] = None  # tokenlint_site tag: a call-site id
    account: Optional[str] = None  # project / workspace / API key / IAM principal
    input: int = 0  # uncached input
    cache_read: int = 0
    cache_write: int = 0
    cache_write_1h: int = 0  # the part of cache_write written with a 1-hour TTL (Anthropic)
    output: int = 0
    requests: int = 0
    cost: Optional[Decimal] = None  # USD
    basis: str = UNKNOWN  # reported | computed | unknown
    batch: Optional[bool] = None
    # the row carries a cache figure (even 0); False when the export says nothing about caching, so its
    # cache_read of 0 is unknown, not a miss: no hit rate, cache finding or saving is drawn from it
    cache_known: bool = True
    # one line item of a bill (FOCUS) whose cache tokens come on sibling lines: its input counts as
    # cache-carrying when a cache line of the same week, feature, model and export is present
    cache_line: bool = False


@dataclass
class FileReport:
    """What reading one file gave: rows, records, and problems counted with their first row."""

    path: str
    format: str = ""
    kind: str = ""
    rows: int = 0
    records: int = 0
    problems: dict[str, list] = field(default_factory=dict)  # kind -> [count, first row, detail]
    basis: dict[str, int] = field(default_factory=dict)  # records per cost basis: reported / computed / unknown
    error: Optional[str] = None  # the file could not be read at all (or stopped early)
    error_line: Optional[int] = None  # the line the error is on, when one is known
    rows_are: str = "line"  # what a row number counts: a line (CSV, JSON lines) or an item of a JSON document

    def problem(self, kind: str, row: int, detail: str = "") -> None:
        p = self.problems.get(kind)
        if p is None:
            self.problems[kind] = [1, row, detail]
        else:
            p[0] += 1

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "kind": self.kind, "rows": self.rows,
                "records": self.records, "error": self.error, "cost_basis": dict(sorted(self.basis.items())),
                "rows_are": self.rows_are, "error_line": self.error_line,
                "problems": [{"kind": k, "count": c, "first_row": r, "detail": d}
                             for k, (c, r, d) in sorted(self.problems.items())]}


# ------------------------------------------------------------------ value parsers

_EPOCH = dt.date(1970, 1, 1)
_DAYS: dict[str, dt.date] = {}


def day_of(value: Any) -> dt.date:
    """The UTC day of a timestamp: unix seconds (or milliseconds), ISO 8601, or `YYYY-MM-DD HH:MM:SS`."""
    if type(value) is str and (value[-1:] == "Z" or len(value) == 10):  # the common UTC case, memoised
        hit = _DAYS.get(value[:10])
        if hit is not None:
            return hit
    if value is None or value == "":
        raise RowError("missing period", "no timestamp")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        raise RowError("bad timestamp", repr(value)[:40])
    s = value.strip()
    if not s:
        raise RowError("missing period", "empty timestamp")
    if s[0].isdigit() and len(s) >= 10 and s[4] == "-" and s[7] == "-":
        tail = s[10:]
        if not tail or tail[-1] == "Z" or tail.endswith("+00:00"):  # the common case: a UTC day, memoised
            hit = _DAYS.get(s[:10])
            if hit is not None:
                return hit
        # an offset other than UTC can move the day: parse it properly
        if tail and (tail.endswith("Z") or tail.endswith("+00:00") or tail.endswith("UTC")
                     or not any(c in tail[-6:] for c in "+-")):
            tail = ""
        if not tail:
            try:
                day = dt.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
            except ValueError:
                raise RowError("bad timestamp", s[:40]) from None
            if len(_DAYS) < 100_000:
                _DAYS[s[:10]] = day
            return day
        try:
            t = dt.datetime.fromisoformat(s.replace(" ", "T", 1))
        except ValueError:
            raise RowError("bad timestamp", s[:40]) from None
        if t.tzinfo is not None:
            t = t.astimezone(dt.timezone.utc)
        return t.date()
    try:
        return _from_epoch(float(s))
    except ValueError:
        raise RowError("bad timestamp", s[:40]) from None


def _from_epoch(x: float) -> dt.date:
    if x > 1e11:  # milliseconds
        x /= 1000
    if not (0 <= x < 4e9):
        raise RowError("bad timestamp", str(x))
    return _EPOCH + dt.timedelta(days=int(x // 86400))


def count(value: Any, what: str = "token count") -> int:
    """A whole, non-negative count; '' and None are 0; '59200.0' (spreadsheet floats) is 59200."""
    if type(value) is str and value.isdigit():  # the common CSV case first
        return int(value)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise RowError("bad number", f"{what}: {value}")
    if type(value) is int:
        n = value
    else:
        try:
            n = int(value)
        except (TypeError, ValueError):
            try:
                d = Decimal(str(value).strip())
            except InvalidOperation:
                raise RowError("bad number", f"{what}: {str(value)[:30]}") from None
            if d != d.to_integral_value():
                raise RowError("bad number", f"{what}: {value}")
            n = int(d)
    if n < 0:
        raise RowError("bad number", f"{what}: {n}")
    return n


def money(value: Any, what: str = "cost") -> Optional[Decimal]:
    """A Decimal from a number or a decimal string; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError("bad number", f"{what}: {value}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise RowError("bad number", f"{what}: {str(value)[:30]}") from None
    if not d.is_finite():
        raise RowError("bad number", f"{what}: {value}")
    return d


def truthy(value: Any) -> Optional[bool]:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "1", "yes", "t"):
        return True
    if s in ("false", "0", "no", "f", "none", "null"):
        return False
    return None


def usd(currency: Any) -> None:
    """Only US dollars are summed: another currency is a counted problem, never converted."""
    if currency is None or currency == "":
        return
    if str(currency).strip().upper() != "USD":
        raise RowError("currency not USD", str(currency)[:10])
