"""Bases that are no LLM facade although most classes below them reach a model. A composition base (round 7:
a strategy or composition base is no facade): an own runnable library whose base has prompts, parsers,
lambdas and sequences below it beside one model branch with many providers; a call through the base
(`pipeline.invoke(x)`) and a sequence's `step.invoke(value)` are the composition's plumbing, while a call
through the model branch's own base stays a facade. A Protocol whose one implementation calls a helper
sending the request (`await step(llm, history)`) is a typing seam before a plain helper call, no facade
(round 15's one-implementation rule); one whose implementation sends the request itself stays one. A
pydantic-ai agent built without a model chooses none: no binding (rounds 12/14). Found on agent frameworks
analysed as themselves (an own runnable library, a compaction Protocol, realtime agents' examples)."""

from __future__ import annotations

import datetime as dt

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 7)

def _sites(tmp_path, files):
    root = make(tmp_path / "p", files)
    res = analyse([root / f for f in files], Config(root=root), rules=[], root=root, prefilter=False, today=TODAY)
    return root, {(s.path, s.line): s for s in res.sites}


def _at(root, sites, rel, text):
    return sites.get((rel, line_of(root / rel, text)))


RUNNABLES = '''\
from abc import ABC, abstractmethod

import anthropic
import openai


class Runnable(ABC):
    @abstractmethod
    def invoke(self, value):
        ...


class Sequence(Runnable):
    def __init__(self, *steps: Runnable):
        self.steps = list(steps)

    def invoke(self, value):
        for step in self.steps:
            value = step.invoke(value)  # step
        return value
'''

COMPOSERS = '''\
from flow.runnable import Runnable


class Prompt(Runnable):
    def __init__(self, template: str):
        self.template = template

    def invoke(self, value):
        return self.template.format(value=value)


class Parser(Runnable):
    def invoke(self, value):
        return str(value).strip()


class Passthrough(Runnable):
    def invoke(self, value):
        return value


class Lambda(Runnable):
    def __init__(self, fn):
        self.fn = fn

    def invoke(self, value):
        return self.fn(value)
'''

CHAT = '''\
import anthropic
import openai

from flow.runnable import Runnable


class ChatModel(Runnable):
    def invoke(self, value):
        return self.send([{"role": "user", "content": value}])

    def send(self, messages):
        raise NotImplementedError


class OpenAIChat(ChatModel):
    def send(self, messages):
        return openai.OpenAI().chat.completions.create(model="gpt-4o", messages=messages)


class AnthropicChat(ChatModel):
    def send(self, messages):
        return anthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=messages)


class AzureChat(OpenAIChat):
    pass


class GroqChat(OpenAIChat):
    pass


class TogetherChat(OpenAIChat):
    pass


class OpenRouterChat(OpenAIChat):
    pass


class FireworksChat(OpenAIChat):
    pass
'''

PIPE = '''\
from flow.chat import ChatModel
from flow.runnable import Runnable


def run(pipeline: Runnable, value):
    return pipeline.invoke(value)  # through the base


def talk(chat: ChatModel, text: str):
    return chat.send([{"role": "user", "content": text}])  # through the model
'''


def _flow(with_composers: bool) -> dict[str, str]:
    files = {"flow/__init__.py": "", "flow/runnable.py": RUNNABLES, "flow/chat.py": CHAT, "flow/pipe.py": PIPE}
    if with_composers:
        files["flow/composers.py"] = COMPOSERS
    return files


def test_a_composition_base_with_one_model_branch_is_no_facade(tmp_path):
    root, sites = _sites(tmp_path, _flow(with_composers=True))
    assert _at(root, sites, "flow/pipe.py", "# through the base") is None
    model = _at(root, sites, "flow/pipe.py", "# through the model")
    assert model is not None and model.kind == "facade" and {"openai", "anthropic"} <= set(model.providers)


def test_a_step_of_a_sequence_is_the_composition_s_plumbing(tmp_path):
    root, sites = _sites(tmp_path, _flow(with_composers=True))
    assert _at(root, sites, "flow/runnable.py", "# step") is None


def test_without_the_composition_classes_the_base_over_the_models_is_a_facade(tmp_path):
    root, sites = _sites(tmp_path, _flow(with_composers=False))
    s = _at(root, sites, "flow/pipe.py", "# through the base")
    assert s is not None and s.kind == "facade"


ONE_IMPL_HELPER = '''\
from typing import Protocol

import openai


def step(history: list) -> str:
    return openai.OpenAI().chat.completions.create(model="gpt-4o", messages=history)


class Compaction(Protocol):
    def compact(self, history: list) -> str:
        ...


class SimpleCompaction:
    def compact(self, history: list) -> str:
        return step(history[-4:])
'''

ONE_IMPL_OWN = '''\
from typing import Protocol

import openai


class Compaction(Protocol):
    def compact(self, history: list) -> str:
        ...


class SimpleCompaction:
    def compact(self, history: list) -> str:
        return openai.OpenAI().chat.completions.create(model="gpt-4o", messages=history[-4:])
'''

SOUL = '''\
from soul.compaction import Compaction


class Soul:
    def __init__(self, compaction: Compaction):
        self._compaction = compaction

    def shrink(self, history: list) -> str:
        return self._compaction.compact(history)  # compact
'''


def test_a_protocol_whose_one_implementation_calls_a_helper_is_no_facade(tmp_path):
    root, sites = _sites(tmp_path, {"soul/__init__.py": "", "soul/compaction.py": ONE_IMPL_HELPER,
                                    "soul/soul.py": SOUL})
    s = _at(root, sites, "soul/soul.py", "# compact")
    assert s is None or s.kind != "facade"


def test_a_protocol_whose_one_implementation_sends_the_request_itself_is_a_facade(tmp_path):
    root, sites = _sites(tmp_path, {"soul/__init__.py": "", "soul/compaction.py": ONE_IMPL_OWN,
                                    "soul/soul.py": SOUL})
    s = _at(root, sites, "soul/soul.py", "# compact")
    assert s is not None and s.kind == "facade" and s.provider == "openai"


AGENTS = '''\
from pydantic_ai import Agent

voice = Agent(instructions="You are a friendly phone agent.")  # no model
bare = Agent()  # bare
triage = Agent("openai:gpt-4o", instructions="Summarise the call.")  # with model
'''


def test_a_pydantic_ai_agent_built_without_a_model_is_no_binding(tmp_path):
    root, sites = _sites(tmp_path, {"agents.py": AGENTS})
    assert _at(root, sites, "agents.py", "# no model") is None
    assert _at(root, sites, "agents.py", "# bare") is None
    bound = _at(root, sites, "agents.py", "# with model")
    assert bound is not None and bound.kind == "binding" and bound.model.value == "gpt-4o"
