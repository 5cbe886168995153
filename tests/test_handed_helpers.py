"""Facades reached through a project helper that runs the callable it is handed (post17c): a base class
handing its abstract provider method, uncalled, to a pacing or retry helper of its own
(`self.endpoint.run_in_pace(func=self._create_chat_completion, messages=m)` where `run_in_pace` calls
`func(*args, **kwargs)`) makes the request there, as `self._create_chat_completion(messages=m)` would.
Each shape beside its look-alikes that are no request."""

from __future__ import annotations

from pathlib import Path

from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root: Path, rel: str) -> dict[int, tuple[str, tuple[str, ...]]]:
    result = analyse([root], Config(), root=root)
    return {s.line: (s.kind, tuple(sorted(s.providers or ()))) for s in result.sites if s.path == rel}


_PACER = ("import time\n\n\n"
          "class Pacer:\n"
          "    def run_in_pace(self, func, *args, **kwargs):\n"
          "        time.sleep(0.1)\n"
          "        return func(*args, **kwargs)\n\n"
          "    def remember(self, func, *args, **kwargs):\n"
          "        self.later = (func, args, kwargs)\n")
_BASE = ("from abc import ABC, abstractmethod\n\nfrom app.pacer import Pacer\n\n\n"
         "class Provider(ABC):\n"
         "    def __init__(self) -> None:\n        self.pacer = Pacer()\n\n"
         "    @abstractmethod\n"
         "    def _create_chat_completion(self, messages, **kwargs):\n"
         "        \"\"\"Implemented by each provider.\"\"\"\n\n"
         "    def _tokens(self, text):\n        return len(text.split())\n\n"
         "    def score(self, text):\n"
         "        return self.pacer.run_in_pace(func=self._create_chat_completion, messages=[text])\n\n"
         "    def grade(self, text):\n"
         "        return self.pacer.run_in_pace(self._create_chat_completion, [text])\n\n"
         "    def queue(self, text):\n"
         "        return self.pacer.remember(self._create_chat_completion, [text])\n\n"
         "    def count(self, text):\n"
         "        return self.pacer.run_in_pace(func=self._tokens, text=text)\n")
_OPENAI = ("from openai import OpenAI\n\nfrom app.base import Provider\n\n\n"
           "class OpenAIProvider(Provider):\n"
           "    def _create_chat_completion(self, messages, **kwargs):\n"
           "        return OpenAI().chat.completions.create(model='gpt-4o-mini', messages=messages)\n")
_CLAUDE = ("import anthropic\n\nfrom app.base import Provider\n\n\n"
           "class ClaudeProvider(Provider):\n"
           "    def _create_chat_completion(self, messages, **kwargs):\n"
           "        return anthropic.Anthropic().messages.create(model='claude-3-5-haiku-latest', max_tokens=64,\n"
           "                                                     messages=messages)\n")
_FILES = {"app/__init__.py": "", "app/pacer.py": _PACER, "app/base.py": _BASE}


def _local(module: str, base: str, method: str, returned: str) -> str:
    """A subclass of `base` (imported from `module`) whose `method` sends nothing: it returns `returned`."""
    return (f"from {module} import {base}\n\n\n"
            f"class Local{base}({base}):\n"
            f"    def {method}(self, messages=None, **kwargs):\n"
            f"        return {returned}\n")


def test_an_abstract_method_handed_by_keyword_to_a_pacing_helper_is_a_facade(tmp_path) -> None:
    root = make(tmp_path / "p", {**_FILES, "app/openai_p.py": _OPENAI, "app/claude_p.py": _CLAUDE})
    sites = _sites(root, "app/base.py")
    line = line_of(root / "app/base.py", "run_in_pace(func=self._create_chat_completion")
    assert sites.get(line) == ("facade", ("anthropic", "openai"))


