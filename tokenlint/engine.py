"""The run: find files, parse each once, resolve call sites, run every rule, filter noqa, fix.

Data flows one way: files -> parse -> call-site facts -> rules -> findings -> fixes. One bad file
never stops the run: it becomes a TKL000 finding naming the reason (a file valid only in a newer
Python's grammar than the one running is no fault of the file: a notice, `newer_grammar`). A finding may land in another
file than the call that caused it (a floating model name written once in settings.py and used by
three calls is reported once, in settings.py); findings are only reported in the files the run was
asked to check.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import gc
import os
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

from tokenlint.attribution import Attribution, configured, infer
from tokenlint.catalog import SdkCatalog, build_sdk_catalog, load_model_catalog
from tokenlint.config import Config
from tokenlint.discovery import WalkRecord, discover
from tokenlint.findings import Finding
from tokenlint.hierarchy import nested_excludes, scope
from tokenlint.pins import dependency_pins
from tokenlint.project import NEWER_GRAMMAR, TEMPLATE, ModuleSource, Project, SourceError, decode_source, read_source_bytes
from tokenlint.rules import RULES, Rule, RuleContext, select_rules

# A replayed run (`tokenlint.replay`) needs none of the analysis: the resolver, the prefilter, noqa
# and the fixers are imported where they are used, so a warm run does not pay for loading them.
if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

    from tokenlint.cache import Cache
    from tokenlint.fixes import FileFix
    from tokenlint.noqa import Comments
    from tokenlint.prefilter import ImportMatcher
    from tokenlint.replay import RunRecord
    from tokenlint.resolve.resolver import Resolver
    from tokenlint.resolve.site import CallSite
    from tokenlint.resolve.unresolved import Unresolved
    from tokenlint.tree import Tree

PARSE_ERROR = "TKL000"
TOO_DEEP = "cannot analyse: expression nested too deeply"
INTERNAL_ERROR = "cannot analyse: internal error"
MAX_FIX_PASSES = 10


@dataclass
class FileResult:
    path: str
    sites: list[CallSite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None
    unresolved: list[Unresolved] = field(default_factory=list)  # what looks like a request but is no site
    reads: dict[str, Optional[str]] = field(default_factory=dict)  # data files its results may rest on


@dataclass
class RunResult:
    root: Path
    files: list[FileResult]
    project: Optional[Project] = None
    attribution: Attribution = field(default_factory=Attribution)  # the sinks tags were judged against, and why

    @property
    def sites(self) -> list[CallSite]:
        return [s for f in self.files for s in f.sites]

    @property
    def newer_grammar(self) -> list[FileResult]:
        """The files not analysed because they are written for a newer Python than the one running."""
        return [f for f in self.files if (f.error or "").startswith(NEWER_GRAMMAR)]

    @property
    def notices(self) -> list[FileResult]:
        """The files not analysed through no fault of theirs: written for a newer Python than the one
        running, or a project generator's template (Jinja tags) that is Python only once rendered."""
        return [f for f in self.files if (f.error or "").startswith((NEWER_GRAMMAR, TEMPLATE))]

    @property
    def unresolved(self) -> list[Unresolved]:
        return [u for f in self.files for u in f.unresolved]

    @property
    def findings(self) -> list[Finding]:
        out = [x for f in self.files for x in f.findings]
        out.sort(key=Finding.sort_key)
        return out

    def lines_of(self, relpath: str) -> list[str]:
        """The lines of a checked file (for fingerprints); empty when it cannot be read."""
        if self.project is None:
            return []
        if not hasattr(self, "_by_rel"):
            self._by_rel = {ms.relpath: ms for ms in self.project.by_path.values()}
        ms = self._by_rel.get(relpath)
        if ms is None:
            return []
        try:
            return ms.lines
        except SourceError:
            return []


_catalog_cache: dict[str, SdkCatalog] = {}


def sdk_catalog(config: Config) -> SdkCatalog:
    key = repr(config.sdk)
    cat = _catalog_cache.get(key)
    if cat is None:
        cat = build_sdk_catalog(config.sdk)
        _catalog_cache[key] = cat
    return cat


def external_names(cat: SdkCatalog) -> frozenset[str]:
    """Top-level packages that are SDKs: a project file never shadows them. SDKs whose package is a
    common word (catalog `prefilter = "dotted"`: `replicate`) and frameworks marked `local_first`
    (`agents`; aider, an application whose own repository is a project) are left out: a project's own
    `agents/` or `replicate.py` is what its imports of that name mean."""
    names = {m.split(".")[0] for m in cat.modules}
    common: set[str] = set()
    by_import = {name for name, fw in cat.frameworks.items() if fw.local_first}
    for index in (cat.classes, cat.constructors):
        for bucket in index._by_last.values():  # noqa: SLF001 - same package
            for mod, value in bucket:
                top = mod.split(".")[0]
                names.add(top)
                if getattr(value, "prefilter", None) == "dotted" or getattr(value, "sdk", None) in by_import:
                    common.add(top)
    names.update(f.split(".")[0] for f in cat.factories)
    return frozenset(names - common - {""}) | {"os", "google", "instructor", "langfuse", "langsmith", "vertexai"}


def declared_names(entries: tuple[dict[str, Any], ...]) -> frozenset[str]:
    """Top-level names of the clients, modules and factories the project's configuration declares
    (`[[tool.tokenlint.sdk]]`): always the client the user named, never shadowed by a project file."""
    return frozenset(str(name).split(".")[0] for e in entries
                     for key in ("clients", "modules", "factories") for name in e.get(key, ()))


def build_project(root: Path, targets: list[Path], config: Config, cat: SdkCatalog,
                  overlay: Optional[dict[Path, bytes]] = None, walked_root: bool = False,
                  context: Optional[list[Path]] = None) -> Project:
    """The targets plus every other Python file under the root, as context for imports.

    `walked_root`: the targets already are every file under the root (no second walk needed);
    `context`: the files under the root, when already known."""
    if context is None:
        context = discover([root], root, (), config.respect_gitignore) if root.is_dir() and not walked_root else []
    project = Project(root, [], external=external_names(cat), declared=declared_names(config.sdk))
    # Path order, computed from each path's parts once (Path.__lt__ rebuilds them at every comparison)
    for f in sorted(set(context) | set(targets), key=_path_order):
        ms = project.add(f)
        if overlay and ms.path in overlay:
            ms.raw = overlay[ms.path]
    return project


