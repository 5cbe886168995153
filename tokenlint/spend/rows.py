"""Rows of a usage file, streamed: CSV (or TSV), JSON lines, or one JSON document (an array, or an
object with a `data` list), gzip-compressed or not. Never the whole file in memory.

A usage file is data only: JSON is parsed, CSV is split, nothing is evaluated. Each row comes with
its number (the CSV line, the JSON line, or the item's position in the JSON array) for problem
reports.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import operator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterator, Optional

from tokenlint.spend.record import FileReport

HEAD_BYTES = 65536
CSV, JSONL, JSON = "csv", "jsonl", "json"

csv.field_size_limit(1 << 24)  # LiteLLM rows carry their metadata JSON in one cell


class FileError(ValueError):
    """The file cannot be read at all (missing, not text, no rows); `line` where, when known."""

    def __init__(self, message: str, line: Optional[int] = None) -> None:
        super().__init__(message)
        self.line = line


def _open_binary(path: Path) -> IO[bytes]:
    fh: IO[bytes] = open(path, "rb")
    if fh.read(2) == b"\x1f\x8b":
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh)  # type: ignore[return-value]
    fh.seek(0)
    return fh


def head(path: Path) -> tuple[str, str]:
    """(container, the first bytes as text) of a usage file."""
    try:
        with _open_binary(path) as fh:
            raw = fh.read(HEAD_BYTES)
    except FileNotFoundError:
        raise FileError("no such file") from None
    except IsADirectoryError:
        raise FileError("is a folder, not a usage file") from None
    except (OSError, EOFError) as exc:
        raise FileError(f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if b"\x00" in raw:
        raise FileError("not a text file (a Parquet or other binary export: convert it to CSV or JSON lines)")
    text = raw.decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    if not stripped:
        raise FileError("empty file")
    if stripped[0] == "[":
        return JSON, text
    if stripped[0] == "{":
        lines = stripped.split("\n", 8)
        try:
            json.loads(lines[0])
            return JSONL, text
        except ValueError:
            pass
        # a damaged first line: JSON lines still, when a later line is a whole object of its own
        for line in lines[1:-1]:
            if line.lstrip().startswith("{"):
                try:
                    if isinstance(json.loads(line), dict):
                        return JSONL, text
                except ValueError:
                    pass
        return JSON, text
    return CSV, text


def json_problem(text: str) -> str:
    """Why a JSON file's text does not parse ("" when it does, or when the head read is not the whole
    file and its end cannot be judged): a truncated or damaged export is named as such."""
    if len(text.encode("utf-8", errors="replace")) >= HEAD_BYTES - 4:
        return ""
    try:
        json.loads(text)
    except ValueError as exc:
        where = f": line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:60]
        return f"invalid JSON ({msg}{where}): a truncated or damaged file?"
    return ""


def header_of(text: str) -> list[str]:
    line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delim = "\t" if line.count("\t") > line.count(",") else ","
    return [c.strip() for c in next(csv.reader([line], delimiter=delim), [])]


@dataclass(frozen=True)
class Part:
    """A byte range of a CSV or JSON-lines file that starts at a record boundary."""

    start: int
    end: int
    first_line: int  # the physical line number of its first byte (1-based)
    header: tuple[str, ...] = ()  # CSV: the file's columns (a later part has no header line)
    delimiter: str = ","


SPLIT_MIN = 64 << 20  # smaller files are read in one pass: starting workers costs more than it saves


def split(path: Path, container: str, parts: int) -> Optional[list[Part]]:
    """Record-boundary byte ranges of a large, uncompressed CSV or JSON-lines file, or None.

    A newline ends a CSV record only outside quotes: RFC 4180 doubles quotes inside a field, so the
    parity of the quotes before a newline tells. JSON lines never hold a raw newline in a string."""
    if parts < 2 or container not in (CSV, JSONL):
        return None
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            if size < SPLIT_MIN or fh.read(2) == b"\x1f\x8b":
                return None
            fh.seek(0)
            first = fh.readline()
            header: tuple[str, ...] = ()
            delim = ","
            if container == CSV:
                line = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
                delim = "\t" if line.count("\t") > line.count(",") else ","
                header = tuple(c.strip() for c in next(csv.reader([line], delimiter=delim), []))
                if first.count(b'"') % 2:
                    return None  # a header with a newline inside quotes: read it in one pass
            cuts = [(0 if container == JSONL else len(first), 1 if container == JSONL else 2)]
            targets = [size * k // parts for k in range(1, parts)]
            pos, quotes, lines = len(first), 0, 1
            fh.seek(pos)
            while targets:
                block = fh.read(8 << 20)
                if not block:
                    break
                at = 0
                while targets and pos + len(block) > targets[0]:
                    i = max(targets[0] - pos, at)
                    while True:
                        nl = block.find(b"\n", i)
                        if nl < 0:
                            break
                        if container == JSONL or (quotes + block.count(b'"', 0, nl)) % 2 == 0:
                            break
                        i = nl + 1
                    if nl < 0:
                        break  # the boundary is in the next block
                    cut = pos + nl + 1
                    cuts.append((cut, lines + block.count(b"\n", 0, nl + 1) + 1))
                    targets.pop(0)
                    at = nl + 1
                if targets and pos + len(block) > targets[0]:
                    targets[0] = pos + len(block)  # no boundary found yet: look from the next block
                quotes += block.count(b'"')
                lines += block.count(b"\n")
                pos += len(block)
    except OSError:
        return None
    bounds = [c[0] for c in cuts] + [size]
    out = [Part(bounds[i], bounds[i + 1], cuts[i][1], header, delim) for i in range(len(cuts))
           if bounds[i] < bounds[i + 1]]
    return out if len(out) > 1 else None


class _Range(io.RawIOBase):
    """The bytes of a file between two offsets."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._fh = open(path, "rb")
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self._left <= 0:
            return 0
        view = memoryview(b)[: min(len(b), self._left)]
        n = self._fh.readinto(view)
        self._left -= n or 0
        return n or 0

    def close(self) -> None:
        self._fh.close()
        super().close()


