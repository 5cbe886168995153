"""TKL201 floating-model-alias beyond the fixtures: a floating name written once in a settings module
is one finding there (and is fixed there), a wrapper's default is reported at the default, the message
names the snapshot or says it is a router name, and a project catalog adds its own aliases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import catalog, project

from tokenlint.config import Config
from tokenlint.engine import analyse, fix

TODAY = dt.date(2026, 11, 29)

SETTINGS = 'FAST_MODEL = "gpt-5.4"\nLOCAL_MODEL = "acme-finetune-7"\n'
VIEWS = """from openai import OpenAI

from app import settings
from app.settings import FAST_MODEL

client = OpenAI()


def answer(q):
    client.chat.completions.create(model=FAST_MODEL, messages=[])
    client.responses.create(model=settings.FAST_MODEL, input=q)
    client.chat.completions.create(model=settings.LOCAL_MODEL, messages=[])
"""
JOBS = """from openai import OpenAI

from app.settings import FAST_MODEL

client = OpenAI()
client.chat.completions.create(model=FAST_MODEL, messages=[])
"""


def findings(root: Path, targets: list[Path] | None = None, config: Config | None = None):
    cfg = (config or Config()).with_overrides(select=("TKL201",))
    return [f for f in analyse(targets or [root], cfg, root=root, today=TODAY).findings if f.code == "TKL201"]


def test_a_floating_constant_used_by_three_calls_in_two_modules_is_one_finding_where_written(tmp_path):
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS,
                       "app/jobs.py": JOBS})
    got = findings(tmp_path)
    assert [(f.path, f.row, f.column) for f in got] == [("app/settings.py", 1, 14)]
    assert "'gpt-5.4'" in got[0].message and "'gpt-5.4-2026-03-05'" in got[0].message


def test_the_finding_in_an_unchecked_settings_module_is_not_reported(tmp_path):
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS})
    assert findings(tmp_path, [tmp_path / "app" / "views.py"]) == []


def test_the_fix_pins_the_snapshot_in_the_settings_module_once(tmp_path):
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS,
                       "app/jobs.py": JOBS})
    cfg = Config().with_overrides(select=("TKL201",))
    assert fix([tmp_path], cfg, unsafe=False, today=TODAY, root=tmp_path).fixed == {}  # unsafe only
    run = fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert {p.name: b.decode() for p, b in run.fixed.items()} == {
        "settings.py": 'FAST_MODEL = "gpt-5.4-2026-03-05"\nLOCAL_MODEL = "acme-finetune-7"\n'}
    assert not [f for f in run.result.findings if f.code == "TKL201"]


def test_a_wrapper_default_in_another_module_is_reported_at_the_default(tmp_path):
    llm = ('from openai import OpenAI\n\nclient = OpenAI()\n\n\n'
           'def ask(q, *, model="gpt-5.4"):\n'
           '    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": q}])\n')
    views = "from app.llm import ask\n\nask('a')\nask('b')\nask('c', model='gpt-6-sol')\n"
    project(tmp_path, {"app/__init__.py": "", "app/llm.py": llm, "app/views.py": views})
    got = findings(tmp_path)
    assert [(f.path, f.row, f.column) for f in got] == [("app/llm.py", 6, 21)]


def test_message_kinds(tmp_path):
    src = ("import litellm\nfrom google import genai\n\ngemini = genai.Client()\n"
           "litellm.completion(model='gpt-luna-latest', messages=[])\n"
           "gemini.models.generate_content(model='gemini-pro-latest', contents='q')\n"
           "litellm.completion(model='mistral/mistral-small-latest', messages=[])\n")
    project(tmp_path, {"app.py": src})
    got = {f.row: f.message for f in findings(tmp_path)}
    assert "router" in got[5] and " for '" not in got[5]
    assert got[6] == "Model 'gemini-pro-latest' is a floating alias"  # target not documented
    assert "'mistral/mistral-small-latest'" in got[7] and "'mistral-small-2603'" in got[7]


def test_a_project_catalog_adds_its_own_alias(tmp_path):
    models = catalog(tmp_path / "models.toml",
                     {"id": "acme-chat", "kind": "alias", "points_to": "acme-chat-2026-10-01"},
                     {"id": "acme-chat-2026-10-01"})
    project(tmp_path, {"app.py": "from openai import OpenAI\n\nOpenAI().chat.completions.create(model='acme-chat', "
                                 "messages=[])\n"})
    cfg = Config(model_catalog=str(models)).with_overrides(select=("TKL201",))
    got = findings(tmp_path, config=cfg)
    assert [f.message for f in got] == [
        "Model 'acme-chat' is a floating alias for 'acme-chat-2026-10-01' (catalog checked 2026-11-01)"]
    run = fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert b"model='acme-chat-2026-10-01'" in run.fixed[tmp_path / "app.py"]


def test_a_shut_down_alias_is_left_to_tkl203_and_a_soon_dead_snapshot_is_not_pinned(tmp_path):
    src = ("from openai import OpenAI\n\nclient = OpenAI()\n"
           "client.chat.completions.create(model='gpt-4-turbo', messages=[])\n"  # retired 2026-10-23
           "client.chat.completions.create(model='gpt-4o-mini', messages=[])\n")  # target shuts down 2027-01-14
    project(tmp_path, {"app.py": src})
    cfg = Config().with_overrides(select=("TKL201", "TKL203"))
    got = sorted((f.row, f.code, f.fix is not None) for f in analyse([tmp_path], cfg, root=tmp_path,
                                                                      today=TODAY).findings)
    # an alias dying with its snapshot within retirement-warning-days is TKL203's alone (one finding,
    # one edit: its successor), not also TKL201's "pin it"
    assert got == [(4, "TKL203", False), (5, "TKL203", True)]
    # the fixes do not fight: the alias becomes the successor, not the snapshot that dies with it
    run = fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert b"model='gpt-6-luna'" in run.fixed[tmp_path / "app.py"]
    # months before the shutdown both are live aliases, and the one with a known target is pinned
    early = analyse([tmp_path], Config().with_overrides(select=("TKL201",)), root=tmp_path,
                    today=dt.date(2026, 6, 1)).findings
    assert [(f.row, f.fix is not None) for f in early] == [(4, False), (5, True)]
