"""The project: its Python files, how module names map to them, and their parsed forms.

Files are read as bytes and parsed with `ast` on demand, at most once per run. Nothing is imported
or executed. Module names come from the file layout (packages with `__init__.py`, namespace
folders, `src/` layouts), so `from app.llm import client` finds `src/app/llm.py`.
"""

from __future__ import annotations

import ast
import errno
import io
import os
import re
import stat
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from tokenlint.fstrings import parse_fstrings as _parse_fstrings
from tokenlint.typeparams import parse_type_params as _parse_type_params

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.binder import ModuleInfo

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", ".env", "env", "__pycache__", "node_modules", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tokenlint_cache", "build", "dist", "site-packages",
    ".eggs", "__pypackages__", ".direnv", ".idea", ".vscode",
})


# the reason of a file valid only in a newer Python's grammar than the one tokenlint runs on: not a fault
# of the file, so no TKL000 finding; a notice names it (engine, cli) and it is listed as not analysed
NEWER_GRAMMAR = "needs Python 3.12+ to analyse"
TEMPLATE = "a template, not Python"  # Jinja / cookiecutter tags in a file that does not parse: not the user's error
_TEMPLATE_TAG = re.compile(r"\{%-?\s*(?:if|elif|else|endif|for|endfor|set|raw|endraw|macro|endmacro|include|block|endblock)\b"
                           r"|\{\{-?\s*cookiecutter\.")


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed; the message is the one-line reason."""

    def __init__(self, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(eq=False)
class ModuleSource:
    path: Path  # absolute
    relpath: str  # relative to the project root, "/"-separated
    dotted: str  # best module name
    is_package: bool
    _text: Optional[str] = field(default=None, repr=False)
    _lines: Optional[list[str]] = field(default=None, repr=False)
    raw: Optional[bytes] = field(default=None, repr=False)
    encoding: str = "utf-8"
    # the bytes the prefilter read and their word runs as one line (prefilter.word_line), for the
    # searches of the files naming a function (resolve/callers.py); None when it has not read them
    words: Optional[tuple[bytes, bytes]] = field(default=None, repr=False)

    # ---- reading -----------------------------------------------------------
    def read(self) -> str:
        if self._text is None:
            if self.raw is None:
                try:
                    self.raw = read_source_bytes(self.path)
                except NotARegularFile:
                    raise SourceError("not a regular file (a pipe, socket or device)") from None
                except FileTooLarge as exc:
                    raise SourceError(exc.reason) from None
                except IsADirectoryError:
                    raise SourceError("is a directory, not a Python file") from None
                except FileNotFoundError:
                    if self.path.is_symlink():
                        raise SourceError("broken symbolic link") from None
                    raise SourceError("file vanished during the run") from None
                except OSError as exc:
                    raise SourceError(f"cannot read: {exc.strerror or exc}") from None
            text = decode_source(self.raw)
            if "\r" in text:
                # as Python's tokenizer reads it: rules and fixes only ever see "\n"; --fix puts each
                # line's own ending back (fixes.keep_line_endings)
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            self._text = text
            self.encoding = _detected_encoding(self.raw)
        return self._text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            # Python's own line ends only (\n, \r\n, \r): str.splitlines also splits on form feeds,
            # U+2028 and others, which would shift every later line number.
            self._lines = io.StringIO(self.read(), newline="").readlines() or [""]
        return self._lines

    def parse(self) -> ast.Module:
        text = self.read()
        if "\x00" in text:
            raise SourceError("contains a null byte")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                # "<unknown>": make CPython compute error columns from this text, not re-read the file
                return ast.parse(text, filename="<unknown>", type_comments=False)
        except SyntaxError as exc:
            if sys.version_info < (3, 12):
                try:
                    tree = _parse_type_params(text)
                except SyntaxError as later:  # the file's own error, behind its type parameters
                    exc = later
                else:
                    if tree is not None:
                        return tree
                tree = _parse_fstrings(text)  # PEP 701 f-strings, lowered in place
                if tree is not None:
                    return tree
            msg = exc.msg or "invalid syntax"
            line = _newer_grammar(text, exc.lineno or 1) if sys.version_info < (3, 12) else None
            if line is not None:
                raise SourceError(f"{NEWER_GRAMMAR}: an f-string at line {line} is written for Python 3.12's "
                                  f"grammar (PEP 701); this Python {sys.version_info[0]}.{sys.version_info[1]} "
                                  "cannot read it", line, exc.offset or 1) from None
            at = exc.lineno or 1
            broken = text.split("\n", at)[at - 1] if at <= text.count("\n") + 1 else ""
            if _TEMPLATE_TAG.search(broken):  # a project generator's template (`{% if cookiecutter.x %}`) breaks
                # the parse at its tag: rendered, it is Python (a tag inside a prompt string breaks nothing:
                # an error elsewhere in such a file stays a syntax error)
                raise SourceError(f"{TEMPLATE}: a Jinja tag at line {at} (a project generator's template)", at, 1) from None
            return _raise_syntax(msg, exc.lineno or 1, exc.offset or 1)
        except (ValueError, MemoryError) as exc:
            raise SourceError(f"cannot parse: {exc}") from None
        except RecursionError:
            raise SourceError("cannot parse: expression nested too deeply") from None

    # ---- positions ---------------------------------------------------------
    def column(self, line: int, byte_col: int) -> int:
        """1-based character column of a 0-based UTF-8 byte offset on 1-based `line`."""
        lines = self.lines
        if line - 1 >= len(lines):
            return byte_col + 1
        text = lines[line - 1]
        if text.isascii():
            return byte_col + 1
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace")) + 1

    def span(self, node: ast.AST) -> tuple[int, int, int, int]:
        line = node.lineno  # type: ignore[attr-defined]
        end = node.end_lineno or line  # type: ignore[attr-defined]
        return (line, self.column(line, node.col_offset),  # type: ignore[attr-defined]
                end, self.column(end, node.end_col_offset or 0))  # type: ignore[attr-defined]

    def segment(self, node: ast.AST) -> str:
        lines = self.lines
        try:
            l1, c1 = node.lineno - 1, node.col_offset  # type: ignore[attr-defined]
            l2, c2 = node.end_lineno - 1, node.end_col_offset  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            return ""
        if l1 >= len(lines) or l2 >= len(lines):
            return ""
        if l1 == l2:
            b = lines[l1].encode("utf-8")
            return b[c1:c2].decode("utf-8", errors="replace")
        first = lines[l1].encode("utf-8")[c1:].decode("utf-8", errors="replace")
        last = lines[l2].encode("utf-8")[:c2].decode("utf-8", errors="replace")
        return first + "".join(lines[l1 + 1:l2]) + last


class NotARegularFile(OSError):
    """A FIFO, socket or device: never read (a FIFO blocks, /dev/zero never ends)."""


class FileTooLarge(OSError):
    """A file over `max-file-size`: never read (a 50 MB one-line file took 10 GB to analyse)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"file too large: {size:,} bytes (max-file-size is {limit:,})")
        self.reason = str(self)


