"""Facades reached through a declared type rather than an assignment: `typing.cast(Base, x)`, a parameter
or a dataclass field annotated with the project base class, and a method its base re-wraps at run time
(`self.agenerate = cache(self.agenerate)` in `__post_init__`: the wrapper still runs the method its
subclasses implement; infer.py `_rewraps`). Look-alikes stay silent: a cast to a base of no models."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

BASE = (
    "from abc import ABC, abstractmethod\n"
    "from dataclasses import dataclass\n"
    "\n"
    "import anthropic\n"
    "import openai\n"
    "\n"
    "\n"
    "def cached(fn):\n"
    "    async def run(*a, **k):\n"
    "        return await fn(*a, **k)\n"
    "    return run\n"
    "\n"
    "\n"
    "@dataclass\n"
    "class BaseLLM(ABC):\n"
    "    cache: bool = False\n"
    "\n"
    "    def __post_init__(self):\n"
    "        if self.cache:\n"
    "            self.agenerate = cached(self.agenerate)\n"
    "\n"
    "    @abstractmethod\n"
    "    async def agenerate(self, prompt): ...\n"
    "\n"
    "\n"
    "class OpenAILLM(BaseLLM):\n"
    "    async def agenerate(self, prompt):\n"
    "        return await openai.AsyncOpenAI().chat.completions.create(\n"
    "            model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
    "\n"
    "\n"
    "class ClaudeLLM(BaseLLM):\n"
    "    async def agenerate(self, prompt):\n"
    "        return await anthropic.AsyncAnthropic().messages.create(\n"
    "            model='claude-haiku-4-5', max_tokens=64, messages=[{'role': 'user', 'content': prompt}])\n"
    "\n"
    "\n"
    "class BaseSink(ABC):\n"
    "    @abstractmethod\n"
    "    def agenerate(self, prompt): ...\n"
    "\n"
    "\n"
    "class FileSink(BaseSink):\n"
    "    def agenerate(self, prompt):\n"
    "        open('out.txt', 'a').write(prompt)\n"
)

USE = (
    "import typing as t\n"
    "from dataclasses import dataclass\n"
    "\n"
    "from app.llms import BaseLLM, BaseSink\n"
    "\n"
    "\n"
    "@dataclass\n"
    "class Metric:\n"
    "    llm: t.Optional[BaseLLM] = None\n"
    "    sink: t.Optional[BaseSink] = None\n"
    "\n"
    "    async def score(self, p):\n"
    "        req = t.cast(BaseLLM, self.llm).agenerate(p)\n"     # 13
    "        t.cast(BaseSink, self.sink).agenerate(p)\n"         # 14: a base of no models
    "        return await req\n"
    "\n"
    "    async def plain(self, p):\n"
    "        return await self.llm.agenerate(p)\n"               # 18
    "\n"
    "\n"
    "async def apply(model: BaseLLM, p):\n"
    "    return await model.agenerate(p)\n"                     # 22
)


def test_a_cast_a_field_and_a_parameter_of_the_base_reach_every_provider(tmp_path):
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/llms.py": BASE, "app/metric.py": USE})
    got = {(s.path, s.line): s for s in analyse([root], Config(), root=root).sites}
    for line in (13, 18, 22):
        site = got[("app/metric.py", line)]
        assert site.kind == "facade" and set(site.providers) == {"anthropic", "openai"}, line
    assert ("app/metric.py", 14) not in got




UNDECLARED = {
    "app/__init__.py": "",
    "app/llms.py": (
        "import anthropic\n"
        "import openai\n"
        "\n"
        "\n"
        "class LLM:\n"
        "    def __init__(self, system):\n"
        "        self.system = system\n"
        "\n"
        "    def chat(self, prompt):\n"
        "        return self.send_message([{'role': 'user', 'content': prompt}])  # only subclasses define it\n"
        "\n"
        "\n"
        "class Claude(LLM):\n"
        "    def send_message(self, messages):\n"
        "        return anthropic.Anthropic().messages.create(model='claude-sonnet-4-5', max_tokens=512,\n"
        "                                                     system=self.system, messages=messages)\n"
        "\n"
        "\n"
        "class ChatGPT(LLM):\n"
        "    def send_message(self, messages):\n"
        "        return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=messages)\n"
        "\n"
        "\n"
        "def make(name, system):\n"
        "    if name == 'claude':\n"
        "        return Claude(system)\n"
        "    return ChatGPT(system)\n"),
    "app/main.py": (
        "from app.llms import make\n"
        "\n"
        "\n"
        "def review(name, code):\n"
        "    llm = make(name, 'You review code.')\n"
        "    return llm.chat(code)  # review\n"),
}


def test_a_method_the_base_calls_on_self_and_only_subclasses_define_is_abstract_in_all_but_name(tmp_path):
    # `LLM.chat` runs `self.send_message`, which `LLM` never declares: only on a subclass can it run
    root = make(tmp_path, UNDECLARED)
    sites = analyse([root], Config(), root=root).sites
    [review] = [s for s in sites if s.path == "app/main.py"]
    assert (review.line, review.kind, review.providers) == (6, "facade", ("anthropic", "openai"))
    # one subclass defining it is no choice: a plain call of that class's code, no facade
    one = dict(UNDECLARED)
    one["app/llms.py"] = UNDECLARED["app/llms.py"].split("class ChatGPT")[0] + \
        "def make(name, system):\n    return Claude(system) if name else LLM(system)\n"
    sites = analyse([make(tmp_path / "one", one)], Config(), root=tmp_path / "one").sites
    assert not [s for s in sites if s.path == "app/main.py" and s.kind == "facade"]


MIXINS = {
    "app/__init__.py": "",
    "app/agent.py": (
        "import anthropic\n"
        "import openai\n"
        "\n"
        "\n"
        "class ChatMixin:\n"
        "    def chat(self, prompt):\n"
        "        return openai.OpenAI().chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': prompt}])\n"
        "\n"
        "\n"
        "class ExecutionMixin:\n"
        "    def start(self, prompt):\n"
        "        return self.chat(prompt)  # the sibling mixin's chat\n"
        "\n"
        "\n"
        "class Agent(ChatMixin, ExecutionMixin):\n"
        "    pass\n"
        "\n"
        "\n"
        "class ClaudeChatMixin:\n"
        "    def chat(self, prompt):\n"
        "        return anthropic.Anthropic().messages.create(model='claude-sonnet-4-5', max_tokens=64,\n"
        "                                                     messages=[{'role': 'user', 'content': prompt}])\n"
        "\n"
        "\n"
        "class Router(ClaudeChatMixin, ExecutionMixin):\n"
        "    pass\n"),
    "app/run.py": "from app.agent import ExecutionMixin\n\n\ndef go(runner: ExecutionMixin, text):\n    return runner.start(text)\n",
}


def test_a_method_a_sibling_mixin_brings_is_no_choice_among_subclasses(tmp_path):
    # `ExecutionMixin.start` calls `self.chat`, which the classes below get from sibling mixins, not their own
    root = make(tmp_path, MIXINS)
    assert not [s for s in analyse([root], Config(), root=root).sites if s.kind == "facade"]
