"""Which expressions give a new value every time they run: the clock, a fresh id, randomness.

`fresh_call(call, scope)` answers for one call by its qualified name as imported
(`datetime.now()` with `from datetime import datetime` is `datetime.datetime.now`), and
`fresh_name(name)` for a name that carries a per-request identifier or time by convention
(`request_id`, `x_trace_id`, `timestamp`). These are standard-library and well-known date
libraries' functions, stable for years, so they are kept here rather than in the catalog.
resolve/pieces.py marks such a dynamic part of a prompt, resolve/volatile.py (TKL302) reports it.

`to_the_day(e, scope)` tells a clock value read only to the day (`date.today()`, `.strftime("%Y-%m-%d")`,
`f"{now:%A %d %B}"`, `now.year`) from one that changes within it. A date changes once a day while a
provider's prompt cache keeps an entry for minutes to an hour (Anthropic 5 minutes or 1 hour; OpenAI
in-memory retention of minutes, extended retention up to 24 hours: their prompt-caching guides), so a
date at the head of a prompt costs at most one cache write a day: it is not a per-request value.
"""

from __future__ import annotations

import ast
import re
import weakref

from tokenlint.resolve.scope import binding_of
from tokenlint.resolve.texts import imported_qualname

# Functions whose result differs on every call (qualified names, as imported).
VOLATILE_CALLS = (
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.time", "time.time_ns", "time.strftime", "time.ctime", "time.asctime", "time.localtime",
    "time.gmtime", "uuid.uuid1", "uuid.uuid4", "os.urandom", "django.utils.timezone.now",
    "pendulum.now", "pendulum.today", "arrow.now", "arrow.utcnow",
)
VOLATILE_MODULES = ("random.", "secrets.")
DATE_CALLS = ("datetime.date.today", "pendulum.today")  # a date, no time of day
# strftime / format-spec directives finer than a day: hour, minute, second, microsecond, AM/PM, the
# locale's time and date-and-time, epoch seconds (%s), and %R / %r / %T / %k / %l shorthands
SUB_DAY = re.compile(r"%[-#_^0]*[HIklMSfpXcTRrs]")
DAY_PARTS = {"year", "month", "day"}  # attributes
DAY_METHODS = {"date", "weekday", "isoweekday", "isocalendar", "toordinal"}  # argument-less methods
# Names that carry a per-request identifier or time, alone or as a suffix (x_request_id).
VOLATILE_NAMES = re.compile(r"(?:^|_)(request_id|req_id|trace_id|span_id|session_id|correlation_id|timestamp)$")


def fresh_call(call: ast.Call, scope) -> bool:  # type: ignore[no-untyped-def]
    """Does `call` return a new value every time (the time, a fresh id, a random number)?"""
    qual = imported_qualname(call.func, scope)
    return bool(qual) and (qual in VOLATILE_CALLS or qual.startswith(VOLATILE_MODULES))  # type: ignore


def calls_fresh(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    """Does `e` call the clock, a fresh id or randomness anywhere (`datetime.now(tz).date()`)?"""
    return any(isinstance(n, ast.Call) and fresh_call(n, scope) for n in ast.walk(e))


def fresh_name(name: str) -> bool:
    """Is `name` a per-request identifier or time by its name (`request_id`, `timestamp`)?"""
    return bool(VOLATILE_NAMES.search(name.lower()))


def to_the_day(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    """Whether `e`, which reads the clock, keeps only the date: a date itself (`date.today()`), its
    parts or argument-less date methods (`now.year`, `now.date()`), or a format with no directive
    finer than a day (`now.strftime("%Y-%m-%d")`, `time.strftime("%d %B")`, or a name bound only to such
    a format, `DATE_FORMAT`; `str(...)` / `.isoformat()` of such a value). Anything it cannot read keeps
    the time: False."""
    if isinstance(e, ast.Attribute):
        return e.attr in DAY_PARTS
    if not isinstance(e, ast.Call):
        return False
    f = e.func
    qual = imported_qualname(f, scope)
    if qual in DATE_CALLS:
        return True
    if qual == "time.strftime" or isinstance(f, ast.Attribute) and f.attr == "strftime":
        return bool(e.args) and _day_format_in(e.args[0], scope)
    if isinstance(f, ast.Attribute):
        if f.attr in DAY_METHODS and not e.args:
            return True
        if f.attr == "isoformat":
            return to_the_day(f.value, scope)
    if isinstance(f, ast.Name) and f.id == "str" and len(e.args) == 1:
        return to_the_day(e.args[0], scope)
    return False


def _day_format_in(spec: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    """`day_format`, also of a name whose every assignment is such a literal (`DATE_FORMAT = "%Y-%m-%d"`)
    and that nothing extends or rebinds from a function (`FMT += " %H:%M"`, `global FMT`)."""
    if isinstance(spec, ast.Name):
        b = binding_of(spec.id, scope)
        values = [d for _, d in b[2].bindings.get(spec.id, ())] if b is not None and b[0] == "assign" else []
        return bool(values) and all(day_format(d) for d in values) and spec.id not in _changed(b[2].node)
    return day_format(spec)


_CHANGED: "weakref.WeakKeyDictionary[ast.AST, frozenset[str]]" = weakref.WeakKeyDictionary()


def _changed(node: ast.AST) -> frozenset[str]:
    """Names a scope's body (nested functions included) extends in place (`x += ...`) or declares
    `global`: the binder records neither as a binding. One walk per scope, cached."""
    out = _CHANGED.get(node)
    if out is None:
        names: set[str] = set()
        for n in ast.walk(node):
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
                names.add(n.target.id)
            elif isinstance(n, ast.Global):
                names.update(n.names)
        out = _CHANGED[node] = frozenset(names)
    return out


def day_format(spec: ast.expr | None) -> bool:
    """A strftime format or f-string format spec written as a literal, with no directive finer than
    a day (`"%Y-%m-%d"`, `%A %d %B`)."""
    if isinstance(spec, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in spec.values):
        text = "".join(str(v.value) for v in spec.values)  # type: ignore[attr-defined]
    elif isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        text = spec.value
    else:
        return False
    return "%" in text and not SUB_DAY.search(text)
