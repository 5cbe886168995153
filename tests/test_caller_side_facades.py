"""Calls of a project's LLM abstraction seen from the caller, each with its look-alike:
- a concrete base-class method reaching the abstract one through a method a local name picks (`call =
  self._safe_stream if stream else self._safe_chat` handed to a retry helper), on an object declared as
  the base; the same retry shape over a store writing files stays silent;
- an implementation calling other objects of its own interface (a fallback chain, a mixture gathering
  proposers through a nested function or a lambda) stays a site, and so do callers of the fallback
  class itself (built locally or a parameter typed as it), as does a class outside the hierarchy;
- `getattr(lm, reqtype)(...)` with a run-time name: a facade when every abstract method it may name is
  one; not on a store, nor on an interface one of whose abstract methods makes no request;
- a `typing.Protocol` whose structural implementations send requests, called from a module naming no
  SDK; a Protocol of a cache stays silent."""

from __future__ import annotations

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse

RETRYING_BASE = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "\n"
    "class {base}(ABC):\n"
    "    @abstractmethod\n"
    "    async def {method}(self, messages): ...\n"
    "\n"
    "    async def _safe(self, **kw):\n"
    "        try:\n"
    "            return await self.{method}(**kw)\n"
    "        except Exception:\n"
    "            return None\n"
    "\n"
    "    async def _safe_stream(self, **kw):\n"
    "        return await self.{method}(**kw)\n"
    "\n"
    "    async def {method}_with_retry(self, messages, stream=False):\n"
    "        call = self._safe_stream if stream else self._safe\n"
    "        return await self._retry(call, dict(messages=messages))\n"
    "\n"
    "    async def _retry(self, call, kw):\n"
    "        for _ in range(3):\n"
    "            got = await call(**kw)\n"
    "            if got is not None:\n"
    "                return got\n"
)

PROVIDERS = (
    "import anthropic\n"
    "import openai\n"
    "\n"
    "from app.base import ChatBackend\n"
    "\n"
    "\n"
    "class OpenAIBackend(ChatBackend):\n"
    "    async def chat(self, messages):\n"
    "        return await openai.AsyncOpenAI().chat.completions.create(model='gpt-4o', messages=messages)\n"
    "\n"
    "\n"
    "class ClaudeBackend(ChatBackend):\n"
    "    async def chat(self, messages):\n"
    "        return await anthropic.AsyncAnthropic().messages.create(\n"
    "            model='claude-haiku-4-5', max_tokens=64, messages=messages)\n"
)

SINKS = (
    "from app.store import Store\n"
    "\n"
    "\n"
    "class FileStore(Store):\n"
    "    async def save(self, messages):\n"
    "        open('log.txt', 'a').write(str(messages))\n"
)

USE = (
    "from dataclasses import dataclass\n"
    "\n"
    "from app.base import ChatBackend\n"
    "from app.store import Store\n"
    "\n"
    "\n"
    "@dataclass\n"
    "class Runtime:\n"
    "    backend: ChatBackend\n"
    "    store: Store\n"
    "\n"
    "\n"
    "async def summarise(rt: Runtime, text):\n"
    "    got = await rt.backend.chat_with_retry([{'role': 'user', 'content': text}])  # summary\n"
    "    await rt.store.save_with_retry([got])  # archive\n"
    "    return got\n"
)


def _analysed(tmp_path, extra=None):
    """The project (a chat backend, a store of the same shape, their implementations, a user of both,
    plus `extra` files) and its sites by (path, line)."""
    root = make(tmp_path, {
        "app/__init__.py": "",
        "app/base.py": RETRYING_BASE.format(base="ChatBackend", method="chat"),
        "app/store.py": RETRYING_BASE.format(base="Store", method="save"),
        "app/providers.py": PROVIDERS,
        "app/sinks.py": SINKS,
        "app/use.py": USE,
        **(extra or {}),
    })
    return root, {(s.path, s.line): s for s in analyse([root], Config(), root=root).sites}


def test_a_retrying_base_method_reaching_the_abstract_one_through_a_picked_method_is_a_facade(tmp_path):
    root, got = _analysed(tmp_path)
    site = got[("app/use.py", line_of(root / "app/use.py", "# summary"))]
    assert site.kind == "facade" and set(site.providers) == {"anthropic", "openai"}
    assert site.wrapper and site.wrapper.endswith("ChatBackend.chat_with_retry")
    # the same shape over a store whose implementation writes a file: no LLM call
    assert ("app/use.py", line_of(root / "app/use.py", "# archive")) not in got


