"""A request in a branch guarded by a parameter's class (`if isinstance(action, EditAction) and ...:`,
`type(action) is EditAction`) is not reached from a call handing that parameter an object of an
unrelated project class (a constructor call, an annotated parameter or name): neither as a wrapper
(`client.execute(RunAction(...))`) nor through a base class's abstract method whose implementations
forward their annotated action to the dispatcher (resolve/guards.py). The same call with the guarded
class, a subclass of it or its base still reaches it. And a plugin interface (a tool base) few of whose
many implementations reach a model is no facade, whatever it is called, while a model base whose
providers each send a request is one (interfaces.py `_few_implementations_spend`)."""

from __future__ import annotations

import pytest
from projects import analysed_sites, make, shuffle_analysis

from tokenlint.config import Config
from tokenlint.engine import analyse

ACTIONS = (
    "class Action:\n"
    "    timeout = None\n"
    "\n"
    "\n"
    "class RunAction(Action):\n"
    "    def __init__(self, command):\n"
    "        self.command = command\n"
    "\n"
    "\n"
    "class ReadAction(Action):\n"
    "    def __init__(self, path):\n"
    "        self.path = path\n"
    "\n"
    "\n"
    "class EditAction(Action):\n"
    "    def __init__(self, path, instruction, mode='llm'):\n"
    "        self.path = path\n"
    "        self.instruction = instruction\n"
    "        self.mode = mode\n"
    "\n"
    "\n"
    "class SmartEditAction(EditAction):\n"
    "    pass\n"
)

RUNTIME = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "import litellm\n"
    "\n"
    "from app.actions import Action, EditAction, ReadAction, RunAction\n"
    "\n"
    "\n"
    "class Sandbox(ABC):\n"
    "    def prepare(self):\n"
    "        self.run(RunAction('ls'))\n"                                  # 10: no site
    "        return self.read(ReadAction('setup.sh'))\n"                   # 11: no site
    "\n"
    "    def revise(self, path):\n"
    "        return self.edit(EditAction(path, 'fix it'))\n"               # 14: facade
    "\n"
    "    @abstractmethod\n"
    "    def run(self, action: RunAction):\n"
    "        pass\n"
    "\n"
    "    @abstractmethod\n"
    "    def read(self, action: ReadAction):\n"
    "        pass\n"
    "\n"
    "    @abstractmethod\n"
    "    def edit(self, action: EditAction):\n"
    "        pass\n"
    "\n"
    "\n"
    "class RemoteSandbox(Sandbox):\n"
    "    def model_edit(self, action: EditAction):\n"
    "        return litellm.completion(model='gpt-4o-mini', messages=[{'role': 'user', 'content': action.path}])\n"
    "\n"
    "    def execute(self, action: Action):\n"
    "        if isinstance(action, EditAction) and action.mode == 'llm':\n"
    "            return self.model_edit(action)\n"                         # 35: wrapper
    "        return self.post(action)\n"
    "\n"
    "    def execute_exact(self, action: Action):\n"
    "        if type(action) is EditAction:\n"
    "            return self.model_edit(action)\n"                         # 40: wrapper
    "        return None\n"
    "\n"
    "    def post(self, action):\n"
    "        return None\n"
    "\n"
    "    def run(self, action: RunAction):\n"
    "        return self.execute(action)\n"                                # 47: no site
    "\n"
    "    def read(self, action: ReadAction):\n"
    "        return self.execute(action)\n"                                # 50: no site
    "\n"
    "    def edit(self, action: EditAction):\n"
    "        return self.execute(action)\n"                                # 53: wrapper
    "\n"
    "\n"
    "class DockerSandbox(RemoteSandbox):\n"
    "    pass\n"
)

