"""Model rules read what runs (issue 16, item 3): a settings field declared `= None` is configuration,
not "no model given"; defaults of parameters, `__init__` parameters stored on `self`, class fields,
`os.getenv` and `x or "..."` fallbacks are judged and reported where they are written, once; a fix
swaps every default copy of the name in that module, or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse, fix

TODAY = dt.date(2026, 12, 4)

SETTINGS = """from typing import Optional
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    llm_model: Optional[str] = None


settings = Settings()
"""


def found(root: Path, *codes: str) -> list[tuple[str, str, int, int]]:
    cfg = Config().with_overrides(select=codes or ("TKL201", "TKL202", "TKL203"))
    return sorted((f.code, f.path, f.row, f.column) for f in analyse([root], cfg, root=root, today=TODAY).findings)


def test_a_none_settings_field_is_configuration_not_the_sdk_default(tmp_path):
    project(tmp_path, {"settings.py": SETTINGS, "app.py": (
        "from langchain_openai import ChatOpenAI\nfrom openai import OpenAI\n\nfrom settings import settings\n\n"
        "llm = ChatOpenAI(model=settings.llm_model, temperature=0)\n"
        "llm.invoke(\"hi\")\n"
        "client = OpenAI()\n"
        "client.chat.completions.create(model=settings.llm_model, messages=[])\n")})
    assert found(tmp_path) == []  # before: ChatOpenAI's default gpt-3.5-turbo, reported retired


def test_defaults_are_reported_where_written_once(tmp_path):
    project(tmp_path, {"settings.py": SETTINGS, "app.py": (
        "import os\nfrom anthropic import Anthropic\nfrom openai import OpenAI\n\nfrom settings import settings\n\n"
        "client = OpenAI()\nclaude = Anthropic()\n\n\n"
        "def helper(prompt, model=\"gpt-4-turbo\"):\n"                                      # 11
        "    return client.chat.completions.create(model=model, messages=[])\n\n\n"
        "def a():\n    return helper(\"x\")\n\n\n"
        "def b():\n    return helper(\"y\")\n\n\n"
        "class Agent:\n"
        "    def __init__(self, model: str = \"claude-3-5-sonnet-20240620\"):\n"               # 24
        "        self.model = model\n\n"
        "    def run(self):\n"
        "        return claude.messages.create(model=self.model, max_tokens=9, messages=[])\n\n\n"
        "def env():\n"
        "    return client.chat.completions.create(model=os.getenv(\"M\", \"gpt-3.5-turbo\"), messages=[])\n"  # 32
        "\n\n"
        "def fallback():\n"
        "    return client.chat.completions.create(model=settings.llm_model or \"gpt-4\", messages=[])\n")})  # 36
    assert found(tmp_path) == [
        ("TKL203", "app.py", 11, 26),  # one finding for two callers and the direct site
        ("TKL203", "app.py", 24, 37),
        ("TKL203", "app.py", 32, 64),
        ("TKL203", "app.py", 36, 71),  # a fallback of configuration: not "hardcoded at the call"
    ]


def test_a_default_of_an_uncalled_wrapper_is_judged(tmp_path):
    project(tmp_path, {"app.py": (
        "from langchain_openai import ChatOpenAI\n\n\n"
        "def ask(prompt, model=\"gpt-3.5-turbo\"):\n"
        "    return ChatOpenAI(model=model).invoke(prompt)\n")})
    assert found(tmp_path, "TKL203") == [("TKL203", "app.py", 4, 23)]


TWINS = """import argparse

from openai import OpenAI

client = OpenAI()


def ask(prompt, model="gpt-5"):
    return client.chat.completions.create(model=model, messages=[])


def options():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="gpt-5")
    parser.add_argument("--label", help="gpt-5")
    return parser.parse_args()
