"""A pass-through function (`def make_auto_request(*args, **kwargs): return make_request(*args, **kwargs)`,
the retry idiom) forwards whatever the function it calls forwards: its callers are wrappers of the
request, and a base-class method whose implementation calls it is a facade over that request too.
Found on a benchmark harness whose OpenAI decoder went through such a retry helper: the facade over the
decoders listed every provider but OpenAI."""

from __future__ import annotations

import datetime as dt

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 7)

REQ = '''\
import time

import openai


def make_request(client: openai.Client, message: str, model: str, **kwargs):
    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": message}], **kwargs)


def make_auto_request(*args, **kwargs):
    ret = None
    while ret is None:
        try:
            ret = make_request(*args, **kwargs)
        except openai.RateLimitError:
            time.sleep(5)
    return ret


def positional_retry(*args):
    return make_request(*args)


def fixed_message(*args, **kwargs):
    return make_request(openai.OpenAI(), "a fixed text", "gpt-4o")
'''

BASE = '''\
from abc import ABC, abstractmethod


class DecoderBase(ABC):
    def __init__(self, name):
        self.name = name

    @abstractmethod
    def codegen(self, prompt: str) -> list:
        pass
'''

OAI = '''\
import openai

from gen import req
from provider.base import DecoderBase


class OpenAIDecoder(DecoderBase):
    def codegen(self, prompt: str) -> list:
        prompt = "Complete:\\n" + prompt
        return self._batch(prompt)

    def _batch(self, prompt):
        client = openai.OpenAI()
        ret = req.make_auto_request(client, message=prompt, model=self.name)
        return [c.message.content for c in ret.choices]

    def again(self, prompt):
        return req.positional_retry(openai.OpenAI(), prompt, self.name)

    def fixed(self, prompt):
        return req.fixed_message(prompt)
'''

ANT = '''\
import anthropic

from provider.base import DecoderBase


class AnthropicDecoder(DecoderBase):
    def codegen(self, prompt: str) -> list:
        client = anthropic.Anthropic()
        out = client.messages.create(model=self.name, max_tokens=100, messages=[{"role": "user", "content": prompt}])
        return [out.content[0].text]
'''

MAIN = '''\
from provider.base import DecoderBase


def codegen(model: DecoderBase, tasks):
    for t in tasks:
        outputs = model.codegen(t)
        print(outputs)
'''

FILES = {"gen/__init__.py": "", "gen/req.py": REQ, "provider/__init__.py": "", "provider/base.py": BASE,
         "provider/oai.py": OAI, "provider/ant.py": ANT, "main.py": MAIN}


def _sites(tmp_path):
    root = make(tmp_path / "p", FILES)
    res = analyse([root / f for f in FILES], Config(root=root), rules=[], root=root, prefilter=False, today=TODAY)
    return {(s.path, s.line): s for s in res.sites}


def _by_file(sites, name):
    return {line: s for (path, line), s in sites.items() if path.replace("\\\\", "/").endswith(name)}


def test_a_keyword_call_of_a_pass_through_is_a_wrapper_call(tmp_path):
    oai = _by_file(_sites(tmp_path), "provider/oai.py")
    assert oai[14].kind == "wrapper" and oai[14].provider == "openai"


def test_a_positional_call_of_a_pass_through_is_a_wrapper_call(tmp_path):
    oai = _by_file(_sites(tmp_path), "provider/oai.py")
    assert oai[18].kind == "wrapper"


def test_a_function_passing_none_of_its_own_arguments_on_wraps_nothing_for_its_callers(tmp_path):
    oai = _by_file(_sites(tmp_path), "provider/oai.py")
    assert 21 not in oai


def test_the_facade_over_the_implementations_reaches_the_pass_through_request(tmp_path):
    main = _by_file(_sites(tmp_path), "main.py")
    assert main[6].kind == "facade"
    assert set(main[6].providers) >= {"openai", "anthropic"}

