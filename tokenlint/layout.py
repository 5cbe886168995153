"""How long a line may be in the project, and how a line a fix made too long is split as black would.

A fix inserts or lengthens text inside a call (a tag, a snapshot id, a cache marker). When the line
it lands on was within the project's line length and no longer is, the bracketed expression ending
that line is split the way black (and `ruff format`) split it: the contents on one indented line
when they fit there, the brackets are a call's (or hold one element) and carry no magic trailing
comma, else one element per line with
a trailing comma, splitting an element again when it is still too long. Lines the fix did not
change, and lines that end in anything but a bracket (`f(x).attr`), are left as they are.

The new lines are indented as the file is: one tab more in a file indented with tabs (a tab counts
as TAB_WIDTH columns, ruff's default indent-width), else four spaces more, as black does. A line whose
own indentation mixes tabs and spaces is left as it is.
"""

from __future__ import annotations

import ast
import configparser
from pathlib import Path
from typing import Optional

try:  # pragma: no cover - depends on the interpreter
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

DEFAULT_LINE_LENGTH = 88  # black's and ruff's default
INDENT = "    "
TAB_WIDTH = 4  # the columns a tab counts for in the line length (ruff's default indent-width)


def _cols(line: str) -> int:
    """A line's width as line-length checks measure it: a tab counts TAB_WIDTH columns."""
    return len(line) + (TAB_WIDTH - 1) * line.count("\t") if "\t" in line else len(line)


def _leading(line: str) -> Optional[str]:
    """The line's indentation, or None when it mixes tabs and spaces."""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return None if " " in indent and "\t" in indent else indent


def _unit(indent: str, file_unit: str) -> str:
    """One more level below a line indented with `indent`: what the line itself uses (a tab or four
    spaces), or the file's when the line is not indented."""
    return "\t" if indent[:1] == "\t" else INDENT if indent else file_unit


def indent_unit(text: str) -> str:
    """One level of the file's indentation: a tab when most of its indented lines start with one, else
    black's four spaces."""
    tabs = spaces = 0
    for line in text.split("\n", 2000)[:2000]:
        if line[:1] == "\t" and line.strip():
            tabs += 1
        elif line[:1] == " " and line.strip():
            spaces += 1
    return "\t" if tabs > spaces else INDENT


def project_line_length(root: Path) -> int:
    """The line length the project's formatter or linter enforces, found in the project root:
    `ruff.toml` / `.ruff.toml` `line-length`, pyproject `[tool.ruff]` then `[tool.black]`
    `line-length`, `[flake8] max-line-length` in `.flake8` / `setup.cfg` / `tox.ini`; else 88.
    Unreadable or malformed files are skipped."""
    return _configured(root) or DEFAULT_LINE_LENGTH


def line_length_for(path: Path, root: Path, cache: Optional[dict[Path, int]] = None) -> int:
    """The line length for the file `path`: set by the nearest folder from the file's own up to
    `root` whose configuration sets one (as ruff and black take the closest config: a monorepo's
    `backend/ruff.toml`), else 88. `cache`: folder -> length, shared by the files of one run."""
    cache = {} if cache is None else cache
    walked: list[Path] = []
    folder = path.parent
    found = DEFAULT_LINE_LENGTH
    while True:
        if folder in cache:
            found = cache[folder]
            break
        walked.append(folder)
        got = _configured(folder)
        if got:
            found = got
            break
        if folder == root or folder.parent == folder or root not in folder.parents:
            break
        folder = folder.parent
    for f in walked:
        cache[f] = found
    return found


def _configured(root: Path) -> Optional[int]:
    """The line length the configuration files in the folder `root` set, or None."""
    for name in ("ruff.toml", ".ruff.toml"):
        got = _toml_int(root / name, ("line-length",))
        if got:
            return got
    for keys in (("tool", "ruff", "line-length"), ("tool", "black", "line-length")):
        got = _toml_int(root / "pyproject.toml", keys)
        if got:
            return got
    for name in (".flake8", "setup.cfg", "tox.ini"):
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
            value = parser.get("flake8", "max-line-length", fallback=None) or parser.get(
                "flake8", "max_line_length", fallback=None)
        except (configparser.Error, UnicodeDecodeError, OSError):
            continue
        if value and value.strip().isdigit() and int(value) > 0:
            return int(value)
    return None


