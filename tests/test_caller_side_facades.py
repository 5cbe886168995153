"""Calls of a project's LLM abstraction seen from the caller, each with its look-alike:
- a concrete base-class method reaching the abstract one through a method a local name picks (`call =
  self._safe_stream if stream else self._safe_chat` handed to a retry helper), on an object declared as
  the base; the same retry shape over a store writing files stays silent;
- an implementation calling other objects of its own interface (a fallback chain, a mixture gathering
  proposers through a nested function or a lambda) stays a site, and so do callers of the fallback
  class itself (built locally or a parameter typed as it), as does a class outside the hierarchy."""

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
