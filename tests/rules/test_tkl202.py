"""TKL202 hardcoded-model beyond the fixtures: `model-config` by path glob or dotted module name, and
its fix, which swaps an inline literal for the config constant of the same value that the file
already imports, and for nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse, fix

TODAY = dt.date(2026, 11, 29)

SETTINGS = 'import os\n\nTRIAGE_MODEL = "gpt-6-luna"\nREPLY_MODEL = os.getenv("REPLY_MODEL", "claude-sonnet-5")\n'
VIEWS = """from anthropic import Anthropic
from openai import OpenAI

from app import settings
from app.settings import TRIAGE_MODEL

client = OpenAI()
claude = Anthropic()


def triage(ticket):
    client.chat.completions.create(model=TRIAGE_MODEL, messages=[])
    client.responses.create(model=settings.TRIAGE_MODEL, input=ticket)
    client.chat.completions.create(model="gpt-6-luna", messages=[])  # keep me
    claude.messages.create(model=settings.REPLY_MODEL, max_tokens=8, messages=[])
    claude.messages.create(model="claude-sonnet-5", max_tokens=8, messages=[])
    client.chat.completions.create(model="gpt-6-sol", messages=[])
"""


def cfg(*globs: str) -> Config:
    return Config(model_config=globs).with_overrides(select=("TKL202",))


def test_without_model_config_only_inline_literals_fire_and_nothing_is_fixed(tmp_path):
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS})
    got = [f for f in analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings]
    assert [(f.path, f.row) for f in got] == [("app/views.py", 14), ("app/views.py", 16), ("app/views.py", 17)]
    assert all(f.fix is None for f in got)


@pytest.mark.parametrize("glob", ["app/settings.py", "*/settings.py", "app.settings", "settings.py"])
def test_the_fix_uses_the_imported_config_constant_of_the_same_value(tmp_path, glob):
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": VIEWS})
    run = fix([tmp_path], cfg(glob), unsafe=True, today=TODAY, root=tmp_path)
    new = run.fixed[tmp_path / "app" / "views.py"].decode()
    # the shortest name already imported; the comment stays
    assert '    client.chat.completions.create(model=TRIAGE_MODEL, messages=[])  # keep me\n' in new
    # an environment-backed setting could send another value: not used
    assert 'claude.messages.create(model="claude-sonnet-5", max_tokens=8, messages=[])' in new
    # no config entry holds this one
    assert 'client.chat.completions.create(model="gpt-6-sol", messages=[])' in new
    assert list(run.fixed) == [tmp_path / "app" / "views.py"]
    assert fix([tmp_path], cfg(glob), unsafe=False, today=TODAY, root=tmp_path).fixed == {}  # unsafe only


def test_no_fix_when_two_config_constants_hold_the_same_name(tmp_path):
    settings = SETTINGS + 'ESCALATION_MODEL = "gpt-6-luna"\n'
    views = VIEWS.replace("from app.settings import TRIAGE_MODEL",
                          "from app.settings import ESCALATION_MODEL, TRIAGE_MODEL").replace(
        "    client.responses.create(model=settings.TRIAGE_MODEL, input=ticket)\n",
        "    client.responses.create(model=ESCALATION_MODEL, input=ticket)\n")
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": settings, "app/views.py": views})
    got = [f for f in analyse([tmp_path], cfg("app/settings.py"), root=tmp_path, today=TODAY).findings
           if f.row == 14]
    assert len(got) == 1 and got[0].fix is None


def test_no_fix_when_the_constant_is_only_imported_for_type_checking(tmp_path):
    views = VIEWS.replace("from app.settings import TRIAGE_MODEL\n",
                          "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                          "    from app.settings import TRIAGE_MODEL\n").replace(
        "    client.responses.create(model=settings.TRIAGE_MODEL, input=ticket)\n", "").replace(
        "from app import settings\n", "")
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/views.py": views})
    got = [f for f in analyse([tmp_path], cfg("app/settings.py"), root=tmp_path, today=TODAY).findings
           if "gpt-6-luna" in f.message]
    assert len(got) == 1 and got[0].fix is None


def test_constants_outside_the_model_config_fire_where_written_once(tmp_path):
    feature = ('from openai import OpenAI\n\nMODEL = "gpt-6-sol"\nclient = OpenAI()\n'
               'client.chat.completions.create(model=MODEL, messages=[])\n'
               'client.responses.create(model=MODEL, input="q")\n')
    project(tmp_path, {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/feature.py": feature,
                       "app/views.py": VIEWS.replace('"gpt-6-sol"', "feature.MODEL").replace(
                           "from app import settings", "from app import feature, settings")})
    got = analyse([tmp_path], cfg("app/settings.py"), root=tmp_path, today=TODAY).findings
    outside = [(f.path, f.row, f.column) for f in got if "outside" in f.message]
    assert outside == [("app/feature.py", 3, 9)]
    assert {f.path for f in got if "at the call site" in f.message} == {"app/views.py"}


PRESETS = """from openai import AsyncOpenAI
from anthropic import AsyncAnthropic