def rows(path: Path, container: str, report: FileReport,
         wanted: Optional[frozenset] = None, part: Optional[Part] = None) -> Iterator[tuple[int, dict]]:
    """(row number, row) pairs, the number a row's first line (CSV, JSON lines) or its position in a JSON
    document; a problem that ends the file early is set on `report.error`.
    `wanted`: the only CSV columns a reader looks at (a bill has dozens; copying them all is the cost).
    `part`: read only this byte range (see `split`)."""
    n = 0
    try:
        raw_stream: IO[bytes] = io.BufferedReader(_Range(path, part.start, part.end)) if part else _open_binary(path)
        with raw_stream as raw:
            if container == JSON:
                yield from _json_items(raw, report)
                return
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            offset = part.first_line - 1 if part else 0
            if container == JSONL:
                for n, line in enumerate(text, 1 + offset):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line, parse_float=Decimal)
                    except ValueError:  # one damaged line is skipped, the rest is read
                        report.problem("not valid JSON", n, _json_error(line)
                                       + ("; the file may be truncated" if not line.endswith("\n") else ""))
                        continue
                    if not isinstance(obj, dict):
                        report.problem("malformed row", n, "not a JSON object")
                        continue
                    yield n, obj
                return
            if part is not None and part.header:
                cols, delim = list(part.header), part.delimiter
                offset -= 1  # csv's line_num counts from this part's first line
            else:
                first = text.readline()
                delim = "\t" if first.count("\t") > first.count(",") else ","
                cols = [c.strip() for c in next(csv.reader([first], delimiter=delim), [])]
            width = len(cols)
            keep = [i for i, c in enumerate(cols) if wanted is None or c in wanted]
            names = [cols[i] for i in keep]
            pick = operator.itemgetter(*keep) if len(keep) > 1 else None
            # strict: a quote left open is an error naming its line, not a cell that swallows the rows after it
            reader = csv.reader(text, delimiter=delim, strict=True)
            n = 1 + offset  # the header's line: a row starts on the line after the last one read
            while True:
                try:
                    for values in reader:
                        start, n = n + 1, reader.line_num + 1 + offset
                        if len(values) != width:
                            if not values or values == [""]:
                                continue
                            report.problem("wrong number of columns", start, f"{len(values)} of {width}; " + (
                                f"the row runs on to line {n}: a quote left open?" if n > start
                                else "a truncated file or a stray delimiter"))
                            continue
                        if pick is not None:
                            yield start, dict(zip(names, pick(values)))
                        else:
                            yield start, {names[0]: values[keep[0]]} if keep else {}
                    break
                except csv.Error as exc:
                    start, n = n + 1, reader.line_num + 1 + offset
                    if not _quote_problem(str(exc), start, n, report):
                        raise
    except UnicodeDecodeError:
        line, detail = _first_bad_utf8(path, part)
        report.error, report.error_line = f"not UTF-8 text ({detail}): reading stopped " \
            "there; convert the file to UTF-8", line
    except (OSError, EOFError, gzip.BadGzipFile) as exc:  # a truncated .gz ends here
        report.error = f"stopped after row {n}: {getattr(exc, 'strerror', None) or exc}"
    except csv.Error as exc:
        report.error = f"stopped after row {n}: {exc}"


