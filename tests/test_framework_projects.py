"""Framework and facade resolution on whole projects: a root that is a package, callers of runnable
builders in files naming no framework, and a cycle of re-exports (the per-expression cases are the
fixtures under fixtures/resolver/frameworks and fixtures/resolver/lookalikes)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse


def test_a_root_that_is_a_package_resolves_its_own_absolute_imports(tmp_path):
    """`tokenlint check mypkg/`: modules import each other as `mypkg.sub.mod`, so the facade's type
    resolves (confidence "resolved"), while an import of another top-level name stays external."""
    root = make(tmp_path / "mypkg", {
        "__init__.py": "",
        "llms/__init__.py": "",
        "llms/base.py": (
            "from abc import ABC, abstractmethod\n"
            "\n"
            "\n"
            "class BaseLlm(ABC):\n"
            "    @abstractmethod\n"
            "    def chat_completion(self, messages): ...\n"
        ),
        "llms/openai_llm.py": (
            "import openai\n"
            "from mypkg.llms.base import BaseLlm\n"
            "\n"
            "\n"
            "class OpenAiLlm(BaseLlm):\n"
            "    def chat_completion(self, messages):\n"
            "        return openai.OpenAI().chat.completions.create(model=\"gpt-4.1\", messages=messages)\n"
        ),
        "agent.py": (
            "from mypkg.llms.base import BaseLlm\n"
            "from otherpkg.llms.base import BaseLlm as Foreign\n"
            "\n"
            "\n"
            "class Agent:\n"
            "    def __init__(self, llm: BaseLlm, other: Foreign):\n"
            "        self.llm = llm\n"
            "        self.other = other\n"
            "\n"
            "    def step(self, messages):\n"
            "        self.other.complete(messages)\n"
            "        return self.llm.chat_completion(messages)\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    facades = [(s.path, s.line, s.confidence, s.wrapper) for s in result.sites if s.kind == "facade"]
    assert facades == [("agent.py", 12, "resolved", "llms.base.BaseLlm.chat_completion")]


def test_callers_of_runnable_builders_are_read_though_they_name_no_framework(tmp_path):
    """A file naming no framework (`main.py`) still holds requests when it runs what a project
    module builds: a crewAI crew returned by a method, a chat model returned by a factory. A module
    whose functions return plain values does not make its callers candidates."""
    root = make(tmp_path, {
        "app/__init__.py": "",
        "app/crew.py": (
            "from crewai import Agent, Crew\n"
            "\n"
            "\n"
            "class TripCrew:\n"
            "    def crew(self) -> Crew:\n"
            "        return Crew(agents=[Agent(role=\"planner\", goal=\"plan\", backstory=\"\")], tasks=[])\n"
        ),
        "app/models.py": (
            "from langchain_openai import ChatOpenAI\n"
            "\n"
            "\n"
            "def get_chat_model(name):\n"
            "    return ChatOpenAI(model=name)\n"
        ),
        "app/util.py": "def get_name():\n    return 'x'\n",
        "main.py": (
            "from app.crew import TripCrew\n"
            "from app.models import get_chat_model\n"
            "from app.util import get_name\n"
            "\n"
            "TripCrew().crew().kickoff(inputs={\"city\": \"Oslo\"})\n"
            "get_chat_model(\"gpt-4.1-mini\").invoke(\"hello\")\n"
            "get_name().invoke(\"hello\")\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    requests = sorted((s.line, s.sdk) for s in result.sites if s.path == "main.py" and s.kind == "request")
    assert requests == [(5, "crewai"), (6, "langchain")]


def test_a_cycle_of_re_exports_ends_at_the_cap(tmp_path):
    """`from .b import MODEL` in a.py and `from .a import MODEL` in b.py: following the name to its
    assignment stops at the re-export cap instead of exhausting the stack."""
    root = make(tmp_path / "pkg", {
        "__init__.py": "",
        "a.py": "from .b import MODEL\n",
        "b.py": "from .a import MODEL\n",
        "app.py": (
            "import openai\n"
            "from .a import MODEL\n"
            "\n"
            "\n"
            "def ask(q: MODEL):\n"
            "    return openai.OpenAI().responses.create(model=MODEL, input=q)\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    assert [(s.path, s.line, s.kind) for s in result.sites] == [("app.py", 6, "direct")]


def test_callers_of_a_base_public_method_reaching_an_abstract_one_by_name_are_read(tmp_path):
    """`llm.generate(...)` in a file naming no SDK and no abstract method: the base's public
    `generate` hands `"_raw_generate"` to a helper that dispatches with getattr, so callers of
    `generate` are read and become facade sites; a storage base dispatching the same way to
    implementations that spend nothing gives its callers nothing."""
    root = make(tmp_path, {
        "llm/__init__.py": "",
        "llm/base.py": (
            "from abc import ABC, abstractmethod\n"
            "\n"
            "\n"
            "class BaseLLM(ABC):\n"
            "    def generate(self, messages):\n"
            "        return self._with_fallback(\"_raw_generate\", messages)\n"
            "\n"
            "    def _with_fallback(self, method_name, messages):\n"
            "        return getattr(self, method_name)(messages)\n"
            "\n"
            "    @abstractmethod\n"
            "    def _raw_generate(self, messages): ...\n"
            "\n"
            "\n"
            "class BaseModelStore(ABC):\n"
            "    def persist(self, blob):\n"
            "        return self._with_lock(\"_raw_persist\", blob)\n"
            "\n"
            "    def _with_lock(self, method_name, blob):\n"
            "        return getattr(self, method_name)(blob)\n"
            "\n"
            "    @abstractmethod\n"
            "    def _raw_persist(self, blob): ...\n"
        ),
        "llm/openai_llm.py": (
            "import openai\n"
            "from llm.base import BaseLLM, BaseModelStore\n"
            "\n"
            "\n"
            "class OpenAILLM(BaseLLM):\n"
            "    def _raw_generate(self, messages):\n"
            "        return openai.OpenAI().chat.completions.create(model=\"gpt-4.1\", messages=messages)\n"
            "\n"
            "\n"
            "class DiskStore(BaseModelStore):\n"
            "    def _raw_persist(self, blob):\n"
            "        return len(blob)\n"
        ),
        "service.py": (
            "def answer(llm, store, question):\n"
            "    store.persist(question)\n"
            "    return llm.generate([{\"role\": \"user\", \"content\": question}])\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    facades = [(s.path, s.line, s.provider, s.wrapper) for s in result.sites if s.kind == "facade"]
    assert facades == [("service.py", 3, "openai", "llm.base.BaseLLM.generate")]


def test_callers_of_a_stored_bound_request_are_read_in_files_naming_no_sdk(tmp_path):
    """`self.llm.completion(...)` where `completion` is a property returning the request the LLM
    class bound with `functools.partial`: the caller's file names nothing LLM-like, yet it is read
    and its call is a facade over the bound request; a stored formatter's caller is not."""
    root = make(tmp_path, {
        "llm.py": (
            "from functools import partial\n"
            "\n"
            "from litellm import completion as litellm_completion\n"
            "\n"
            "\n"
            "def render(template, **values):\n"
            "    return template.format(**values)\n"
            "\n"
            "\n"
            "class LLM:\n"
            "    def __init__(self, model):\n"
            "        self._completion = partial(litellm_completion, model=model)\n"
            "        self.fill = partial(render, \"{text}\")\n"
            "\n"
            "    @property\n"
            "    def completion(self):\n"
            "        return self._completion\n"
        ),
        "base.py": (
            "from llm import LLM\n"
            "\n"
            "\n"
            "class Agent:\n"
            "    def __init__(self, llm: LLM):\n"
            "        self.llm = llm\n"
        ),
        "coder.py": (
            "from base import Agent\n"
            "\n"
            "\n"
            "class Coder(Agent):\n"
            "    def step(self, text):\n"
            "        prompt = self.llm.fill(text=text)\n"
            "        return self.llm.completion(messages=[{\"role\": \"user\", \"content\": prompt}])\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    facades = [(s.path, s.line, s.provider, s.wrapper) for s in result.sites if s.kind == "facade"]
    assert facades == [("coder.py", 7, "litellm", "llm.LLM.completion")]


def test_imports_from_a_package_folder_on_the_path_resolve(tmp_path):
    """`apps/` is a package and also on the path (Django): `from providers.base import BaseChat` in
    `apps/providers/kimi/llm.py` is `apps/providers/base.py`, so the subclass of a LangChain model
    is a binding though its file names no framework. A top-level module of that folder (`apps/llm.py`)
    is not importable as `llm` here (it would shadow an installed package), and a name the root
    itself provides wins."""
    root = make(tmp_path, {
        "apps/__init__.py": "",
        "apps/providers/__init__.py": "",
        "apps/providers/base.py": (
            "from langchain_openai import ChatOpenAI\n"
            "\n"
            "\n"
            "class BaseChat(ChatOpenAI):\n"
            "    pass\n"
        ),
        "apps/providers/kimi/__init__.py": "",
        "apps/providers/kimi/llm.py": (
            "from providers.base import BaseChat\n"
            "from llm import Plain\n"
            "\n"
            "\n"
            "def new_instance(name):\n"
            "    Plain(model=name)\n"
            "    return BaseChat(model=name)\n"
        ),
        "apps/llm.py": (
            "from langchain_openai import ChatOpenAI\n"
            "\n"
            "\n"
            "class Plain(ChatOpenAI):\n"
            "    pass\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    got = [(s.path, s.line, s.kind, s.provider) for s in result.sites]
    assert got == [("apps/providers/kimi/llm.py", 7, "binding", "openai")]
