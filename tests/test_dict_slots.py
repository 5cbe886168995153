"""A dict held on `self` whose entries a class's methods put under literal keys (`self.tools["agent"] =
Agent()`, `self.tools = {"agent": Agent()}`, `self.tools.update(agent=Agent())`): `self.tools["agent"]`
read in another method holds what was put under that key, the union of every assignment, as an
attribute assigned in several methods does (scope.py `slot_fills`, containers.py `_slot_item`). And a
registry read at a key guarded by a default (`if kind not in REGISTRY: kind = "openai"` then
`REGISTRY[kind](...)`): any of the registry's classes, not only the default's (containers.py
`_guarded_key`)."""

from __future__ import annotations

import ast

from projects import make
from test_client_registries import sites

from tokenlint.resolve.scope import slot_fills

AGENTS = (
    "import anthropic\n"
    "import openai\n"
    "\n"
    "\n"
    "class BaseAgent:\n"
    "    pass\n"
    "\n"
    "\n"
    "class OpenAIAgent(BaseAgent):\n"
    "    def __init__(self):\n"
    "        self.client = openai.OpenAI()\n"
    "\n"
    "    def generate(self, messages):\n"
    "        return self.client.chat.completions.create(model='gpt-4o-mini', messages=messages)\n"
    "\n"
    "\n"
    "class ClaudeAgent(BaseAgent):\n"
    "    def __init__(self):\n"
    "        self.client = anthropic.Anthropic()\n"
    "\n"
    "    def generate(self, messages):\n"
    "        return self.client.messages.create(model='claude-sonnet-4-5', max_tokens=64, messages=messages)\n"
    "\n"
    "\n"
    "class Hook:\n"
    "    def generate(self, messages):\n"
    "        return None\n"
)


def _line(src: str, text: str) -> int:
    return next(i for i, t in enumerate(src.splitlines(), 1) if text in t)


def _at(tmp_path, files: dict, path: str, texts: tuple[str, ...]) -> list:
    """The sites of the project of `files` (beside the agents module) at the lines of `path` holding
    each of `texts`, None where there is none."""
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/agents.py": AGENTS, **files})
    got = sites(root)
    return [got.get((path, _line(files[path], t))) for t in texts]


ITEM_ASSIGNED = (
    "from .agents import ClaudeAgent, Hook, OpenAIAgent\n"
    "\n"
    "\n"
    "class Manager:\n"
    "    def __init__(self):\n"
    "        self.tools = {}\n"
    "\n"
    "    def setup(self, kind):\n"
    "        if kind == 'claude':\n"
    "            self.tools['llm_agent'] = ClaudeAgent()\n"
    "        else:\n"
    "            self.tools['llm_agent'] = OpenAIAgent()\n"
    "        self.tools['hook'] = Hook()\n"
    "\n"
    "    def run(self, messages):\n"
    "        return self.tools['llm_agent'].generate(messages)\n"
    "\n"
    "    def notify(self, messages):\n"
    "        return self.tools['hook'].generate(messages)\n"
)


def test_a_slot_assigned_under_a_key_in_two_branches_holds_both_objects(tmp_path):
    agent, hook = _at(tmp_path, {"app/manager.py": ITEM_ASSIGNED}, "app/manager.py",
                      ("['llm_agent'].generate", "['hook'].generate"))
    assert agent.kind == "facade" and agent.provider == "multi"
    assert set(agent.providers) == {"openai", "anthropic"}
    assert hook is None  # the object under another key of the same dict makes no request


LITERAL_AND_UPDATE = (
    "from .agents import ClaudeAgent, Hook, OpenAIAgent\n"
    "\n"
    "\n"
    "class Manager:\n"
    "    def __init__(self):\n"
    "        self.tools = {'writer': OpenAIAgent(), 'hook': Hook()}\n"
    "\n"
    "    def setup(self):\n"
    "        self.tools.update(reviewer=ClaudeAgent())\n"
    "\n"
    "    def write(self, messages):\n"
    "        return self.tools['writer'].generate(messages)\n"
    "\n"
    "    def review(self, messages):\n"
    "        return self.tools['reviewer'].generate(messages)\n"
    "\n"
    "    def notify(self, messages):\n"
    "        return self.tools['hook'].generate(messages)\n"
)


