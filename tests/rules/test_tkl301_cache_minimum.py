"""TKL301 at the model's prompt-cache minimum (issue 16, item 2) and the prompt paths the resolver
follows for it (item 1): a constant inside an f-string placeholder, a project function returning
the prompt, `self.x` set in `__init__` from the one constructor call, `"sep".join(list)`, strings of a
JSON file loaded by key, and LangChain request sites (messages passed to `invoke`, a
`ChatPromptTemplate` the chain starts with). Each path has look-alikes that must stay silent."""

from __future__ import annotations

import datetime as dt
import json

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve import templates
from tokenlint.resolve.tokens import estimate_tokens

HEAD = '''import json
from pathlib import Path

from anthropic import Anthropic
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from openai import OpenAI

POLICY = "Follow the support policy carefully. " * 120
SHORT = "Follow the support policy carefully. " * 20
claude = Anthropic()
oai = OpenAI()
llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=64)


def ask(system, model="gpt-4o"):
    return oai.chat.completions.create(model=model, messages=[{"role": "system", "content": system}])
'''


def run(tmp_path, body: str, files: dict | None = None, **over):  # type: ignore[no-untyped-def]
    project(tmp_path, {"app.py": HEAD + body, **(files or {})})
    cfg = Config().with_overrides(select=("TKL301",), **over)
    found = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 5)).findings
    first = HEAD.count("\n") + 1
    return [(f.row - first + 1, f.message) for f in sorted(found, key=lambda f: f.row)]


def test_the_estimator_is_four_characters_a_token():
    assert estimate_tokens(4_440) == 1_110 and estimate_tokens(3) == 0


def test_fires_at_the_models_cache_minimum_and_says_why(tmp_path):
    got = run(tmp_path, '''
def sonnet(now):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=f"{now}. {POLICY}",
                                  messages=[{"role": "user", "content": "q"}])


def haiku(now):  # Haiku 4.5 caches from 4,096 tokens: 1,110 are not enough
    return claude.messages.create(model="claude-haiku-4-5", max_tokens=64, system=f"{now}. {POLICY}",
                                  messages=[{"role": "user", "content": "q"}])


def below(now):  # ~185 tokens: below every minimum
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=f"{now}. {SHORT}",
                                  messages=[{"role": "user", "content": "q"}])


def static_first(now):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=f"{POLICY} {now}.",
                                  messages=[{"role": "user", "content": "q"}])
''')
    assert [r for r, _ in got] == [3]
    msg = got[0][1]
    assert "`now`" in msg and "~1,110 tokens" in msg
    assert "the cache minimum for claude-sonnet-4-5 is 1,024 tokens" in msg


def test_a_model_the_catalog_does_not_know_takes_the_providers_minimum(tmp_path):
    got = run(tmp_path, '''
def configured(user, settings):
    return ask(f"User {user}. " + POLICY, model=settings.model)
''')
    assert len(got) == 1 and "the cache minimum for openai models is 1,024 tokens" in got[0][1]


def test_a_constant_tokenlint_cannot_read_is_static_text_of_unknown_length(tmp_path):
    got = run(tmp_path, '''
from somelib.prompts import AGENT_PROMPT
from somelib import prompts


def unreadable(user):
    return ask(f"User {user}. {AGENT_PROMPT}")


def unreadable_attribute(user):
    return ask(f"User {user}. " + prompts.SYSTEM)


def a_variable_is_not_a_constant(user, extra):
    return ask(f"User {user}. {extra}")
''')
    assert [r for r, _ in got] == [7, 11]
    assert all("a constant of unknown length" in m for _, m in got)


def test_a_function_that_returns_the_prompt_is_followed_with_its_arguments(tmp_path):
    got = run(tmp_path, '''
def build(user):
    return f"Helping {user}.\\n" + POLICY


def build_static(user):
    return POLICY + f"\\nHelping {user}."


def branches(user):
    if user:
        return f"Helping {user}." + POLICY
    return POLICY


def direct(user):
    return ask(build(user))


def fine(user):
    return ask(build_static(user))


def two_returns(user):
    return ask(branches(user))
''')
    assert [r for r, _ in got] == [17]


