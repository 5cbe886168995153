"""Precision: calls that look like requests by a name or a type alone, where the code shows they are not
one (round 13 review): an object the project's own factory returns, in a project never importing the
framework its method names recall; a patched library function's kept original, called from its patch."""

from __future__ import annotations

from projects import analysed_sites

CATALOG = (
    "import importlib\n"
    "\n"
    "\n"
    "class ModelCatalog:\n"
    "    def load_model(self, name, max_output=100):\n"
    "        card = self.lookup(name)\n"
    "        module = importlib.import_module(card['module'])\n"
    "        return getattr(module, card['class'])(name)\n"
    "\n"
    "    def lookup(self, name):\n"
    "        return {'module': 'app.local', 'class': name}\n"
)
STREAM = (
    "from app.catalog import ModelCatalog\n"
    "\n"
    "model = ModelCatalog().load_model('tiny-gguf', max_output=500)\n"
    "for token in model.stream('hello there'):\n"
    "    print(token)\n"
)


def _at(sites, path):  # type: ignore[no-untyped-def]
    return sorted((s.line, s.kind, s.sdk) for s in sites if s.path == path)


def test_an_object_the_projects_own_factory_returns_is_no_framework_model_by_its_name(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/catalog.py": CATALOG, "run.py": STREAM})
    assert _at(sites, "run.py") == []


def test_in_a_project_importing_the_framework_the_name_still_counts(tmp_path) -> None:
    other = "from langchain_openai import ChatOpenAI\n\n\ndef build():\n    return ChatOpenAI(model='gpt-4o-mini')\n"
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/catalog.py": CATALOG, "app/other.py": other,
                                      "run.py": STREAM})
    assert _at(sites, "run.py") == [(4, "request", "langchain")]


def test_a_parameter_named_like_a_model_is_still_read_by_its_name(tmp_path) -> None:
    code = "def answer(llm, question):\n    return llm.invoke(question)\n"
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/catalog.py": CATALOG, "app/ask.py": code})
    assert _at(sites, "app/ask.py") == [(2, "request", "langchain")]


PATCH = (
    "from agents import Agent, Runner\n"
    "\n"
    "\n"
    "def install():\n"
    "    sdk_run = Runner.run\n"
    "\n"
    "    async def run(cls, starting_agent, input, **kwargs):\n"
    "        print('before', starting_agent.name)\n"
    "        return await sdk_run(starting_agent, input, **kwargs)\n"
    "\n"
    "    type.__setattr__(Runner, 'run', classmethod(run))\n"
    "\n"
    "\n"
    "async def main():\n"
    "    agent = Agent(name='a', model='gpt-4.1')\n"
    "    return await Runner.run(agent, 'hi')\n"
)


def test_a_patchs_call_of_the_original_it_replaced_is_no_second_request(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/patch.py": PATCH})
    got = _at(sites, "app/patch.py")
    assert (9, "request", "openai_agents") not in got
    assert (16, "request", "openai_agents") in got


def test_the_kept_original_called_outside_a_patch_is_a_request(tmp_path) -> None:
    # the same original kept, but the function calling it is not the one installed in its place
    code = PATCH.replace("classmethod(run)", "classmethod(other)").replace(
        "def install():\n", "def other(cls, *a, **k):\n    pass\n\n\ndef install():\n")
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/patch.py": code})
    assert (13, "request", "openai_agents") in _at(sites, "app/patch.py")


def test_creating_an_assistant_spends_nothing_its_run_does(tmp_path) -> None:
    code = ("from openai import OpenAI\n\nclient = OpenAI()\n"
            "assistant = client.beta.assistants.create(model='gpt-4o', instructions='Be brief.')\n"
            "run = client.beta.threads.runs.create_and_poll(thread_id='t', assistant_id=assistant.id)\n")
    sites = {s.line: s for s in analysed_sites(tmp_path, {"app.py": code}) if s.path == "app.py"}
    assert not sites[4].spends and sites[4].model.value == "gpt-4o"  # the model it stores is still read
    assert sites[5].spends


RETRY = (
    "import functools\n"
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "def retrying(tries):\n"
    "    def decorator(func):\n"
    "        @functools.wraps(func)\n"
    "        def wrapped(*args, **kwargs):\n"
    "            for _ in range(tries):\n"
    "                return func(*args, **kwargs)\n"
    "        return wrapped\n"
    "    return decorator\n"
    "\n"
    "\n"
    "def call_now(func, **kwargs):\n"
    "    return func(**kwargs)\n"
    "\n"
    "\n"
    "client = OpenAI()\n"
    "retrier = retrying(3)\n"
    "client.embeddings.create = retrier(client.embeddings.create)\n"
    "got = call_now(client.embeddings.create, model='text-embedding-3-small', input='hi')\n"
)


def test_wrapping_a_request_method_in_a_decorator_sends_nothing_a_function_calling_it_does(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"app.py": RETRY})
    lines = {s.line for s in sites if s.path == "app.py" and s.spends and s.kind == "direct"}
    assert 21 not in lines  # `client.embeddings.create = retrier(client.embeddings.create)`
    assert 22 in lines