client = AsyncOpenAI()
claude = AsyncAnthropic()


async def gpt_4o_mini_complete(prompt):
    return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])


async def claude_3_opus_complete(prompt):
    return await claude.messages.create(model="claude-3-opus-20240229", max_tokens=8,
                                        messages=[{"role": "user", "content": prompt}])


async def summarise(prompt):
    return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])


async def gpt_4o_complete(prompt):
    return await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
"""


def test_a_preset_named_after_its_model_is_not_reported_but_a_mismatched_name_is(tmp_path):
    """Choosing `gpt_4o_mini_complete` chooses the model; `summarise` hard-codes one, and
    `gpt_4o_complete` sending "gpt-4o-mini" is not the preset its name says (letters are compared
    whole: "gpt4omini" is not in "gpt4ocomplete")."""
    project(tmp_path, {"presets.py": PRESETS})
    got = [f for f in analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings]
    assert [(f.path, f.row) for f in got] == [("presets.py", 18), ("presets.py", 22)]


def test_a_placeholder_a_single_model_server_ignores_is_not_a_model_choice(tmp_path):
    # (a TGI endpoint the project reaches over the network with a real token: at localhost with a
    # dummy key it would be self-hosted, and no model name of it judged; fixtures/rules/TKL202_self_hosted.py)
    src = ("import os\nfrom openai import OpenAI\n"
           "tgi = OpenAI(base_url='https://tgi.example-endpoints.cloud/v1', api_key=os.environ['HF_TOKEN'])\n"
           "tgi.chat.completions.create(model='tgi', messages=[])\n"
           "tgi.chat.completions.create(model='tgi-large', messages=[])\n")
    project(tmp_path, {"serve.py": src})
    got = [f for f in analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings]
    assert [(f.row, f.message) for f in got] == [(5, "Model 'tgi-large' is hardcoded at the call site")]


BRANCHES = """from openai import OpenAI

client = OpenAI()


class Bot:
    def __init__(self, model_name):
        self.model_name = model_name

    def ask(self, q, text):
        if "Pro" in self.model_name:
            return client.chat.completions.create(model="gpt-6-sol", messages=[])
        if self.model_name.startswith(("claude", "sonnet")):
            return client.chat.completions.create(model="gpt-6-terra", messages=[])
        if self.model_name.lower() == "fast":
            return client.chat.completions.create(model="gpt-6-luna", messages=[])
        if "urgent" in text:
            return client.chat.completions.create(model="gpt-6-sol", messages=[])
        if self.model_name:
            return client.chat.completions.create(model="gpt-6-terra", messages=[])
        return client.chat.completions.create(model="gpt-6-luna", messages=[])
"""


def test_a_branch_picked_by_a_test_on_the_model_name_translates_it(tmp_path):
    """A substring of the configured name, its prefix or its lowered form picking the branch is a table
    from the user's choice to the provider's id; a branch on other text, a bare truth test or the
    default after the branches is a model chosen here."""
    project(tmp_path, {"bot.py": BRANCHES})
    got = [f for f in analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings]
    assert [f.row for f in got] == [18, 20, 21]


DISPATCHED = """from openai import OpenAI

client = OpenAI()


def vision_step(messages):
    return client.chat.completions.create(model="gpt-6-vision", messages=messages)


def reasoning_step(messages):
    return client.chat.completions.create(model="o9", messages=messages)


