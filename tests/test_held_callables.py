"""Objects and functions held on attributes that the resolver follows to a request (deep14): a plain
function a class is constructed with and calls through its attribute, an attribute declared
`Optional[Base]` whose method only the subclasses define, and a model attribute defaulted in the
constructor (`self._llm = llm or OpenAILLM()`). Each shape beside its look-alike that is no request."""

from __future__ import annotations

from pathlib import Path

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

_LLM = ("from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
        "def send_chat(prompt: str) -> str:\n"
        "    out = client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
        "    return out.choices[0].message.content\n\n\n"
        "def shout(text: str) -> str:\n    return text.upper()\n")


def _sites(root: Path, rel: str) -> dict[int, str]:
    result = analyse([root], Config(), root=root)
    return {s.line: s.kind for s in result.sites if s.path == rel}


def _line(root: Path, rel: str, text: str) -> int:
    hits = [i for i, ln in enumerate((root / rel).read_text().splitlines(), 1) if text in ln]
    assert len(hits) == 1, (rel, text, hits)
    return hits[0]


def test_a_function_the_constructions_pass_is_followed_through_the_attribute(tmp_path) -> None:
    """`Worker(send_chat)` with `self._send = send_fn` and `self._send(q)`: a wrapper of send_chat's
    request; `Formatter(shout)` calling `self._fmt(q)` reaches nothing."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "", "app/llm.py": _LLM,
        "app/worker.py": ("from app.llm import send_chat, shout\n\n\n"
                          "class Worker:\n    def __init__(self, send_fn) -> None:\n        self._send = send_fn\n\n"
                          "    def ask(self, q: str) -> str:\n        return self._send(q)\n\n\n"
                          "class Formatter:\n    def __init__(self, fmt) -> None:\n        self._fmt = fmt\n\n"
                          "    def show(self, q: str) -> str:\n        return self._fmt(q)\n\n\n"
                          "def main() -> None:\n    Worker(send_chat)\n    Formatter(shout)\n"),
    })
    sites = _sites(root, "app/worker.py")
    assert sites.get(_line(root, "app/worker.py", "return self._send(q)")) == "wrapper"
    assert _line(root, "app/worker.py", "return self._fmt(q)") not in sites


def test_callers_passing_different_things_withhold_the_function(tmp_path) -> None:
    """One construction passes the sending function, another a local formatter: the callers do not
    agree, nothing is followed (a stored callback of unknown kind is not a request)."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "", "app/llm.py": _LLM,
        "app/worker.py": ("from app.llm import send_chat\n\n\n"
                          "class Worker:\n    def __init__(self, send_fn) -> None:\n        self._send = send_fn\n\n"
                          "    def ask(self, q: str) -> str:\n        return self._send(q)\n\n\n"
                          "def main(cb) -> None:\n    Worker(send_chat)\n    Worker(cb)\n"),
    })
    assert _line(root, "app/worker.py", "return self._send(q)") not in _sites(root, "app/worker.py")