STORES = (
    "import abc\n"
    "from langchain_openai import OpenAIEmbeddings\n"
    "\n"
    "\n"
    "class AppModel:  # the project's base of every settings object: a name speaking of models\n"
    "    pass\n"
    "\n"
    "\n"
    "class MemoryProvider(AppModel, abc.ABC):\n"
    "    @abc.abstractmethod\n"
    "    def add(self, key, content): ...\n"
    "\n"
    "    @abc.abstractmethod\n"
    "    def embed_text(self, content): ...\n"
    "\n"
    "\n"
    "class PgMemory(MemoryProvider):\n"
    "    def __init__(self):\n"
    "        self.embedder = OpenAIEmbeddings(model='text-embedding-3-small')\n"
    "\n"
    "    def add(self, key, content):\n"
    "        return self.embedder.embed_query(content)\n"
    "\n"
    "    def embed_text(self, content):\n"
    "        return self.embedder.embed_query(content)\n"
    "\n"
    "\n"
    "class ListMemory(MemoryProvider):\n"
    "    def add(self, key, content):\n"
    "        return [content]\n"
    "\n"
    "    def embed_text(self, content):\n"
    "        return [0.0]\n"
)
USER = (
    "from app.stores import MemoryProvider\n"
    "\n"
    "\n"
    "class Memory:\n"
    "    def __init__(self, provider: MemoryProvider):\n"
    "        self.provider = provider\n"
    "\n"
    "    def add(self, content):\n"
    "        return self.provider.add('k', content)\n"
    "\n"
    "    def vector(self, content):\n"
    "        return self.provider.embed_text(content)\n"
)


