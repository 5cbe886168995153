"""A class of an interface handing its callers' request on to another object of that interface is an
internal pass-through (round 10), as `super().request(...)` is: a wrapper model's `self.wrapped.request(...)`,
a fallback looping over its models, a tracing provider forwarding to the provider it wraps (a Protocol
implemented by shape), a sequence of runnables calling each step. The call is a wrapper call (what it
reaches is the interface's), not a facade site; its callers' calls through the interface stay facades.
Beside it: a base whose only model branch is one subclass among composition classes (prompts, parsers,
sequences) is no facade (round 7), and a Protocol whose one implementation calls a helper sending the
request is none either (round 15), while one whose implementation sends it itself stays one.
Found on agent frameworks analysed as themselves (wrapper, instrumented and fallback models; an own
runnable library; a compaction Protocol)."""

from __future__ import annotations

import datetime as dt

import pytest
from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 7)

MODELS = '''\
from abc import ABC, abstractmethod

import anthropic
import openai


class Model(ABC):
    @abstractmethod
    def request(self, messages):
        ...

    def stream(self, messages):
        def run():
            return self.request(messages)  # closure on self

        return iter([run()])


class OpenAIModel(Model):
    def request(self, messages):
        return openai.OpenAI().chat.completions.create(model="gpt-4o", messages=messages)


class AnthropicModel(Model):
    def request(self, messages):
        return anthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=100,
                                                     messages=messages)


class WrapperModel(Model):
    def __init__(self, wrapped: Model):
        self.wrapped = wrapped

    def request(self, messages):
        return self.wrapped.request(messages)  # wrapped


class FallbackModel(Model):
    def __init__(self, *models: Model):
        self.models: list[Model] = list(models)

    def request(self, messages):
        for model in self.models:
            try:
                return model.request(messages)  # fallback
            except RuntimeError:
                continue
        raise RuntimeError("every model failed")


class JudgedModel(Model):
    def __init__(self, inner: Model, judge: Model):
        self.inner, self.judge = inner, judge

    def request(self, messages):
        return self.inner.request(messages)  # judged inner

    def verdict(self, answer):
        return self.judge.request([{"role": "user", "content": answer}])  # verdict call
'''

USE = '''\
from llm.models import Model


def ask(model: Model, question: str):
    return model.request([{"role": "user", "content": question}])  # caller
'''

PROTOCOL = '''\
from typing import Protocol

import anthropic
import openai


class ChatProvider(Protocol):
    def generate(self, prompt: str) -> str:
        ...


class OpenAIProvider:
    def generate(self, prompt: str) -> str:
        return openai.OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])


class AnthropicProvider:
    def generate(self, prompt: str) -> str:
        return anthropic.Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=50,
                                                     messages=[{"role": "user", "content": prompt}])


class TracingProvider:
    def __init__(self, provider: ChatProvider):
        self._provider = provider

    def generate(self, prompt: str) -> str:
        print("generate", len(prompt))
        return self._provider.generate(prompt)  # traced


def answer(provider: ChatProvider, q: str) -> str:
    return provider.generate(q)  # protocol caller
'''


def _sites(tmp_path, files):
    root = make(tmp_path / "p", files)
    res = analyse([root / f for f in files], Config(root=root), rules=[], root=root, prefilter=False, today=TODAY)
    return root, {(s.path, s.line): s for s in res.sites}


def _at(root, sites, rel, text):
    return sites.get((rel, line_of(root / rel, text)))


MODEL_FILES = {"llm/__init__.py": "", "llm/models.py": MODELS, "app/__init__.py": "", "app/use.py": USE}


@pytest.fixture(scope="module")
def model_sites(tmp_path_factory):
    return _sites(tmp_path_factory.mktemp("models"), MODEL_FILES)


@pytest.mark.parametrize("marker, kind", [
    ("# wrapped", "wrapper"),  # a wrapper model forwarding to the model it wraps
    ("# fallback", "wrapper"),  # a fallback looping over its models
    ("# judged inner", "wrapper"),  # a model holding two others, in its `request`
    ("# verdict call", "facade"),  # ... and in a method of its own: it uses the other model
    ("# closure on self", "facade"),  # a closure of the base calling its own abstract method
], ids=["wrapper-model", "fallback-loop", "same-method", "other-method", "closure-on-self"])
def test_a_hand_off_inside_the_interface_is_a_pass_through_only_from_the_method_of_that_name(model_sites, marker, kind):
    root, sites = model_sites
    s = _at(root, sites, "llm/models.py", marker)
    assert s is not None and s.kind == kind
    assert s.passes_on == (kind == "wrapper")


def test_the_callers_of_the_interface_stay_facades_over_every_provider(model_sites):
    root, sites = model_sites
    s = _at(root, sites, "app/use.py", "# caller")
    assert s is not None and s.kind == "facade"
    assert {"openai", "anthropic"} <= set(s.providers)


def test_a_structural_protocol_implementation_forwarding_to_its_provider_is_a_pass_through(tmp_path):
    root, sites = _sites(tmp_path, {"chat/__init__.py": "", "chat/providers.py": PROTOCOL})
    traced = _at(root, sites, "chat/providers.py", "# traced")
    assert traced is not None and traced.kind == "wrapper"
    caller = _at(root, sites, "chat/providers.py", "# protocol caller")
    assert caller is not None and caller.kind == "facade" and {"openai", "anthropic"} <= set(caller.providers)


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
    step = _at(root, sites, "flow/runnable.py", "# step")
    assert step is None or step.kind == "wrapper"


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
