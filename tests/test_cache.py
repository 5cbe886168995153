"""The result cache: a warm run reports exactly what a cold one does, and any change that can
alter a file's result (the file, a module it imports, the config, the date) misses the cache."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

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
    assert 'metadata={"feature": feature}' in text
    llm.write_text(text.replace('metadata={"feature": feature}', 'metadata={"feature": "shared"}'), encoding="utf-8")
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
    entries = sorted(cache.rglob("*.json"))
    entries[0].write_text("{not json", encoding="utf-8")
    entries[1].write_text(json.dumps({"key": "someone else's", "sites": []}), encoding="utf-8")
    doc = json.loads(entries[2].read_text(encoding="utf-8"))
    doc["sites"] = [{"unexpected": True}]
    entries[2].write_text(json.dumps(doc), encoding="utf-8")
    assert facts(run(app, cache)) == facts(cold)


def test_concurrent_runs_share_a_cache_safely(tmp_path):
    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    cmd = [sys.executable, "-m", "tokenlint", "check", "-q", "--exit-zero", "--today", "2026-11-29",
           "--cache-dir", str(tmp_path / "cache"), "."]
    procs = [subprocess.Popen(cmd, cwd=str(app), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert len({o for o, _ in outs}) == 1 and outs[0][0].count("TKL") > 10
    warm = subprocess.run(cmd, cwd=str(app), capture_output=True, text=True, timeout=300)
    assert warm.stdout == outs[0][0]
