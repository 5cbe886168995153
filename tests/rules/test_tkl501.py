"""TKL501 missing-output-cap beyond the fixture: off by default; a cap set on the model object that
makes the request counts; the resolver's `output_cap` fact says set / missing / unknown / not judged."""

from __future__ import annotations

from pathlib import Path

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = '''import google.generativeai as genai
from anthropic import Anthropic
from openai import OpenAI

client = OpenAI()
claude = Anthropic()
capped_model = genai.GenerativeModel("gemini-3.8-flash", generation_config={"max_output_tokens": 100})
free_model = genai.GenerativeModel("gemini-3.8-flash")


def run(q, **kw):
    client.chat.completions.create(model="gpt-6.1-terra", messages=[])
    client.chat.completions.create(model="gpt-6.1-terra", messages=[], **kw)
    claude.messages.create(model="claude-sonnet-5", max_tokens=9, messages=[])
    capped_model.generate_content(q)
    free_model.generate_content(q)
'''


def test_off_by_default_and_on_when_selected(tmp_path: Path):
    project(tmp_path, {"app.py": APP})
    default = analyse([tmp_path], Config(), root=tmp_path)
    assert not [f for f in default.findings if f.code == "TKL501"]
    on = analyse([tmp_path], Config().with_overrides(extend_select=("TKL501",)), root=tmp_path)
    assert sorted(f.row for f in on.findings if f.code == "TKL501") == [12, 16]


def test_the_resolver_says_whether_a_request_is_capped(tmp_path: Path):
    project(tmp_path, {"app.py": APP})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.line, s.output_cap) for s in sites] == [
        (12, "missing"), (13, "unknown"), (14, None), (15, "set"), (16, "missing")]


CONFIG_DICTS = '''from google import genai

client = genai.Client()


async def ask(contents, limit=None, verbose=False):
    config = {"temperature": 0.2}
    config["max_output_tokens"] = 800
    return await client.aio.models.generate_content(model="gemini-3.8-flash", contents=contents, config=config)


async def ask_maybe(contents, limit=None):
    config = {"temperature": 0.2}
    if limit is not None:
        config["max_output_tokens"] = limit

    async def call():
        return await client.aio.models.generate_content(model="gemini-3.8-flash", contents=contents, config=config)
    return await call()


def ask_updated(contents):
    config = {"temperature": 0.2}
    config.update(max_output_tokens=64)
    return client.models.generate_content(model="gemini-3.8-flash", contents=contents, config=config)


def ask_free(contents):
    config = {"temperature": 0.2}
    config["top_p"] = 0.9
    other = {}
    other["max_output_tokens"] = 5
    return client.models.generate_content(model="gemini-3.8-flash", contents=contents, config=config)
'''


def test_a_cap_added_to_the_config_dict_after_it_was_built_counts(tmp_path: Path):
    """`config["max_output_tokens"] = n` (or `config.update(...)`) before the request sets the cap;
    under a branch it may not run (unknown, not reported); another key, or another dict, does not."""
    project(tmp_path, {"app.py": CONFIG_DICTS})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.line, s.output_cap) for s in sites] == [(9, "set"), (18, "unknown"), (25, "set"), (33, "missing")]


def test_palm_chat_takes_no_cap_and_is_not_judged(tmp_path: Path):
    """PaLM's `chat` has no output-cap parameter (google-generativeai 0.3.2 discuss.py): nothing to add,
    so no finding; the same file's OpenAI chat without a cap is still reported."""
    project(tmp_path, {"palm.py": (
        "import google.generativeai as palm\nfrom openai import OpenAI\n\n\n"
        "def ask(messages):\n"
        "    palm.chat(context='Be brief.', messages=messages, temperature=0.2)\n"
        "    OpenAI().chat.completions.create(model='gpt-6.1-terra', messages=messages)\n")})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.line, s.api, s.output_cap) for s in sites] == [(6, "chat.completions", None),
                                                             (7, "chat.completions", "missing")]


def test_responses_compact_takes_no_cap_and_is_not_judged(tmp_path: Path):
    """OpenAI's `responses.compact` takes no output-cap parameter (catalog `no_output_cap`): still a billed
    responses request, but nothing to add; `responses.create` beside it without a cap is reported."""
    project(tmp_path, {"compact.py": (
        "from openai import AsyncAzureOpenAI, AsyncOpenAI, OpenAI\n\n\n"
        "async def shrink(items, azure):\n"
        "    await (AsyncAzureOpenAI() if azure else AsyncOpenAI()).responses.compact(model='gpt-6.1-terra', input=items)\n"
        "    OpenAI().responses.compact(model='gpt-6.1-terra', input=items)\n"
        "    OpenAI().responses.create(model='gpt-6.1-terra', input=items)\n")})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert sites[0].provider == "multi"  # either client: every one's compact takes no cap
    assert [(s.line, s.api, s.spends, s.output_cap) for s in sites] == [(5, "responses", True, None),
                                                                       (6, "responses", True, None),
                                                                       (7, "responses", True, "missing")]


GATEWAY = '''from openai import OpenAI

proxy = OpenAI(base_url="http://localhost:4000", api_key="sk-1234")


def run(q):
    proxy.chat.completions.create(model="gpt-6.1-terra", messages=[{"role": "user", "content": q}])
    proxy.chat.completions.create(model="served-model", messages=[{"role": "user", "content": q}])
'''