"""


def test_a_fix_changes_every_default_copy_in_the_module(tmp_path):
    project(tmp_path, {"app.py": TWINS})
    cfg = Config().with_overrides(select=("TKL203",))
    run = fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path)
    new = run.fixed[tmp_path / "app.py"].decode()
    assert new == TWINS.replace('model="gpt-5"', 'model="gpt-6.1-sol"').replace(
        'default="gpt-5"', 'default="gpt-6.1-sol"')  # help= is not a default: untouched
    (tmp_path / "app.py").write_text(new)
    assert fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path).fixed == {}


def test_no_fix_when_a_copy_cannot_be_rewritten(tmp_path):
    project(tmp_path, {"app.py": TWINS.replace('default="gpt-5"', 'default="gpt" "-5"')})
    cfg = Config().with_overrides(select=("TKL203",))
    assert fix([tmp_path], cfg, unsafe=True, today=TODAY, root=tmp_path).fixed == {}


GUARDED = '''from openai import OpenAI

client = OpenAI()


class Base:
    def __init__(self, model=None):
        self.model = model


class Translator(Base):
    def run(self):
        return client.chat.completions.create(
            model=self.model if hasattr(self, "model") else "gpt-3.5-turbo", messages=[])


class Lazy:
    def load(self, name):
        self.model = name

    def run(self):
        return client.chat.completions.create(
            model=self.model if hasattr(self, "model") else "gpt-4", messages=[])


def pick(fast: bool):
    return client.chat.completions.create(model="gpt-6.1-terra" if fast else "gpt-4", messages=[])
'''


def test_a_hasattr_fallback_the_class_always_skips_is_not_what_runs(tmp_path):
    project(tmp_path, {"app.py": GUARDED})
    rows = [(code, row) for code, _path, row, _col in found(tmp_path, "TKL203")]
    # Base.__init__ always sets self.model: the "gpt-3.5-turbo" fallback (line 13) never runs;
    # Lazy sets it only in load(), so its fallback may run; a plain conditional runs both branches,
    # and the second one is judged too
    assert rows == [("TKL203", 23), ("TKL203", 27)]


def test_a_config_get_default_is_what_runs_without_the_key(tmp_path):
    project(tmp_path, {"app.py": (
        "from langchain_openai import ChatOpenAI\n\n\n"
        "def draft(config):\n"
        "    model = config[\"configurable\"].get(\"model\", \"gpt-4-turbo\")\n"                # 5
        "    return ChatOpenAI(model=model, temperature=0)\n\n\n"
        "def plain(config, cache):\n"
        "    return ChatOpenAI(model=config.get(\"model\"), temperature=0), cache.get(\"k\", \"gpt-4\")\n")})
    # the default is reported where it is written; a get without a default, or on something that is
    # not configuration, says nothing
    assert found(tmp_path, "TKL203") == [("TKL203", "app.py", 5, 49)]


def test_a_name_reassigned_after_the_call_holds_what_was_assigned_before(tmp_path):
    project(tmp_path, {"app.py": (
        "from langchain_openai import ChatOpenAI\n\n\n"
        "def triage(config, tools):\n"
        "    model = config[\"configurable\"].get(\"model\", \"gpt-4-turbo\")\n"                # 5
        "    llm = ChatOpenAI(model=model, temperature=0)\n"
        "    model = llm.bind_tools(tools)\n"
        "    return model.invoke(\"hi\")\n\n\n"
        "def later(config):\n"
        "    llm = ChatOpenAI(model=model_name, temperature=0)\n"
        "    model_name = \"gpt-4\"\n"
        "    return llm\n")})
    # line 6 reads the default of line 5, not the runnable of line 7; a name whose only assignment
    # comes after the read (line 13) keeps that one binding, as before
    assert found(tmp_path, "TKL203") == [("TKL203", "app.py", 5, 49), ("TKL203", "app.py", 13, 18)]


def test_a_name_assigned_on_two_branches_is_judged_for_both(tmp_path):
    """Issue 12 item 3 for model strings: `model = "a"` in one branch and `"b"` in the other both reach
    the request; the last one written never silently wins. A branch that returns first, and an
    assignment overwritten before the call, do not reach it."""
    project(tmp_path, {"app.py": (
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
        "def pick(flag):\n"
        "    if flag:\n"
        "        model = \"gpt-3.5-turbo\"\n"                                  # 8: reaches
        "    else:\n"
        "        model = \"gpt-4-turbo\"\n"                                    # 10: reaches
        "    return client.chat.completions.create(model=model, messages=[])\n\n\n"
        "def early(flag):\n"
        "    model = \"gpt-4-turbo\"\n"                                        # 15: overwritten below
        "    if flag:\n"
        "        model = \"gpt-3.5-turbo\"\n"                                  # 17: returns before the call
        "        return None\n"
        "    model = \"gpt-5.2\"\n"
        "    return client.chat.completions.create(model=model, messages=[])\n")})
    assert [(c, r) for c, _, r, _ in found(tmp_path, "TKL203")] == [("TKL203", 8), ("TKL203", 10)]


def test_a_module_setting_chosen_on_two_branches_is_judged_for_both(tmp_path):
    project(tmp_path, {"app.py": (
        "import os\nfrom openai import OpenAI\n\nclient = OpenAI()\n"
        "if os.getenv(\"CHEAP\"):\n"
        "    MODEL = \"gpt-3.5-turbo\"\n"                                      # 6
        "else:\n"
        "    MODEL = \"gpt-5.2\"\n\n\n"
        "def ask():\n"
        "    return client.chat.completions.create(model=MODEL, messages=[])\n")})
    assert [(c, r) for c, _, r, _ in found(tmp_path, "TKL203")] == [("TKL203", 6)]


KWARGS_FACTORY = """from langchain_openai import ChatOpenAI


def get_model(provider, **kwargs):
    return ChatOpenAI(model=kwargs.get("model_name", "gpt-4-turbo"), temperature=0)