def _first_bad_utf8(path: Path, part: Optional[Part]) -> tuple[Optional[int], str]:
    """(line, what) of the first byte sequence that is not UTF-8 in the file (or the part); read again
    line by line, only when decoding failed."""
    try:
        with (io.BufferedReader(_Range(path, part.start, part.end)) if part else _open_binary(path)) as fh:
            for i, raw in enumerate(fh, part.first_line if part else 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return i, f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
    except (OSError, EOFError):
        pass
    return None, "an invalid byte"


def _json_error(line: str) -> str:
    """Why one JSON line does not parse, and where in it."""
    try:
        json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
    except ValueError:
        pass
    return "damaged"


def _quote_problem(message: str, start: int, end: int, report: FileReport) -> bool:
    """Count a CSV quoting error of the row starting on line `start` (the reader is on line `end`);
    False for another error. An open quote at the end of the file ends the reading."""
    if "unexpected end of data" in message:
        report.problem("unterminated quote", start, f"the quoted field runs to the end of the file (line {end}): "
                       "the rest of the file is skipped" if end > start else "a truncated file?")
        return True
    if "expected after" in message:
        if end > start:
            report.problem("unterminated quote", start, f"the quoted field runs on to line {end}: "
                           f"lines {start}-{end} skipped")
        else:
            report.problem("stray quote", start, "text after the closing quote of a field")
        return True
    return False


def _json_items(raw: IO[bytes], report: FileReport) -> Iterator[tuple[int, dict]]:
    import ijson  # streaming: the document's array is read item by item

    if raw.read(3) != b"\xef\xbb\xbf":  # skip a BOM; keep anything else
        raw.seek(0)
    n = 0
    report.rows_are = "item"
    try:
        prefix: Optional[str] = None
        events = ijson.parse(raw, use_float=False)
        for pfx, event, _value in events:
            if pfx == "" and event == "start_array":
                prefix = "item"
                break
            if pfx == "" and event == "start_map":
                continue
            if pfx == "data" and event == "start_array":
                prefix = "data.item"
                break
        if prefix is None:
            report.error = "a JSON document without a list of rows (top-level array or 'data' list)"
            return
        for n, obj in enumerate(ijson.items(events, prefix), 1):
            if not isinstance(obj, dict):
                report.problem("malformed row", n, "not a JSON object")
                continue
            yield n, obj
    except ijson.IncompleteJSONError as exc:
        where = f"after row {n}" if n else "before its first row"
        report.error = f"truncated or invalid JSON {where}: {str(exc).splitlines()[0][:80]}"
    except ijson.JSONError as exc:
        report.error = f"invalid JSON after row {n}: {str(exc).splitlines()[0][:80]}"
