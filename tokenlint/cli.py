"""The command line: `tokenlint check`, `tokenlint inventory`, `tokenlint rule`.

Exit codes (as ruff): 0 nothing found, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from tokenlint import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Split(click.ParamType):
    """Comma-separated codes, repeatable: --select TKL101,TKL2 --select TKL3."""

    name = "codes"

    def convert(self, value, param, ctx):  # type: ignore[override]
        if isinstance(value, tuple):
            return value
        return tuple(v.strip().upper() if v.strip()[:3].upper() == "TKL" or v.strip() == "ALL" else v.strip()
                     for v in value.split(",") if v.strip())


CODES = _Split()


def _usage_formats() -> list[str]:
    from tokenlint.cli_audit import _usage_formats as formats

    return formats()


class _UsageFormats(click.Choice):
    """The usage export formats, read from the spend catalog only when click asks (the option is
    given, or help is shown): importing the spend readers for it cost every run 30-40 ms."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self):  # type: ignore[no-untyped-def]
        got = self.__dict__.get("_formats")
        if got is None:
            got = self.__dict__["_formats"] = tuple(_usage_formats())
        return got

    @choices.setter
    def choices(self, value) -> None:  # type: ignore[no-untyped-def]
        pass  # click's own __init__ sets it; the catalog's list is read on first use


# the commands a `check` or `inventory` run never needs, imported when named (click's lazy-loading pattern)
LAZY_COMMANDS = {"audit": ("tokenlint.cli_audit", "audit"), "catalog": ("tokenlint.cli_catalog", "catalog"),
                 "models": ("tokenlint.cli_catalog", "models"), "spend": ("tokenlint.cli_spend", "spend")}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            module, attr = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)


def _fail(message: str) -> None:
    from tokenlint.report.safe import inline

    click.echo(f"tokenlint: error: {inline(message)}", err=True)  # it may quote a path from the checkout
    sys.exit(2)


def _load(paths: tuple[str, ...], config_file: Optional[str], no_cache: bool = True,
          cache_dir: Optional[str] = None, nested: bool = True):  # type: ignore[no-untyped-def]
    """The run's config and project root (`tokenlint.hierarchy`), the cache folder to use (None:
    none; `no_cache` or `cache_dir` from the command line) and the walk of the project root that
    found the nested configs (`tokenlint.tree`, handed to the analysis so the tree is walked once,
    or read from the walk cache); warnings go to stderr. `nested=False`: the root config alone."""
    from tokenlint.config import ConfigError
    from tokenlint.hierarchy import load_root, with_nested

    for p in paths:
        if not Path(p).exists() and not Path(p).is_symlink():
            _fail(f"{p}: no such file or directory")
    tree = None
    try:
        cfg = load_root([Path(p) for p in paths], Path(config_file) if config_file else None)
        root = (cfg.root or Path.cwd()).absolute()
        where, why = (None, None) if no_cache else _cache_dir(root, cache_dir or cfg.cache_dir)
        if nested and root.is_dir():
            from tokenlint.tree import walk_tree

            tree = walk_tree(root, cfg.respect_gitignore, where)
            if config_file is None:
                cfg = with_nested(cfg, tree.configs)
    except ConfigError as exc:
        _fail(str(exc))
    from tokenlint.report.safe import clean

    for note in cfg.notes:
        click.echo(f"tokenlint: warning: {clean(note)}", err=True)
    if why:
        _warn(why)
    return cfg, where, tree


def _warn(message: str) -> None:
    click.echo("tokenlint: warning: " + " ".join(message.split()), err=True)


def _cache_dir(root: Path, value: str) -> tuple[Optional[Path], Optional[str]]:
    """The cache folder to use: inside the project root or the user cache folder (else a one-line
    error), never one git tracks files in (then none, and why)."""
    from tokenlint.cachedir import CacheDirError, locate

    try:
        return locate(root, value)
    except CacheDirError as exc:
        _fail(str(exc))
    return None, None  # _fail exits


def _cache_warnings() -> None:
    """Once per run: cache files that were not this user's tokenlint's, and so were ignored."""
    from tokenlint import seal

    for line in seal.warnings():
        _warn(line)


def _flatten(groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple(c for g in groups for c in g)


def _write(text: str, output: Optional[str]) -> None:
    if output:
        from tokenlint.fsutil import atomic_write_text

        try:
            atomic_write_text(Path(output), text)
        except OSError as exc:
            _fail(f"{output}: cannot write: {exc.strerror or exc}")
    else:
        click.echo(text, nl=False)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="tokenlint")