MAX_FILE_SIZE = 2 * 1024 * 1024
"""The cap `read_source_bytes` applies; a run sets it from `max-file-size` (`engine.analyse`)."""


def read_source_bytes(path: Path, follow_symlinks: bool = True, capped: bool = True) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_SIZE bytes. Opened without blocking and
    checked before reading, so a named pipe or a device called `x.py` is an error, not a hang, and a
    file over the cap is never read (one that grows while read stops at the cap).
    `follow_symlinks=False`: a symbolic link in its place is an error (ELOOP), as for cache files;
    `capped=False`: no size cap (tokenlint's own cache files, whose run records outgrow it)."""
    limit = MAX_FILE_SIZE
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags if follow_symlinks else flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(f"{path}: not a regular file")
        if capped and st.st_size > limit:
            raise FileTooLarge(st.st_size, limit)
        # os.read, not a buffered file object: the same bytes at a third less cost a file (every
        # project file is read once a run); reading stops at EOF, or one byte past the cap
        left = limit + 1 if capped else -1
        parts = []
        ask = st.st_size + 1  # usually all of it at once; then the empty read that says EOF
        while left:
            chunk = os.read(fd, ask if left < 0 else min(ask, left))
            if not chunk:
                break
            parts.append(chunk)
            if left > 0:
                left -= len(chunk)
            ask = 1 << 16
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        if capped and len(data) > limit:
            raise FileTooLarge(len(data), limit)
        return data
    finally:
        os.close(fd)


def _newer_grammar(text: str, line: int) -> Optional[int]:
    """The line of the f-string that makes a file this older Python rejects at `line` valid Python
    3.12 (LibCST's parser, configured for that grammar, reads it, and `line` is inside that f-string
    or in the statement holding it: PEP 701 lets an f-string's expressions hold backslashes, comments
    and the f-string's own quotes); None when the file is not valid 3.12 there. Asked only of files
    that fail to parse."""
    if "f" not in text:
        return None
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = libcst.parse_module(text, config=libcst.PartialParserConfig(python_version="3.12"))
        spans = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except Exception:  # noqa: BLE001 - any failure: a real syntax error, reported as such
        return None
    # the older parser may place its error anywhere in the statement holding the f-string (its closing
    # parenthesis): the line is in an f-string, or in a simple statement that holds one
    fstrings = [(r.start.line, r.end.line) for n, r in spans.items() if isinstance(n, libcst.FormattedString)]
    around = [(r.start.line, r.end.line) for n, r in spans.items()
              if isinstance(n, libcst.SimpleStatementLine) and r.start.line <= line <= r.end.line]
    inside = [a for a, b in sorted(fstrings) if a <= line <= b]
    held = [a for a, b in sorted(fstrings) for s, e in around if s <= a and b <= e]
    return (inside or held or [None])[0]


def _raise_syntax(msg: str, line: int, col: int) -> ast.Module:
    raise SourceError(f"syntax error: {msg}", line, col)


def _detected_encoding(raw: bytes) -> str:
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return enc
    except (SyntaxError, LookupError):
        return "utf-8"


def decode_source(raw: bytes) -> str:
    """Decode as Python does: BOM, then a PEP 263 coding cookie, then UTF-8."""
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    except LookupError as exc:
        raise SourceError(f"cannot decode: {exc}") from None
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        where = ""
        if isinstance(exc, UnicodeDecodeError):
            before = raw[: exc.start]
            line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
            where = f" at line {line}"
        raise SourceError(f"cannot decode as {enc}{where}") from None
    if text.startswith("\ufeff") and enc != "utf-8-sig":  # "utf-8-sig" took the BOM off already: a
        text = text[1:]  # second one is a character Python rejects, as tokenlint must
    return text


def module_name(parts: list[str]) -> tuple[str, bool]:
    """Dotted name of a path (relative parts) and whether it is a package's __init__."""
    if parts[-1] == "__init__.py":
        return ".".join(parts[:-1]), True
    return ".".join(parts[:-1] + [parts[-1][:-3]]), False



# the first name of a dotted module a file imports (`from pkg.mod import x`, `import pkg.mod`): two
# literal-led scans, several times cheaper on a large tree than one pattern led by `(?:from|import)`
_DOTTED_IMPORT_TOPS = (re.compile(rb"from[ \t]+(\w+)\."), re.compile(rb"import[ \t]+(\w+)\."))


class Project:
    """The files of one project, indexed by module name, parsed lazily and once."""

    def __init__(self, root: Path, files: Iterable[Path], external: frozenset[str] = frozenset(),
                 declared: frozenset[str] = frozenset()) -> None:
        self.root = root
        self.external = external  # top-level names that are always third-party (SDK packages)
        # top-level names of the clients the project's own configuration declares (`[[tool.tokenlint.sdk]]
        # clients = ["gateway.Gateway"]`): the user names that module as the client, so a project file of
        # that name never makes it project code (the catalog's own names follow Python's import rule)
        self.declared = declared
        self.by_path: dict[Path, ModuleSource] = {}
        self.by_name: dict[str, list[ModuleSource]] = {}
        self._infos: dict[Path, Optional["ModuleInfo"]] = {}
        self.errors: dict[Path, SourceError] = {}
        self.resolver = None  # set by the Resolver working on this project
        for f in files:
            self.add(f)

    def add(self, path: Path) -> ModuleSource:
        got = self.by_path.get(path)
        if got is not None:
            return got
        path = path.absolute()
        got = self.by_path.get(path)
        if got is not None:
            return got
        text = str(path)
        prefix = self.__dict__.get("_prefix")
        if prefix is None:
            prefix = self.__dict__["_prefix"] = str(self.root).rstrip(os.sep) + os.sep
        if text.startswith(prefix) and os.sep + ".." + os.sep not in text:  # the usual case, without pathlib
            parts = text[len(prefix):].split(os.sep)
            rel_parts: tuple[str, ...] = tuple(parts)
        else:
            try:
                rel = path.relative_to(self.root)
                parts = list(rel.parts)
            except ValueError:
                rel = Path(os.path.relpath(path, self.root)) if _same_drive(path, self.root) else path
                parts = [p for p in rel.parts if p not in ("..", "/")] or [path.name]
            rel_parts = rel.parts
        relpath = "/".join(rel_parts)
        names = self._names(path, parts)
        name = parts[-1] if parts else path.name
        ms = ModuleSource(path=path, relpath=relpath, dotted=names[0] if names else path.stem,
                          is_package=name == "__init__.py")
        self.by_path[path] = ms
        for n in names:
            self.by_name.setdefault(n, []).append(ms)
        return ms

    def is_package_dir(self, d: str) -> bool:
        """Whether folder `d` holds an `__init__.py` (a regular package), memoized per folder."""
        cache = self.__dict__.setdefault("_pkg_dirs", {})
        got = cache.get(d)
        if got is None:
            got = cache[d] = os.path.isfile(os.path.join(d, "__init__.py"))
        return got

    def _names(self, path: Path, parts: list[str]) -> list[str]:
        """Names a module can be imported by: from its package root, then longer prefixes."""
        if not parts or not parts[-1].endswith(".py"):
            return []
        d = os.path.dirname(str(path))
        memo = self.__dict__.setdefault("_dir_prefixes", {})
        prefixes = memo.get((d, len(parts)))
        if prefixes is None:  # the folder's dotted prefixes, shared by every file in it
            depth, up = 1, d
            while depth < len(parts) and self.is_package_dir(up):  # walk up while the folder is a package
                up = os.path.dirname(up)
                depth += 1
            prefixes = []
            for k in range(depth, len(parts) + 1):
                folders = parts[len(parts) - k:-1]
                if not all(p.isidentifier() for p in folders):
                    break
                prefixes.append(".".join(folders))
            top = str(self.root)
            if depth == len(parts) and prefixes and self.root.name.isidentifier() and self.is_package_dir(top):
                # the root is itself a package (`tokenlint check mypkg/`): its modules import each other
                # as `mypkg.sub.mod`
                prefixes.append(".".join([self.root.name, *parts[:-1]]))
            memo[(d, len(parts))] = prefixes
        if parts[-1] == "__init__.py":
            return [pre for pre in prefixes if pre]
        stem = parts[-1][:-3]
        return [n for n in (f"{pre}.{stem}" if pre else stem for pre in prefixes) if n]

    # ---- lookups -----------------------------------------------------------
    def by_rel(self, relpath: str) -> Optional[ModuleSource]:
        index = getattr(self, "_by_rel", None)
        if index is None or len(index) != len(self.by_path):
            index = self._by_rel = {ms.relpath: ms for ms in self.by_path.values()}
        return index.get(relpath)

    def find_module(self, dotted: str, near: Optional[ModuleSource]) -> Optional[ModuleSource]:
        at_root, found = self._candidates(dotted)
        if at_root:  # a module never imports itself by an absolute name (`_at_source_root`)
            return None if found is near else found  # type: ignore[return-value]
        cands: list[ModuleSource] = found  # type: ignore[assignment]
        if not cands:
            return self._beside_script(dotted, near) if near is not None else None
        if near is not None and not any(_root_name(c) == dotted for c in cands):
            # found only below a nested source folder (`integrations/x/src/crew/crew.py`): a module of
            # that name beside the importing script comes first on its path
            beside = self._beside_script(dotted, near)
            if beside is not None:
                return beside
        if len(cands) == 1 or near is None:
            return cands[0]
        here = near.path.parent
        return max(cands, key=lambda c: _common_len(c.path.parent, here))

    def _candidates(self, dotted: str) -> tuple[bool, "ModuleSource | list[ModuleSource] | None"]:
        """What `find_module` reads before it looks at the importing module: (True, the module or None)
        for a name the catalog knows (an SDK's, a framework's), decided by the source roots
        (`_own_top_root`); else (False, the project modules of that name inside the root). Memoized per
        name while the project holds the same files (asked again for every module importing it; the
        answer reads only the project's files and the file system)."""
        memo = self.__dict__.setdefault("_module_candidates", {})
        got = memo.get(dotted)
        if got is not None and got[0] == len(self.by_path):
            return got[1]
        top = dotted.split(".")[0]
        answer: tuple[bool, "ModuleSource | list[ModuleSource] | None"]
        base = None if top not in self.external or top in self.declared else self._own_top_root(top)
        if top in self.external and base != "":
            # the installed package, or a module or package at a source root: the module Python imports
            answer = (True, self._at_source_root(base, dotted) if base is not None else None)
        else:
            cands = self.by_name.get(dotted) or self._below_root_package(dotted)
            if cands and not all(self.inside(c.path) for c in cands):
                cands = [c for c in cands if self.inside(c.path)]
            answer = (False, cands or [])
        memo[dotted] = (len(self.by_path), answer)  # (after the search, which may add the module found)
        return answer

    def _beside_script(self, dotted: str, near: ModuleSource) -> Optional[ModuleSource]:
        """The module `dotted` names in the importing file's own folder (`scripts/model.py` for `from
        model import QwenModel` in `scripts/self_explorer.py`): a script run directly has its folder
        first on the path, whatever package that folder is. Only a project file; never a standard
        library name (a file named like one would shadow it only for scripts, too often by mistake), and
        never the importing file itself."""
        top = dotted.partition(".")[0]
        # os.path.dirname of the path's cached text: `str(near.path.parent)` built a Path each time
        if top in sys.stdlib_module_names or (os.path.dirname(near.path), top) not in self._folder_entries():
            return None  # most misses are installed packages: no file of that name beside this one
        base = near.path.parent.joinpath(*dotted.split("."))
        found = self.by_path.get(base.with_name(base.name + ".py")) or self.by_path.get(base / "__init__.py")
        # a module importing its own name (`premai.py` wrapping the premai SDK, `openai.py` importing
        # openai) means the installed package: a module never imports itself by an absolute name
        return None if found is near else found

    def _folder_entries(self) -> set[tuple[str, str]]:
        """(folder, name) of every project module: `a/b/x.py` gives ("a/b", "x"), `a/b/pkg/__init__.py`
        gives ("a/b", "pkg") (absolute folders); rebuilt when files are added, as `by_rel` is."""
        got = getattr(self, "_folder_index", None)
        if got is None or got[0] != len(self.by_path):
            entries = set()
            for path in self.by_path:
                entries.add((str(path.parent), path.stem))
                if path.name == "__init__.py":
                    entries.add((str(path.parent.parent), path.parent.name))
            got = self._folder_index = (len(self.by_path), entries)
        return got[1]

    def _is_own_top(self, top: str) -> bool:
        """Whether a catalogued top-level name is the project's own module (`_own_top_root`)."""
        return self._own_top_root(top) is not None

    def _own_top_root(self, top: str) -> Optional[str]:
        """Where a top-level name the catalog knows (an SDK's, a framework's) is the project's own
        module, as Python's import system decides it: the source root (the project root, else its
        `src/` folder, in that order on the path) holding a module `top.py` or a regular package
        `top/__init__.py` of that name; "" when the root itself is that package (the SDK's or
        framework's own repository analysed: browser-use's `browser_use/`, whose imports of
        `browser_use.llm.base` mean its own modules, found by their names from the root); None when it
        is the installed package. A folder without `__init__.py` is a namespace portion, which an
        installed regular package of that name wins over: never the project's."""
        memo = self.__dict__.setdefault("_own_tops", {})
        if top in memo:
            return memo[top]
        got: Optional[str] = None
        if self.root.name == top and os.path.isfile(os.path.join(self.root, "__init__.py")):
            got = ""
        else:
            for base in (str(self.root), os.path.join(self.root, "src")):
                if os.path.isfile(os.path.join(base, top + ".py")) or \
                        os.path.isfile(os.path.join(base, top, "__init__.py")):
                    got = base
                    break
            else:
                got = self._published_root(top)
        memo[top] = got
        return got

    def defines_catalogued(self, qual: str) -> bool:
        """Whether the project's own source defines the module of the catalogued class `qual`
        (`google.adk.agents.Agent` -> `src/google/adk/agents/__init__.py`): the framework analysed as
        itself, at a source root or as a portion of a shared namespace (`_own_portion_root`). Its
        constructions of its own classes are no bindings (the catalog entry is for downstream apps)."""
        module = qual.rpartition(".")[0]
        memo = self.__dict__.setdefault("_defines", {})
        got = memo.get(module)
        if got is None:
            got = memo[module] = bool(module) and self._defines_module(module)
        return got

    def _defines_module(self, module: str) -> bool:
        base = self._own_top_root(module.partition(".")[0])
        if base == "":
            base = os.path.dirname(self.root)
        elif base is None:
            base = self._own_portion_root(module)
        if base is None:
            return False
        target = os.path.join(base, *module.split("."))
        return os.path.isfile(target + ".py") or os.path.isfile(os.path.join(target, "__init__.py"))

    def _own_portion_root(self, dotted: str) -> Optional[str]:
        """The source root (the project root, else its `src/`) where `dotted`'s first two names are the
        project's own regular package inside a namespace folder (`src/google/adk/__init__.py` under a
        `src/google/` without `__init__.py`): a framework published as a portion of a shared namespace
        (`google.adk` beside the installed `google.genai`) analysed as itself. Python merges the portions,
        so `google.adk` is this code and `google.genai` stays the installed SDK; None otherwise."""
        head, _, rest = dotted.partition(".")
        sub = rest.partition(".")[0]
        if not sub:
            return None
        memo = self.__dict__.setdefault("_own_portions", {})
        key = (head, sub)
        if key not in memo:
            memo[key] = None
            for base in (str(self.root), os.path.join(self.root, "src")):
                folder = os.path.join(base, head)
                if os.path.isdir(folder) and not os.path.isfile(os.path.join(folder, "__init__.py")) and \
                        os.path.isfile(os.path.join(folder, sub, "__init__.py")):
                    memo[key] = base
                    break
        return memo[key]

    def _published_root(self, top: str) -> Optional[str]:
        """The folder holding the project's own regular package `top` below the root when the project
        publishes it: a pyproject.toml beside that folder (or above its `src/`) whose `[project] name` is
        `top` (a monorepo's `libs/agno/agno/` with `libs/agno/pyproject.toml` naming "agno"). Installed,
        that package is this code, so the framework analysed as itself is project code; None otherwise."""
        for ms in self.by_name.get(top, ()):
            if not ms.is_package:
                continue
            base = os.path.dirname(os.path.dirname(ms.path))
            if self.is_package_dir(base):
                continue  # a sub-package of another package: not importable as `top`
            for folder in (base, os.path.dirname(base)) if os.path.basename(base) == "src" else (base,):
                if _project_name(os.path.join(folder, "pyproject.toml")) == top:
                    return base
        return None

    def _at_source_root(self, base: str, dotted: str) -> Optional[ModuleSource]:
        """The project module `dotted` names below the source root `base` (`_own_top_root`), else
        None. (A module never imports itself by an absolute name: `sagemaker.py` doing `from sagemaker
        import Session` means the installed package, it would import itself, a cycle, otherwise; the
        caller, `find_module`, says so.)"""
        target = os.path.join(base, *dotted.split("."))
        for cand in (target + ".py", os.path.join(target, "__init__.py")):
            path = Path(cand)
            ms = self.by_path.get(path)
            if ms is None and self.inside(path) and os.path.isfile(cand):
                ms = self.add(path)
            if ms is not None:
                return ms
        return None

    def _below_root_package(self, dotted: str) -> Optional[list[ModuleSource]]:
        """Modules importable as `dotted` from a folder on the path below the root that is itself a
        package (`apps/__init__.py`, code importing `models_provider.x` as Django puts `apps/` on the
        path): see `path_name`. Built once, on the first miss naming such a sub-package."""
        if dotted.partition(".")[0] not in self._sub_tops():
            return None  # an installed package's name: the usual miss, answered without reading bytes
        index = self.__dict__.get("_below_root")
        if index is None:
            index = self.__dict__["_below_root"] = {}
            for ms in list(self.by_path.values()):
                short = self.path_name(ms)
                if short:
                    index.setdefault(short, []).append(ms)
        return index.get(dotted)

    def path_name(self, ms: ModuleSource) -> Optional[str]:
        """The name `ms` has when the root's top folder holding it, itself a package, is on the path
        (`apps/models_provider/impl/llm.py` -> `models_provider.impl.llm`): its dotted name less the
        first folder, when some project file imports that sub-package so (`from models_provider.`), it
        is not importable from the root itself, and a package and a module remain (`apps/llm.py` has
        none: `llm` alone would shadow any installed `llm`); None otherwise."""
        head, _, rest = ms.dotted.partition(".")
        if "." not in rest or ms.relpath.split("/", 1)[0] != head:
            return None
        return rest if rest.partition(".")[0] in self._path_tops() else None

    def other_names(self, ms: ModuleSource) -> list[str]:
        """The names besides its dotted one that `ms` is imported by (`by_name` holds it under each):
        a folder above its package without `__init__.py` (a namespace package, PEP 420) gives longer
        names, `marker/services/__init__.py` (dotted `services`) is also `marker.services`."""
        if not ms.relpath.endswith(".py"):
            return []
        return [n for n in self._names(ms.path, ms.relpath.split("/")) if n != ms.dotted]

    def root_name(self, ms: ModuleSource) -> Optional[str]:
        """The name `ms` is imported by from the root when a folder above its package has no
        `__init__.py` (a namespace package, PEP 420: `marker/services/__init__.py` under a plain
        `marker/` folder is `marker.services`, its dotted name `services`), when that differs from its
        dotted name; None otherwise. `_names` lists it too: this is the one importers spell."""
        parts = ms.relpath.split("/")
        if len(parts) < 2 or not parts[-1].endswith(".py"):
            return None
        parts[-1] = parts[-1][:-3]
        if parts[-1] == "__init__":
            parts.pop()
        if not all(p.isidentifier() for p in parts):
            return None
        name = ".".join(parts)
        return name if name != ms.dotted and ms in self.by_name.get(name, ()) else None

    def _sub_tops(self) -> frozenset[str]:
        """The sub-packages of root-level packages not importable from the root (names only, once)."""
        got = self.__dict__.get("_sub_tops_got")
        if got is None:
            cands = set()
            for ms in self.by_path.values():
                parts = ms.dotted.split(".")
                if len(parts) > 2 and ms.relpath.split("/", 1)[0] == parts[0]:
                    cands.add(parts[1])
            got = self.__dict__["_sub_tops_got"] = frozenset(cands - set(self.by_name))
        return got

    def _path_tops(self) -> frozenset[str]:
        """Those of `_sub_tops` that project files import by their own name (one pass over the bytes
        already read; never reads a file itself)."""
        got = self.__dict__.get("_path_tops_got")
        if got is not None:
            return got
        cands = self._sub_tops()
        found: set[str] = set()
        if cands:
            tops: set[bytes] = set()
            for ms in list(self.by_path.values()):
                if ms.raw is not None:  # the files read so far (the run reads each file once, before this)
                    for rx in _DOTTED_IMPORT_TOPS:
                        tops.update(rx.findall(ms.raw))
            found = {c for c in cands if c.encode() in tops}
        got = self.__dict__["_path_tops_got"] = frozenset(found)
        return got

    def from_module(self, src: ModuleSource, level: int, mod: str) -> Optional[ModuleSource]:
        """The project module `from <level dots><mod> import ...` in module `src` reads from, else None."""
        if level:
            return self.relative_module(src, level, mod)
        return self.find_module(mod, src) if mod else None

    def relative_module(self, src: ModuleSource, level: int, mod: str) -> Optional[ModuleSource]:
        base = src.path.parent
        for _ in range(level - 1):
            base = base.parent
        target = base.joinpath(*mod.split(".")) if mod else base
        for cand in (target.with_suffix(".py") if mod else None, target / "__init__.py"):
            if cand is None:
                continue
            if not self.inside(cand):
                continue  # above the root (one dot too many), or through a link that leaves it
            ms = self.by_path.get(cand)
            if ms is None and cand.is_file():
                ms = self.add(cand)
            if ms is not None:
                return ms
        return None

    def inside(self, path: Path) -> bool:
        """Whether `path` lies inside the project root once symbolic links are resolved. Imports
        resolve only to such files: code outside the checkout never becomes part of its analysis."""
        memo = self.__dict__.setdefault("_inside", {})
        got = memo.get(path)
        if got is None:
            text = str(path)
            real = os.path.realpath(text) if os.path.islink(text) else \
                os.path.join(self._real_dir(os.path.dirname(text)), os.path.basename(text))
            got = memo[path] = real.startswith(self._real_dir(str(self.root)).rstrip(os.sep) + os.sep)
        return got

    def _real_dir(self, d: str) -> str:
        """`os.path.realpath(d)`, from its parent's (remembered): one lstat a folder, where realpath
        checks every component of every path again (thousands of folders in a large project)."""
        memo = self.__dict__.setdefault("_real_dirs", {})
        got = memo.get(d)
        if got is None:
            parent, name = os.path.split(d)
            if not name or parent == d or name in (".", "..") or os.path.normpath(d) != d or os.path.islink(d):
                got = os.path.realpath(d)
            else:
                got = os.path.join(self._real_dir(parent), name)
            memo[d] = got
        return got

    def module_info(self, ms: ModuleSource) -> Optional["ModuleInfo"]:
        if ms.path in self._infos:
            return self._infos[ms.path]
        from tokenlint.resolve.binder import ModuleInfo

        info: Optional[ModuleInfo]
        try:
            info = ModuleInfo(ms.parse(), ms)
            info.resolver = self.resolver  # type: ignore[attr-defined]
        except SourceError as exc:
            self.errors[ms.path] = exc
            info = None
        except RecursionError:
            self.errors[ms.path] = SourceError("cannot analyse: expression nested too deeply")
            info = None
        self._infos[ms.path] = info
        return info


def _project_name(path: str) -> Optional[str]:
    """The import name of the distribution a pyproject.toml declares (`[project] name`, "-" and "." read as
    "_", lower-cased), else None (no file, no name, not TOML)."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, ValueError):
        return None
    name = data.get("project", {}).get("name") if isinstance(data.get("project"), dict) else None
    return re.sub(r"[-.]+", "_", name).lower() if isinstance(name, str) else None


def _same_drive(a: Path, b: Path) -> bool:
    return a.drive == b.drive


def _root_name(ms: ModuleSource) -> str:
    """The dotted name a module has from the project root (`app/llm.py` -> `app.llm`)."""
    return ms.relpath.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _common_len(a: Path, b: Path) -> int:
    n = 0
    for x, y in zip(a.parts, b.parts):
        if x != y:
            break
        n += 1
    return n
