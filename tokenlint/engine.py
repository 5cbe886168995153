"""The run: find files, parse each once, resolve call sites, run every rule, filter noqa.

Data flows one way: files -> parse -> call-site facts -> rules -> findings. One bad file never
stops the run: it becomes a TKL000 finding naming the reason.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from tokenlint.callsites import CallSite, Resolver
from tokenlint.catalog import SdkCatalog, build_sdk_catalog, load_model_catalog
from tokenlint.config import Config
from tokenlint.discovery import discover
from tokenlint.findings import Finding
from tokenlint.project import Project, SourceError
from tokenlint.rules import Rule, RuleContext, select_rules

NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)

PARSE_ERROR = "TKL000"


@dataclass
class FileResult:
    path: str
    sites: list[CallSite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None


@dataclass
class RunResult:
    root: Path
    files: list[FileResult]

    @property
    def sites(self) -> list[CallSite]:
        return [s for f in self.files for s in f.sites]

    @property
    def findings(self) -> list[Finding]:
        out = [x for f in self.files for x in f.findings]
        out.sort(key=Finding.sort_key)
        return out


_catalog_cache: dict[tuple, SdkCatalog] = {}


def sdk_catalog(config: Config) -> SdkCatalog:
    key = repr(config.sdk)
    cat = _catalog_cache.get(key)  # type: ignore[arg-type]
    if cat is None:
        cat = build_sdk_catalog(config.sdk)
        _catalog_cache[key] = cat  # type: ignore[index]
    return cat


def external_names(cat: SdkCatalog) -> frozenset[str]:
    """Top-level packages that are SDKs: a project file never shadows them."""
    return frozenset(m.decode() for m in cat.markers if m.decode().isidentifier() and m.decode().islower()) | {
        "langchain", "langchain_openai", "langchain_anthropic", "langchain_community", "google", "os", "boto3",
        "instructor", "langfuse", "langsmith", "vertexai"}


def build_project(root: Path, targets: list[Path], config: Config, cat: SdkCatalog) -> Project:
    """The targets plus every other Python file under the root, as context for imports."""
    context = discover([root], root, (), config.respect_gitignore) if root.is_dir() else []
    project = Project(root, [], external=external_names(cat))
    for f in sorted(set(context) | set(targets)):
        project.add(f)
    return project


def analyse(paths: Iterable[Path], config: Config, rules: Optional[list[type[Rule]]] = None,
            root: Optional[Path] = None) -> RunResult:
    paths = list(paths) or [Path(".")]
    root = (root or config.root or Path.cwd()).absolute()
    targets = discover(paths, root, config.exclude + config.extend_exclude, config.respect_gitignore)
    cat = sdk_catalog(config)
    project = build_project(root, targets, config, cat)
    models = load_model_catalog(config.model_catalog)
    resolver = Resolver(project, cat, config.feature_key)
    if rules is None:
        rules = select_rules(config.select, config.extend_select, config.ignore)
    instances = [r() for r in rules]
    ctx = RuleContext(feature_key=config.feature_key)
    results: list[FileResult] = []
    for path in sorted(targets, key=lambda p: project.add(p).relpath):
        ms = project.add(path)
        fr = FileResult(ms.relpath)
        results.append(fr)
        try:
            info = project.module_info(ms)
        except SourceError as exc:  # pragma: no cover - module_info records errors itself
            info, project.errors[ms.path] = None, exc
        if info is None:
            err = project.errors.get(ms.path) or SourceError("cannot parse")
            fr.error = err.reason
            fr.findings.append(Finding(PARSE_ERROR, "unparsable-file", err.reason, ms.relpath, err.line,
                                       err.column, err.line, err.column, abspath=str(ms.path)))
            continue
        try:
            sites = resolver.module_sites(info)
        except RecursionError:
            fr.error = "cannot analyse: expression nested too deeply"
            fr.findings.append(Finding(PARSE_ERROR, "unparsable-file", fr.error, ms.relpath, 1, 1, 1, 1))
            continue
        for s in sites:
            if s.model.value:
                s.model.pinned = models.is_pinned(s.model.value)
        fr.sites = sites
        ignored = _per_file_ignored(ms.relpath, config)
        found: list[Finding] = []
        for rule in instances:
            if rule.code in ignored:
                continue
            found.extend(rule.check(sites, ms, ctx))
        fr.findings = [f for f in found if not _suppressed(f, ms.lines)]
        for f in fr.findings:
            f.abspath = str(ms.path)
    return RunResult(root=root, files=results)


def _per_file_ignored(relpath: str, config: Config) -> set[str]:
    out: set[str] = set()
    for glob, codes in config.per_file_ignores:
        if fnmatch.fnmatch(relpath, glob) or fnmatch.fnmatch(relpath, f"*/{glob}"):
            for c in codes:
                out.add(c)
    if not out:
        return out
    from tokenlint.rules import RULES

    return {r.code for r in RULES if any(r.code.startswith(c) for c in out)}


def _suppressed(f: Finding, lines: list[str]) -> bool:
    """`# noqa` or `# noqa: TKL101[, ...]` on the finding's first line (or the call's last line)."""
    for row in {f.row, f.end_row}:
        if 1 <= row <= len(lines):
            line = lines[row - 1]
            if "#" not in line:
                continue
            m = NOQA.search(line)
            if m is None:
                continue
            codes = m.group("codes")
            if codes is None:
                return True
            wanted = {c.upper() for c in re.split(r"[,\s]+", codes) if c}
            if any(f.code.startswith(c) for c in wanted):
                return True
    return False