def main() -> None:
    """Static analysis of the Python code that spends money on LLM APIs."""
    # A one-shot process: syntax trees live until exit, so the cyclic GC would only re-scan them
    # (measured 1.5 s of a 10 s run on a 1,000-file package). The engine keeps it off as well.
    import gc

    gc.disable()


def run() -> None:
    """The process's entry (the `tokenlint` command and `python -m tokenlint`): `main()`, then the
    process ends without freeing what the run built. Python's own exit frees every syntax tree, index
    and memo one object at a time (measured on a 5,000-file corpus: 15% of a serial check's CPU, 3% of
    a check on two workers, whose processes end without it already). The exit handlers still run and
    the output streams are flushed first; the exit status is the one `sys.exit` would give. An
    exception other than SystemExit ends the process as usual."""
    import atexit
    import os

    try:
        main()
        code = None
    except SystemExit as exc:
        code = exc.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as Python prints a non-integer exit code
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - what Python's exit runs before it frees the heap
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's exit reports it as status 120
            status = status or 120
    os._exit(status & 0xFF)  # as the system truncates `sys.exit(code)`


def _jobs(n: int) -> int:
    import os

    return n or os.cpu_count() or 1


def _parse_today(value: Optional[str]):
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"--today: '{value}' is not a date (YYYY-MM-DD)")


CHECK_EPILOG = """\b
Exit codes: 0 nothing to report, 1 findings remain, 2 usage, configuration or internal error
(and, with --strict, no file checked: a warning otherwise).
On a large code base, start with `--statistics`, then accept today's findings with
`--write-baseline FILE` and gate on new ones with `--baseline FILE` (or `per-file-ignores`
in [tool.tokenlint]). Explain a code with `tokenlint rule CODE`."""