def test_a_data_verb_of_stores_embedding_through_a_model_they_hold_is_no_facade(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/stores.py": STORES, "app/memory.py": USER})
    got = {s.line: s.kind for s in sites if s.path == "app/memory.py"}
    assert 9 not in got  # `self.provider.add(...)`: the store's; its embedding request is counted inside
    assert got.get(12) == "facade"  # a method named for the model work stays a facade
    assert {s.line for s in sites if s.path == "app/stores.py" and s.kind == "request"} >= {22, 25}


def test_data_classes_of_a_package_of_model_classes_named_as_a_context_or_source_are_no_bindings(tmp_path) -> None:
    code = (
        "from agents.models.chatcmpl_converter import ReplayContext, ItemSource\n"
        "\n"
        "\n"
        "def replay(item, model, should):\n"
        "    ctx = ReplayContext(model=model, reasoning=ItemSource(item=item, origin_model=model))\n"
        "    return should(ctx)\n"
    )
    sites = analysed_sites(tmp_path, {"app.py": code})
    got = {(s.line, s.kind) for s in sites if s.path == "app.py"}
    assert not any(line == 5 for line, _ in got)  # (the package's model classes: tests/test_promoted_guesses.py)


def test_a_lazily_imported_module_object_stands_for_the_module_it_names(tmp_path) -> None:
    """`onnx = LazyImport("onnx", globals(), "pkg.emb.onnx")` (a `types.ModuleType` subclass loading that
    module on first use): `onnx.Onnx(...)` builds that module's class, a local embedder, so its
    `to_embeddings` is no facade over every embedder of the base; the hosted one's request is still found."""
    lazy = ("import importlib\nfrom types import ModuleType\n\n\nclass LazyImport(ModuleType):\n"
            "    def __init__(self, local_name, parent_globals, name):\n        super().__init__(name)\n\n"
            "    def __getattr__(self, item):\n        return getattr(importlib.import_module(self.__name__), item)\n")
    factories = ("from pkg.lazy import LazyImport\n\nopenai = LazyImport('openai', globals(), 'pkg.emb.openai')\n"
                 "onnx = LazyImport('onnx', globals(), 'pkg.emb.onnx')\n\n\n"
                 "def OpenAI(model='text-embedding-3-small'):\n    return openai.OpenAI(model)\n\n\n"
                 "def Onnx(model='albert-onnx'):\n    return onnx.Onnx(model)\n")
    base = ("from abc import ABC, abstractmethod\n\n\nclass BaseEmbedding(ABC):\n    @abstractmethod\n"
            "    def to_embeddings(self, data):\n        pass\n")
    hosted = ("import openai\n\nfrom pkg.emb.base import BaseEmbedding\n\n\nclass OpenAI(BaseEmbedding):\n"
              "    def __init__(self, model):\n        self.model = model\n\n    def to_embeddings(self, data):\n"
              "        return openai.embeddings.create(model=self.model, input=data)\n")
    local = ("from pkg.emb.base import BaseEmbedding\n\n\nclass Onnx(BaseEmbedding):\n    def __init__(self, model):\n"
             "        self.model = model\n\n    def to_embeddings(self, data):\n        return [float(len(data))]\n")
    run = "from pkg.emb import Onnx\n\nembedder = Onnx()\nprint(embedder.to_embeddings('what is github?'))\n"
    sites = analysed_sites(tmp_path, {"pkg/__init__.py": "", "pkg/lazy.py": lazy, "pkg/emb/__init__.py": factories,
                                      "pkg/emb/base.py": base, "pkg/emb/openai.py": hosted, "pkg/emb/onnx.py": local,
                                      "run.py": run})
    assert [s for s in sites if s.path == "run.py"] == []
    assert [(s.line, s.kind) for s in sites if s.path == "pkg/emb/openai.py"] == [(11, "direct")]


PROBE = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "import openai\n"
    "\n"
    "\n"
    "class Translator(ABC):\n"
    "    @abstractmethod\n"
    "    def do_llm_translate(self, text, params=None): ...\n"
    "\n"
    "\n"
    "class OpenAITranslator(Translator):\n"
    "    def do_llm_translate(self, text, params=None):\n"
    "        if text is None:\n"
    "            return None\n"
    "        return openai.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': text}])\n"
    "\n"
    "\n"
    "class OtherTranslator(Translator):\n"
    "    def do_llm_translate(self, text, params=None):\n"
    "        \"\"\"Translate.\"\"\"\n"
    "        if text is None:\n"
    "            return None\n"
    "        return openai.chat.completions.create(model='gpt-4.1', messages=[{'role': 'user', 'content': text}])\n"
)
PROBING = (
    "from app.tr import Translator\n"
    "\n"
    "\n"
    "def check(engine: Translator):\n"
    "    engine.do_llm_translate(None)\n"
    "\n"
    "\n"
    "def run(engine: Translator, text):\n"
    "    return engine.do_llm_translate(text)\n"
)


def test_a_call_handing_none_where_every_implementation_returns_on_none_is_a_probe_not_a_facade(tmp_path) -> None:
    sites = analysed_sites(tmp_path / "a", {"app/__init__.py": "", "app/tr.py": PROBE, "app/use.py": PROBING})
    got = {(s.line, s.kind) for s in sites if s.path == "app/use.py"}
    assert (5, "facade") not in got and (9, "facade") in got
    # one implementation that would send a request with None: the probe is a facade call again
    eager = PROBE.replace("        \"\"\"Translate.\"\"\"\n        if text is None:\n            return None\n", "")
    sites = analysed_sites(tmp_path / "b", {"app/__init__.py": "", "app/tr.py": eager, "app/use.py": PROBING})
    assert (5, "facade") in {(s.line, s.kind) for s in sites if s.path == "app/use.py"}