def test_a_slot_filled_by_a_dict_literal_or_update_holds_the_object_under_its_own_key(tmp_path):
    writer, reviewer, hook = _at(tmp_path, {"app/manager.py": LITERAL_AND_UPDATE}, "app/manager.py",
                                 ("['writer'].generate", "['reviewer'].generate", "['hook'].generate"))
    assert writer.provider == "openai" and reviewer.provider == "anthropic" and hook is None


OTHER_OBJECT = (
    "from .manager import Manager\n"
    "\n"
    "\n"
    "def handle(manager: Manager, messages):\n"
    "    return manager.tools['writer'].generate(messages)\n"
)


def test_a_slot_read_on_another_object_of_the_class_holds_what_its_methods_put_there(tmp_path):
    (s,) = _at(tmp_path, {"app/manager.py": LITERAL_AND_UPDATE, "app/handler.py": OTHER_OBJECT}, "app/handler.py",
               ("['writer'].generate",))
    assert s.provider == "openai"


def test_slot_fills_reads_item_assignments_dict_literals_and_updates_of_self_attributes_only():
    cls = ast.parse(
        "class M:\n"
        "    def a(me):\n"
        "        me.tools['x'] = X()\n"
        "        other.tools['y'] = Y()\n"
        "        me.tools = {'z': Z(), **rest}\n"
        "    def b(self):\n"
        "        self.tools.update({'u': U()}, )\n"
        "        self.tools.update(v=V())\n"
        "        def inner():\n"
        "            self.tools['w'] = W()\n"
    ).body[0]
    fills = slot_fills(cls)  # type: ignore[arg-type]
    assert [(ast.literal_eval(k), ast.unparse(v)) for k, v, _fn in fills["tools"]] == [
        ("x", "X()"), ("z", "Z()"), ("u", "U()"), ("v", "V()")]
    assert slot_fills(cls) is fills  # type: ignore[arg-type]  # indexed once


LLMS = (
    "import anthropic\n"
    "import openai\n"
    "\n"
    "\n"
    "class OpenAILLM:\n"
    "    def __init__(self, model='gpt-4o-mini'):\n"
    "        self.client = openai.OpenAI()\n"
    "        self.model = model\n"
    "\n"
    "    def generate(self, messages):\n"
    "        return self.client.chat.completions.create(model=self.model, messages=messages)\n"
    "\n"
    "\n"
    "class ClaudeLLM:\n"
    "    def __init__(self, model='claude-sonnet-4-5'):\n"
    "        self.client = anthropic.Anthropic()\n"
    "        self.model = model\n"
    "\n"
    "    def generate(self, messages):\n"
    "        return self.client.messages.create(model=self.model, max_tokens=64, messages=messages)\n"
    "\n"
    "\n"
    "PROVIDERS = {'openai': OpenAILLM, 'anthropic': ClaudeLLM}\n"
    "KNOWN = {'openai': 1}\n"
)
GUARDED = (
    "from .llms import KNOWN, PROVIDERS\n"
    "\n"
    "\n"
    "class Agent:\n"
    "    def __init__(self, config):\n"
    "        self.config = config\n"
    "        self.llm = self._make_llm()\n"
    "\n"
    "    def _make_llm(self):\n"
    "        provider = self.config.get('provider', 'openai')\n"
    "        if provider not in {where}:\n"
    "            provider = 'openai'\n"
    "        llm_class = PROVIDERS[provider]\n"
    "        return llm_class(model=self.config.get('model'))\n"
    "\n"
    "    def answer(self, messages):\n"
    "        return self.llm.generate(messages)\n"
)


def _guarded(tmp_path, where: str):
    src = GUARDED.replace("{where}", where)
    root = make(tmp_path / where, {"app/__init__.py": "", "app/llms.py": LLMS, "app/agent.py": src})
    return sites(root)[("app/agent.py", _line(src, "self.llm.generate"))]


def test_a_registry_key_sent_to_a_default_when_unknown_is_any_of_the_registry_keys(tmp_path):
    s = _guarded(tmp_path, "PROVIDERS")
    assert s.provider == "multi" and set(s.providers) == {"openai", "anthropic"}
    assert _guarded(tmp_path, "PROVIDERS.keys()").provider == "multi"  # the same guard


def test_a_guard_on_another_container_leaves_the_default_key(tmp_path):
    assert _guarded(tmp_path, "KNOWN").provider == "openai"
