"""The result cache: a warm run reports exactly what a cold one does, and any change that can
alter a file's result (the file, a module it imports, the config, the date) misses the cache."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokenlint import seal
from tokenlint.config import load_config
from tokenlint.engine import analyse
from tokenlint.replay import FORMAT as RUN_FORMAT

RUNS = f"runs-v{RUN_FORMAT}"  # the run records' folder

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo_app"
TODAY = dt.date(2026, 11, 29)


def facts(result):
    return ([(f.path, f.row, f.column, f.code, f.message, f.fix.as_dict() if f.fix else None) for f in result.findings],
            [s.as_dict() for s in result.sites])


def run(root: Path, cache: Path, today=TODAY, jobs=1):
    return analyse([root], load_config(start=root), root=root, today=today, cache_dir=cache, jobs=jobs)


def test_warm_run_equals_cold_run(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    cold = run(app, cache)
    assert list(cache.rglob("*.json"))
    warm = run(app, cache)
    assert facts(warm) == facts(cold)
    assert facts(run(app, None)) == facts(cold)
    # the cache marks itself as ignored by git
    assert (cache / ".gitignore").read_text().strip().endswith("*")


def test_cache_files_larger_than_the_source_size_cap_are_read(tmp_path, monkeypatch):
    """max-file-size caps the sources tokenlint analyses, not its own cache files: a run record of a
    large project outgrows the cap and must still replay (it was refused as forged, every run)."""
    import tokenlint.engine as engine

    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cfg = app / "pyproject.toml"
    cfg.write_text(cfg.read_text().replace("[tool.tokenlint]\n", "[tool.tokenlint]\nmax-file-size = 8000\n", 1))
    cache = tmp_path / "cache"
    cold = run(app, cache)
    seal.warnings()
    assert max(p.stat().st_size for p in cache.rglob("*.json")) > 8000  # some cache file is over the cap
    analysed = []
    monkeypatch.setattr(engine, "_prefiltered", lambda *a, **k: analysed.append(a))
    warm = run(app, cache)
    assert seal.warnings() == []
    assert not analysed  # replayed: nothing analysed again
    assert facts(warm) == facts(cold)


def test_editing_an_imported_module_invalidates_its_importers(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    before = run(app, cache)
    triage = [s for s in before.sites if s.path == "helpdesk/triage.py" and s.kind == "wrapper"]
    assert triage and triage[0].feature == "ticket-triage"
    # the wrapper in helpdesk/llm.py stops forwarding its feature parameter
    llm = app / "helpdesk" / "llm.py"
    text = llm.read_text(encoding="utf-8")
    assert 'extra_headers={"Helicone-Property-Feature": feature}' in text
    llm.write_text(text.replace('extra_headers={"Helicone-Property-Feature": feature}', 'extra_headers={"Helicone-Property-Feature": "shared"}'), encoding="utf-8")
    after = run(app, cache)
    triage = [s for s in after.sites if s.path == "helpdesk/triage.py" and s.kind == "wrapper"]
    assert triage and triage[0].feature == "shared"
    assert facts(after) == facts(run(app, None))


def test_date_and_config_are_part_of_the_key(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    run(app, cache)
    later = run(app, cache, today=dt.date(2027, 6, 1))
    assert facts(later) == facts(run(app, None, today=dt.date(2027, 6, 1)))
    (app / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\n', encoding="utf-8")
    only = run(app, cache)
    assert {f.code for f in only.findings} == {"TKL101"}


def test_corrupt_or_foreign_entries_are_misses(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    cold = run(app, cache)
    shutil.rmtree(cache / RUNS)  # else the whole run is replayed and entries are never read
    entries = sorted((cache / "v2").rglob("*.json"))

    def sign(path: Path, body: bytes) -> None:  # as this user's tokenlint would: the MAC verifies
        path.write_bytes(seal.signed(path.relative_to(cache).as_posix(), body))

    sign(entries[0], b"{not json")
    sign(entries[1], json.dumps({"key": "someone else's", "sites": []}).encode())
    doc = json.loads(entries[2].read_bytes().partition(b"\n")[2])
    doc["sites"] = [{"unexpected": True}]
    sign(entries[2], json.dumps(doc).encode())
    assert facts(run(app, cache)) == facts(cold)
    assert seal.warnings() == []  # sealed, so not forged: only of another shape


def test_concurrent_runs_share_a_cache_safely(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    # a user cache folder with no key yet: the three first runs race to create it, and must agree
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    cmd = [sys.executable, "-m", "tokenlint", "check", "-q", "--exit-zero", "--today", "2026-11-29",
           "--cache-dir", str(tmp_path / "xdg" / "tokenlint" / "demo"), "."]
    procs = [subprocess.Popen(cmd, cwd=str(app), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert len({o for o, _ in outs}) == 1 and outs[0][0].count("TKL") > 10
    assert [p.name for p in (tmp_path / "xdg" / "tokenlint").iterdir() if p.is_file()] == ["key"]
    warm = subprocess.run(cmd, cwd=str(app), capture_output=True, text=True, timeout=300, env=env)
    assert (warm.stdout, warm.stderr) == (outs[0][0], "")  # every file verified: one key


# ------------------------------------------------------------------ whole-run replay


def replayed(monkeypatch, root: Path, cache: Path, **kw):
    """A run that must come from the run record: discovery, loading the catalogs for the rules and
    parsing would fail."""
    import tokenlint.engine as engine

    def no(*a, **k):
        raise AssertionError("the run was not replayed")

    with monkeypatch.context() as m:
        m.setattr(engine, "discover", no)
        m.setattr(engine, "rule_context", no)
        m.setattr(engine, "_Batch", no)
        return run(root, cache, **kw)


def test_unchanged_tree_is_replayed_without_reading_files(tmp_path, monkeypatch):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    cold = run(app, cache)
    warm = replayed(monkeypatch, app, cache)
    assert facts(warm) == facts(cold)
    assert [f.path for f in warm.files] == [f.path for f in cold.files]
    assert [f.abspath for f in warm.findings] == [f.abspath for f in cold.findings]
    # fingerprints need the lines of files with findings
    rel = cold.findings[0].path
    assert warm.lines_of(rel) == cold.lines_of(rel) and warm.lines_of(rel)
    # another date, other paths or other rules are other runs
    with pytest.raises(AssertionError, match="not replayed"):
        replayed(monkeypatch, app, cache, today=dt.date(2027, 1, 1))


def _changes(app: Path):
    llm = app / "helpdesk" / "llm.py"
    yield "edit", lambda: llm.write_text(llm.read_text(encoding="utf-8").replace(
        'extra_headers={"Helicone-Property-Feature": feature}', 'extra_headers={"Helicone-Property-Feature": "shared"}'), encoding="utf-8")
    yield "new file", lambda: (app / "helpdesk" / "extra.py").write_text(
        "import openai\nopenai.OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n", encoding="utf-8")
    yield "deleted file", lambda: next(p for p in sorted(app.rglob("*.py")) if "anthropic" in p.read_text()).unlink()
    yield "gitignore", lambda: (app / ".gitignore").write_text("helpdesk/\n", encoding="utf-8")
    yield "nested gitignore", lambda: (app / "helpdesk" / ".gitignore").write_text("triage.py\n", encoding="utf-8")


@pytest.mark.parametrize("racy", [True, False], ids=["by-content", "by-stat"])
@pytest.mark.parametrize("change", [name for name, _ in _changes(Path("x"))])
def test_any_change_to_what_the_run_saw_is_not_replayed(tmp_path, monkeypatch, change, racy):
    import tokenlint.replay

    if not racy:  # trust stats alone, as for files older than a few seconds
        monkeypatch.setattr(tokenlint.replay, "RACY_NS", 0)
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    (app / ".git").mkdir()  # .gitignore files apply
    cache = tmp_path / "cache"
    cold = run(app, cache)
    dict(_changes(app))[change]()
    after = run(app, cache)
    fresh = run(app, None)
    assert facts(after) == facts(fresh)
    assert facts(after) != facts(cold)


def test_a_same_size_edit_in_the_same_clock_tick_is_caught_by_content(tmp_path, monkeypatch):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    llm = app / "helpdesk" / "llm.py"
    cold = run(app, cache)
    st = llm.stat()
    text = llm.read_text(encoding="utf-8")
    edited = text.replace('extra_headers={"Helicone-Property-Feature": feature}', 'extra_headers={"Helicone-Property-Feature": "sharedx"}'[:len('extra_headers={"Helicone-Property-Feature": feature}')])
    assert len(edited) == len(text) and edited != text
    llm.write_text(edited, encoding="utf-8")
    os.utime(llm, ns=(st.st_atime_ns, st.st_mtime_ns))  # as if the edit landed in the same tick
    assert llm.stat().st_size == st.st_size and llm.stat().st_mtime_ns == st.st_mtime_ns
    after = run(app, cache)
    assert facts(after) == facts(run(app, None))
    assert facts(after) != facts(cold)


def test_corrupt_or_foreign_run_records_are_ignored(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    cold = run(app, cache)
    records = sorted(p for p in (cache / RUNS).rglob("*.json")
                     if p.parent.name != "walks" and not p.name.endswith(".state.json"))
    assert len(records) == 1
    digest, _, body = records[0].read_bytes().partition(b"\n")
    doc = json.loads(body)

    rel = records[0].relative_to(cache).as_posix()

    def signed(d) -> bytes:
        return seal.signed(rel, json.dumps(d).encode())

    for broken in (b"", b"{not json", digest + b"\n" + body[:-10], b"0" * 64 + b"\n" + body,
                   signed([1, 2]), signed({**doc, "key": "other"}), signed({**doc, "format": 0}),
                   signed({**doc, "results": {"x.py": {"sites": [{"bad": 1}]}, **doc["results"]}}),
                   signed({**doc, "results": {k: {**v, "sites": [{"bad": 1}]} for k, v in doc["results"].items()}}),
                   signed({**doc, "files": {**doc["files"], "/nonexistent/x.py": [1, 2, 3, 4]}}),
                   signed({**doc, "results": list(doc["results"])}), signed({**doc, "order": None})):
        records[0].write_bytes(broken)
        assert facts(run(app, cache)) == facts(cold)
    # the list of files, kept apart: a broken one is walked again, one listing a file that is not
    # there any more is ignored
    walks = sorted((cache / RUNS / "walks").glob("*.json"))
    assert len(walks) == 1
    digest, _, body = walks[0].read_bytes().partition(b"\n")
    doc = json.loads(body)
    rel = walks[0].relative_to(cache).as_posix()
    (app / "helpdesk" / "new.py").write_text("import anthropic\nanthropic.Anthropic().messages.create(model='m', "
                                             "max_tokens=1, messages=[])\n", encoding="utf-8")
    fresh = facts(run(app, None))
    for i, broken in enumerate((b"", digest + b"\n" + body[:-3], signed({**doc, "files": doc["files"][:1]}),
                                signed({**doc, "folders": {}, "files": doc["files"][:1]}))):
        walks[0].write_bytes(broken)
        shutil.rmtree(cache / RUNS / records[0].parent.name)
        assert facts(run(app, cache)) == fresh, i


def test_named_file_runs_are_not_recorded_but_reuse_the_walk(tmp_path, monkeypatch):
    """pre-commit names the changed files, a different list each time: no run record each (the
    cache would fill up), but the walk of the project (the context for imports) is reused."""
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    cfg = load_config(start=app)
    one = app / "helpdesk" / "triage.py"
    first = analyse([one], cfg, root=app, today=TODAY, cache_dir=cache)
    assert not [p for p in (cache / RUNS).rglob("*.json") if p.parent.name != "walks"]
    import tokenlint.engine as engine
    import tokenlint.tree as tree

    real = engine.discover

    def files_only(paths, *a, **k):
        assert not any(p.is_dir() for p in paths), "walked a folder"
        return real(paths, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(engine, "discover", files_only)
        m.setattr(tree, "discover", files_only)
        again = analyse([one], cfg, root=app, today=TODAY, cache_dir=cache)
    assert facts(again) == facts(first) and {f.path for f in again.files} == {"helpdesk/triage.py"}
    # the module it imports changed: its wrapper sites change with it
    llm = app / "helpdesk" / "llm.py"
    llm.write_text(llm.read_text(encoding="utf-8").replace('extra_headers={"Helicone-Property-Feature": feature}',
                                                           'extra_headers={"Helicone-Property-Feature": "shared"}'), encoding="utf-8")
    after = analyse([one], cfg, root=app, today=TODAY, cache_dir=cache)
    assert facts(after) == facts(analyse([one], cfg, root=app, today=TODAY))
    assert facts(after) != facts(first)


def test_the_walk_is_reused_while_no_folder_changes(tmp_path, monkeypatch):
    """Editing a file in place keeps the list of files (the walk) but not the results; adding a
    file in a folder is seen."""
    import tokenlint.engine as engine

    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    run(app, cache)
    llm = app / "helpdesk" / "llm.py"
    llm.write_text(llm.read_text(encoding="utf-8").replace('extra_headers={"Helicone-Property-Feature": feature}',
                                                           'extra_headers={"Helicone-Property-Feature": "shared"}'), encoding="utf-8")
    import tokenlint.tree as tree

    with monkeypatch.context() as m:
        for where in (engine, tree):
            m.setattr(where, "discover", lambda *a, **k: (_ for _ in ()).throw(AssertionError("walked")))
        edited = run(app, cache)
    assert facts(edited) == facts(run(app, None))
    (app / "helpdesk" / "extra.py").write_text("import openai\nopenai.OpenAI().embeddings.create(model='x', input='y')\n",
                                               encoding="utf-8")
    added = run(app, cache)
    assert "helpdesk/extra.py" in {s.path for s in added.sites}
    assert facts(added) == facts(run(app, None))


# ------------------------------------------------------------------ the walk through the command line

NESTED_IGNORE = '[tool.tokenlint]\nignore = ["TKL"]\n'


def _cli_check(app: Path, cache: Path):
    """`tokenlint check` in `app` with its cache in `cache`: the reported lines and the findings' files."""
    from click.testing import CliRunner

    from tokenlint.cli import main

    r = CliRunner().invoke(main, ["check", "--today", TODAY.isoformat(), "--cache-dir", str(cache), "-q", "."])
    assert r.exit_code in (0, 1), r.output
    lines = sorted(line for line in r.stdout.splitlines() if " TKL" in line)
    return lines, {line.split(":")[0] for line in lines}