USE = (
    "from app.actions import Action, EditAction, RunAction, SmartEditAction\n"
    "from app.runtime import RemoteSandbox, Sandbox\n"
    "\n"
    "\n"
    "def setup(box: Sandbox):\n"
    "    box.prepare()\n"                                                  # 6: no site
    "    box.run(RunAction('pwd'))\n"                                      # 7: no site
    "    return box.edit(EditAction('a.py', 'rename'))\n"                  # 8: facade
    "\n"
    "\n"
    "def direct(box: RemoteSandbox, action: RunAction, any_action: Action, later: Action):\n"
    "    box.execute(action)\n"                                            # 12: no site
    "    box.execute(EditAction('b.py', 'x'))\n"                           # 13: wrapper
    "    box.execute(SmartEditAction('c.py', 'x'))\n"                      # 14: wrapper (a subclass)
    "    box.execute(any_action)\n"                                        # 15: wrapper (the base)
    "    box.execute(later.copy())\n"                                      # 16: wrapper (unknown)
    "    box.execute_exact(RunAction('x'))\n"                              # 17: no site
    "    return box.execute_exact(EditAction('d.py', 'x'))\n"              # 18: wrapper
)

FILES = {"app/__init__.py": "", "app/actions.py": ACTIONS, "app/runtime.py": RUNTIME, "app/use.py": USE}


def _found(sites) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(s.path, s.line): s.kind for s in sites}


def test_a_branch_guarded_by_another_class_is_not_followed(tmp_path):
    got = _found(analysed_sites(tmp_path / "p", FILES))
    for line in (10, 11, 47, 50):
        assert ("app/runtime.py", line) not in got, line
    for line in (6, 7, 12, 17):
        assert ("app/use.py", line) not in got, line


def test_the_guarded_class_its_subclass_its_base_or_an_unknown_object_still_reach_the_request(tmp_path):
    got = _found(analysed_sites(tmp_path / "p", FILES))
    assert got[("app/runtime.py", 14)] == "facade"
    assert got[("app/use.py", 8)] == "facade"
    for line in (35, 40, 53):
        assert got[("app/runtime.py", line)] == "wrapper", line
    for line in (13, 14, 15, 16, 18):
        assert got[("app/use.py", line)] == "wrapper", line


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_answer_is_the_same_whichever_file_is_analysed_first(tmp_path, monkeypatch, seed: int):
    root = make(tmp_path / "p", FILES)
    want = _found(analyse([root], Config(), root=root).sites)
    shuffle_analysis(monkeypatch, seed)
    assert _found(analyse([root], Config(), root=root).sites) == want


TOOL_BASE = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "\n"
    "class LLMTool(ABC):\n"
    "    name = 'tool'\n"
    "\n"
    "    async def run_async(self, tool_input):\n"
    "        return await self.run_impl(tool_input)\n"                     # 8: no facade
    "\n"
    "    @abstractmethod\n"
    "    async def run_impl(self, tool_input):\n"
    "        ...\n"
)

TOOLS = (
    "import os\n"
    "import subprocess\n"
    "\n"
    "from openai import AsyncOpenAI\n"
    "\n"
    "from app.base import LLMTool\n"
    "\n"
    "\n"
    "class ShellTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return subprocess.run(tool_input['cmd'], shell=True).returncode\n"
    "\n"
    "\n"
    "class ReadTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return open(tool_input['path']).read()\n"
    "\n"
    "\n"
    "class WriteTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return open(tool_input['path'], 'w').write(tool_input['text'])\n"
    "\n"
    "\n"
    "class ListTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return os.listdir(tool_input['path'])\n"
    "\n"
    "\n"
    "class RemoveTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return os.remove(tool_input['path'])\n"
    "\n"
    "\n"
    "class EchoTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return tool_input['text']\n"
    "\n"
    "\n"
    "class ImageTool(LLMTool):\n"
    "    async def run_impl(self, tool_input):\n"
    "        return await AsyncOpenAI().images.generate(model='gpt-image-1', prompt=tool_input['prompt'])\n"
)

TOOL_USE = (
    "from app.base import LLMTool\n"
    "\n"
    "\n"
    "class ToolManager:\n"
    "    def __init__(self, tools: list[LLMTool]):\n"
    "        self.tools = tools\n"
    "\n"
    "    def get_tool(self, name: str) -> LLMTool:\n"
    "        return next(t for t in self.tools if t.name == name)\n"
    "\n"
    "    async def call(self, name, tool_input):\n"
    "        llm_tool = self.get_tool(name)\n"
    "        return await llm_tool.run_async(tool_input)\n"                 # 13: no facade
    "\n"
    "\n"
    "async def call_one(tool: LLMTool, tool_input):\n"
    "    return await tool.run_impl(tool_input)\n"                         # 17: no facade
)

