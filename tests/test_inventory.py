"""The inventory of the demo app (a golden file), stable ids, and prefilter equivalence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tokenlint.config import Config, load_config
from tokenlint.engine import analyse
from tokenlint.report import inventory as inv

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "fixtures" / "demo_app"
GOLDEN = HERE / "golden" / "demo_app_inventory.json"


def demo_inventory(root: Path) -> dict:
    cfg = load_config(start=root)
    result = analyse([root], cfg, rules=[], root=root)
    data = inv.build(result.sites, result.root, len(result.files), attribution=result.attribution)
    data["root"] = "<root>"
    data["tokenlint_version"] = "<version>"
    return data


def test_demo_app_inventory_matches_golden_file():
    """Regenerate with: python tests/test_inventory.py (then review the diff)."""
    got = demo_inventory(DEMO)
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == want


def test_demo_app_covers_every_provider_family_and_a_wrapper():
    data = demo_inventory(DEMO)
    providers = set(data["summary"]["by_provider"])
    assert {"openai", "anthropic", "google", "aws_bedrock"} <= providers
    wrappers = [s for s in data["call_sites"] if s["kind"] == "wrapper"]
    assert any(s["feature"] == "ticket-triage" and s["wrapper"] == "helpdesk.llm.complete" for s in wrappers)
    # the Twilio SMS client and the Django managers are not LLM calls
    assert not [s for s in data["call_sites"] if s["path"].endswith("notify.py")]



MULTI = """\
import os

from groq import Groq
from openai import OpenAI

client = Groq() if os.environ.get("FAST") else OpenAI()


def ask(q):
    return client.chat.completions.create(model="gpt-4o-mini", messages=q, metadata={"feature": "ask"})