def _trust_stats(monkeypatch, racy: bool) -> None:
    """`racy=False`: files and folders changed a moment ago are judged by their stats alone, as
    those older than a few seconds are (else a test's fresh files are never cached)."""
    import tokenlint.replay

    if not racy:
        monkeypatch.setattr(tokenlint.replay, "RACY_NS", 0)


@pytest.mark.parametrize("racy", [True, False], ids=["by-content", "by-stat"])
def test_a_nested_config_added_or_removed_between_cached_runs_is_seen(tmp_path, monkeypatch, racy):
    """The nested configs come from the walk the cache keeps: a pyproject.toml added to a folder
    changes that folder, so the next run walks again and applies it; removed, it stops applying."""
    _trust_stats(monkeypatch, racy)
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = app / ".tokenlint_cache"
    monkeypatch.chdir(app)
    lines, files = _cli_check(app, cache)
    assert "scripts/backfill_summaries.py" in files
    nested = app / "scripts" / "pyproject.toml"
    nested.write_text(NESTED_IGNORE, encoding="utf-8")
    _, added = _cli_check(app, cache)
    assert added == files - {"scripts/backfill_summaries.py"}
    nested.unlink()
    assert _cli_check(app, cache) == (lines, files)
    # in a new folder, below one that exists
    (app / "helpdesk" / "inner").mkdir()
    (app / "helpdesk" / "inner" / "pyproject.toml").write_text(NESTED_IGNORE, encoding="utf-8")
    (app / "helpdesk" / "inner" / "extra.py").write_text(
        "import openai\nopenai.OpenAI().embeddings.create(model='x', input='y')\n", encoding="utf-8")
    assert _cli_check(app, cache) == (lines, files)


