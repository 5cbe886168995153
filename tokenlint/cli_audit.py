"""`tokenlint audit` and `tokenlint inventory compare|merge`.

Exit codes: 0 written, 2 usage error, unwritable output or a bad inventory file (a one-line error
naming the file and the reason).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Optional, TextIO

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _usage_formats() -> list[str]:
    from tokenlint.spend.formats import spend_catalog

    return list(spend_catalog().exports)


class Progress:
    """A spinner with the elapsed time on stderr: only when stderr is a terminal, and only once the
    run has lasted `delay` seconds, so short runs and CI logs stay clean."""

    FRAMES = "|/-\\"

    def __init__(self, label: str, stream: Optional[TextIO] = None, delay: float = 1.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label, self.delay = label, delay
        self.shown = False
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._start = 0.0

    def __enter__(self) -> "Progress":
        isatty = getattr(self.stream, "isatty", None)
        if isatty is not None and isatty():
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def step(self, label: str) -> None:
        self.label = label

    def _spin(self) -> None:
        if self._stop.wait(self.delay):
            return
        i = 0
        while not self._stop.is_set():
            elapsed = time.monotonic() - self._start
            self.stream.write(f"\r{self.FRAMES[i % 4]} tokenlint audit: {self.label} ({elapsed:.0f}s)\x1b[K")
            self.stream.flush()
            self.shown = True
            i += 1
            self._stop.wait(0.1)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@click.command(context_settings=CONTEXT, short_help="Write an audit report (HTML and Markdown) of LLM spend.")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--output", "-o", "out_dir", required=True, type=click.Path(), metavar="DIR",
              help="The folder to write index.html and report.md into (created if missing).")
@click.option("--today", metavar="DATE", help="Date for retirement checks (YYYY-MM-DD), for reproducible reports.")
@click.option("--config", "config_file", type=click.Path(), help="Read [tool.tokenlint] from this file.")
@click.option("--feature-key", metavar="KEY", help="The attribution key looked for in tags (default: feature).")
@click.option("--usage", "-u", multiple=True, type=click.Path(),
              help="A usage or cost export (repeatable): findings show the latest week's dollars at stake, costliest first.")
@click.option("--usage-format", type=click.Choice(_usage_formats()), help="The usage export's format (default: sniffed).")
@click.option("--sort", "sort_by", type=click.Choice(["path", "dollars"]), default=None,
              help="Order of the findings table (default: dollars with --usage, else path).")
def audit(paths, out_dir, today, config_file, feature_key, usage, usage_format, sort_by) -> None:
    """Write an audit report: DIR/index.html (self-contained) and DIR/report.md.

    Every rule on by default runs, whatever `select` says (and a rule off by default when
    `extend-select` turns it on); `# noqa` and per-file-ignores still apply.
    """
    from tokenlint.catalog import load_model_catalog
    from tokenlint.cli import _fail, _load, _parse_today
    from tokenlint.discovery import PathError
    from tokenlint.engine import analyse, sdk_catalog
    from tokenlint.fsutil import atomic_write_text
    from tokenlint.report import audit as ra
    from tokenlint.rules import RULES

    cfg, _, tree = _load(paths, config_file)
    cfg = cfg.with_overrides(feature_key=feature_key)
    day = _parse_today(today)
    if sort_by == "dollars" and not usage:
        _fail("--sort dollars needs --usage FILE (a usage or cost export to price the findings with)")
    out = Path(out_dir)
    try:  # before the analysis: an unwritable folder fails at once
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"{out_dir}: cannot write: {exc.strerror or exc}")
    with Progress("analysing") as progress:
        try:
            rules = [r for r in RULES if r.default_on or any(r.code.startswith(s) or r.name == s
                                                              for s in cfg.extend_select)]
            result = analyse([Path(p) for p in paths], cfg, rules=rules, today=day, unresolved=True, tree=tree)
        except PathError as exc:
            _fail(str(exc))
        stake = {}
        if usage:
            from tokenlint.cli_spend import priced_findings

            progress.step("pricing the findings")
            stake = priced_findings(result, cfg, usage, usage_format, day)[0]  # the feature's spend is no stake
        progress.step("writing the report")
        import datetime as dt

        blocks = ra.audit_blocks(ra.AuditInput(result=result, catalog=load_model_catalog(cfg.model_catalog),
                                               batch=sdk_catalog(cfg).batch, today=day or dt.date.today(),
                                               out_dir=out.absolute(), at_stake=stake,
                                               sort_dollars=sort_by != "path"))
        pages = {"index.html": ra.as_html(blocks), "report.md": ra.as_markdown(blocks)}
        for name, text in pages.items():
            try:
                (out / name).touch()  # a new file gets the umask's mode, kept by the atomic replace
                atomic_write_text(out / name, text)
            except OSError as exc:
                _fail(f"{out / name}: cannot write: {exc.strerror or exc}")
    n = len(result.findings)
    calls = sum(1 for s in result.sites if s.kind != "binding")  # a model binding is no call
    click.echo(f"Wrote {out / 'index.html'} and {out / 'report.md'}: {ra.plural(calls, 'call site')}, "
               f"{ra.plural(n, 'finding')}.", err=True)


def _read(arg: str, name: Optional[str] = None) -> dict:
    from tokenlint.cli import _fail
    from tokenlint.report.audit import InventoryError, read_inventory

    try:
        return read_inventory(Path(arg))
    except InventoryError as exc:
        _fail(f"{arg}: {exc}")
    raise AssertionError  # unreachable: _fail exits


def _split_named(arg: str) -> tuple[Optional[str], str]:
    """`NAME=path.json` -> (NAME, path); a path that exists as written is never split."""
    if "=" in arg and not Path(arg).exists():
        name, _, path = arg.partition("=")
        if name and path:
            return name, path
    return None, arg


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Write to a file instead of stdout.")
def inventory_merge(files, fmt, output) -> None:
    """Merge inventories of many repositories: FILES are `inventory --format json` outputs, each
    `path.json` (named after its root folder) or `NAME=path.json`."""
    from tokenlint.cli import _fail, _write
    from tokenlint.report import audit as ra

    named: list[tuple[str, dict]] = []
    seen: dict[str, str] = {}
    for arg in files:
        name, path = _split_named(arg)
        data = _read(path)
        if isinstance(data.get("repositories"), list):  # an already merged inventory
            names = [r.get("name") if isinstance(r, dict) else None for r in data["repositories"]]
            if not all(isinstance(n, str) and n for n in names):
                _fail(f"{path}: not a tokenlint inventory: a repository has no name")
        else:
            name = name or ra.repository_name(data) or Path(path).stem
            names = [name]
        for n in names:
            if n in seen:
                _fail(f"{path}: repository name '{n}' is already used by {seen[n]}; "
                      f"name it on the command line as NAME={path}")
            seen[n] = path
        named.append((name or "", data))
    _write(ra.MERGE_RENDERERS[fmt](ra.merge(named)), output)


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Write to a file instead of stdout.")
def inventory_compare(files, fmt, output) -> None:
    """Compare two inventories, OLD.json and NEW.json: new and removed call sites, features that
    moved to another model or provider, newly untagged calls. `--format markdown` for a PR comment."""
    from tokenlint.cli import _write
    from tokenlint.report import audit as ra

    if len(files) != 2:
        raise click.UsageError(f"expected two inventory files, OLD.json and NEW.json; got {len(files)}")
    old, new = _read(files[0]), _read(files[1])
    _write(ra.COMPARE_RENDERERS[fmt](ra.compare(old, new)), output)