def test_an_abstract_method_handed_by_position_to_a_pacing_helper_is_a_facade(tmp_path) -> None:
    root = make(tmp_path / "p", {**_FILES, "app/openai_p.py": _OPENAI, "app/claude_p.py": _CLAUDE})
    sites = _sites(root, "app/base.py")
    assert sites.get(line_of(root / "app/base.py", "run_in_pace(self._create_chat_completion, [text])"),
                     (None,))[0] == "facade"


def test_a_helper_keeping_the_callable_for_later_runs_nothing(tmp_path) -> None:
    """`remember(func, *args)` stores the method: no request is made by that call."""
    root = make(tmp_path / "p", {**_FILES, "app/openai_p.py": _OPENAI, "app/claude_p.py": _CLAUDE})
    sites = _sites(root, "app/base.py")
    assert line_of(root / "app/base.py", "remember(self._create_chat_completion") not in sites


def test_a_concrete_method_handed_to_the_helper_is_no_facade(tmp_path) -> None:
    root = make(tmp_path / "p", {**_FILES, "app/openai_p.py": _OPENAI, "app/claude_p.py": _CLAUDE})
    sites = _sites(root, "app/base.py")
    assert line_of(root / "app/base.py", "run_in_pace(func=self._tokens") not in sites


def test_an_abstract_method_no_implementation_of_which_spends_is_no_facade(tmp_path) -> None:
    """The same helper call in a base whose only implementation answers locally: nothing is sent."""
    local = _local("app.base", "Provider", "_create_chat_completion", "{'choices': [messages[-1]]}")
    root = make(tmp_path / "p", {**_FILES, "app/echo_p.py": local})
    sites = _sites(root, "app/base.py")
    assert line_of(root / "app/base.py", "run_in_pace(func=self._create_chat_completion") not in sites


_CALLABLE_BASE = ("class PromptCallable:\n"
                  "    def _invoke_llm(self, *args, **kwargs):\n"
                  "        raise NotImplementedError\n\n"
                  "    def __call__(self, *args, **kwargs):\n"
                  "        return self._invoke_llm(*args, **kwargs)\n")
_CALLABLE_LITELLM = ("import litellm\n\nfrom app.callable import PromptCallable\n\n\n"
                     "class LiteLLMCallable(PromptCallable):\n"
                     "    def _invoke_llm(self, messages=None, model='gpt-4o-mini', **kwargs):\n"
                     "        return litellm.completion(model=model, messages=messages)\n")
_RUNNER = ("from functools import partial\nfrom typing import Optional\n\n"
           "from app.callable import PromptCallable\n\n\n"
           "def step(messages, api: Optional[PromptCallable], base_model=None):\n"
           "    api_fn = api\n"
           "    if base_model is not None:\n"
           "        api_fn = partial(api, base_model=base_model)\n"
           "    return api_fn(messages=messages)\n\n\n"
           "def shout(text: str):\n"
           "    say = partial(print, end='!')\n"
           "    return say(text)\n")


def test_a_partial_of_a_callable_object_is_that_object_called_later(tmp_path) -> None:
    """`api_fn = partial(api, base_model=M)` in one branch, `api` in the other: calling `api_fn` runs the
    object's `__call__` either way, a facade over its class's implementations."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/callable.py": _CALLABLE_BASE,
                                 "app/litellm_callable.py": _CALLABLE_LITELLM, "app/runner.py": _RUNNER})
    sites = _sites(root, "app/runner.py")
    assert sites.get(line_of(root / "app/runner.py", "return api_fn(messages=messages)")) == ("facade", ("litellm",))
    assert line_of(root / "app/runner.py", "return say(text)") not in sites


def test_a_partial_of_a_callable_object_whose_implementations_send_nothing_is_no_site(tmp_path) -> None:
    local = _local("app.callable", "PromptCallable", "_invoke_llm", "messages[-1]")
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/callable.py": _CALLABLE_BASE,
                                 "app/echo_callable.py": local, "app/runner.py": _RUNNER})
    assert _sites(root, "app/runner.py") == {}