def test_a_cached_run_finds_the_nested_configs_without_walking(tmp_path, monkeypatch):
    """A warm run takes the nested configs, as the files, from the walk cache (the tree is walked
    once per change, not twice per run), and reports what a run without the cache reports."""
    import tokenlint.tree as tree

    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    (app / "scripts" / "pyproject.toml").write_text(NESTED_IGNORE, encoding="utf-8")
    cache = app / ".tokenlint_cache"
    monkeypatch.chdir(app)
    _trust_stats(monkeypatch, False)  # the walk of files made a moment ago is kept
    first = _cli_check(app, cache)
    assert "scripts/backfill_summaries.py" not in first[1] and first[1]
    walks = []
    real = tree.discover
    monkeypatch.setattr(tree, "discover", lambda *a, **k: walks.append(a) or real(*a, **k))
    helpdesk = app / "helpdesk" / "llm.py"  # edited in place: no folder changes, results do
    helpdesk.write_text(helpdesk.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _cli_check(app, cache) == first
    assert walks == []
    from click.testing import CliRunner

    from tokenlint.cli import main

    cold = CliRunner().invoke(main, ["check", "--today", TODAY.isoformat(), "--no-cache", "-q", "."])
    assert sorted(line for line in cold.stdout.splitlines() if " TKL" in line) == first[0]
    assert len(walks) == 1  # --no-cache: one walk finds both the files and the nested configs


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


GENERATED = "import openai\nopenai.OpenAI().embeddings.create(model='x', input='y')\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("racy", [True, False], ids=["by-content", "by-stat"])
def test_git_ignore_changes_between_cached_runs_are_seen(tmp_path, monkeypatch, racy):
    """What git ignores decides what is walked: a .gitignore edited between two cached runs, and a
    git-ignored file that becomes tracked (`git add -f`), change the files checked at the next run."""
    _trust_stats(monkeypatch, racy)
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    (app / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (app / "generated").mkdir()
    (app / "generated" / "client.py").write_text(GENERATED, encoding="utf-8")
    (app / "generated" / "other.py").write_text(GENERATED, encoding="utf-8")
    _git(app, "init", "-q")
    _git(app, "add", "-A")
    _git(app, "commit", "-q", "-m", "tree")
    cache = app / ".tokenlint_cache"
    monkeypatch.chdir(app)
    lines, files = _cli_check(app, cache)
    assert not {f for f in files if f.startswith("generated/")}
    assert _cli_check(app, cache) == (lines, files)  # replayed
    _git(app, "add", "-f", "generated/client.py")  # tracked now: analysed, though ignored
    _, tracked = _cli_check(app, cache)
    assert {f for f in tracked if f.startswith("generated/")} == {"generated/client.py"}
    (app / ".gitignore").write_text("", encoding="utf-8")  # nothing ignored any more
    _, unignored = _cli_check(app, cache)
    assert {f for f in unignored if f.startswith("generated/")} == {"generated/client.py", "generated/other.py"}
    (app / ".gitignore").write_text("generated/\n", encoding="utf-8")
    _git(app, "rm", "-q", "--cached", "generated/client.py")
    assert _cli_check(app, cache) == (lines, files)


# ------------------------------------------------------------------ incremental runs

# Edits a developer makes between two runs, each undone again later in a sequence.
EDITS = [
    ("helpdesk/llm.py", 'extra_headers={"Helicone-Property-Feature": feature}', 'extra_headers={"Helicone-Property-Feature": "shared"}'),  # wrapper stops forwarding
    ("helpdesk/config.py", '"claude-sonnet-5"', '"claude-3-5-sonnet-latest"'),  # a constant other modules import
    ("helpdesk/config.py", '"gemini-3.8-flash"', '"gemini-1.5-flash"'),
    ("helpdesk/notify.py", "\n", "\nimport openai\nopenai.OpenAI().chat.completions.create(model='gpt-4o', messages=[])\n"),
    ("helpdesk/replies.py", "\n", "\n# a comment\n"),  # changes nothing found
    ("helpdesk/search.py", "genai_client", "genai_klient"),  # sites disappear
    ("helpdesk/triage.py", "from helpdesk.llm import complete, openai_client", "complete = openai_client = None"),
    ("helpdesk/__init__.py", "", "# package\n"),  # a package: always a full run
    ("scripts/backfill_summaries.py", "for ", "for_ = 1\nfor "),
    # a module without LLM calls becomes a wrapper: its importers start to matter
    ("helpdesk/models.py", None, "\nimport openai\n\n\ndef ask(q, feature):\n    return openai.OpenAI().chat.completions"
     ".create(model='gpt-4o', messages=[{'role': 'user', 'content': q}], metadata={'feature': feature})\n"),
    ("helpdesk/notify.py", "from helpdesk.models import NotificationLog, Ticket",
     "from helpdesk.models import NotificationLog, Ticket, ask\n\nask('hi', feature='sms')"),
    # jobs.py (added by the test) names no SDK: only importing a module that matters makes it a candidate
    ("helpdesk/jobs.py", "import Ticket", "import Ticket, ask"),
    ("helpdesk/jobs.py", "return t", "return ask(str(t), feature='jobs')"),
]
JOBS = "from helpdesk.models import Ticket\n\n\ndef run(t: Ticket):\n    return t\n"


def _demo(base: Path) -> Path:
    app = base / "demo"
    shutil.copytree(DEMO, app)
    (app / "helpdesk" / "jobs.py").write_text(JOBS, encoding="utf-8")
    return app


def _apply(app: Path, edit, on: bool) -> None:
    rel, old, new = edit
    p = app / rel
    text = p.read_text(encoding="utf-8")
    if old is None:
        p.write_text(text + new if on else text[:-len(new)], encoding="utf-8")
    elif on:
        p.write_text(new + text if old == "" else text.replace(old, new, 1), encoding="utf-8")
    else:
        p.write_text(text[len(new):] if old == "" else text.replace(new, old, 1), encoding="utf-8")


@given(st.lists(st.integers(0, len(EDITS) - 1), min_size=1, max_size=6))
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_incremental_runs_equal_full_runs(tmp_path_factory, steps):
    """Toggle edits one after the other; after each, the cached run (incremental when it can be)
    reports exactly what a run without cache does."""
    import tokenlint.engine as engine

    base = tmp_path_factory.mktemp("inc")
    app = _demo(base)
    cache = base / "cache"
    run(app, cache)
    state = [False] * len(EDITS)
    verdicts = []
    real = engine._incremental

    def spy(*a, **k):
        verdicts.append(real(*a, **k))
        return verdicts[-1]

    engine._incremental = spy
    try:
        for i in steps:
            state[i] = not state[i]
            _apply(app, EDITS[i], state[i])
            assert facts(run(app, cache)) == facts(run(app, None)), [EDITS[j][0] for j in steps]
    finally:
        engine._incremental = real
    INCREMENTAL_VERDICTS.extend(verdicts)


INCREMENTAL_VERDICTS: list[bool] = []


def test_a_module_that_becomes_a_wrapper_makes_its_importers_candidates(tmp_path):
    app = _demo(tmp_path)
    cache = tmp_path / "cache"
    run(app, cache)
    jobs = [e for e in EDITS if e[0] == "helpdesk/jobs.py"]
    models = next(e for e in EDITS if e[0] == "helpdesk/models.py")
    for edit in jobs:  # jobs.py calls ask(), which does not exist yet: nothing to find
        _apply(app, edit, True)
        assert facts(run(app, cache)) == facts(run(app, None))
    _apply(app, models, True)  # now it does, and it forwards the feature
    after = run(app, cache)
    assert any(s.path == "helpdesk/jobs.py" and s.kind == "wrapper" for s in after.sites)
    assert facts(after) == facts(run(app, None))


def test_incremental_runs_were_exercised_both_ways():
    """The property above must have seen edits taken incrementally and edits that needed a full run."""
    if not INCREMENTAL_VERDICTS:
        pytest.skip("run with test_incremental_runs_equal_full_runs")
    assert True in INCREMENTAL_VERDICTS and False in INCREMENTAL_VERDICTS


def test_catalogs_are_kept_parsed_in_the_cache(tmp_path, monkeypatch):
    """The TOML catalogs are parsed once; later runs load the parsed form, keyed by the TOML's bytes."""
    import tomllib

    from tokenlint import catalog

    cache = tmp_path / "cache"
    custom = tmp_path / "models.toml"
    custom.write_text('[[model]]\nid = "house-model"\nprovider = "openai"\nkind = "alias"\n'
                      'source = "test"\nchecked = "2026-11-29"\n', encoding="utf-8")
    catalog.COMPILED_DIR = cache
    compiled = cache / f"catalog-v{catalog.COMPILED_FORMAT}"
    try:
        first = catalog.load_toml(custom)
        assert len(list(compiled.glob("*.json"))) == 1

        def no_toml(*a, **k):
            raise AssertionError("parsed the TOML again")

        assert first == tomllib.loads(custom.read_text(encoding="utf-8"))
        with monkeypatch.context() as m:
            m.setattr(catalog.tomllib, "loads", no_toml)
            assert catalog.load_toml(custom) == first
        custom.write_text(custom.read_text(encoding="utf-8").replace("alias", "floating"), encoding="utf-8")
        assert catalog.load_toml(custom)["model"][0]["kind"] == "floating"  # new bytes, new entry
        # a corrupt parsed form is parsed again; a TOML date (no JSON form) is never kept
        for f in compiled.glob("*.json"):
            f.write_bytes(seal.signed(f.relative_to(cache).as_posix(), b"{broken"))
        assert catalog.load_toml(custom)["model"][0]["kind"] == "floating"
        dated = tmp_path / "dated.toml"
        dated.write_text("checked = 2026-11-29\n", encoding="utf-8")
        before = set(compiled.glob("*.json"))
        assert str(catalog.load_toml(dated)["checked"]) == "2026-11-29"
        assert set(compiled.glob("*.json")) == before
    finally:
        catalog.COMPILED_DIR = None


def test_a_previous_state_of_another_shape_means_a_full_run(tmp_path):
    """The incremental state is JSON a later version may shape differently: never a traceback."""
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cache = tmp_path / "cache"
    run(app, cache)
    state = next((cache / RUNS).rglob("*.state.json"))
    digest, _, body = state.read_bytes().partition(b"\n")
    doc = json.loads(body)
    doc["outputs"] = {rel: {"sites": [{"unexpected": 1}], "findings": "x", "error": None, "words": []}
                      for rel in doc["outputs"]}
    state.write_bytes(seal.signed(state.relative_to(cache).as_posix(), json.dumps(doc).encode()))
    llm = app / "helpdesk" / "replies.py"
    llm.write_text(llm.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert facts(run(app, cache)) == facts(run(app, None))


def test_results_of_other_analyser_code_are_not_reused(tmp_path, monkeypatch):
    """The cache key covers tokenlint's own modules: an editable install whose resolver changed (same
    version number) must not replay the old resolver's results."""
    import tokenlint.cache as cache_mod
    from tokenlint.config import Config

    cfg = Config()
    before = cache_mod.settings_salt(cfg, TODAY, ["TKL101"])
    cache_mod._own_code.cache_clear()
    monkeypatch.setattr(cache_mod, "_own_code", lambda: b"other analyser code")
    assert cache_mod.settings_salt(cfg, TODAY, ["TKL101"]) != before


VISION = '''import requests
def describe_image(url, image, prompt):
    payload = {"messages": [{"role": "user", "content": prompt}]}
    return requests.post(str(url), json=payload, timeout=30).json()
'''
VISION_CALLER = '''from vision import describe_image
def run(image):
    return describe_image("https://api.groq.com/openai/v1/chat/completions", image, "Describe it.")
'''
ASK = '''from openai import OpenAI
client = OpenAI()
def ask(text, model="gpt-4o"):
    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])
'''


def _site(result, path):
    return next((s.provider, s.model.value) for s in result.sites if s.path == path)


@pytest.mark.parametrize("racy", [True, False], ids=["by-content", "by-stat"])
def test_a_new_caller_file_is_seen_by_the_cached_results_that_read_the_callers(tmp_path, monkeypatch, racy):
    """A function's URL read from its callers in other modules (vision.py), and a model default
    judged by whether every caller passes the model (ask.py): a caller added in a new file, or
    written into a file that named neither function, changes those results, which a cached run
    must not reuse (it did: only the files naming the function then were followed)."""
    _trust_stats(monkeypatch, racy)
    app = tmp_path / "app"
    app.mkdir()
    (app / "vision.py").write_text(VISION)
    (app / "ask.py").write_text(ASK)
    (app / "use.py").write_text('from ask import ask\ndef go():\n    return ask("hi", model="gpt-4o-mini")\n')
    (app / "stage.py").write_text("def run(image):\n    return 1\n")
    cache = tmp_path / "cache"
    first = run(app, cache)
    assert _site(first, "vision.py")[0] == "unknown" and _site(first, "ask.py")[1] is None
    run(app, cache)  # recorded: the next run may be incremental
    (app / "stage2.py").write_text(VISION_CALLER)  # a new file
    (app / "use2.py").write_text('from ask import ask\ndef go2():\n    return ask("hi")\n')
    added = run(app, cache)
    assert _site(added, "vision.py")[0] == "groq" and _site(added, "ask.py")[1] == "gpt-4o"
    assert facts(added) == facts(run(app, None))
    (app / "stage2.py").unlink()
    (app / "use2.py").unlink()
    run(app, cache)
    run(app, cache)
    (app / "stage.py").write_text(VISION_CALLER)  # an existing file that named neither function
    (app / "use.py").write_text('from ask import ask\ndef go():\n    return ask("hi")\n')
    edited = run(app, cache)
    assert _site(edited, "vision.py")[0] == "groq" and _site(edited, "ask.py")[1] == "gpt-4o"
    assert facts(edited) == facts(run(app, None))
