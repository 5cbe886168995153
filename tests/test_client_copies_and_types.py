"""Clients reached through a copy or known only by a declared type, generic project classes built
parametrized, and flag declarations that are no model objects.

- `client.with_options(timeout=t).chat.completions.create(...)` on a client passed in as a parameter is
  a request on that client (catalog `[passthrough] client_methods`), as `client.chat.completions.create`.
- A class listed as an SDK's `typed_clients` (`instructor.Instructor`) declares that SDK's client when an
  annotation or an `isinstance` test names it; calling the class itself still builds no client.
- `Pipeline[In, Out](config)` builds an object of the project class `Pipeline` (PEP 695 or `Generic`).
- `flags.DEFINE_string("model", "gpt-4o", "help")` (absl) declares a command-line flag: no binding."""

from __future__ import annotations

import datetime as dt

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve.libraries import _is_class_name

TODAY = dt.date(2026, 12, 7)


def _sites(tmp_path, files):
    root = make(tmp_path / "p", files)
    res = analyse([root / f for f in files], Config(root=root), rules=[], root=root, prefilter=False, today=TODAY)
    assert not [f for f in res.findings if f.code == "TKL000"]
    return res.sites


COPIED = '''\
from openai import OpenAI


def make_client(key):
    return OpenAI(api_key=key)


def send(client, parameters, timeout):
    return client.with_options(timeout=timeout).chat.completions.create(**parameters)


def send_raw(client, parameters):
    return client.with_options(max_retries=0).chat.completions.create(model="gpt-4o", messages=parameters)


def not_a_client(table, parameters):
    return table.with_options(timeout=3).lookup(**parameters)
'''


def test_a_client_copy_on_a_parameter_is_a_request_on_that_client(tmp_path):
    sites = _sites(tmp_path, {"app/llm.py": COPIED})
    direct = sorted((s.line, s.provider) for s in sites if s.kind == "direct")
    assert direct == [(9, "openai"), (13, "openai")]


def test_a_copy_of_an_object_of_unknown_type_asks_nothing_of_its_own(tmp_path):
    sites = _sites(tmp_path, {"app/llm.py": COPIED})
    assert not [s for s in sites if s.line == 17]


TYPED = '''\
import instructor
from pydantic import BaseModel, Field


class Config(BaseModel):
    client: instructor.Instructor = Field(..., description="the client")
    model: str = "gpt-4o-mini"


class Agent:
    def __init__(self, config: Config):
        self.client = config.client
        self.model = config.model

    def run(self, messages):
        return self.client.chat.completions.create(model=self.model, messages=messages, response_model=dict)

    async def run_async(self, messages):
        assert isinstance(self.client, instructor.AsyncInstructor)
        return await self.client.chat.completions.create(model=self.model, messages=messages, response_model=dict)
'''


def test_a_declared_typed_client_is_the_sdk_client(tmp_path):
    sites = {s.line: s for s in _sites(tmp_path, {"app/agent.py": TYPED}) if s.kind == "direct"}
    assert sorted(sites) == [16, 20]
    assert {s.provider for s in sites.values()} == {"instructor"}
    assert sites[20].is_async and not sites[16].is_async


def test_calling_a_typed_client_class_builds_no_client(tmp_path):
    src = '''\
import instructor


def fake(messages):
    client = instructor.Instructor(client=None, create=lambda **kw: None)
    return client.chat.completions.create(messages=messages, response_model=dict)
'''
    assert not [s for s in _sites(tmp_path, {"app/fake.py": src}) if s.kind == "direct" and s.confidence != "inferred"]


GENERIC = '''\
from openai import OpenAI

client = OpenAI()


class Pipeline[In, Out]:
    def __init__(self, model: str):
        self.model = model

    def run(self, text):
        return client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": text}])


def main():
    pipe = Pipeline[str, str]("gpt-4o-mini")
    return pipe.run("hello")
'''


def test_a_parametrized_generic_project_class_builds_an_object_of_it(tmp_path):
    sites = _sites(tmp_path, {"app/pipe.py": GENERIC})
    wrapped = [s for s in sites if s.line == 16]
    assert len(wrapped) == 1 and wrapped[0].kind == "wrapper"


def test_a_parametrized_generic_class_of_typing_generic_too(tmp_path):
    src = GENERIC.replace("class Pipeline[In, Out]:", "class Pipeline(Generic[In, Out]):").replace(
        "from openai import OpenAI", "from typing import Generic, TypeVar\nfrom openai import OpenAI\n\nIn = TypeVar('In')\nOut = TypeVar('Out')")
    sites = _sites(tmp_path, {"app/pipe.py": src})
    assert [s.kind for s in sites if s.line == 20] == ["wrapper"]


ABSL = '''\
from absl import flags
import openai

_MODEL = flags.DEFINE_string("optimizer", "gpt-3.5-turbo", "The optimizer model.")
_SCORER = flags.DEFINE_enum("scorer", "gpt-4", ["gpt-4", "gpt-3.5-turbo"], "The scorer.")


def ask(text):
    return openai.chat.completions.create(model=_MODEL.value, messages=[{"role": "user", "content": text}])
'''


def test_an_absl_flag_with_a_model_default_is_no_binding(tmp_path):
    sites = _sites(tmp_path, {"app/main.py": ABSL})
    assert [(s.line, s.kind) for s in sites] == [(9, "direct")]


def test_class_names_by_convention():
    assert _is_class_name("Agent") and _is_class_name("GEval") and _is_class_name("GPT_Agent")
    assert not _is_class_name("DEFAULT") and not _is_class_name("DEFINE_string")
    assert not _is_class_name("JSON_dumps") and not _is_class_name("agent")
