"""Which expressions give a new value every time they run: the clock, a fresh id, randomness.

`fresh_call(call, scope)` answers for one call by its qualified name as imported
(`datetime.now()` with `from datetime import datetime` is `datetime.datetime.now`), and
`fresh_name(name)` for a name that carries a per-request identifier or time by convention
(`request_id`, `x_trace_id`, `timestamp`). These are standard-library and well-known date
libraries' functions, stable for years, so they are kept here rather than in the catalog.
resolve/pieces.py marks such a dynamic part of a prompt, resolve/volatile.py (TKL302) reports it.
"""

from __future__ import annotations

import ast
import re

from tokenlint.resolve.texts import imported_qualname

# Functions whose result differs on every call (qualified names, as imported).
VOLATILE_CALLS = (
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.time", "time.time_ns", "time.strftime", "time.ctime", "time.asctime", "time.localtime",
    "time.gmtime", "uuid.uuid1", "uuid.uuid4", "os.urandom", "django.utils.timezone.now",
    "pendulum.now", "pendulum.today", "arrow.now", "arrow.utcnow",
)
VOLATILE_MODULES = ("random.", "secrets.")
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