def test_a_provider_model_through_a_local_gateway_is_billed_a_served_one_is_not(tmp_path: Path):
    """A LiteLLM-style proxy on localhost with a short key forwards a catalogued OpenAI model to OpenAI:
    judged; an uncatalogued model name at the same address is the user's own server's: not judged."""
    project(tmp_path, {"app.py": GATEWAY})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.line, s.self_hosted, s.output_cap) for s in sites] == [(7, False, "missing"), (8, True, None)]


SETTINGS_OBJECTS = '''from agents import Agent, ModelSettings, Runner
from agents.extensions.models.litellm_model import LitellmModel
from semantic_kernel import Kernel
from semantic_kernel.connectors.ai.open_ai import OpenAIChatCompletion, OpenAIChatPromptExecutionSettings

from app.helpers import settings_for

kernel = Kernel()
kernel.add_service(OpenAIChatCompletion(ai_model_id="gpt-6.1-terra"))


async def sk_capped(text):
    f = kernel.add_function(plugin_name="M", function_name="s", prompt="{{$t}}",
                            prompt_execution_settings=OpenAIChatPromptExecutionSettings(max_tokens=300))
    return await kernel.invoke(function=f, t=text)


async def sk_helper(text):
    f = kernel.add_function(plugin_name="M", function_name="h", prompt="{{$t}}",
                            prompt_execution_settings=settings_for("chat"))
    return await kernel.invoke(function=f, t=text)


async def sk_free(text):
    f = kernel.add_function(plugin_name="M", function_name="f", prompt="{{$t}}")
    return await kernel.invoke(function=f, t=text)


async def agents_capped(q):
    a = Agent(name="a", model=LitellmModel(model="gpt-6.1-terra"), model_settings=ModelSettings(max_tokens=200))
    return await Runner.run(a, q)


async def agents_spread(q, settings):
    a = Agent(name="b", model=LitellmModel(model="gpt-6.1-terra"), model_settings=ModelSettings(**settings))
    return await Runner.run(a, q)


async def agents_free(q):
    a = Agent(name="c", model=LitellmModel(model="gpt-6.1-terra"))
    return await Runner.run(a, q)
'''


def test_a_cap_in_a_settings_object_the_request_runs_with(tmp_path: Path):
    # Semantic Kernel: the prompt function's prompt_execution_settings (a dotted key read through the
    # add_function call that built it); OpenAI Agents SDK: the agent's model_settings. A settings object
    # from a project helper or built from **settings is unknown; none at all is missing (the look-alikes)
    project(tmp_path, {"app/__init__.py": "", "app/helpers.py": "def settings_for(name):\n    return None\n",
                       "app/main.py": SETTINGS_OBJECTS})
    sites = analyse([tmp_path], Config(), rules=[], root=tmp_path).sites
    caps = {s.function: s.output_cap for s in sites if s.kind == "request"}
    assert caps == {"sk_capped": "set", "sk_helper": "unknown", "sk_free": "missing",
                    "agents_capped": "set", "agents_spread": "unknown", "agents_free": "missing"}


LANGROID = '''import langroid as lr
from langroid.language_models import OpenAIGPTConfig

config = lr.ChatAgentConfig(llm=OpenAIGPTConfig(chat_model="gpt-6.1-terra"))


def ask(q):
    agent = lr.ChatAgent(config)
    return agent.llm_response(q)


def chat():
    task = lr.Task(lr.ChatAgent(config), name="helper")
    task.run()
'''


def test_a_langroid_agent_always_sends_its_config_cap_and_is_not_judged(tmp_path: Path):
    # every langroid LLM config carries max_output_tokens with a default, sent as max_tokens on each request
    project(tmp_path, {"app.py": LANGROID})
    result = analyse([tmp_path], Config(select=("TKL501",)), root=tmp_path)
    requests = [s for s in result.sites if s.kind == "request"]
    assert sorted(s.line for s in requests) == [9, 14]
    assert [s.output_cap for s in requests] == [None, None]
    assert not [f for f in result.findings if f.code == "TKL501"]


def test_a_request_on_a_model_object_its_callers_hand_in_is_not_judged(tmp_path: Path):
    """`self.chain = chain` from the constructor, `self.chain.invoke(...)`: the model its callers pass is
    known (its provider, its model), but it is built elsewhere: the request's cap is not judged there
    (the rule's "a request on a model object built elsewhere"); a request on a model built in the
    same class is."""
    project(tmp_path, {"relay.py": (
        "from langchain_openai import ChatOpenAI\n\n\n"
        "class Relay:\n"
        "    def __init__(self, chain):\n"
        "        self.chain = chain\n"
        "        self.own = ChatOpenAI(model='gpt-6.1-terra')\n\n"
        "    def answer(self, q):\n"
        "        self.chain.invoke(q)\n"
        "        return self.own.invoke(q)\n\n\n"
        "def main():\n"
        "    Relay(ChatOpenAI(model='gpt-6.1-terra')).answer('hi')\n")})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    requests = [(s.line, s.provider, s.output_cap) for s in sites if s.kind == "request"]
    assert requests == [(10, "openai", None), (11, "openai", "missing")]