FALLBACK = (
    "import asyncio\n"
    "\n"
    "from app.base import ChatBackend\n"
    "\n"
    "\n"
    "class FallbackBackend(ChatBackend):\n"
    "    def __init__(self, primary: ChatBackend, backups: list[ChatBackend]):\n"
    "        self._primary = primary\n"
    "        self._backups = backups\n"
    "\n"
    "    async def chat(self, messages):\n"
    "        try:\n"
    "            return await self._primary.chat(messages)  # forward\n"
    "        except Exception:\n"
    "            for backup in self._backups:\n"
    "                return await backup.chat(messages)  # fallback\n"
    "\n"
    "\n"
    "class Mixture(ChatBackend):\n"
    "    def __init__(self, proposers: list[ChatBackend], aggregator: ChatBackend):\n"
    "        self.proposers = proposers\n"
    "        self.aggregator = aggregator\n"
    "\n"
    "    async def chat(self, messages):\n"
    "        async def ask(p):\n"
    "            return await p.chat(messages)  # proposed\n"
    "        drafts = await asyncio.gather(*(ask(p) for p in self.proposers))\n"
    "        return await self.aggregator.chat(messages + list(drafts))  # aggregated\n"
    "\n"
    "\n"
    "class LambdaMixture(Mixture):\n"
    "    async def chat(self, messages):\n"
    "        drafts = await asyncio.gather(*map(lambda p: p.chat(messages), self.proposers))\n"
    "        return await self.aggregator.chat(messages + list(drafts))  # combined\n"
    "\n"
    "\n"
    "class Router:\n"
    "    def __init__(self, backends: list[ChatBackend]):\n"
    "        self.backends = backends\n"
    "\n"
    "    async def route(self, messages):\n"
    "        return await self.backends[0].chat(messages)  # routed\n"
)

FALLBACK_USE = (
    "from app.fallback import FallbackBackend\n"
    "from app.providers import ClaudeBackend, OpenAIBackend\n"
    "\n"
    "\n"
    "async def built(text):\n"
    "    fb = FallbackBackend(OpenAIBackend(), [ClaudeBackend()])\n"
    "    return await fb.chat([{'role': 'user', 'content': text}])  # built\n"
    "\n"
    "\n"
    "async def typed(backend: FallbackBackend, text):\n"
    "    return await backend.chat([{'role': 'user', 'content': text}])  # typed\n"
)


def test_implementations_calling_other_objects_of_their_interface_and_their_callers_stay_sites(tmp_path):
    # a fallback chain's calls of its primary and backups, a mixture's proposers (asked through a nested
    # function) and aggregator (also after proposers mapped through a lambda), and a class outside the
    # hierarchy are facade sites; callers of the fallback class itself (built locally, or a parameter
    # typed as it) are sites too
    root, got = _analysed(tmp_path, {"app/fallback.py": FALLBACK, "app/fallback_use.py": FALLBACK_USE})
    fallback = root / "app/fallback.py"
    for mark in ("# forward", "# fallback", "# proposed", "# aggregated", "# combined", "# routed"):
        assert got[("app/fallback.py", line_of(fallback, mark))].kind == "facade", mark
    for mark in ("# built", "# typed"):
        site = got[("app/fallback_use.py", line_of(root / "app/fallback_use.py", mark))]
        assert site.spends, mark
    assert got[("app/use.py", line_of(root / "app/use.py", "# summary"))].kind == "facade"


LMS = (
    "import abc\n"
    "\n"
    "import anthropic\n"
    "import openai\n"
    "\n"
    "\n"
    "class LM(abc.ABC):\n"
    "    @abc.abstractmethod\n"
    "    def generate_until(self, reqs): ...\n"
    "\n"
    "    @abc.abstractmethod\n"
    "    def loglikelihood(self, reqs): ...\n"
    "\n"
    "\n"
    "class OpenAILM(LM):\n"
    "    def generate_until(self, reqs):\n"
    "        return [openai.OpenAI().chat.completions.create(model='gpt-4o', messages=r) for r in reqs]\n"
    "\n"
    "    def loglikelihood(self, reqs):\n"
    "        return [openai.OpenAI().completions.create(model='gpt-3.5-turbo-instruct', prompt=r) for r in reqs]\n"
    "\n"
    "\n"
    "class ClaudeLM(LM):\n"
    "    def generate_until(self, reqs):\n"
    "        return [anthropic.Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=64, messages=r)\n"
    "                for r in reqs]\n"
    "\n"
    "    def loglikelihood(self, reqs):\n"
    "        return [anthropic.Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=1, messages=r)\n"
    "                for r in reqs]\n"
    "\n"
    "\n"
    "class Judge(abc.ABC):\n"
    "    @abc.abstractmethod\n"
    "    def judge(self, text): ...\n"
    "\n"
    "    @abc.abstractmethod\n"
    "    def describe(self, text): ...\n"
    "\n"
    "\n"
    "class GPTJudge(Judge):\n"
    "    def judge(self, text):\n"
    "        return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[text])\n"
    "\n"
    "    def describe(self, text):\n"
    "        return 'gpt: ' + text\n"
    "\n"
    "\n"
    "class ClaudeJudge(Judge):\n"
    "    def judge(self, text):\n"
    "        return anthropic.Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=9, messages=[text])\n"
    "\n"
    "    def describe(self, text):\n"
    "        return 'claude: ' + text\n"
)

