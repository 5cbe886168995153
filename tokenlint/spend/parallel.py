"""A large usage file read by several processes: one byte range each (cut at record boundaries by
`rows.split`), each summed into its own ledger, the sums and the per-file problems merged in order.

Only plain CSV and JSON-lines files of SPLIT_MIN bytes or more are split; the result is the same as
one pass, row numbers included.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

from tokenlint.spend import rows as rw
from tokenlint.spend.join import Ledger
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.read import Context, read_file, resolve_format
from tokenlint.spend.record import FileReport


def _part(args: tuple) -> tuple[dict, FileReport]:
    path, fmt, part, ctx_kwargs, catalog, batch, accounts, since, until = args
    ctx = Context(**ctx_kwargs)
    report, records = read_file(path, None, ctx, Pricer(catalog, batch), accounts, part, fmt)
    ledger = Ledger()
    ledger.add(records, since, until)
    return ledger.sums, report


def read_split(path: Path, forced: Optional[str], ctx_kwargs: dict[str, Any], catalog: Any, batch: dict,
               accounts: dict[str, str], since: Optional[dt.date], until: Optional[dt.date], jobs: int,
               ledger: Ledger) -> Optional[FileReport]:
    """Add a large file's records to `ledger` with `jobs` processes; None when the file is not split."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        container, name = resolve_format(path, forced, ctx_kwargs.get("generic"))
    except rw.FileError:
        return None  # read_file reports it
    parts = rw.split(path, container, jobs)
    if parts is None:
        return None
    work = [(path, (container, name), p, ctx_kwargs, catalog, batch, accounts, since, until) for p in parts]
    with ProcessPoolExecutor(len(parts), mp_context=multiprocessing.get_context("fork")) as ex:
        results = list(ex.map(_part, work))
    merged = FileReport(path=str(path))
    for sums, report in results:  # in file order: the first problem row is the earliest part's
        for key, acc in sums.items():
            mine = ledger.sums.get(key)
            if mine is None:
                ledger.sums[key] = acc
            else:
                for i, v in enumerate(acc):
                    mine[i] += v
        merged.format, merged.kind = report.format, report.kind
        merged.rows += report.rows
        merged.records += report.records
        if merged.error is None and report.error is not None:
            merged.error, merged.error_line = report.error, report.error_line
        for basis, n in report.basis.items():
            merged.basis[basis] = merged.basis.get(basis, 0) + n
        for kind, (count, first, detail) in report.problems.items():
            p = merged.problems.get(kind)
            if p is None:
                merged.problems[kind] = [count, first, detail]
            else:
                p[0] += count
    if merged.rows == 0 and merged.error is None:
        merged.error = "no rows"
    elif merged.records == 0 and merged.error is None:
        merged.error = f"no row could be read as {merged.format}: an export of another kind?"
    return merged