def test_self_attribute_from_the_constructor_call(tmp_path):
    got = run(tmp_path, '''
class Agent:
    def __init__(self, system):
        self.system = system

    def run(self):
        return ask(self.system)


class Other:
    def __init__(self, system):
        self.system = system

    def run(self):
        return ask(self.system)


def start(user):
    Agent(f"You help {user}. " + POLICY).run()


def two(user):
    Other(POLICY).run()
    Other(f"You help {user}. " + POLICY).run()  # two constructor calls: which one runs is not known
''')
    assert [r for r, _ in got] == [7]
    assert "`user`" in got[0][1]


def test_join_over_a_list_variable(tmp_path):
    got = run(tmp_path, '''
def joined(user):
    parts = [f"User {user}.", POLICY]
    return ask("\\n".join(parts))


def joined_static_first(user):
    parts = [POLICY, f"User {user}."]
    return ask("\\n".join(parts))


def joined_generator(user, docs):
    return ask("\\n".join(d for d in docs))
''')
    assert [r for r, _ in got] == [4]


def test_strings_of_a_json_file_by_key(tmp_path):
    data = {"agent": {"system": "You help {user}. " + "Follow the support policy carefully. " * 120,
                      "late": "Follow the support policy carefully. " * 120 + " You help {user}."}}
    got = run(tmp_path, '''
PROMPTS = json.loads((Path(__file__).parent / "prompts.json").read_text())


def by_key(user):
    return ask(PROMPTS["agent"]["system"].format(user=user))


def by_get(user):
    return ask(PROMPTS["agent"].get("system").format(user=user))


def static_first(user):
    return ask(PROMPTS["agent"]["late"].format(user=user))


def missing_key(user):
    return ask(PROMPTS["agent"]["nope"].format(user=user))


def opened(user):
    with open("broken.json") as fh:
        data = json.load(fh)
    return ask(data["system"].format(user=user))
''', {"prompts.json": json.dumps(data), "broken.json": '{"system": "You help {user}. ' + "x" * 5000})
    assert [r for r, _ in got] == [6, 10]


def test_a_json_file_is_parsed_once(tmp_path, monkeypatch):
    calls: list[int] = []
    real = json.loads
    monkeypatch.setattr(templates.json, "loads", lambda text: calls.append(1) or real(text))
    templates._PARSED.clear()
    templates._CACHE.clear()
    data = {"system": "You help {user}. " + "Follow the support policy carefully. " * 120}
    run(tmp_path, '''
PROMPTS = json.loads(Path("prompts.json").read_text())


def one(user):
    return ask(PROMPTS["system"].format(user=user))


def two(user):
    return ask(PROMPTS["system"].format(user=user))
''', {"prompts.json": json.dumps(data)})
    assert len(calls) == 1


def test_langchain_request_sites_read_their_messages(tmp_path):
    got = run(tmp_path, '''
def messages(user, q):
    return llm.invoke([SystemMessage(content=f"User {user}. " + POLICY), HumanMessage(content=q)])


chain = ChatPromptTemplate.from_messages([("system", "Today is {date}. " + POLICY), ("human", "{q}")]) | llm
good = ChatPromptTemplate.from_messages([("system", POLICY + " Today is {date}."), ("human", "{q}")]) | llm


def templated(q):
    return chain.invoke({"date": "x", "q": q})


def fine(q):
    return good.invoke({"date": "x", "q": q})


def plain(q):
    return llm.invoke(q)
''')
    assert [r for r, _ in got] == [3, 6]
    assert "`{date}`" in got[1][1]


def test_the_configured_threshold_replaces_the_cache_minimum(tmp_path):
    got = run(tmp_path, '''
def short(user):
    return ask(f"User {user}. " + SHORT)
''', min_static_chars=200)
    assert len(got) == 1 and "the configured threshold is 200 characters" in got[0][1]
