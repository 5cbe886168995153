"""Which version of a package the project's dependency files require at least: `openai>=1.29` in
requirements.txt, `openai = "^1.29.0"` in pyproject.toml; and which packages they name at all (the
project-level evidence for a request on a receiver of unknown type). Read as data (never installed or run)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterable, Optional

try:  # pragma: no cover - depends on the interpreter
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

MAX_BYTES = 256 * 1024  # a dependency file larger than this is not one: not read
# a requirement line: name, optional extras, then its specifiers up to a marker or comment
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#]*)")
# the specifiers that set a lower bound ("<", "<=", "!=" set none)
LOWER = re.compile(r"(==|>=|~=|\^|~|>|===)\s*v?(\d+(?:\.\d+)*)")

Version = tuple[int, ...]


def version(text: str) -> Version:
    """"1.29" -> (1, 29, 0): the first three numeric parts, padded so that versions compare."""
    parts = [int(p) for p in re.findall(r"\d+", text.split("+")[0])[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def _lower_bound(spec: str) -> Optional[Version]:
    """The lowest version a specifier string allows ("^1.29.0", ">=1.0,<2", "==0.28.1"), None when it
    has no lower bound ("", "*", "<2")."""
    bounds = [version(v) for _op, v in LOWER.findall(spec)]
    if not bounds and re.fullmatch(r"\s*v?\d+(\.\d+)*\s*", spec):  # poetry's bare "1.29.0" is ==
        bounds = [version(spec)]
    return max(bounds) if bounds else None


def _unconstrained(spec: str) -> bool:
    """A requirement naming the package with no version constraint (`openai`, poetry's `"*"`): it takes
    whatever another file allows, so it bounds nothing and disagrees with nothing ("<2" does constrain)."""
    return spec.strip() in ("", "*")


def _name(n: str) -> str:
    return re.sub(r"[-_.]+", "-", n).lower()


def package_name(n: str) -> str:
    """A distribution or import name as dependency files are compared: `google.genai` -> `google-genai`."""
    return _name(n)


def _requirement_lines(lines: Iterable[str]) -> dict[str, Optional[Version]]:
    out: dict[str, Optional[Version]] = {}
    for line in lines:
        m = REQUIREMENT.match(line)
        if m and not line.lstrip().startswith(("-", "#")) and not _unconstrained(m.group(2)):
            out[_name(m.group(1))] = _lower_bound(m.group(2))
    return out


def _pyproject(data: dict) -> dict[str, Optional[Version]]:
    out = _requirement_lines(data.get("project", {}).get("dependencies", []) or [])
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
    for name, spec in poetry.items():
        if isinstance(spec, dict):
            spec = spec.get("version", "")
        if isinstance(spec, str) and not _unconstrained(spec):
            out[_name(name)] = _lower_bound(spec)
    return out


def dependency_pins(root: Path) -> dict[str, Version]:
    """package -> the lowest version the root's dependency files allow, for the packages every file
    constraining them bounds from below (files that disagree, or one with only an upper bound, leave it
    out; a file naming the package with no constraint at all counts for nothing)."""
    found: dict[str, list[Optional[Version]]] = {}
    files = [root / "pyproject.toml", *sorted(root.glob("requirements*.txt"))]
    for f in files:
        try:
            if not f.is_file() or f.stat().st_size > MAX_BYTES:
                continue
            raw = f.read_bytes()
            got = _pyproject(tomllib.loads(raw.decode("utf-8"))) if f.suffix == ".toml" else \
                _requirement_lines(raw.decode("utf-8", errors="replace").splitlines())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError, TypeError):
            continue  # unreadable or not the shape expected: no pins from it
        for name, bound in got.items():
            found.setdefault(name, []).append(bound)
    return {n: min(bs) for n, bs in found.items() if all(b is not None for b in bs)}  # type: ignore[type-var]


def removed_by_pins(removed_in: Optional[str], pins: dict[str, Version]) -> Optional[str]:
    """Why a method the catalog marks `removed_in` ("openai 1.0.0") cannot run in this project: the
    dependency files require that release or a later one; else None."""
    if not removed_in:
        return None
    package, _, release = removed_in.partition(" ")
    pinned = pins.get(_name(package))
    if pinned is None or pinned < version(release):
        return None
    return f"removed in {package} {release}; the project requires {package}>={'.'.join(map(str, pinned))}"


def removed_near(removed_in: Optional[str], specs: dict[str, list[str]]) -> Optional[str]:
    """`removed_by_pins` read from the dependency files nearest to a module (`nearest_specs`): an
    application folder of a monorepo (`genie-tool/pyproject.toml` requiring `openai>=1.93.0`) pins the SDK
    its modules run on. None when no specifier names the package or one allows a release before it."""
    if not removed_in:
        return None
    package, _, release = removed_in.partition(" ")
    bounds = [_lower_bound(spec) for spec in specs.get(_name(package), ()) if not _unconstrained(spec)]
    if not bounds or any(b is None or b < version(release) for b in bounds):
        return None
    low = min(bounds)  # type: ignore[type-var]
    return f"removed in {package} {release}; the project requires {package}>={'.'.join(map(str, low))}"


def removed_where_run(removed_in: Optional[str], near: dict[str, list[str]],
                      pins: dict[str, Version]) -> Optional[str]:
    """Why a method the catalog marks `removed_in` cannot run in a module: decided by the dependency
    files nearest to it (`nearest_specs`) when they constrain the package (a monorepo's
    `legacy/requirements.txt` pinning `openai==0.28.1` runs the legacy SDK whatever the root requires),
    else by the root's `pins`; None when it may run."""
    if not removed_in:
        return None
    package = _name(removed_in.partition(" ")[0])
    if any(not _unconstrained(spec) for spec in near.get(package, ())):
        return removed_near(removed_in, near)
    return removed_by_pins(removed_in, pins)


# dependency files found by a pattern of their names (the others have fixed names); a cached result
# records the names matching each pattern it searched (templates.data_digest), not the folder's listing
REQUIREMENTS_GLOBS = ("requirements?*.txt", "requirements/*.txt")


def nearest_specs(folder: Path, root: Path, looked: Optional[list[Path]] = None) -> dict[str, list[str]]:
    """package -> the version specifiers ("==2.6.18", ">=3,<4", "") of each dependency file of the
    folder nearest to `folder` (itself, then its parents up to `root`) that has any: a monorepo's
    application folder pins its own packages. `looked` gets every file looked for, found or not, and
    the name pattern of those found by one (`REQUIREMENTS_GLOBS`: a cached result resting on them is
    stale once one changes or appears, not when an unrelated file does)."""
    folder, root = folder.absolute(), root.absolute()
    while True:
        if looked is not None:  # the pattern too: a requirements-*.txt added later is read
            looked.extend([folder / "pyproject.toml", folder / "requirements.txt",
                           *sorted(folder.glob(REQUIREMENTS_GLOBS[0])), folder / REQUIREMENTS_GLOBS[0]])
        found = _folder_specs(folder)
        if found is not None or folder == root or root not in folder.parents:
            return found or {}
        folder = folder.parent


def _folder_specs(folder: Path) -> Optional[dict[str, list[str]]]:
    files = [folder / "pyproject.toml", *sorted(folder.glob("requirements*.txt"))]
    out: dict[str, list[str]] = {}
    seen = False
    for f in files:
        try:
            if not f.is_file() or f.stat().st_size > MAX_BYTES:
                continue
            raw = f.read_bytes().decode("utf-8", errors="replace")
            if f.suffix == ".toml":
                data = tomllib.loads(raw)
                lines = list(data.get("project", {}).get("dependencies", []) or [])
                poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
                got = _spec_lines(lines)
                for name, spec in poetry.items():
                    spec = spec.get("version", "") if isinstance(spec, dict) else spec
                    if isinstance(spec, str):
                        got[_name(name)] = "" if spec.strip() == "*" else (
                            "==" + spec.strip() if re.fullmatch(r"\s*v?\d+(\.\d+)*\s*", spec) else spec)
            else:
                got = _spec_lines(raw.splitlines())
        except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError):
            continue
        seen = True
        for name, spec in got.items():
            out.setdefault(name, []).append(spec)
    return out if seen else None