def _path_order(p: Path):  # type: ignore[no-untyped-def]
    """A sort key giving Path's own order: its parts, case-folded where the platform folds case."""
    return p.parts if os.name == "posix" else tuple(x.lower() for x in p.parts)


def rule_context(config: Config, today: Optional[_dt.date] = None) -> RuleContext:
    return RuleContext(
        attribution=configured(config.attribution, config.attribution_keys),
        feature_key=config.feature_key,
        today=today or _dt.date.today(),
        retirement_warning_days=config.retirement_warning_days,
        models=load_model_catalog(config.model_catalog),
        features=config.features,
        model_config=config.model_config,
        batch=sdk_catalog(config).batch,
        evaluator_results=sdk_catalog(config).evaluator_results,
        evaluator_datasets=sdk_catalog(config).evaluator_datasets,
        min_static_chars=config.min_static_chars,
    )


def project_attribution(config: Config, project: Project) -> Attribution:
    """The configured sinks, else those the project's source text shows (every file under the root,
    read as bytes: the same answer whichever files a run checks)."""
    if config.attribution:
        return configured(config.attribution, config.attribution_keys)
    files = []
    for ms in project.by_path.values():
        try:
            if ms.raw is None:
                ms.raw = read_source_bytes(ms.path)
        except OSError:
            continue
        files.append((ms.relpath, ms.raw))
    return infer(files, config.attribution_keys)


def analyse(paths: Iterable[Path], config: Config, rules: Optional[list[type[Rule]]] = None,
            root: Optional[Path] = None, prefilter: bool = True, today: Optional[_dt.date] = None,
            overlay: Optional[dict[Path, bytes]] = None, jobs: int = 1,
            cache_dir: Optional[Path] = None, unresolved: bool = False, tree: Optional["Tree"] = None) -> RunResult:
    """`unresolved`: also list, per file, what looks like an LLM request but is no call site (the
    inventory and the audit report it; `check` has no use for it and skips the work). `tree`: the
    walk of the root the caller made to find the nested configs (`tokenlint.tree`), else walked here."""
    # Syntax trees are long-lived and acyclic: the cyclic GC only re-scans them, at a cost that grows
    # with the tree count (measured: ast.parse took 2.7x longer with it on a 1,000-file package).
    was_enabled = gc.isenabled()
    gc.disable()
    import tokenlint.project

    old_cap, tokenlint.project.MAX_FILE_SIZE = tokenlint.project.MAX_FILE_SIZE, config.max_file_size
    try:
        return _analyse(paths, config, rules, root, prefilter, today, overlay, jobs, cache_dir, unresolved, tree)
    finally:
        tokenlint.project.MAX_FILE_SIZE = old_cap
        if was_enabled:
            gc.enable()


def _analyse(paths: Iterable[Path], config: Config, rules: Optional[list[type[Rule]]],
             root: Optional[Path], prefilter: bool, today: Optional[_dt.date],
             overlay: Optional[dict[Path, bytes]], jobs: int, cache_dir: Optional[Path],
             unresolved: bool = False, tree: Optional["Tree"] = None) -> RunResult:
    start_ns = time.time_ns() if tree is None else min(time.time_ns(), tree.start_ns)
    # normalised (no `..`), as the root is: `../other/x.py` and the root's paths must compare equal
    paths = [Path(os.path.abspath(p)) for p in (list(paths) or [Path(".")])]
    root = (root or config.root or Path.cwd()).absolute()
    per_scope = rules is None  # selected by the configs: each file keeps its own config's rules
    if rules is None:
        rules = configured_rules(config)
    today = today or _dt.date.today()
    cache = record = walk = None
    pins = dependency_pins(root)
    if cache_dir is not None and overlay is None:
        from tokenlint.cache import Cache, settings_salt
        from tokenlint.replay import RunRecord, run_key

        cache_dir = cache_dir if cache_dir.is_absolute() else root / cache_dir
        # the dependency files' pins decide which SDK methods can run (tokenlint.pins): part of the key
        salt = settings_salt(config, today, [r.code for r in rules],
                             ("unresolved" if unresolved else "") + repr(sorted(pins.items())))
        cache = Cache(cache_dir, salt)
        # Folder runs are recorded for replay. Runs on named files (pre-commit names the changed ones,
        # a different list each time) are fast anyway, and a record each would only fill the cache.
        if all(p.is_dir() for p in paths):
            record = RunRecord(cache_dir, run_key(salt, root, paths, prefilter))
            replayed = _replay(record, root, tree.walk if tree is not None else None)
            if replayed is not None:
                return replayed
            walk = WalkRecord()
        cache.mark()
    import tokenlint.catalog
    from tokenlint.resolve import templates

    templates.reset()
    tokenlint.catalog.COMPILED_DIR = cache_dir
    try:
        ctx = rule_context(config, today)  # loads the catalogs: not needed for a replay
        cat = sdk_catalog(config)
    finally:
        tokenlint.catalog.COMPILED_DIR = None
    nested_exclude = nested_excludes(config)
    walked_root = (not (config.exclude + config.extend_exclude) and not any(p for _, p in nested_exclude)
                   and len(paths) == 1 and paths[0].is_dir() and paths[0].absolute() == root)
    if tree is not None and (tree.root != root or not root.is_dir()):
        tree = None  # a walk of another folder
    if tree is None and root.is_dir():
        from tokenlint.tree import walk_tree

        tree = walk_tree(root, config.respect_gitignore, cache_dir if cache is not None else None)
    root_files = tree.files if tree is not None else None
    if walked_root and root_files is not None:
        targets = root_files
    else:
        targets = discover(paths, root, config.exclude + config.extend_exclude, config.respect_gitignore,
                           config.force_exclude, record=walk, nested_exclude=nested_exclude)
    explicit = {p.absolute() for p in paths if not p.is_dir()}
    project = build_project(root, targets, config, cat, overlay, walked_root, context=root_files)
    if walk is not None and tree is not None:
        walk.folders.update(tree.walk.folders)
        walk.ignore_files.update(tree.walk.ignore_files)
    stats = None
    if record is not None:
        from tokenlint.replay import stat_files

        stats = stat_files(project)  # before anything is read: a change during the run shows next time
    ctx = replace(ctx, attribution=project_attribution(config, project))
    if cache is not None:  # inferred sinks change findings: results cached under other sinks are not reused
        cache.salt += "\0" + repr(ctx.attribution.as_dict())
    from tokenlint.resolve.resolver import Resolver

    resolver = Resolver(project, cat, config.feature_key, pins)
    ordered = sorted(targets, key=lambda p: project.add(p).relpath)

    def fresh() -> tuple[_Run, dict[str, FileResult], _Batch]:
        run = _Run(project, resolver, [r() for r in rules], ctx, unresolved)
        results = {project.add(p).relpath: FileResult(project.add(p).relpath) for p in ordered}
        return run, results, _Batch(run, project, results, jobs, cache)

    run, results, batch = fresh()
    done = False
    if record is not None and stats is not None:
        previous = record.previous(stats, project)
        if previous is not None and previous[0].get("attribution") != ctx.attribution.as_dict():
            previous = None  # a changed file changed the inferred sinks: every file's findings may change
        if previous is not None:
            try:
                done = _incremental(previous[0], previous[1], batch, project, ordered, explicit, cat, prefilter)
            except (KeyError, TypeError, ValueError, AttributeError):
                done = False  # a previous state of another shape: run in full
            finally:
                batch.close()
            if not done:
                run, results, batch = fresh()
    if not done:
        try:
            if not prefilter:
                batch.analyse(ordered)
            else:
                _prefiltered(batch, project, ordered, explicit, cat)
        finally:
            batch.close()
    _place_findings(run.findings, results, project, config, per_scope)
    files = [results[project.add(p).relpath] for p in ordered]
    if record is not None and walk is not None and stats is not None:
        record.save(start_ns, walk, stats, project, files, batch, cache)
    return RunResult(root=root, files=files, project=project, attribution=ctx.attribution)