@main.command(context_settings=CONTEXT, short_help="Report LLM calls that make spend untraceable or wasteful.",
              epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--select", multiple=True, type=CODES, help="Rule codes or prefixes to enable (replaces the default set).")
@click.option("--extend-select", multiple=True, type=CODES, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, type=CODES, help="Rule codes or prefixes to disable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "gitlab", "junit"]),
              default="text", show_default=True,
              help="text: path:line:col: CODE message; json; sarif (code scanning); github (annotations); "
                   "gitlab (Code Quality); junit.")
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
@click.option("--output", "-o", type=click.Path(), help="Write the report to a file instead of stdout.")
@click.option("--baseline", type=click.Path(), help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(), help="Record today's findings in this file and exit 0.")
@click.option("--diff-base", metavar="REF", help="Report only findings on lines added or changed since `git merge-base REF HEAD`.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule (and how many --fix would fix) instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary line.")
@click.option("--feature-key", metavar="KEY", help="The attribution key looked for in tags (default: feature).")
@click.option("--fix", "do_fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied.")
@click.option("--today", metavar="DATE", help="Date used by date-dependent rules (YYYY-MM-DD), for reproducible runs.")
@click.option("--force-exclude", is_flag=True, help="Apply exclude settings to files named on the command line too.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes (default: the CPU count; 1: no workers).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache (.tokenlint_cache/).")
@click.option("--cache-dir", type=click.Path(),
              help="Where the result cache lives, inside the project root or the user cache folder "
                   "(default: .tokenlint_cache).")
@click.option("--strict", is_flag=True, help="Exit 2 when no file was checked (the paths hold no Python file left in).")
@click.option("--no-prefilter", is_flag=True, hidden=True, help="Parse every file, even those naming no SDK.")
@click.option("--usage", "-u", multiple=True, type=click.Path(),
              help="A usage or cost export (repeatable): each finding shows the latest week's dollars at stake (a rule without a dollar model: its feature's spend, labelled so).")
@click.option("--usage-format", type=_UsageFormats(), help="The usage export's format (default: sniffed).")
@click.option("--sort", "sort_by", type=click.Choice(["path", "dollars"]), default="path", show_default=True,
              help="dollars: the most expensive findings first (needs --usage).")
def check(paths, select, extend_select, ignore, fmt, config_file, output, baseline, write_baseline, diff_base,
          statistics, exit_zero, quiet, feature_key, do_fix, unsafe_fixes, show_diff, show_fixes, today,
          force_exclude, jobs, no_cache, cache_dir, strict, no_prefilter, usage, usage_format, sort_by) -> None:
    """Report LLM call sites that make spend untraceable or wasteful; fix what is safe."""
    from tokenlint.discovery import PathError
    from tokenlint.engine import analyse, fix, write_fixes
    from tokenlint.report import findings as rf
    from tokenlint.report.safe import inline
    from tokenlint.rules import unknown_selectors

    if statistics and fmt != "text":
        _fail(f"--statistics prints a text table; it cannot be written as --format {fmt}")
    if sort_by == "dollars" and not usage:
        _fail("--sort dollars needs --usage FILE (a usage or cost export to price the findings with)")
    # fixing reads and writes no cache
    cfg, where, tree = _load(paths, config_file, no_cache or do_fix or show_diff, cache_dir)
    sel, ext, ign = _flatten(select), _flatten(extend_select), _flatten(ignore)
    bad = unknown_selectors(sel + ext + ign)
    if bad:
        _fail(f"unknown rule selector '{bad[0]}' (see `tokenlint rule --all`)")
    for one in (cfg, *(c for _, c in cfg.nested)):
        for key, codes in (("'select'", one.select), ("'extend-select'", one.extend_select), ("'ignore'", one.ignore),
                           *((f"'per-file-ignores' \"{glob}\"", codes) for glob, codes in one.per_file_ignores)):
            bad = unknown_selectors(codes)
            if bad:
                _fail(f"{one.source or 'pyproject.toml'}: unknown rule selector '{bad[0]}' in {key} of "
                      "[tool.tokenlint] (see `tokenlint rule --all`)")
    from tokenlint.hierarchy import override_rules

    cfg = override_rules(cfg, sel, ext, ign).with_overrides(feature_key=feature_key,
                                                            force_exclude=True if force_exclude else None)
    day = _parse_today(today)
    targets = [Path(p) for p in paths]
    try:
        if do_fix or show_diff:
            run = fix(targets, cfg, unsafe=unsafe_fixes, today=day, tree=tree)
            result = run.result
        else:
            run = None
            result = analyse(targets, cfg, today=day, prefilter=not no_prefilter, jobs=_jobs(jobs),
                             cache_dir=where, tree=tree)
    except PathError as exc:
        _fail(str(exc))
    _cache_warnings()
    from tokenlint.report.where import shown_paths

    shown = shown_paths(result.root)  # each file as the working directory sees it
    for f in result.notices:  # no finding of the user's code: a notice, on stderr
        click.echo(f"tokenlint: notice: {inline(shown(f.path))}: {inline(f.error or '')}", err=True)
    skipped = _nothing_checked(result, targets, cfg, strict) if not result.files else ""
    if run is not None and show_diff:
        diff = _unified_diff(run, shown)
        click.echo(diff, nl=False)
        for ff in run.files:
            if ff.error:
                click.echo(f"{inline(shown(ff.path))}: fix not applied: {inline(ff.error)}", err=True)
        if not diff:  # say why nothing is shown
            more = 0 if unsafe_fixes else sum(1 for f in result.findings if f.fix is not None)
            click.echo("No fixes to show" + (f": {more} unsafe fix{'es' if more != 1 else ''} "
                                             "shown with --diff --unsafe-fixes." if more else "."), err=True)
        sys.exit(1 if diff else 0)
    fixed_count = 0
    if run is not None:
        written = write_fixes(run)
        fixed_count = sum(ff.applied for ff in written)
        for ff in run.files:
            if ff.error:
                click.echo(f"{inline(shown(ff.path))}: fix not applied: {inline(ff.error)}", err=True)
        if show_fixes and written:
            click.echo("Fixed:", err=True)
            for ff in written:
                for m in ff.messages:
                    click.echo(f"  {inline(shown(ff.path))}: {inline(m)}", err=True)
    findings = _gate(result.findings, result, baseline, write_baseline, diff_base)
    hidden_by = " or ".join(w for w, on in (("on lines unchanged since " + str(diff_base), diff_base),
                                             ("in the baseline", baseline)) if on)
    if write_baseline:
        click.echo(f"Wrote {len(findings)} finding{'s' if len(findings) != 1 else ''} to {write_baseline}.", err=True)
        sys.exit(0)
    if usage and not write_baseline:
        findings = _priced(findings, result, cfg, usage, usage_format, day, sort_by)
    from dataclasses import replace

    from tokenlint.report import ci

    if statistics:
        _write(ci.statistics(findings), output)
    elif fmt == "json":
        _write(rf.as_json(findings, no_sink=not result.attribution.sinks), output)
    elif fmt == "sarif":
        _write(ci.sarif(findings, result.lines_of, shown=shown, no_sink=not result.attribution.sinks), output)
    elif fmt == "github":
        _write(ci.github([replace(f, path=shown(f.path)) for f in findings]), output)
    elif fmt == "gitlab":
        _write(ci.gitlab(findings, result.lines_of, shown=shown), output)
    elif fmt == "junit":
        _write(ci.junit([replace(f, path=shown(f.path)) for f in findings], [shown(f.path) for f in result.files]),
               output)
    else:
        report = rf.text([replace(f, path=shown(f.path)) for f in findings], unsafe=unsafe_fixes)
        if not quiet:
            too_large = sum(1 for f in result.files if (f.error or "").startswith("file too large"))
            report += rf.summary(findings, len(result.files), fixed=fixed_count, unsafe=unsafe_fixes,
                                 hidden_by=hidden_by, hidden=len(result.findings) - len(findings),
                                 skipped=skipped, too_large=too_large,
                                 no_sink=not result.attribution.sinks) + "\n"
        _write(report, output)
    if strict and not result.files:
        sys.exit(2)
    sys.exit(1 if findings and not exit_zero else 0)


def _nothing_checked(result, targets, cfg, strict: bool) -> str:  # type: ignore[no-untyped-def]
    """Warn (on stderr, whatever the format) that a run checked no file, and say why: a gate that
    checks nothing must not pass unnoticed. The reasons, for the text summary."""
    from tokenlint.discovery import why_skipped

    counts = why_skipped(targets or [Path(".")], result.root, cfg.exclude + cfg.extend_exclude,
                         cfg.respect_gitignore, cfg.force_exclude)
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    why = why or "no Python files found"
    click.echo(f"tokenlint: warning: 0 files checked ({why})" + ("" if strict else "; --strict makes this exit 2"),
               err=True)
    return why


def _gate(findings, result, baseline, write_baseline, diff_base):  # type: ignore[no-untyped-def]
    """Apply --diff-base and --baseline (or record a baseline); one-line errors, exit 2."""
    from tokenlint.gate import GateError, changed_lines, only_changed, read_baseline, subtract_baseline, write_baseline as wb

    try:
        if diff_base:
            findings = only_changed(findings, changed_lines(diff_base, result.root))
        if write_baseline:
            if baseline and Path(baseline).resolve() == Path(write_baseline).resolve():
                _fail("--baseline and --write-baseline name the same file")
            wb(Path(write_baseline), findings, result.lines_of)
            return findings
        if baseline:
            findings = subtract_baseline(findings, read_baseline(Path(baseline)), result.lines_of)
    except GateError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{write_baseline}: cannot write baseline: {exc.strerror or exc}")
    return findings


def _priced(findings, result, cfg, usage, usage_format, day, sort_by):  # type: ignore[no-untyped-def]
    """Each finding with the latest week's dollars at stake in its message (what it can save or puts at
    risk) or, for a rule without a dollar model, its feature's weekly spend labelled as such; on request
    the costliest at stake first, then those by their feature's spend."""
    from dataclasses import replace

    from tokenlint.cli_spend import priced_findings
    from tokenlint.report.audit import dollars

    stake, touched = priced_findings(result, cfg, usage, usage_format, day)
    out = []
    for f in findings:
        key = (f.path, f.row, f.code)
        if stake.get(key):
            out.append(replace(f, message=f"{f.message} [{dollars(stake[key])}/week at stake]"))
        elif touched.get(key):
            out.append(replace(f, message=f"{f.message} [feature spend {dollars(touched[key])}/week]"))
        else:
            out.append(f)
    if sort_by == "dollars":  # stable: path order among equals
        out.sort(key=lambda f: (-(stake.get((f.path, f.row, f.code)) or 0), -(touched.get((f.path, f.row, f.code)) or 0)))
    return out


def _unified_diff(run, shown=None) -> str:  # type: ignore[no-untyped-def]
    import difflib

    out = []
    for path, data in sorted(run.fixed.items()):
        ff = next((f for f in run.files if f.abspath == str(path)), None)
        name = (shown(ff.path) if shown else ff.path) if ff else str(path)
        old = run.originals[path].decode("utf-8", errors="replace").splitlines(keepends=True)
        new = data.decode("utf-8", errors="replace").splitlines(keepends=True)
        out.extend(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in out)


@main.command(context_settings={**CONTEXT, "help_option_names": []},
              short_help="List every LLM call site: feature, provider, API, model.")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
              show_default=True, help="text and markdown for people (a legend at the end), json and csv for "
                                      "programs (json is what `merge` and `compare` read).")