def cheap_step(messages):
    return client.chat.completions.create(model="gpt-6-luna", messages=messages)


def handed_step(messages):
    return client.chat.completions.create(model="gpt-6-terra", messages=messages)


def next_action(model, messages):
    if model == "vision":
        return vision_step(messages)
    elif model in ("o9", "o9-with-ocr"):
        return reasoning_step(messages)
    if model == "cheap":
        cheap_step(messages)
    HANDLERS = {"terra": handed_step}
    return cheap_step(messages)
"""


def test_a_function_called_only_from_model_name_branches_is_a_per_model_path(tmp_path):
    """`vision_step` and `reasoning_step` run only where the caller's model name chose them: their
    literals translate that choice. `cheap_step` is also called outside any branch (the default) and
    `handed_step` is used as a value (a table): both keep their literal reported."""
    project(tmp_path, {"steps.py": DISPATCHED})
    got = analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings
    assert sorted(f.row for f in got) == [15, 19]


def test_a_function_never_called_in_its_module_keeps_its_literal_reported(tmp_path):
    src = DISPATCHED.split("def next_action")[0]
    project(tmp_path, {"steps.py": src})
    got = analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings
    assert sorted(f.row for f in got) == [7, 11, 15, 19]


METHODS = """from openai import OpenAI


class Agent:
    def __init__(self, model):
        self.model = model
        self.client = OpenAI()

    def _with_ocr(self, messages):
        return self.client.chat.completions.create(model="gpt-6-vision", messages=messages)

    def _plain(self, messages):
        return self.client.chat.completions.create(model="gpt-6-luna", messages=messages)

    def act(self, messages):
        if self.model.endswith("-ocr"):
            return self._with_ocr(messages)
        return self._plain(messages)
"""


def test_a_method_dispatched_on_the_model_name_is_a_per_model_path_and_the_else_path_is_not(tmp_path):
    project(tmp_path, {"agent.py": METHODS})
    got = analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings
    assert [f.row for f in got] == [13]


def test_a_model_of_a_server_the_user_runs_is_not_a_spend_choice(tmp_path):
    src = ("from langchain_ollama import ChatOllama\nfrom langchain_openai import ChatOpenAI\n\n"
           "local = ChatOllama(model='llama3.1')\n"
           "hosted = ChatOpenAI(model='gpt-6-luna')\n")
    project(tmp_path, {"models.py": src})
    got = analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings
    assert [f.row for f in got] == [5]


MAKERS = """from openai import OpenAI
from huggingface_hub import InferenceClient

deepseek = OpenAI(base_url="https://api.deepseek.com")
hub = InferenceClient()
client = OpenAI()


def ask_deepseekv3(prompt):
    return deepseek.chat.completions.create(model="deepseek-chat", messages=[{"role": "user", "content": prompt}])


def askQwen(prompt):
    return hub.chat.completions.create(model="Qwen/QwQ-32B", messages=[{"role": "user", "content": prompt}])


def claude_like_reply(prompt):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])


def chat_reply(prompt):
    return deepseek.chat.completions.create(model="deepseek-chat", messages=[{"role": "user", "content": prompt}])


def ask_gpt4(prompt):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])


def ask_openai(prompt):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
"""


def test_a_preset_named_after_its_models_family_or_organisation_is_not_reported(tmp_path):
    """The name's words against the id's family (`deepseek` of deepseek-chat, with the marketing
    version `v3` the id does not carry) and its organisation (`Qwen/` of Qwen/QwQ-32B, camelCase too).
    Look-alikes stay reported: a name after another family (`claude_like_reply` sending gpt-4o), a
    generic word the id shares (`chat_reply` and deepseek-chat), a name holding more of the id than its
    family but not all of it (`ask_gpt4` sending gpt-4o-mini: another model of the family), and a name
    after the provider only (`ask_openai` sending gpt-4o-mini: the model is still chosen there)."""
    project(tmp_path, {"makers.py": MAKERS})
    got = [f for f in analyse([tmp_path], cfg(), root=tmp_path, today=TODAY).findings]
    assert [(f.path, f.row) for f in got] == [("makers.py", 18), ("makers.py", 22), ("makers.py", 26), ("makers.py", 30)]