def _replay(record: "RunRecord", root: Path, seen: Optional[WalkRecord] = None) -> Optional[RunResult]:
    from tokenlint.replay import results_from

    doc = record.load(seen)
    if doc is None:
        return None
    try:
        files = results_from(doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    # the project index is only needed for the files with findings (their lines, for fingerprints)
    project = Project(root, [])
    for fr in files:
        for f in fr.findings:
            if f.abspath:
                project.add(Path(f.abspath))
    return RunResult(root=root, files=files, project=project, attribution=Attribution.from_dict(doc.get("attribution")))


def _prefiltered(batch: "_Batch", project: Project, ordered: list[Path], explicit: set[Path],
                 cat: SdkCatalog) -> None:
    from tokenlint.prefilter import Reexports, sdk_pattern

    sdk_re = sdk_pattern(cat)
    pending = []
    now = []
    for p in ordered:
        (now if _candidate(project.add(p), p in explicit, sdk_re) else pending).append(p)
    family = _family_members(project, pending, sdk_re, cat, True)  # one provider among siblings (resolve/families.py)
    if family:
        now += [p for p in pending if p in family]
        pending = [p for p in pending if p not in family]
    batch.analyse(now)
    # files importing a project module that matters (wrappers, shared clients), or one of its names
    # from a package that re-exports it, to a fixpoint
    reexports = Reexports(project)
    seen: set[str] = set()
    seen_names: dict[str, Optional[frozenset[str]]] = {}
    heads: dict = {}  # each pending file's import heads, read in the first round that scans it
    while pending:
        relevant = batch.run.relevant_words
        names = reexports.compute(relevant)
        fresh = relevant - seen
        grown = {rel: n for rel, n in names.items() if rel not in seen_names or seen_names[rel] != n}
        if not fresh and not grown:
            break
        seen |= fresh
        seen_names.update(grown)
        matcher = _import_matcher(project, {w for w in fresh if not w.startswith((FACADE_WORD, PLUGIN_WORD))},
                                  grown, heads)
        calls = _method_calls({w[len(FACADE_WORD):] for w in fresh if w.startswith(FACADE_WORD)})
        loads = _plugin_loads({w[len(PLUGIN_WORD):] for w in fresh if w.startswith(PLUGIN_WORD)})
        handed = {w[len(HANDED_WORD):] for w in relevant if w.startswith(HANDED_WORD)}
        now, still = [], []
        for p in pending:
            ms = project.add(p)
            hit = ms.raw is not None and (ms.relpath in handed or matcher.imports(ms) or
                                          (calls is not None and calls.search(ms.raw)) or
                                          (loads is not None and loads.search(ms.raw)))
            (now if hit else still).append(p)
        batch.analyse(now)
        pending = still


def _family_members(project: Project, paths: list[Path], sdk_re, cat: SdkCatalog,  # type: ignore[no-untyped-def]
                    unmarked: bool = False) -> set[Path]:
    """The files of `paths` naming an HTTP library with a class one provider among siblings (its base
    subclassed in sibling modules naming an LLM SDK: resolve/families.py): their raw HTTP requests may
    be the family's requests to services the catalog does not know. `unmarked`: `paths` are files the
    prefilter did not choose (their bytes name no SDK: not searched again). A member calling a request
    method with no HTTP library named counts when its base's module names one (a session built there)."""
    from tokenlint.prefilter import identifiers
    from tokenlint.resolve.families import Families

    fams = Families(project, sdk_re, frozenset(cat.http.family_words))
    calls = [f".{m}(".encode() for m in sorted(cat.http.methods)]  # a session's request (`.post(`, `.request(`)
    if unmarked:
        fams.unmarked([project.add(p).relpath for p in paths])
    out = set()
    for p in paths:
        ms = project.add(p)
        raw = ms.raw
        if not raw or b"class" not in raw:
            continue
        if any(lib in raw for lib in sdk_re.http_libs) and not identifiers(raw).isdisjoint(sdk_re.http_libs):
            if fams.in_family(ms):
                out.add(p)
        elif any(c in raw for c in calls) and fams.member_of_http_base(ms, sdk_re.http_libs):
            out.add(p)
    return out


def _class_request(sites: list) -> bool:
    """Whether a method of a class of the module sends a request itself (an SDK, HTTP or framework
    request, not a wrapper or facade call of another module's), so objects of the class spend."""
    return any(s.spends and s.cls is not None and s.kind in ("direct", "request") and s.function is not None
               for s in sites)


# a relevant word naming a method (not a module): files calling `.name(` may hold facade sites
FACADE_WORD = "\0"
# a relevant word naming a module (by relpath) whose functions an analysed module hands a model object
HANDED_WORD = "\1"
# a relevant word naming a package (its last name) holding a spending class: files importing a module
# of it by a computed name may build one (`importlib.import_module(f"extensions.{name}")`)
PLUGIN_WORD = "\2"


def _plugin_loads(packages: set[str]) -> "Optional[re.Pattern[bytes]]":
    """Matches a module name computed inside one of `packages` handed to `import_module` / `__import__`
    (`f"app.extensions.{name}"`, `"extensions." + name`)."""
    if not packages:
        return None
    names = b"|".join(re.escape(n.encode()) for n in sorted(packages))
    return re.compile(rb"(?:import_module|__import__)\s*\(\s*f?[\"'](?:[\w.]*\.)?(?:" + names + rb")\.")


def _method_calls(names: set[str]) -> "Optional[re.Pattern[bytes]]":
    if not names:
        return None
    # called (`.generate(`), or handed uncalled to what calls it (`asyncio.to_thread(self.generate, text)`,
    # `Thread(target=self.generate)`, `run_in_executor(None, obj.generate)`): a runner's call is a facade site too
    return re.compile(rb"\.(?:" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\s*[(,)]")


def _import_matcher(project: Project, modules: set[str], names: dict[str, Optional[frozenset[str]]],
                    heads: Optional[dict] = None) -> "ImportMatcher":
    """Matches files importing one of `modules` (relpaths), or one of a re-exporting package's names
    (`heads`: each file's import heads, kept between the rounds of one run)."""
    from tokenlint.prefilter import ImportMatcher

    whole = [project.by_rel(r) for r in sorted(modules)] + \
        [project.by_rel(r) for r, n in sorted(names.items()) if n is None]
    some = {project.by_rel(r): n for r, n in sorted(names.items()) if n is not None}
    return ImportMatcher([m for m in whole if m is not None], {m: n for m, n in some.items() if m is not None}, project,
                         heads)


def _candidate(ms: ModuleSource, explicit: bool, sdk_re) -> bool:  # type: ignore[no-untyped-def]
    """Analysed whatever it imports: named on the command line, naming an SDK, or unreadable (so
    the reason is reported)."""
    try:
        raw = ms.raw if ms.raw is not None else read_source_bytes(ms.path)
        ms.raw = raw
    except OSError:
        return True
    if explicit or sdk_re.search_module(ms):
        return True
    return b"\x00" in raw or not _decodes(ms)  # reports why it cannot be read as Python


def _incremental(state: dict, changed: set[str], batch: "_Batch", project: Project, ordered: list[Path],
                 explicit: set[Path], cat: SdkCatalog, prefilter: bool) -> bool:
    """Redo only what a few changed files can affect, from the previous run's per-file outputs.

    Re-analysed: the changed files that are (still or now) candidates, and every file that was
    analysed and imports a changed file, directly or not (from the recorded import graph). Reused:
    every other analysed file's output. This equals a full run as long as the set of modules that
    make their importers candidates (wrappers, shared clients) is the same; when it is not (a
    changed file starts or stops forwarding a parameter, or is a package) the answer is False and
    the caller runs in full."""
    outputs, deps, relevant = state["outputs"], state["deps"], set(state["relevant"])
    importers: dict[str, list[str]] = {}
    for src, targets in deps.items():
        for t in targets:
            importers.setdefault(t, []).append(src)
        ms = project.by_rel(src)
        if batch.cache is not None and ms is not None and src not in changed:
            found = [project.by_rel(t) for t in targets]
            if all(found):
                batch.cache.seed_deps(ms, found)  # type: ignore[arg-type]
    affected, todo_rels = set(changed), list(changed)
    # a changed module may make or break a family of providers (resolve/families.py): the analysed
    # modules of its folder and of its parent's folders weigh it as a sibling
    near = {f for c in changed for f in (c.rpartition("/")[0], c.rpartition("/")[0].rpartition("/")[0]) if f}
    for rel in outputs:
        folder = rel.rpartition("/")[0]
        if rel not in affected and folder and (folder in near or folder.rpartition("/")[0] in near):
            affected.add(rel)
            todo_rels.append(rel)
    while todo_rels:
        for imp in importers.get(todo_rels.pop(), ()):
            if imp not in affected:
                affected.add(imp)
                todo_rels.append(imp)
    from tokenlint.prefilter import Reexports, sdk_pattern

    sdk_re = sdk_pattern(cat)
    matcher: Optional["ImportMatcher"] = None
    loads = _plugin_loads({w[len(PLUGIN_WORD):] for w in relevant if w.startswith(PLUGIN_WORD)})
    todo = []
    family: Optional[set[Path]] = None  # the changed files that are one provider among siblings, read once
    for p in ordered:
        ms = project.add(p)
        rel = ms.relpath
        if rel in changed:
            if ms.is_package:
                return False
            analyse = _candidate(ms, p in explicit or not prefilter, sdk_re) or HANDED_WORD + rel in relevant
            if not analyse and prefilter:
                if family is None:
                    family = _family_members(project, [q for q in ordered if project.add(q).relpath in changed], sdk_re, cat)
                analyse = p in family
            if not analyse and ms.raw is not None and loads is not None:  # a plugin loader of a package that matters
                analyse = bool(loads.search(ms.raw))
            if not analyse and ms.raw is not None:
                if matcher is None:
                    matcher = _import_matcher(project, relevant, Reexports(project).compute(relevant))
                analyse = matcher.imports(ms)
            if analyse:
                todo.append(p)
            elif outputs.get(rel, {}).get("words"):
                return False  # a module that mattered is no longer analysed
        elif rel in outputs:
            if rel in affected:
                todo.append(p)
            else:
                out = outputs[rel]
                from tokenlint.cache import finding_from_json, site_from_json, unresolved_from_json

                batch.take(rel, FileResult(rel, sites=[site_from_json(d) for d in out["sites"]], error=out["error"],
                                           unresolved=[unresolved_from_json(d) for d in out.get("unresolved", ())],
                                           reads=dict(out.get("reads") or {})),
                           [finding_from_json(d) for d in out["findings"]], set(out["words"]))
    batch.analyse(todo)
    for p in todo:
        rel = project.add(p).relpath
        if set(outputs.get(rel, {}).get("words", ())) != batch.outputs[rel][2]:
            return False
    batch.run.relevant_words = relevant
    return True


# Below this many files a worker pool costs more than it saves: besides forking and pickling results,
# each worker parses again the project modules the files import (measured on LLM applications of
# 170-900 files: 33-101 candidates ran 5-45% faster serially; 220-350 ran 10-25% faster on 2 workers).
PARALLEL_MIN_FILES = 128
_WORKER_RUN: Optional["_Run"] = None


def read_files() -> dict[str, Optional[str]]:
    """The data files (prompt templates) this process has read so far, with their digests: a result
    computed now may rest on any of them, since the resolver memoises across files."""
    from tokenlint.resolve.templates import READS

    return READS


_SNAPSHOT: tuple[int, object, dict[str, Optional[str]]] = (-1, None, {})


def reads_snapshot() -> dict[str, Optional[str]]:
    """A copy of `read_files()` for a file's result, shared by the files analysed while nothing new was
    read (the record only grows during a run: a copy per file cost memory and time in proportion to
    files times reads). Never changed once made: readers only read it."""
    global _SNAPSHOT
    from tokenlint.resolve.templates import READS

    version, owner, snap = _SNAPSHOT
    if version != READS.version or owner is not READS:
        snap = dict(READS)
        _SNAPSHOT = (READS.version, READS, snap)
    return snap


def _worker(paths: list[Path]) -> list[tuple[str, FileResult, list[Finding], set[str]]]:
    """In a forked worker: analyse `paths` with the parent's project index and resolver (inherited
    copy-on-write), and return results stripped of syntax trees so they pickle."""
    return deep(_worker_chunk, paths)


def _worker_chunk(paths: list[Path]) -> list[tuple[str, FileResult, list[Finding], set[str]]]:
    run = _WORKER_RUN
    assert run is not None
    out = []
    for p in paths:
        fr = FileResult(run.project.add(p).relpath)
        run.findings = []
        before = set(run.relevant_words)
        run.file(p, fr)
        fr.reads = reads_snapshot()
        fr.sites = [s.light() for s in fr.sites]
        out.append((fr.path, fr, run.findings, run.relevant_words - before))
    return out


class _Batch:
    """Analyse a list of files: from the cache when it has them, else serially or over `jobs`
    forked worker processes."""

    def __init__(self, run: "_Run", project: Project, results: dict[str, FileResult], jobs: int,
                 cache: Optional["Cache"] = None) -> None:
        self.run, self.project, self.results, self.jobs, self.cache = run, project, results, jobs, cache
        # every analysed file's own output (before findings are placed): what an incremental run reuses
        self.outputs: dict[str, tuple[FileResult, list[Finding], set[str]]] = {}
        self.pool: Optional["ProcessPoolExecutor"] = None  # started by the first large round (`_analyse`)

    def analyse(self, paths: list[Path]) -> None:
        if not paths:
            return
        keys: dict[str, Optional[str]] = {}
        if self.cache is not None:
            todo = []
            for p in paths:
                ms = self.project.add(p)
                # an unreadable file (or a pipe) is never handed to the cache, which would read it again
                key = self.cache.key(ms, self.project) if ms.raw is not None else None
                entry = self.cache.get(key) if key else None
                if entry is not None and self._restore(ms.relpath, entry):
                    continue
                keys[ms.relpath] = key
                todo.append(p)
            paths = todo
        for rel, fr, findings, words in self._analyse(paths):
            self.take(rel, fr, findings, words)
            key = keys.get(rel)
            if self.cache is not None and key:
                from tokenlint.cache import finding_to_json, site_to_json

                self.cache.put(key, {"error": fr.error, "sites": [site_to_json(s) for s in fr.sites],
                                     "findings": [finding_to_json(f) for f in findings], "words": sorted(words),
                                     "unresolved": [u.as_dict() for u in fr.unresolved], "reads": fr.reads})

    def _restore(self, rel: str, entry: dict) -> bool:
        from tokenlint.cache import finding_from_json, site_from_json, unresolved_from_json

        try:
            from tokenlint.resolve.callers import names_digest
            from tokenlint.resolve.templates import unchanged

            reads = dict(entry.get("reads") or {})
            if not unchanged(reads, lambda key: names_digest(self.project, key)):
                return False  # a template its prompt came from has changed, or a new file names a function read: recompute
            fr = FileResult(rel, sites=[site_from_json(d) for d in entry["sites"]], error=entry["error"],
                            unresolved=[unresolved_from_json(d) for d in entry["unresolved"]], reads=reads)
            findings = [finding_from_json(d) for d in entry["findings"]]
            words = set(entry["words"])
        except (KeyError, TypeError, ValueError, AttributeError):
            return False  # an entry of another shape: recompute
        self.take(rel, fr, findings, words)
        return True

    def take(self, rel: str, fr: FileResult, findings: list[Finding], words: set[str]) -> None:
        self.results[rel] = fr
        self.outputs[rel] = (fr, findings, words)
        self.run.findings.extend(findings)
        self.run.relevant_words |= words

    def _serial(self, paths: list[Path]) -> list[tuple[str, FileResult, list[Finding], set[str]]]:
        run = self.run
        out = []
        for p in paths:
            fr = FileResult(self.project.add(p).relpath)
            start, before = len(run.findings), set(run.relevant_words)
            run.file(p, fr)
            fr.reads = reads_snapshot()
            found = run.findings[start:]
            del run.findings[start:]  # handed back by the caller, with this file's other results
            out.append((fr.path, fr, found, run.relevant_words - before))
        return out

    def _analyse(self, paths: list[Path]):  # type: ignore[no-untyped-def]
        """Each file's output, serially or from the batch's worker pool. The pool, once started, serves
        the later rounds too (`_prefiltered`: the importers of the modules found relevant), however
        few their files: its workers have parsed and resolved those modules already, where the parent
        would parse them again (measured on the benchmark corpus: 48 parses for 53 files in round two,
        instead of 143 in the parent). The caller ends it with `close`."""
        if not paths:
            return
        if self.pool is None and (self.jobs <= 1 or len(paths) < PARALLEL_MIN_FILES or not _can_fork()):
            yield from deep(self._serial, paths)
            return
        global _WORKER_RUN
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self.pool is None:
            _WORKER_RUN = self.run
            self.run.resolver.build_shared_indexes()  # inherited by the workers, built once
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        # contiguous chunks keep a package's files together, so each worker parses its context once
        n = min(len(paths), self.jobs * 4)
        size = -(-len(paths) // n)
        chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
        try:
            for part in self.pool.map(_worker, chunks):
                yield from part
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the batch's worker pool, if one was started (its workers exit)."""
        global _WORKER_RUN
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        _WORKER_RUN = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def configured_rules(config: Config) -> list[type[Rule]]:
    """The rules any config of the hierarchy selects (each file then keeps its own config's)."""
    chosen = set(select_rules(config.select, config.extend_select, config.ignore))
    for _, cfg in config.nested:
        chosen.update(select_rules(cfg.select, cfg.extend_select, cfg.ignore))
    return [r for r in RULES if r in chosen]


def _place_findings(findings: list[Finding], results: dict[str, FileResult], project: Project,
                    config: Config, per_scope: bool = False) -> None:
    """Put each finding in its file's result (only files the run checks), minus noqa and duplicates.
    With nested configs, a file's per-file-ignores (and, `per_scope`, its rule selection) are those
    of the config governing it (`tokenlint.hierarchy`)."""
    selected: dict[int, set[str]] = {}
    by_rel = {ms.relpath: ms for ms in project.by_path.values()}
    seen: set[tuple] = set()
    placed: dict[tuple, tuple[FileResult, int]] = {}  # where each kept finding went
    noqa: dict[str, "Comments"] = {}
    for f in findings:
        fr = results.get(f.path)
        if fr is None:
            continue  # a context file: read, not reported
        key = (f.code, f.path, f.row, f.column, f.message)
        if key in seen:
            if f.fix is not None:
                continue
            # one place reached by several calls (a model constant): fixed only when every call
            # accepts the fix, since the edit changes what each of them sends
            at = placed.get(key)
            if at is not None and at[0].findings[at[1]].fix is not None:
                at[0].findings[at[1]] = replace(at[0].findings[at[1]], fix=None)
            continue
        seen.add(key)
        ms = by_rel.get(f.path)
        if f.code != PARSE_ERROR:
            governing, rel = scope(config, f.path) if config.nested else (config, f.path)
            if per_scope and config.nested:
                codes = selected.get(id(governing))
                if codes is None:
                    codes = selected[id(governing)] = {r.code for r in select_rules(
                        governing.select, governing.extend_select, governing.ignore)}
                if f.code not in codes:
                    continue
            if f.code in _per_file_ignored(rel, governing):
                continue
            if ms is not None and _suppressed(f, ms, noqa):
                continue
        if ms is not None:
            f.abspath = str(ms.path)
        placed[key] = (fr, len(fr.findings))
        fr.findings.append(f)
    for fr in results.values():
        fr.findings.sort(key=Finding.sort_key)


def _decodes(ms: ModuleSource) -> bool:
    raw = ms.raw
    if raw is not None and raw.isascii() and b"coding" not in raw[:400]:
        return True  # ASCII without an encoding declaration always decodes: no need to decode and keep it
    try:
        if raw is None:
            ms.read()
        else:
            decode_source(raw)  # not kept: most such files are never analysed (a str of CJK text is 4x its bytes)
        return True
    except SourceError:
        return False


# A 2,000-term string concatenation is a syntax tree 2,000 levels deep: following it takes more
# than Python's default 1,000 frames, and more C stack than a thread has once the limit is raised.
# Files are analysed in a thread with room for the deepest trees ast.parse accepts: one thread for a
# whole batch (`_Batch`), as starting one per file cost 0.3 ms a file.
DEEP_RECURSION_LIMIT = 30_000
DEEP_STACK_BYTES = 256 * 1024 * 1024  # address space; pages are committed only as they are used
_DEEP = threading.local()  # `inside`: this thread is one `deep` started


def deep(fn, *args):  # type: ignore[no-untyped-def]
    """`fn(*args)` in a thread with a large stack and recursion limit: its result, or its exception.
    Called from such a thread, `fn` runs there, directly."""
    import sys

    if getattr(_DEEP, "inside", False):
        return fn(*args)
    box: dict = {}

    def target() -> None:
        _DEEP.inside = True
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    old_limit = sys.getrecursionlimit()
    try:
        old_size = threading.stack_size(DEEP_STACK_BYTES)
    except (ValueError, RuntimeError):  # a platform where the stack size is fixed
        return fn(*args)
    try:
        thread = threading.Thread(target=target, name="tokenlint-analysis", daemon=True)
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        try:
            thread.start()
        except RuntimeError:  # cannot start a thread: analyse here, at the usual depth
            sys.setrecursionlimit(old_limit)
            return fn(*args)
    finally:
        threading.stack_size(old_size)
    try:
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box.get("value")



def _first_line(exc: BaseException) -> str:
    """An exception's message on one line, at most 120 characters."""
    text = (str(exc).strip().splitlines() or [""])[0]
    return text if len(text) <= 120 else text[:117] + "..."

class _Run:
    """Analyse one file: parse (once), resolve its call sites, run the rules."""

    def __init__(self, project: Project, resolver: "Resolver", rules: list[Rule], ctx: RuleContext,
                 unresolved: bool = False) -> None:
        self.project, self.resolver, self.rules, self.ctx = project, resolver, rules, ctx
        self.unresolved = unresolved
        self.relevant_words: set[str] = set()
        self.findings: list[Finding] = []

    def file(self, path: Path, fr: FileResult) -> None:
        start = len(self.findings)
        try:
            deep(self._file, path, fr)
        except RecursionError:  # deeper still: reported, never a traceback
            self._failed(start, fr, path, TOO_DEEP)
        except Exception as exc:  # a tokenlint bug on this file: named, and the run goes on
            if os.environ.get("TOKENLINT_RAISE"):  # a developer's traceback
                raise
            self._failed(start, fr, path, f"{INTERNAL_ERROR} ({type(exc).__name__}: {_first_line(exc)}); please report it")

    def _failed(self, start: int, fr: FileResult, path: Path, reason: str) -> None:
        """Drop what the file's analysis had produced before it failed, and report the file instead."""
        del self.findings[start:]
        fr.sites = []
        fr.unresolved = []
        self._unparsable(fr, self.project.add(path).relpath, reason)

    def _unparsable(self, fr: FileResult, relpath: str, reason: str, line: int = 1, column: int = 1) -> None:
        """A file that could not be parsed or analysed: a TKL000 finding naming the reason (the run goes
        on), and, the prefilter having chosen it (it names an LLM library or endpoint), an entry under
        "not resolved": its requests, if any, are in no count."""
        fr.error = reason
        if not reason.startswith((NEWER_GRAMMAR, TEMPLATE)):  # valid code for a newer Python, a template: a notice
            self.findings.append(Finding(PARSE_ERROR, "unparsable-file", reason, relpath, line, column, line, column))
        if self.unresolved:
            from tokenlint.resolve.unresolved import Unresolved

            fr.unresolved = [Unresolved(relpath, line, "unreadable", f"not analysed ({reason}): its requests are not counted")]

    def _file(self, path: Path, fr: FileResult) -> None:
        project = self.project
        ms = project.add(path)
        info = project.module_info(ms)
        if info is None:
            err = project.errors.get(ms.path) or SourceError("cannot parse")
            self._unparsable(fr, ms.relpath, err.reason, err.line, err.column)
            return
        try:
            sites = self.resolver.module_sites(info)
        except RecursionError:
            self._unparsable(fr, ms.relpath, TOO_DEEP)
            return
        # its importers may reach its requests: through a function forwarding their arguments, a
        # client it exports, or a method of a class of it making one (`BaseCompletionModel` whose
        # `create_completion` sends with the model the object holds: the callers hold the object)
        if any(s.forwards for s in sites) or _class_request(sites) or self.resolver.exports_client(info):
            self.relevant_words.add(ms.relpath)
        for name in self.resolver.facade_methods(info, sites):  # callers of `.name(...)`: facades
            self.relevant_words.add(FACADE_WORD + name)
        self.relevant_words |= self.resolver.facade_modules(info, sites)  # callers of `obj(...)`: facades
        # modules whose functions this one hands a model object: their parameters' requests (resolve/passed.py)
        self.relevant_words |= {HANDED_WORD + rel for rel in self.resolver.handed_modules(info)}
        # the package a module with a spending class is in: files loading plugins from it by a computed
        # name (`import_module(f"extensions.{name}")`) name no provider, and are read too
        self.relevant_words |= {PLUGIN_WORD + p for p in self.resolver.plugin_packages(info, sites)}
        # modules whose decorator factories register this one's spending classes: their factories' users
        self.relevant_words |= self.resolver.registering_modules(info, sites)
        self.resolver.name_implementations(info, sites)  # an LLM interface's adapters: one feature name
        models = self.ctx.models
        for s in sites:
            if s.model.value and models is not None:
                s.model.pinned = models.is_pinned(s.model.value)
        fr.sites = sites
        if self.unresolved:
            fr.unresolved = self.resolver.module_unresolved(info, sites)
        own = self.resolver.own_builds(info)  # the framework's own model classes built here: model rules read them
        for rule in self.rules:
            self.findings.extend(rule.check(sites + own if own and rule.own_builds else sites, ms, self.ctx))


def _per_file_ignored(relpath: str, config: Config) -> set[str]:
    out: set[str] = set()
    for glob, codes in config.per_file_ignores:
        if fnmatch.fnmatch(relpath, glob) or fnmatch.fnmatch(relpath, f"*/{glob}"):
            for c in codes:
                out.add(c)
    if not out:
        return out
    return {r.code for r in RULES if any(r.code.startswith(c) for c in out)}


def _suppressed(f: Finding, ms: ModuleSource, noqa: dict[str, "Comments"]) -> bool:
    """`# noqa` or `# noqa: TKL101[, ...]` in a comment on the finding's first line (or the call's
    last line); the file's text is looked at once, when its first finding asks (`noqa.Comments`)."""
    from tokenlint.noqa import Comments

    found = noqa.get(ms.relpath)
    if found is None:
        try:
            found = Comments(ms.read())
        except SourceError:
            found = Comments("")
        noqa[ms.relpath] = found
    return found.suppress(f.code, (f.row, f.end_row))


# ------------------------------------------------------------------ fixing


@dataclass
class FixRun:
    result: RunResult  # the findings that remain after fixing
    files: list["FileFix"]
    originals: dict[Path, bytes]
    fixed: dict[Path, bytes]
    initial: Optional[RunResult] = None  # before any fix: what a file that cannot be written still has


def fix(paths: list[Path], config: Config, unsafe: bool = False, today: Optional[_dt.date] = None,
        rules: Optional[list[type[Rule]]] = None, root: Optional[Path] = None, tree: Optional["Tree"] = None) -> FixRun:
    """Apply fixes (safe; unsafe too when asked) to a fixpoint, in memory. Nothing is written here.
    `tree`: the walk of the root (`tokenlint.tree`), reused by every pass (fixes add no file)."""
    from tokenlint.fixes import FileFix, apply_fixes, check_parses, keep_line_endings
    from tokenlint.layout import fit_long_lines, line_length_for

    overlay: dict[Path, bytes] = {}
    originals: dict[Path, bytes] = {}
    encodings: dict[Path, tuple[str, bool]] = {}
    report: dict[Path, "FileFix"] = {}
    result = initial = analyse(paths, config, rules, root=root, today=today, tree=tree)
    widths: dict[Path, int] = {}  # folder -> the line length its nearest config sets
    for _ in range(MAX_FIX_PASSES):
        assert result.project is not None
        by_rel = {ms.relpath: ms for ms in result.project.by_path.values()}
        todo: dict[str, list] = {}
        for f in result.findings:
            if f.fix is None or (f.fix.applicability == "unsafe" and not unsafe):
                continue
            todo.setdefault(f.path, []).append(f)
        changed = False
        for rel, fs in sorted(todo.items()):
            ms = by_rel.get(rel)
            if ms is None:
                continue
            ff = report.setdefault(ms.path, FileFix(rel, abspath=str(ms.path)))
            if ff.error:
                continue
            if ms.raw is None:
                continue  # never read (it had no finding in this run's files)
            if ms.path not in originals:
                originals[ms.path] = ms.raw
                encodings[ms.path] = (ms.encoding, ms.raw.startswith(b"\xef\xbb\xbf"))
            text = ms.read()  # "\n" line ends whatever the file has (ModuleSource.read)
            new_text, done = apply_fixes(text, [f.fix.edits for f in fs])  # type: ignore[union-attr]
            # a fixed line that outgrows the file's line length is split as black would
            new_text = fit_long_lines(text, new_text, line_length_for(ms.path, result.root, widths))
            n = len(done)
            if n == 0 or new_text == text:
                continue
            new_text = keep_line_endings(decode_source(ms.raw), new_text)
            problem = deep(check_parses, new_text)
            if problem is not None:
                ff.error = problem
                continue
            enc, bom = encodings[ms.path]
            try:
                data = new_text.encode(enc)
            except (UnicodeEncodeError, LookupError):
                ff.error = f"the fixed text cannot be encoded as {enc}"
                continue
            overlay[ms.path] = (b"\xef\xbb\xbf" + data) if bom and not data.startswith(b"\xef\xbb\xbf") else data
            ff.applied += n
            ff.messages += tuple(f"{fs[i].code} {fs[i].fix.message}" for i in done)  # type: ignore[union-attr]
            changed = True
        if not changed:
            break
        result = analyse(paths, config, rules, root=root, today=today, overlay=overlay, tree=tree)
    fixed = {p: b for p, b in overlay.items() if b != originals.get(p)}
    for p, ff in report.items():
        if p in fixed:
            ff.new_text = fixed[p].decode(encodings[p][0], errors="replace")
    return FixRun(result=result, files=[report[p] for p in sorted(report)], originals=originals, fixed=fixed,
                  initial=initial)


def write_fixes(run: FixRun) -> list["FileFix"]:
    """Write fixed files atomically; a file changed on disk since it was read is not overwritten."""
    from tokenlint.fixes import FileFix
    from tokenlint.fsutil import atomic_write_bytes

    by_abs = {Path(ff.abspath): ff for ff in run.files if ff.abspath}
    written = []
    real_written: dict[str, str] = {}  # one file reached by two paths (a symlinked folder) is fixed once
    for path, data in sorted(run.fixed.items()):
        ff = by_abs.get(path) or FileFix(str(path))
        try:
            real = os.path.realpath(path)
            if path.is_symlink():
                ff.error = "a symbolic link: not written through (fix the file it points to)"
            elif real in real_written:
                ff.error = f"the same file as {real_written[real]}, fixed through that path"
            elif read_source_bytes(path) != run.originals[path]:
                ff.error = "changed on disk during the run; not overwritten"
            else:
                atomic_write_bytes(path, data)
                real_written[real] = ff.path
                written.append(ff)
        except FileNotFoundError:
            ff.error = "deleted during the run; not written"
        except OSError as exc:
            ff.error = f"cannot write: {exc.strerror or exc}"
        if ff.error:
            _as_on_disk(run, path)
    return written


def _as_on_disk(run: FixRun, path: Path) -> None:
    """A file left as it was: report the findings it still has, not those fixing would have left."""
    project = run.result.project
    ms = project.by_path.get(path) if project is not None else None
    if ms is None or run.initial is None:
        return
    before = {fr.path: fr for fr in run.initial.files}.get(ms.relpath)
    if before is None:
        return
    run.result.files = [before if fr.path == ms.relpath else fr for fr in run.result.files]
    ms.raw, ms._text, ms._lines = run.originals.get(path, ms.raw), None, None  # noqa: SLF001 - same package


class Session:
    """One project analysed file by file, sharing its module index and resolver (the flake8 plugin:
    flake8 hands over one file at a time, and cross-module resolution must still see the others)."""

    def __init__(self, root: Path, config: Config, today: Optional[_dt.date] = None) -> None:
        self.root = root.absolute()
        self.config = config
        import tokenlint.project

        tokenlint.project.MAX_FILE_SIZE = config.max_file_size  # flake8 runs one project per process
        cat = sdk_catalog(config)
        self.project = build_project(self.root, [], config, cat)
        from tokenlint.resolve.resolver import Resolver

        self.resolver = Resolver(self.project, cat, config.feature_key)
        rules = configured_rules(config)
        ctx = replace(rule_context(config, today), attribution=project_attribution(config, self.project))
        self.run = _Run(self.project, self.resolver, [r() for r in rules], ctx)

    def check_file(self, path: Path) -> list[Finding]:
        ms = self.project.add(path)
        fr = FileResult(ms.relpath)
        self.run.findings = []
        self.run.file(ms.path, fr)
        _place_findings(self.run.findings, {ms.relpath: fr}, self.project, self.config, per_scope=True)
        return fr.findings