DISPATCH = (
    "from app.lms import LM, Judge\n"
    "from app.store import Store\n"
    "\n"
    "\n"
    "def run_one(lm: LM, reqtype, reqs):\n"
    "    return getattr(lm, reqtype)(reqs)  # one\n"
    "\n"
    "\n"
    "def run_all(lm: LM, requests: dict):\n"
    "    for reqtype, reqs in requests.items():\n"
    "        yield getattr(lm, reqtype)(reqs)  # each\n"
    "\n"
    "\n"
    "def persist(store: Store, op, rows):\n"
    "    return getattr(store, op)(rows)  # store\n"
    "\n"
    "\n"
    "def ask(judge: Judge, op, text):\n"
    "    return getattr(judge, op)(text)  # mixed\n"
)


def test_a_method_picked_by_a_run_time_name_is_a_facade_when_every_method_it_may_name_is_one(tmp_path):
    # `getattr(lm, reqtype)(...)` with `reqtype` a parameter or a loop variable: any abstract method of
    # `LM`, each implemented with requests. Not on a store of files, nor on an interface one of whose
    # abstract methods (`describe`) makes no request
    root, got = _analysed(tmp_path, {"app/lms.py": LMS, "app/dispatch.py": DISPATCH})
    at = root / "app/dispatch.py"
    for mark in ("# one", "# each"):
        site = got[("app/dispatch.py", line_of(at, mark))]
        assert site.kind == "facade" and set(site.providers) == {"anthropic", "openai"}, mark
    for mark in ("# store", "# mixed"):
        assert ("app/dispatch.py", line_of(at, mark)) not in got, mark


STRUCTURAL = {
    "app/registry.py": (
        "from dataclasses import dataclass\n"
        "from importlib import import_module\n"
        "from typing import Protocol\n"
        "\n"
        "\n"
        "class TranscriberAdapter(Protocol):\n"
        "    def __init__(self, api_key: str | None = None) -> None: ...\n"
        "\n"
        "    async def transcribe(self, path: str) -> str: ...\n"
        "\n"
        "\n"
        "class ResultCache(Protocol):\n"
        "    def lookup(self, key: str) -> str | None: ...\n"
        "\n"
        "\n"
        "@dataclass(frozen=True)\n"
        "class Spec:\n"
        "    adapter: str\n"
        "\n"
        "    def load_adapter(self) -> type[TranscriberAdapter]:\n"
        "        module_name, _, class_name = self.adapter.partition(':')\n"
        "        return getattr(import_module(module_name), class_name)\n"),
    "app/adapters.py": (
        "import groq\n"
        "import openai\n"
        "\n"
        "\n"
        "class OpenAITranscriber:\n"
        "    def __init__(self, api_key=None):\n"
        "        self.client = openai.AsyncOpenAI(api_key=api_key)\n"
        "\n"
        "    async def transcribe(self, path):\n"
        "        return await self.client.audio.transcriptions.create(model='whisper-1', file=open(path, 'rb'))\n"
        "\n"
        "\n"
        "class GroqTranscriber:\n"
        "    def __init__(self, api_key=None):\n"
        "        self.client = groq.AsyncGroq(api_key=api_key)\n"
        "\n"
        "    async def transcribe(self, path):\n"
        "        return await self.client.audio.transcriptions.create(model='whisper-large-v3', file=open(path, 'rb'))\n"
        "\n"
        "\n"
        "class MemoryCache:\n"
        "    def __init__(self):\n"
        "        self.seen = {}\n"
        "\n"
        "    def lookup(self, key):\n"
        "        return self.seen.get(key)\n"),
    # a module naming no SDK and importing no module that wraps one: read for its `.transcribe(` call
    "app/voice.py": (
        "from app.registry import ResultCache, Spec, TranscriberAdapter\n"
        "\n"
        "\n"
        "async def transcribe_file(spec: Spec, path, key):\n"
        "    provider = spec.load_adapter()(api_key=key)\n"
        "    return await provider.transcribe(path)  # loaded\n"
        "\n"
        "\n"
        "async def transcribe_with(adapter: TranscriberAdapter, path):\n"
        "    return await adapter.transcribe(path)  # declared\n"
        "\n"
        "\n"
        "def cached(cache: ResultCache, key):\n"
        "    return cache.lookup(key)  # cache\n"),
}


def test_a_protocol_whose_structural_implementations_send_requests_is_a_facade_seen_from_its_callers(tmp_path):
    # the adapters never name the Protocol: the module calling it names no SDK either, and is still read
    root, got = _analysed(tmp_path, STRUCTURAL)
    at = root / "app/voice.py"
    for mark in ("# loaded", "# declared"):
        site = got[("app/voice.py", line_of(at, mark))]
        assert site.kind == "facade" and set(site.providers) == {"groq", "openai"}, mark
    assert ("app/voice.py", line_of(at, "# cache")) not in got