def test_a_function_only_tests_pass_is_not_followed(tmp_path) -> None:
    """Built only in test code: what a test hands in stands in for the real thing."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "", "app/llm.py": _LLM,
        "app/worker.py": ("class Worker:\n    def __init__(self, send_fn) -> None:\n        self._send = send_fn\n\n"
                          "    def ask(self, q: str) -> str:\n        return self._send(q)\n"),
        "tests/test_worker.py": ("from app.llm import send_chat\nfrom app.worker import Worker\n\n\n"
                                 "def test_ask() -> None:\n    Worker(send_chat).ask('hi')\n"),
    })
    assert _line(root, "app/worker.py", "return self._send(q)") not in _sites(root, "app/worker.py")


_AGENTS = ("from openai import OpenAI\nimport anthropic\n\n\n"
           "class Tool:\n    def describe(self) -> str:\n        return 'tool'\n\n\n"
           "class BaseAgent(Tool):\n    def cancel(self) -> None:\n        self.stopped = True\n\n\n"
           "class ChatAgent(BaseAgent):\n    async def run_task(self, text: str) -> str:\n"
           "        out = OpenAI().chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': text}])\n"
           "        return out.choices[0].message.content\n\n    def tidy(self) -> None:\n        self.stopped = False\n\n\n"
           "class ReviewAgent(BaseAgent):\n    async def run_task(self, text: str) -> str:\n"
           "        out = anthropic.Anthropic().messages.create(model='claude-3-5-haiku-latest', max_tokens=64,\n"
           "                                                    messages=[{'role': 'user', 'content': text}])\n"
           "        return out.content[0].text\n\n    def tidy(self) -> None:\n        self.stopped = False\n")


def _session(annotation: str) -> str:
    return ("from typing import Optional, Union\n\nfrom app.agents import BaseAgent\n\n\n"
            f"class Session:\n    def __init__(self) -> None:\n        self.agent: {annotation} = None\n\n"
            "    async def handle(self, text: str) -> None:\n        await self.agent.run_task(text)\n"
            "        self.agent.tidy()\n")


def test_an_attribute_declared_optional_base_dispatches_to_the_subclasses(tmp_path) -> None:
    """`self.agent: Optional[BaseAgent] = None` (or `BaseAgent | None`), `self.agent.run_task(...)`
    defined only by the subclasses, each sending a request: a facade over them; `tidy`, which the
    subclasses define but which sends nothing, is no site."""
    for i, annotation in enumerate(("Optional[BaseAgent]", "BaseAgent | None", "Union[BaseAgent, None]")):
        root = make(tmp_path / f"p{i}", {"app/__init__.py": "", "app/agents.py": _AGENTS,
                                         "app/session.py": _session(annotation)})
        sites = _sites(root, "app/session.py")
        assert sites.get(_line(root, "app/session.py", "self.agent.run_task(text)")) == "facade", annotation
        assert _line(root, "app/session.py", "self.agent.tidy()") not in sites, annotation


_HELPER = ("from openai import OpenAI\n\n\n"
           "class Helper:\n    def __init__(self) -> None:\n        self.client = OpenAI()\n\n"
           "    def complete(self, prompt: str) -> str:\n"
           "        out = self.client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
           "        return out.choices[0].message.content\n")


def _strategies(built: bool) -> str:
    """Four strategies below a base whose concrete `handle` runs the abstract `orchestrate`: two reach a
    model through a helper (built in the method, or by the class by default: `helper or Helper()`), one
    through a LangChain chain it builds, one sends nothing; `built=False`: the same, every helper and
    model object handed in by the constructions."""
    own = "helper or Helper()" if built else "helper"
    local = "Helper()" if built else "self._helper"
    chat = "ChatOpenAI(model='gpt-4o-mini')" if built else "self._model"
    return ("from abc import ABC, abstractmethod\n\nfrom langchain_openai import ChatOpenAI\n\nfrom app.helper import Helper\n\n\n"
            "class Strategy(ABC):\n    def handle(self, text: str) -> str:\n        return self.orchestrate(text).strip()\n\n"
            "    @abstractmethod\n    def orchestrate(self, text: str) -> str: ...\n\n\n"
            "class Direct(Strategy):\n    def __init__(self, helper=None) -> None:\n"
            f"        self._helper = {own}\n\n"
            "    def orchestrate(self, text: str) -> str:\n        return self._helper.complete(text)\n\n\n"
            "class Local(Strategy):\n    def __init__(self, helper=None) -> None:\n        self._helper = helper\n\n"
            f"    def orchestrate(self, text: str) -> str:\n        helper = {local}\n        return helper.complete(text)\n\n\n"
            "class Chained(Strategy):\n    def __init__(self, model=None) -> None:\n        self._model = model\n\n"
            f"    def orchestrate(self, text: str) -> str:\n        llm = {chat}\n        return llm.invoke(text).content\n\n\n"
            "class Echo(Strategy):\n    def orchestrate(self, text: str) -> str:\n        return text\n\n\n"
            "def pick(kind: str) -> Strategy:\n"
            "    if kind == 'direct':\n        return Direct()\n    if kind == 'local':\n        return Local()\n"
            "    if kind == 'chain':\n        return Chained()\n    return Echo()\n\n\n"
            "def serve(kind: str, text: str) -> str:\n    return pick(kind).handle(text)\n")


def test_a_base_whose_implementations_build_their_own_model_access_is_a_facade(tmp_path) -> None:
    """Most implementations reach a model through a helper or a chain they build (FACADESRC): the
    base method is a facade over them, though no name on the way speaks of models."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/helper.py": _HELPER,
                                 "app/strategies.py": _strategies(built=True)})
    sites = _sites(root, "app/strategies.py")
    assert sites.get(_line(root, "app/strategies.py", "return pick(kind).handle(text)")) == "facade"


