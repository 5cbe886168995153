"""Read one usage file into common records: sniff its format, stream its rows through the format's
reader, price what has no reported cost, and count every problem against the file.

A bad row never stops the file; a file that cannot be read never stops the report.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from tokenlint.spend import rows as rw
from tokenlint.spend.formats import Export, json_keys, sniff, spend_catalog
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.record import FileReport, RowError, UsageRecord

Reader = Callable[[dict, "Context"], "UsageRecord | Iterable[UsageRecord]"]


@dataclass
class Context:
    """What a reader needs besides the row: how tags name a feature or a call site."""

    export: Export
    feature_keys: tuple[str, ...] = ("feature",)  # lowercase
    site_key: str = "tokenlint_site"
    known_features: frozenset[str] = frozenset()  # bare tags that are inventory features count
    generic: dict = field(default_factory=dict)  # [tool.tokenlint.spend.generic]
    report: Optional[FileReport] = None
    row: int = 0
    _json_memo: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # a reader's own per-file memo (repeating cells)

    def note(self, kind: str, detail: str = "") -> None:
        """A problem that keeps the row (a unit that is not tokens: the cost still counts)."""
        if self.report is not None:
            self.report.problem(kind, self.row, detail)

    def attribution(self, tags: Any = None, mapping: Any = None) -> tuple[Optional[str], Optional[str]]:
        """(feature, call-site id) from tags ("feature:x", "feature=x", or a bare inventory feature)
        and key-value maps (metadata, properties, labels), keys matched case-insensitively."""
        feature = site = None
        if isinstance(mapping, dict):
            for k, v in mapping.items():
                if not isinstance(v, (str, int)) or isinstance(v, bool):
                    continue
                key = str(k).lower()
                if key.startswith("helicone-property-"):
                    key = key[len("helicone-property-"):]
                if feature is None and key in self.feature_keys and str(v):
                    feature = str(v)
                elif site is None and key == self.site_key and str(v):
                    site = str(v)
        if isinstance(tags, list):
            for t in tags:
                if not isinstance(t, str):
                    continue
                key, sep, value = t.partition(":")
                if not sep:
                    key, sep, value = t.partition("=")
                if sep:
                    key = key.strip().lower()
                    if feature is None and key in self.feature_keys and value.strip():
                        feature = value.strip()
                    elif site is None and key == self.site_key and value.strip():
                        site = value.strip()
                elif feature is None and t in self.known_features:
                    feature = t
        return feature, site

    def each(self, items: Iterable[Any], convert: Callable[..., Optional[UsageRecord]]) -> Iterator[UsageRecord]:
        """Records of the results inside one row (an API page or bucket): a bad result is counted
        against the row and its siblings are still read."""
        for item in items:
            try:
                r = convert(*item) if isinstance(item, tuple) else convert(item)
            except RowError as exc:
                self.note(exc.kind, exc.detail)
                continue
            if r is not None:
                yield r

    def json_cell(self, value: Any, what: str) -> Any:
        """A JSON value that may arrive as text (CSV cells, LiteLLM's doubly-encoded fields); memoised."""
        if not isinstance(value, str):
            return value
        s = value.strip()
        if not s or s in ("None", "null"):
            return None
        if s[0] not in "[{":
            return s
        hit = self._json_memo.get(s)
        if hit is not None:
            return hit
        try:
            v = json.loads(s, parse_float=Decimal)
        except ValueError:
            raise RowError("malformed row", f"{what} is not valid JSON") from None
        if len(s) < 512 and len(self._json_memo) < 20000:  # tags and labels repeat; bodies do not
            self._json_memo[s] = v
        return v


def resolve_format(path: Path, forced: Optional[str], generic: Optional[dict] = None) -> tuple[str, str]:
    """(container, export name) of a file; rw.FileError when it is no usage export."""
    container, text = rw.head(path)
    if forced:
        if forced == "generic" and not (generic or {}).get("time"):
            raise rw.FileError("--usage-format generic needs [tool.tokenlint.spend.generic] with at least 'time'")
        return container, forced
    keys = set(rw.header_of(text)) if container == rw.CSV else json_keys(text)
    name = sniff(keys)
    if name is None and generic and generic.get("time"):
        from tokenlint.spend.generic import COLUMNS

        wanted = {generic[c].split(".")[0] for c in COLUMNS if isinstance(generic.get(c), str)}
        if wanted <= keys:
            name = "generic"
    if name is None and container == rw.JSON and rw.json_problem(text):
        raise rw.FileError(rw.json_problem(text))
    if name is None and container == rw.CSV and text.split("\n", 1)[0].count('"') % 2:
        raise rw.FileError("unterminated quote in the header line", 1)
    if name is None:
        looked = ", ".join(e.name for e in spend_catalog().exports.values() if e.sniff)
        raise rw.FileError(f"not a usage export tokenlint reads (looked for {looked}; "
                           "name the format with --usage-format, or map a CSV in [tool.tokenlint.spend.generic])")
    return container, name


def read_file(path: Path, forced: Optional[str], ctx: Context, pricer: Pricer, accounts: dict[str, str],
              part: Optional[rw.Part] = None, fmt: Optional[tuple[str, str]] = None
              ) -> tuple[FileReport, Iterator[UsageRecord]]:
    """The file's report and its records (a generator: the report is complete once it is consumed).
    `part`: only this byte range (`fmt`, the file's (container, format), is then already known)."""
    report = FileReport(path=str(path))
    try:
        container, name = fmt or resolve_format(path, forced, ctx.generic)
    except rw.FileError as exc:
        report.error, report.error_line = str(exc), exc.line
        return report, iter(())
    export = spend_catalog().exports[name]
    report.format, report.kind = name, ctx.generic.get("kind", "attribution") if name == "generic" else export.kind
    ctx.export, ctx.report = export, report
    module = importlib.import_module(f"tokenlint.spend.{export.module}")
    reader: Reader = module.READERS[name]
    wanted = getattr(module, "COLUMNS", None)
    if name == "generic":
        wanted = None
    return report, _records(path, container, reader, ctx, pricer, accounts, report, wanted, part)


def _records(path: Path, container: str, reader: Reader, ctx: Context, pricer: Pricer, accounts: dict[str, str],
             report: FileReport, wanted: Optional[frozenset], part: Optional[rw.Part]) -> Iterator[UsageRecord]:
    fill = pricer.fill
    for n, row in rw.rows(path, container, report, wanted, part):
        report.rows += 1
        ctx.row = n
        try:
            got = reader(row, ctx)
            out = (got,) if type(got) is UsageRecord else tuple(got)  # one record, or a page's
        except RowError as exc:
            report.problem(exc.kind, n, exc.detail)
            continue
        except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation, ArithmeticError) as exc:
            report.problem("malformed row", n, f"{type(exc).__name__}: {str(exc)[:60]}")
            continue
        for r in out:
            if r.feature is None and r.account is not None and r.account in accounts:
                r.feature = accounts[r.account]
            fill(r)
            if r.basis != "unknown":
                pass
            elif not r.model:
                report.problem("no model", n, "no model and no cost: group the export by model")
            else:
                report.problem("unknown model", n, f"'{r.model_raw}' has no price in the catalog: priced unknown")
            report.records += 1
            report.basis[r.basis] = report.basis.get(r.basis, 0) + 1
            yield r
    if report.rows == 0 and report.error is None and part is None:  # rows the reader refused are problems
        report.error = "no row could be read: each has a problem" if report.problems else "no rows"
    elif report.records == 0 and report.error is None and part is None:
        report.error = f"no row could be read as {report.format}: an export of another kind?" + _guess(path, report.format)


def _guess(path: Path, name: str) -> str:
    try:
        _, other = resolve_format(path, None)
    except rw.FileError:
        return ""
    return f" (it looks like {other}: try --usage-format {other})" if other != name else ""


def get(row: dict, *names: str) -> Any:
    """The first present, non-empty value among `names` (dotted names walk nested objects)."""
    for name in names:
        v: Any = row
        for part in name.split("."):
            if not isinstance(v, dict):
                v = None
                break
            v = v.get(part)
        if v is not None and v != "":
            return v
    return None