@click.option("--output", "-o", type=click.Path(), help="Write the inventory to a file instead of stdout.")
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
@click.option("--feature-key", metavar="KEY", help="The attribution key looked for in tags (default: feature).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes (default: the CPU count; 1: no workers).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache (.tokenlint_cache/).")
@click.option("--features", "names", is_flag=True,
              help="List the feature name TKL101's fix would write in each function, and why, for review.")
@click.option("--unresolved", "unresolved_only", is_flag=True,
              help="List only the places that look like LLM requests but were not resolved into call sites.")
@click.option("--help", "-h", "show_help", is_flag=True, help="Show this message and exit.")
def inventory(paths, show_help, fmt, output, config_file, feature_key, jobs, no_cache, names, unresolved_only) -> None:
    """List every LLM call site: feature, provider, API, model, for an audit.

    Also `tokenlint inventory merge A.json B.json ...` (many repositories into one) and
    `tokenlint inventory compare OLD.json NEW.json` (what a change did to the inventory).
    """
    if paths and paths[0] in ("merge", "compare") and not Path(paths[0]).exists():
        from tokenlint import cli_audit

        sub = cli_audit.inventory_merge if paths[0] == "merge" else cli_audit.inventory_compare
        args = list(paths[1:]) + ["--format", fmt] + (["--output", output] if output else [])
        sub.main(args=["--help"] if show_help else args, prog_name=f"tokenlint inventory {paths[0]}",
                 standalone_mode=True)
        return
    if show_help:  # not eager, so that `inventory compare --help` reaches compare
        ctx = click.get_current_context()
        click.echo(ctx.get_help())
        ctx.exit(0)
    from tokenlint.discovery import PathError
    from tokenlint.engine import analyse
    from tokenlint.report import inventory as inv

    cfg, where, tree = _load(paths, config_file, no_cache)
    cfg = cfg.with_overrides(feature_key=feature_key)
    try:
        result = analyse([Path(p) for p in paths], cfg, rules=[], jobs=_jobs(jobs),
                         cache_dir=where, unresolved=True, tree=tree)
    except PathError as exc:
        _fail(str(exc))
    _cache_warnings()
    errors = [f for f in result.files if f.error]
    from tokenlint.report import findings as rf

    click.echo(rf.text(x for f in errors for x in f.findings), err=True, nl=False)
    if names:
        rows = inv.feature_names(result.sites, cfg.features)
        _write(inv.as_json({"feature_names": rows}) if fmt == "json" else inv.features_as_text(rows), output)
        return
    data = inv.build(result.sites, result.root, len(result.files), len(errors), result.attribution, result.unresolved)
    if unresolved_only:
        data = inv.only_unresolved(data)
    _write(inv.RENDERERS[fmt](data), output)