def test_a_base_whose_implementations_only_run_what_they_are_handed_is_no_facade(tmp_path) -> None:
    """The same family handed its helpers and model objects: users of a model, not a model interface."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/helper.py": _HELPER,
                                 "app/strategies.py": _strategies(built=False)})
    sites = _sites(root, "app/strategies.py")
    assert _line(root, "app/strategies.py", "return pick(kind).handle(text)") not in sites


def test_a_construction_wrapping_a_handed_model_is_not_an_own_model(tmp_path) -> None:
    """Implementations building a router around the model they were handed (`Router(llm=self.llm)`
    with `self.llm = llm`) use the caller's model: no facade; the same router built with a model
    chosen here (`Router(llm="gpt-4o-mini")`) or handed a connection (a parameter not named for a
    model) is the implementation's own."""
    router = ("import anthropic\nfrom openai import OpenAI\n\n\n"
              "class Router:\n    def __init__(self, llm, connection=None) -> None:\n        self.llm = llm\n\n"
              "    def pick(self, text: str) -> str:\n"
              "        out = OpenAI().chat.completions.create(model=self.llm, messages=[{'role': 'user', 'content': text}])\n"
              "        return out.choices[0].message.content\n\n\n"
              "class ClaudeRouter:\n    def __init__(self, llm, connection=None) -> None:\n        self.llm = llm\n\n"
              "    def pick(self, text: str) -> str:\n"
              "        out = anthropic.Anthropic().messages.create(model=self.llm, max_tokens=64,\n"
              "                                                    messages=[{'role': 'user', 'content': text}])\n"
              "        return out.content[0].text\n")
    def family(arg: str) -> str:
        # Agent1 routes through OpenAI, the others through Anthropic: implementations that differ by
        # provider (a family all wrapping one and the same request is no facade on its own account).
        body = "".join(
            f"class Agent{i}(Agent):\n    def __init__(self, llm) -> None:\n        self.llm = llm\n\n"
            f"    def answer(self, text: str, connection=None) -> str:\n"
            f"        router = {arg if i == 1 else arg.replace('Router', 'ClaudeRouter')}\n"
            "        return router.pick(text)\n\n\n" for i in (1, 2, 3))
        return ("from abc import ABC, abstractmethod\n\nfrom app.router import ClaudeRouter, Router\n\n\n"
                "class Agent(ABC):\n    def run(self, text: str) -> str:\n        return self.answer(text)\n\n"
                "    @abstractmethod\n    def answer(self, text: str) -> str: ...\n\n\n" + body +
                "def serve(agent: Agent, text: str) -> str:\n    return agent.run(text)\n")
    for i, (arg, kind) in enumerate((("Router(llm=self.llm)", None), ("Router(llm='gpt-4o-mini')", "facade"),
                                     ("Router('gpt-4o-mini', connection)", "facade"))):
        root = make(tmp_path / f"p{i}", {"app/__init__.py": "", "app/router.py": router,
                                         "app/agents.py": family(arg)})
        assert _sites(root, "app/agents.py").get(_line(root, "app/agents.py", "return agent.run(text)")) == kind, arg