"""


def test_a_call_that_may_reach_several_providers_lists_them_all(tmp_path):
    (tmp_path / "app.py").write_text(MULTI, encoding="utf-8")
    result = analyse([tmp_path / "app.py"], Config(), rules=[], root=tmp_path)
    data = inv.build(result.sites, result.root, len(result.files))
    [site] = data["call_sites"]
    assert (site["provider"], site["providers"]) == ("multi", ["groq", "openai"])
    assert data["features"][0]["providers"] == ["groq", "openai"]
    assert "app.py:10 ask  groq|openai chat.completions" in inv.as_text(data)
    assert "| groq\\|openai |" in inv.as_markdown(data)  # the table's own separator escaped


def _ids_by_place(root: Path) -> dict[tuple, str]:
    result = analyse([root], Config(), rules=[], root=root)
    return {(s.path, s.qualname, s.api, s.kind, s.model.value): s.id for s in result.sites}


def test_ids_survive_unrelated_edits_that_move_lines(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(DEMO, app)
    before = _ids_by_place(app)
    target = app / "helpdesk" / "replies.py"
    text = target.read_text(encoding="utf-8")
    # insert unrelated code at the top and between functions: every line moves
    target.write_text('"""Moved."""\nimport math\n\n\ndef unrelated():\n    return math.pi\n\n\n' + text,
                      encoding="utf-8")
    after = _ids_by_place(app)
    assert before == after
    assert len(set(before.values())) == len(before)  # ids are unique


def test_ids_change_when_the_site_moves_to_another_function(tmp_path):
    (tmp_path / "a.py").write_text(
        "from openai import OpenAI\nc = OpenAI()\n\n\ndef one():\n"
        "    return c.chat.completions.create(model='gpt-4o', messages=[])\n", encoding="utf-8")
    first = analyse([tmp_path], Config(), rules=[], root=tmp_path).sites[0].id
    (tmp_path / "a.py").write_text(
        "from openai import OpenAI\nc = OpenAI()\n\n\ndef two():\n"
        "    return c.chat.completions.create(model='gpt-4o', messages=[])\n", encoding="utf-8")
    second = analyse([tmp_path], Config(), rules=[], root=tmp_path).sites[0].id
    assert first != second


def _facts(result) -> list[tuple]:
    sites = [(s.path, s.line, s.column, s.provider, s.api, s.kind, s.model.value, s.feature) for s in result.sites]
    findings = [(f.path, f.row, f.column, f.code) for f in result.findings if f.code != "TKL000"]
    return sorted(sites) + sorted(findings)  # type: ignore[operator]


@pytest.mark.parametrize("root", [DEMO, HERE.parent / "fixtures" / "resolver" / "resolution" / "crossmod",
                                  HERE.parent / "fixtures" / "resolver"], ids=["demo", "crossmod", "fixtures"])
def test_prefilter_never_drops_a_site_or_finding(root):
    cfg = load_config(start=root)
    fast = analyse([root], cfg, root=root, prefilter=True)
    full = analyse([root], cfg, root=root, prefilter=False)
    assert _facts(fast) == _facts(full)
    assert _facts(full)  # the comparison is not vacuous


def test_prefilter_on_a_generated_tree(tmp_path):
    """Wrappers and shared clients are reached from files that name no SDK at all."""
    pkg = tmp_path / "svc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "llm.py").write_text(
        "from anthropic import Anthropic\nclient = Anthropic()\n\n\n"
        "def ask(prompt, feature):\n"
        "    return client.messages.create(model='claude-sonnet-5', max_tokens=64,\n"
        "        messages=[{'role': 'user', 'content': prompt}], extra_headers={'X-Feature': feature})\n",
        encoding="utf-8")
    for i in range(30):
        body = f"from svc.llm import ask\n\n\ndef handler_{i}(q):\n    return ask(q, feature='f{i}')\n" if i % 3 == 0 \
            else f"def plain_{i}(x):\n    return [x] * {i}\n"
        (pkg / f"mod_{i}.py").write_text(body, encoding="utf-8")
    fast = analyse([tmp_path], Config(), root=tmp_path, prefilter=True)
    full = analyse([tmp_path], Config(), root=tmp_path, prefilter=False)
    assert _facts(fast) == _facts(full)
    assert sum(1 for s in fast.sites if s.kind == "wrapper") == 10


def _analysed(monkeypatch, root: Path) -> tuple[list[str], object]:
    """The files a prefiltered run analyses, and its result."""
    import tokenlint.engine as engine

    seen: list[str] = []
    real = engine._Run.file

    def spy(self, path, fr):  # type: ignore[no-untyped-def]
        seen.append(fr.path)
        return real(self, path, fr)

    monkeypatch.setattr(engine._Run, "file", spy)
    result = analyse([root], Config(), root=root, prefilter=True)
    monkeypatch.setattr(engine._Run, "file", real)
    return sorted(seen), result


@pytest.mark.parametrize("style", ["absolute", "relative", "nested", "star"])
def test_a_package_that_re_exports_a_wrapper_makes_only_importers_of_its_names_candidates(tmp_path, monkeypatch,
                                                                                            style):
    """`svc/__init__.py` names an SDK itself (so it is analysed first) and re-exports `ask` from a
    submodule: a file importing `ask` from the package must be analysed; one importing another name
    from it need not be."""
    pkg = tmp_path / "svc"
    (pkg / "llm").mkdir(parents=True)
    (pkg / "llm" / "core.py").write_text(
        "from openai import OpenAI\nclient = OpenAI()\n\n\n"
        "def ask(prompt, feature):\n    return client.chat.completions.create(model='gpt-4o-2024-08-06',\n"
        "        messages=[{'role': 'user', 'content': prompt}], metadata={'feature': feature})\n", encoding="utf-8")
    reexport = {"absolute": "from svc.llm.core import ask\n", "relative": "from .core import ask\n",
                "nested": "from .core import ask\n", "star": "from .core import *\n"}[style]
    (pkg / "llm" / "__init__.py").write_text("import openai  # the SDK, for type hints\n" + reexport +
                                             "SETTINGS = {}\n", encoding="utf-8")
    (pkg / "__init__.py").write_text("from .llm import ask\n" if style == "nested" else "", encoding="utf-8")
    where = "svc" if style == "nested" else "svc.llm"
    (pkg / "uses_ask.py").write_text(f"from {where} import ask\n\n\ndef h(q):\n    return ask(q, feature='h')\n",
                                     encoding="utf-8")
    (pkg / "uses_ask_multiline.py").write_text(
        f"from {where} import (\n    SETTINGS,\n    ask,\n)\n\n\ndef h(q):\n    return ask(q, feature='m')\n",
        encoding="utf-8")
    (pkg / "other.py").write_text("from svc.llm import SETTINGS\n\n\ndef g():\n    return SETTINGS\n",
                                  encoding="utf-8")
    analysed, fast = _analysed(monkeypatch, tmp_path)
    full = analyse([tmp_path], Config(), root=tmp_path, prefilter=False)
    assert _facts(fast) == _facts(full)
    assert {s.path for s in fast.sites if s.kind == "wrapper"} == {"svc/uses_ask.py", "svc/uses_ask_multiline.py"}
    assert "svc/other.py" not in analysed or style == "star"


if __name__ == "__main__":  # regenerate the golden file
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(demo_inventory(DEMO), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(GOLDEN)


@pytest.mark.parametrize("root", [DEMO, HERE.parent / "fixtures" / "resolver"], ids=["demo", "fixtures"])
def test_worker_processes_give_identical_results(root, monkeypatch):
    import tokenlint.engine as engine

    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 1)
    cfg = load_config(start=root)
    serial = analyse([root], cfg, root=root, jobs=1)
    parallel = analyse([root], cfg, root=root, jobs=2)
    assert _facts(serial) == _facts(parallel)
    assert [s.as_dict() for s in serial.sites] == [s.as_dict() for s in parallel.sites]


def test_project_wide_scans_are_built_before_the_workers_fork(monkeypatch):
    """The scans of every file's bytes that nearly every round asks for (the routes the project
    serves, the sub-packages imported by their own name, the modules' folders) are made once in the
    parent before it forks: each worker then inherits them instead of scanning the project again."""
    import tokenlint.engine as engine
    from tokenlint.resolve.resolver import Resolver

    root = HERE.parent / "fixtures" / "resolver"
    built = []
    original = Resolver.build_shared_indexes

    def spy(self):  # type: ignore[no-untyped-def]
        original(self)
        built.append((self.__dict__.get("_routes"), self.project.__dict__.get("_path_tops_got"),
                      getattr(self.project, "_folder_index", None)))

    monkeypatch.setattr(Resolver, "build_shared_indexes", spy)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 1)
    analyse([root], load_config(start=root), root=root, jobs=2)
    assert built
    routes, path_tops, folders = built[0]
    assert routes and any(r.endswith("/chat/completions") for r in routes)  # mounted_routes/server.py
    assert path_tops is not None and folders is not None


def test_demo_app_shows_every_rule_and_fixes_to_a_fixpoint(tmp_path):
    """Issue 3's bar: every rule fires on the demo app; --fix --unsafe-fixes on a copy leaves a tree
    that parses and a second run with nothing left to fix."""
    import datetime as dt

    from tokenlint.engine import fix, write_fixes
    from tokenlint.rules import RULES

    app = tmp_path / "demo"
    shutil.copytree(DEMO, app)
    today = dt.date(2026, 11, 29)
    cfg = load_config(start=app)
    codes = {f.code for f in analyse([app], cfg, root=app, today=today).findings}
    assert codes == {r.code for r in RULES}
    run = fix([app], cfg, unsafe=True, today=today, root=app)
    assert not [f.error for f in run.files if f.error]
    assert len(write_fixes(run)) >= 5
    for p in app.rglob("*.py"):
        compile(p.read_text(encoding="utf-8"), str(p), "exec")
    again = fix([app], cfg, unsafe=True, today=today, root=app)
    assert not again.fixed
    assert not [f for f in again.result.findings if f.fix is not None]


def test_later_rounds_run_on_the_pool_the_first_round_started(monkeypatch):
    """The importers of the modules found relevant (the prefilter's later rounds) are analysed by
    the workers the first round forked, however few they are: those workers have parsed the
    modules they import already, where the parent would parse them again. Same results as serial."""
    import tokenlint.engine as engine

    root = HERE.parent / "fixtures" / "resolver"
    cfg = load_config(start=root)
    rounds: list[int] = []
    original = engine._Batch.analyse

    def sizes(self, paths):  # type: ignore[no-untyped-def]
        rounds.append(len(paths))
        return original(self, paths)

    monkeypatch.setattr(engine._Batch, "analyse", sizes)
    serial = analyse([root], cfg, root=root, jobs=1)
    assert len(rounds) >= 2 and 0 < max(rounds[1:]) < rounds[0]  # a later round smaller than the first

    serial_in_parent: list[int] = []
    original_serial = engine._Batch._serial

    def spy(self, paths):  # type: ignore[no-untyped-def]
        serial_in_parent.append(len(paths))
        return original_serial(self, paths)

    monkeypatch.setattr(engine._Batch, "_serial", spy)
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", rounds[0])  # the first round alone is large enough
    parallel = analyse([root], cfg, root=root, jobs=2)
    assert serial_in_parent == []  # (a worker's own `_serial` runs are in its process, not seen here)
    assert _facts(serial) == _facts(parallel)
    assert [s.as_dict() for s in serial.sites] == [s.as_dict() for s in parallel.sites]
    assert engine._WORKER_RUN is None  # the pool was stopped


def test_lookalike_index_reads_only_the_modules_defining_a_name():
    """The modules defining a method the catalog infers by name in a class without bases are read
    only where the project's function-name index says the text defines one of those names: the
    same index as a scan of every module."""
    import re

    from tokenlint.resolve.frameworks import _plain_class_before

    root = HERE.parent / "fixtures" / "resolver"
    resolver = analyse([root], load_config(start=root), root=root, jobs=1).project.resolver
    resolver.__dict__.pop("_lookalike_index", None)
    names = sorted({m for fw in resolver.catalog.frameworks.values() for _p, ms, _a, _m in fw.inferred for m in ms})
    got = {n: resolver._defining(n) for n in names}
    pattern = re.compile(rb"def[ \t]+(" + b"|".join(re.escape(n.encode()) for n in names) + rb")[ \t]*\(")
    scanned: dict[str, list] = {}
    for ms in resolver._sources():
        for m in pattern.finditer(ms.raw):
            if _plain_class_before(ms.raw, m.start()):
                scanned.setdefault(m.group(1).decode(), []).append(ms)
    assert got == {n: list(dict.fromkeys(scanned.get(n, ()))) for n in names}
    assert sum(map(len, got.values())) >= 3  # the fixtures' look-alike wrapper classes