def _toml_int(path: Path, keys: tuple[str, ...]) -> Optional[int]:
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return None
    for k in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(k)
    return data if isinstance(data, int) and not isinstance(data, bool) and data > 0 else None


def fit_long_lines(old: str, new: str, width: int) -> str:
    """`new` with each line that a fix made longer than `width` split as black would (see above).

    `old` is the text before the fix; a line of `new` that is also a line of `old` is not the fix's
    doing and is left alone. Returns `new` unchanged when nothing applies or the result would not
    parse."""
    lines = new.split("\n")
    before = set(old.split("\n"))
    long_rows = [i + 1 for i, ln in enumerate(lines) if _cols(ln) > width and ln not in before]
    if not long_rows:
        return new
    try:
        tree = ast.parse(new)
    except (SyntaxError, ValueError, RecursionError):
        return new
    ends: dict[int, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, _BRACKETED) and node.lineno == node.end_lineno and node.lineno in long_rows:
            ends.setdefault(node.lineno, []).append(node)
    out = list(lines)
    unit = indent_unit(new)
    for row in sorted(long_rows, reverse=True):  # bottom-up: earlier rows keep their numbers
        hugged = _hugged_call(row, lines[row - 1], tree)
        if hugged is not None:
            split = _explode(lines[row - 1], hugged, width, unit)
            if split is not None:
                out[row - 1: row] = split
            continue
        node = _line_end_node(lines[row - 1], ends.get(row, []))
        if node is None:
            continue
        text = lines[row - 1].encode()
        start, end = node.col_offset, node.end_col_offset
        head = text[:start].decode()
        indent = _leading(head)
        if indent is None or "\t" in head[len(indent):]:
            continue
        split = _format(head[len(indent):], node, text, indent, text[end:].decode(), width, _unit(indent, unit))
        if split is not None and len(split) > 1:
            out[row - 1: row] = split
    result = "\n".join(out)
    try:
        ast.parse(result)
    except (SyntaxError, ValueError, RecursionError):
        return new
    return result


_BRACKETED = (ast.Call, ast.List, ast.Dict, ast.Set)


def _line_end_node(line: str, nodes: list[ast.expr]) -> Optional[ast.expr]:
    """The outermost bracketed expression ending where the line's code ends (a `,` or a comment may
    follow it), or None."""
    raw = line.encode()
    best = None
    for n in nodes:
        rest = raw[n.end_col_offset:].decode().strip()
        if rest not in ("", ",") and not rest.startswith("#") and not (rest.startswith(",") and
                                                                         rest[1:].strip().startswith("#")):
            continue
        if best is None or n.col_offset < best.col_offset:
            best = n
    return best


def _segment(text: bytes, node: ast.AST) -> str:
    return text[node.col_offset: node.end_col_offset].decode()  # type: ignore[attr-defined]


def _elements(node: ast.expr, text: bytes) -> Optional[tuple[str, str, list[tuple[str, ast.expr]]]]:
    """(opening text, closing text, [(prefix, value node)]) of a bracketed expression, or None."""
    if isinstance(node, ast.Call):
        args = _arguments(node)
        if args is None:
            return None
        opening = text[node.col_offset: node.func.end_col_offset].decode()
        rest = text[node.func.end_col_offset:].decode()
        if not rest.startswith("("):
            return None  # a comment or space before the parenthesis: leave it
        return opening + "(", ")", args
    if isinstance(node, (ast.List, ast.Set)):
        return ("[" if isinstance(node, ast.List) else "{"), ("]" if isinstance(node, ast.List) else "}"), [
            ("*", e.value) if isinstance(e, ast.Starred) else ("", e) for e in node.elts]
    if isinstance(node, ast.Dict):
        items: list[tuple[str, ast.expr]] = []
        for k, v in zip(node.keys, node.values):
            items.append(("**", v) if k is None else (_segment(text, k) + ": ", v))
        return "{", "}", items
    return None