MODEL_BASE = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "import anthropic\n"
    "import litellm\n"
    "import openai\n"
    "\n"
    "\n"
    "class Provider(ABC):\n"
    "    @abstractmethod\n"
    "    def run(self, prompt):\n"
    "        ...\n"
    "\n"
    "\n"
    "class OpenAIProvider(Provider):\n"
    "    def run(self, prompt):\n"
    "        return openai.OpenAI().chat.completions.create(model='gpt-4o-mini', messages=prompt)\n"
    "\n"
    "\n"
    "class ClaudeProvider(Provider):\n"
    "    def run(self, prompt):\n"
    "        return anthropic.Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=64, messages=prompt)\n"
    "\n"
    "\n"
    "class LiteProvider(Provider):\n"
    "    def run(self, prompt):\n"
    "        return litellm.completion(model='gpt-4o-mini', messages=prompt)\n"
)

MODEL_USE = (
    "from app.models import Provider\n"
    "\n"
    "\n"
    "def answer(llm: Provider, prompt):\n"
    "    return llm.run(prompt)\n"                                         # 5: facade
)


def test_a_tool_base_few_of_whose_tools_call_a_model_is_no_facade(tmp_path):
    files = {"app/__init__.py": "", "app/base.py": TOOL_BASE, "app/tools.py": TOOLS, "app/manager.py": TOOL_USE}
    got = _found(analysed_sites(tmp_path / "p", files))
    assert got[("app/tools.py", 41)] == "direct"  # the one tool's own request stays
    assert ("app/base.py", 8) not in got
    assert ("app/manager.py", 13) not in got
    assert ("app/manager.py", 17) not in got


def test_a_model_base_whose_providers_each_send_a_request_is_a_facade(tmp_path):
    sites = analysed_sites(tmp_path / "p", {"app/__init__.py": "", "app/models.py": MODEL_BASE,
                                            "app/use.py": MODEL_USE})
    site = next(s for s in sites if (s.path, s.line) == ("app/use.py", 5))
    assert site.kind == "facade" and set(site.providers) == {"anthropic", "litellm", "openai"}


REPLAYED_MODELS = (
    "import json\n"
    "from abc import ABC, abstractmethod\n"
    "\n"
    "import litellm\n"
    "\n"
    "\n"
    "class AbstractModel(ABC):\n"
    "    @abstractmethod\n"
    "    def query(self, history):\n"
    "        ...\n"
    "\n"
    "\n"
    "class LiteModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return litellm.completion(model='gpt-4o-mini', messages=history)\n"
    "\n"
    "\n"
    "class HumanModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return input('> ')\n"
    "\n"
    "\n"
    "class ReplayModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return json.load(open('replay.json'))[len(history)]\n"
    "\n"
    "\n"
    "class EchoModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return history[-1]\n"
    "\n"
    "\n"
    "class EmptyModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return ''\n"
    "\n"
    "\n"
    "class ExitModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return 'exit'\n"
    "\n"
    "\n"
    "class CannedModel(AbstractModel):\n"
    "    def query(self, history):\n"
    "        return 'ls'\n"
)

AGENT = (
    "from app.models import AbstractModel\n"
    "\n"
    "\n"
    "def step(model: AbstractModel, history):\n"
    "    return model.query(history)\n"                                   # 5: facade
)


def test_a_model_base_few_of_whose_models_send_requests_is_still_a_facade(tmp_path):
    # the same share as the tools' above, but the interface is named for a model: a human or a replay
    # stands in for the one model that sends requests
    sites = analysed_sites(tmp_path / "p", {"app/__init__.py": "", "app/models.py": REPLAYED_MODELS,
                                            "app/agent.py": AGENT})
    site = next(s for s in sites if (s.path, s.line) == ("app/agent.py", 5))
    assert site.kind == "facade" and site.provider == "litellm"