"""


def test_a_kwargs_get_default_every_caller_overrides_never_runs(tmp_path):
    project(tmp_path, {"llm.py": KWARGS_FACTORY, "app.py": (
        "from llm import get_model\n\n"
        "a = get_model(\"openai\", model_name=\"gpt-6-luna\")\n"
        "b = get_model(provider=\"openai\", model_name=\"gpt-6-sol\", temperature=1)\n")})
    assert found(tmp_path, "TKL203") == []


def test_a_kwargs_get_default_runs_when_one_caller_leaves_the_key_out_or_spreads_a_dict(tmp_path):
    project(tmp_path, {"llm.py": KWARGS_FACTORY, "app.py": (
        "from llm import get_model\n\n"
        "a = get_model(\"openai\", model_name=\"gpt-6-luna\")\n"
        "b = get_model(\"openai\")\n")})
    assert found(tmp_path, "TKL203") == [("TKL203", "llm.py", 5, 54)]
    project(tmp_path, {"app.py": (
        "from llm import get_model\n\n"
        "opts = {\"temperature\": 1}\n"
        "a = get_model(\"openai\", **opts)\n")})
    assert found(tmp_path, "TKL203") == [("TKL203", "llm.py", 5, 54)]


def test_a_reassigned_kwargs_dict_is_not_the_callers_arguments(tmp_path):
    project(tmp_path, {"llm.py": KWARGS_FACTORY.replace(
        "    return", "    kwargs = {}\n    return"), "app.py": (
        "from llm import get_model\n\na = get_model(\"openai\", model_name=\"gpt-6-luna\")\n")})
    assert found(tmp_path, "TKL203") == [("TKL203", "llm.py", 6, 54)]


CLAUDE_CLIENT = """from anthropic import AsyncAnthropic


class AsyncLLM:
    def __init__(self, model: str = "claude-3-5-sonnet-20240620", system: str = ""):
        self.model = model
        self.client = AsyncAnthropic()

    async def ask(self, text):
        return await self.client.messages.create(model=self.model, max_tokens=9, messages=[])
"""
OTHER_CLIENT = """class AsyncLLM:
    def __init__(self, model="x", base_url=None):
        self.model = model
"""


def test_calls_through_an_import_alias_are_the_constructors_calls(tmp_path):
    """The factory imports the class under another name (and a same-named class of another module
    under its own): its calls pass `model`, an `isinstance` test calls nothing, and the other
    module's subclass is not this class's use. The default never runs."""
    project(tmp_path, {"llm/__init__.py": "", "llm/claude_llm.py": CLAUDE_CLIENT, "llm/compat.py": OTHER_CLIENT,
                       "llm/ollama.py": "from .compat import AsyncLLM\n\n\nclass Ollama(AsyncLLM):\n    pass\n",
                       "factory.py": (
        "from llm.claude_llm import AsyncLLM as ClaudeLLM\nfrom llm.compat import AsyncLLM as CompatLLM\n\n\n"
        "def create(kind, **kw):\n"
        "    if kind == 'claude':\n"
        "        return ClaudeLLM(model=kw.get('model'), system=kw.get('system'))\n"
        "    return CompatLLM()\n\n\n"
        "def is_claude(llm):\n    return isinstance(llm, ClaudeLLM)\n")})
    assert found(tmp_path, "TKL203") == []


def test_an_aliased_call_leaving_the_model_out_keeps_the_default_live(tmp_path):
    project(tmp_path, {"llm/__init__.py": "", "llm/claude_llm.py": CLAUDE_CLIENT, "factory.py": (
        "from llm.claude_llm import AsyncLLM as ClaudeLLM\n\n\n"
        "def create(**kw):\n    return ClaudeLLM(system=kw.get('system'))\n")})
    assert found(tmp_path, "TKL203") == [("TKL203", "llm/claude_llm.py", 5, 37)]


def test_calls_through_a_package_re_export_are_the_constructors_calls(tmp_path):
    """`from .agents import ActionAgent`, where the package's `__init__` imports it from its module:
    the same class, whose every call passes `model`."""
    project(tmp_path, {"bot/__init__.py": "", "bot/agents/__init__.py": "from .claude_llm import AsyncLLM\n",
                       "bot/agents/claude_llm.py": CLAUDE_CLIENT, "bot/run.py": (
        "from .agents import AsyncLLM\n\n\n"
        "def build(model):\n    return AsyncLLM(model=model)\n")})
    assert found(tmp_path, "TKL203") == []


def test_a_same_named_function_another_module_defines_is_not_its_caller(tmp_path):
    """eval/a.py's `synth(prompt, model=...)` is always called with a model; eval/b.py has its own
    `synth(row)`, called with one argument: that is not a call of the first one."""
    project(tmp_path, {"a.py": (
        "from openai import OpenAI\n\n\n"
        "def synth(prompt, model=\"gpt-4-turbo\"):\n"
        "    return OpenAI().chat.completions.create(model=model, messages=[])\n\n\n"
        "def run(model):\n    return synth(\"x\", model)\n"),
        "b.py": "def synth(row):\n    return row\n\n\nprint(synth(1))\n"})
    assert found(tmp_path, "TKL203") == []
    project(tmp_path, {"b.py": "from a import synth\n\n\nprint(synth(1))\n"})
    assert found(tmp_path, "TKL203") == [("TKL203", "a.py", 4, 25)]