@main.command(context_settings=CONTEXT, short_help="Explain a rule, or list them all.")
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
def rule(code, show_all) -> None:
    """Explain a rule (by code or name), or list them all."""
    from tokenlint.docs import render_rule
    from tokenlint.rules import BY_CODE, BY_NAME, RULES

    if show_all or not code:
        click.echo(f"{'code':<7} {'name':<32} {'fix':<12} default")
        for r in RULES:
            fix = r.fix_safety or "-"
            click.echo(f"{r.code}  {r.name:<32} {fix:<12} {'on' if r.default_on else 'off'}")
        return
    r = BY_CODE.get(code.upper()) or BY_NAME.get(code)
    if r is None:
        _fail(f"unknown rule '{code}' (see `tokenlint rule --all`)")
    click.echo(render_rule(r), nl=False)


@main.command(context_settings=CONTEXT, short_help="Remove the result cache (.tokenlint_cache/).")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
@click.option("--cache-dir", type=click.Path(), help="The cache to remove (default: the configured one).")
def clean(paths, config_file, cache_dir) -> None:
    """Remove the result cache (.tokenlint_cache/ at the project root).

    The cache keeps an entry per analysed version of a file, so it grows as code changes; removing
    it only makes the next run a cold one. Only a folder tokenlint marked as its cache, inside the
    project root or the user cache folder, not a symbolic link and not tracked by git, is removed."""
    import shutil

    from tokenlint.cachedir import CacheDirError, removable, shown

    cfg = _load(paths, config_file, nested=False)[0]
    root = (cfg.root or Path.cwd()).absolute()
    value = cache_dir or cfg.cache_dir
    try:
        target = removable(root, value)
    except CacheDirError as exc:
        _fail(str(exc))
    if target is None:
        click.echo(f"no cache at {shown(str(Path(value) if Path(value).is_absolute() else root / value))}")
        return
    try:
        shutil.rmtree(target)
    except OSError as exc:
        _fail(f"{shown(str(target))}: cannot remove: {exc.strerror or exc}")
    click.echo(f"removed {shown(str(target))}")