def _arguments(node: ast.Call) -> Optional[list[tuple[str, ast.expr]]]:
    """[(prefix, value node)] of a call's arguments in source order (`k=`, `*`, `**`), or None."""
    args: list[tuple[int, str, ast.expr]] = []
    for a in node.args:
        if isinstance(a, ast.GeneratorExp) and len(node.args) == 1 and not node.keywords:
            return None  # f(x for x in y): the generator's parentheses are the call's
        if isinstance(a, ast.Starred):
            args.append((a.col_offset, "*", a.value))
        else:
            args.append((a.col_offset, "", a))
    for k in node.keywords:
        args.append((k.col_offset, f"{k.arg}=" if k.arg else "**", k.value))
    args.sort(key=lambda t: t[0])
    return [(p, v) for _, p, v in args]


def _hugged_call(row: int, line: str, tree: ast.AST) -> Optional[ast.Call]:
    """The call whose arguments, and nothing else, fill the line `row`, between an opening line
    ending in its `(` and a closing line starting with its `)` (black's hugged layout)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.lineno < row < node.end_lineno):  # type: ignore[operator]
            continue
        args = [*node.args, *(k.value for k in node.keywords)]
        if not args or any(a.lineno != row or a.end_lineno != row for a in args):
            continue
        first = min(args, key=lambda a: a.col_offset)
        starts = [k.col_offset for k in node.keywords] + [a.col_offset for a in node.args]
        raw = line.encode()
        if raw[:min(starts + [first.col_offset])].strip():
            continue
        last_end = max(a.end_col_offset for a in args)  # type: ignore[type-var]
        if raw[last_end:].decode().strip() not in ("", ","):
            continue  # a comment after the arguments: leave the line alone
        return node
    return None


def _explode(line: str, call: ast.Call, width: int, unit: str = INDENT) -> Optional[list[str]]:
    """The hugged arguments line of `call`, one argument per line with a trailing comma (black's
    layout when the hugged line is too long), nested brackets split again when still too long."""
    indent = _leading(line)
    if indent is None:
        return None
    unit = _unit(indent, unit)
    elems = _arguments(call)
    if not elems:
        return None
    raw = line.encode()
    out: list[str] = []
    for p, v in elems:
        sub = _format(p, v, raw, indent, ",", width, unit) if isinstance(v, _BRACKETED) else None
        out.extend(sub if sub is not None else [indent + p + _segment(raw, v) + ","])
    return out


def _magic_comma(node: ast.expr, text: bytes, elems: list[tuple[str, ast.expr]]) -> bool:
    if not elems:
        return False
    last = elems[-1][1]
    between = text[last.end_col_offset: node.end_col_offset - 1].decode()  # type: ignore[attr-defined]
    return between.strip().startswith(",")


def _format(prefix: str, node: ast.expr, text: bytes, indent: str, suffix: str, width: int,
            unit: str = INDENT) -> Optional[list[str]]:
    """The lines of `indent + prefix + node + suffix`, split as black would when too long; `unit` is
    one more level of indentation."""
    whole = indent + prefix + _segment(text, node) + suffix
    if _cols(whole) <= width:
        return [whole]
    parts = _elements(node, text)
    if parts is None or not parts[2]:
        return [whole]
    opening, closing, elems = parts
    inner = indent + unit
    first, last = indent + prefix + opening, indent + closing + suffix
    body = ", ".join(p + _segment(text, v) for p, v in elems)
    # black keeps the contents on one line only for a call's arguments or a one-element literal:
    # a list / dict / set literal with commas is split one element per line (`should_split_line`)
    hug = isinstance(node, ast.Call) or len(elems) == 1
    if hug and not _magic_comma(node, text, elems) and _cols(inner + body) <= width:
        return [first, inner + body, last]
    if len(elems) == 1 and elems[0][0] == "" and isinstance(elems[0][1], _BRACKETED):
        # f([...]) / f(g(...)): black splits the one argument's own brackets, with no comma added
        sub = _format("", elems[0][1], text, inner, "", width, unit)
        if sub is not None:
            return [first, *sub, last]
    lines = [first]
    for p, v in elems:
        sub = _format(p, v, text, inner, ",", width, unit) if isinstance(v, _BRACKETED) else None
        lines.extend(sub if sub is not None else [inner + p + _segment(text, v) + ","])
    lines.append(last)
    return lines