def _spec_lines(lines: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        m = REQUIREMENT.match(line)
        if m and not line.lstrip().startswith(("-", "#")):
            out[_name(m.group(1))] = m.group(2).strip()
    return out


def runs_below(specs: dict[str, list[str]], packages: Iterable[str], release: str) -> Optional[bool]:
    """Whether the project runs one of `packages` (one package under several names: dspy, dspy-ai)
    at a version below `release`: True when every specifier naming it allows only lower versions
    (`==2.6.18`, `<3`, `~=2.6`), False when every one allows only `release` or later (`>=3.1`), None
    when no file names it or the specifiers leave both open (`dspy`, `>=2.5`)."""
    limit = version(release)
    answers = []
    for p in packages:
        for spec in specs.get(_name(p), ()):
            answers.append(_below(spec, limit))
    if not answers or any(a is None for a in answers) or len(set(answers)) > 1:
        return None
    return answers[0]


def _below(spec: str, limit: Version) -> Optional[bool]:
    low = _lower_bound(spec)
    if low is not None and low >= limit:
        return False
    for op, v in re.findall(r"(===|==|<=|<|~=|\^|~)\s*v?(\d+(?:\.\d+)*)", spec):
        ver, parts = version(v), v.split(".")
        if op in ("==", "==="):
            top, strict = ver, False
        elif op == "<=":
            top, strict = ver, False
        elif op == "<":
            top, strict = ver, True
        elif op == "~=" or op == "~" and len(parts) > 1:  # ~=2.6.0 -> <2.7; ~=2.6 -> <3; poetry ~2.6 -> <2.7
            keep = len(parts) - 1 if op == "~=" else 2
            head = [int(x) for x in parts[:max(keep, 1)]]
            head[-1] += 1
            top, strict = version(".".join(map(str, head))), True
        else:  # ^2.6 -> <3 (caret: the first non-zero part stays)
            nums = [int(x) for x in parts]
            i = next((k for k, n in enumerate(nums) if n), len(nums) - 1)
            head = nums[:i + 1]
            head[-1] += 1
            top, strict = version(".".join(map(str, head))), True
        if top < limit or strict and top <= limit:
            return True
    return None


def declared_packages(folder: Path, root: Path, looked: Optional[list[Path]] = None) -> frozenset[str]:
    """The packages (normalized names) the project declares it depends on, in every dependency file of
    `folder` and of each parent up to `root`: pyproject.toml (`[project]` dependencies and optional ones,
    poetry's dependencies and groups), requirements*.txt and requirements/*.txt, and setup.py's literal
    `install_requires` / `extras_require` (read with `ast`, never run). Whatever a file constrains, naming
    the package is what counts. `looked` gets every file looked for and the name patterns searched
    (`REQUIREMENTS_GLOBS`: a cached result resting on them is stale once a dependency file appears),
    as `nearest_specs` does."""
    folder, root = folder.absolute(), root.absolute()
    out: set[str] = set()
    while True:
        files = [folder / "pyproject.toml", folder / "setup.py", folder / "requirements.txt",
                 *(f for g in REQUIREMENTS_GLOBS for f in sorted(folder.glob(g)))]
        if looked is not None:  # and the patterns: a requirements file added later is read
            looked.extend([*files, *(folder / g for g in REQUIREMENTS_GLOBS)])
        for f in files:
            out.update(_declared_in(f))
        if folder == root or root not in folder.parents:
            return frozenset(out)
        folder = folder.parent


def _declared_in(f: Path) -> list[str]:
    """The package names one dependency file declares (none when it is missing, too large or unreadable)."""
    try:
        if not f.is_file() or f.stat().st_size > MAX_BYTES:
            return []
        raw = f.read_bytes().decode("utf-8", errors="replace")
        if f.suffix == ".toml":
            data = tomllib.loads(raw)
            lines = list(data.get("project", {}).get("dependencies", []) or [])
            for extra in (data.get("project", {}).get("optional-dependencies", {}) or {}).values():
                lines += list(extra or [])
            poetry = data.get("tool", {}).get("poetry", {}) or {}
            names = list(poetry.get("dependencies", {}) or {})
            for group in (poetry.get("group", {}) or {}).values():
                names += list((group or {}).get("dependencies", {}) or {})
            return [_name(n) for n in names if isinstance(n, str)] + list(_spec_lines(lines))
        if f.suffix == ".py":
            return list(_spec_lines(_setup_requirements(raw)))
        return list(_spec_lines(raw.splitlines()))
    except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError, ValueError, SyntaxError, RecursionError):
        return []


def _setup_requirements(text: str) -> list[str]:
    """The literal strings of setup.py's `install_requires=[...]` and `extras_require={...: [...]}`."""
    out: list[str] = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.keyword) or node.arg not in ("install_requires", "extras_require"):
            continue
        values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
        for v in values:
            if isinstance(v, (ast.List, ast.Tuple)):
                out += [e.value for e in v.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return out
