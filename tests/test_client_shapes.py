"""Shapes of client construction and dispatch written for no studied application (the made-up projects
are fixtures/resolver/shapes/, checked by their `# site:` markers in test_resolver_fixtures.py). These
tests pin the edges of the mechanisms those projects exercise: standard-library holders
(resolve/holders.py), library fillers (resolve/fillers.py), class attribute registries
(containers.py `_registered_in_class`), `map` runners and `match` factories."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse


def sites(root):
    result = analyse([root], Config(), root=root)
    return {(s.path, s.line): s for s in result.sites}


def test_a_context_variable_gives_what_its_module_sets_and_nothing_more(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from contextvars import ContextVar\n"
        "import anthropic\n"
        "\n"
        "current = ContextVar('current')\n"
        "other = ContextVar('other')\n"
        "\n"
        "\n"
        "def install():\n"
        "    current.set(anthropic.Anthropic())\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return current.get().messages.create(model='claude-haiku-4-5', max_tokens=9, messages=q)\n"
        "\n"
        "\n"
        "def unset(q):\n"
        "    return other.get().messages.create(to='+1', body=q)\n"
        "\n"
        "\n"
        "def tags(q):\n"
        "    return set(q)  # the builtin set, no put\n"
    )})
    got = sites(root)
    assert got[("app.py", 13)].provider == "anthropic" and got[("app.py", 13)].confidence == "resolved"
    assert ("app.py", 17) not in got  # a context variable nothing is put in holds nothing known


def test_a_queue_of_database_connections_is_no_pool_of_clients(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "import queue\n"
        "import sqlite3\n"
        "\n"
        "pool = queue.Queue()\n"
        "pool.put(sqlite3.connect('x.db'))\n"
        "\n"
        "\n"
        "def read(sql):\n"
        "    conn = pool.get()\n"
        "    return conn.execute(sql)\n"
    )})
    assert sites(root) == {}


def test_a_namespace_attribute_is_its_keyword_and_another_attribute_is_nothing(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from types import SimpleNamespace\n"
        "from openai import OpenAI\n"
        "\n"
        "ctx = SimpleNamespace(llm=OpenAI(), db=None)\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return ctx.llm.chat.completions.create(model='gpt-4o-mini', messages=q)\n"
        "\n"
        "\n"
        "def save(q):\n"
        "    return ctx.db.messages.create(to='+1', body=q)\n"
    )})
    got = sites(root)
    assert got[("app.py", 8)].provider == "openai" and got[("app.py", 8)].confidence == "resolved"
    assert ("app.py", 12) not in got


def test_a_dependency_class_is_built_and_its_method_is_a_wrapper(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from fastapi import Depends\n"
        "from openai import OpenAI\n"
        "\n"
        "\n"
        "class Summariser:\n"
        "    def __init__(self):\n"
        "        self.client = OpenAI()\n"
        "\n"
        "    def run(self, text):\n"
        "        return self.client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': text}])\n"
        "\n"
        "\n"
        "async def endpoint(text: str, svc=Depends(Summariser)):\n"
        "    return svc.run(text)\n"
    )})
    got = sites(root)
    assert got[("app.py", 14)].kind == "wrapper" and got[("app.py", 14)].provider == "openai"


def test_a_project_map_and_a_dataframe_map_run_nothing(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI()\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': q}])\n"
        "\n"
        "\n"
        "def map(fn, items):\n"
        "    return [fn] * len(items)\n"
        "\n"
        "\n"
        "def run(df, items):\n"
        "    df['a'].map(ask)\n"
        "    map(ask, items)\n"
    )})
    got = sites(root)
    assert set(got) == {("app.py", 7)}  # neither `map` calls what it is handed


def test_a_builtin_map_over_a_wrapper_is_a_wrapper_call_in_a_loop(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI()\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': q}])\n"
        "\n"
        "\n"
        "def run(items):\n"
        "    return list(map(ask, items))\n"
    )})
    s = sites(root)[("app.py", 11)]
    assert s.kind == "wrapper" and s.in_loop


def test_a_match_factory_returns_every_case_client(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from groq import Groq\n"
        "from openai import OpenAI\n"
        "\n"
        "\n"
        "def make(kind):\n"
        "    match kind:\n"
        "        case 'groq':\n"
        "            return Groq()\n"
        "        case _:\n"
        "            return OpenAI()\n"
        "\n"
        "\n"
        "def ask(kind, q):\n"
        "    return make(kind).chat.completions.create(model='x', messages=q)\n"
    )})
    assert sites(root)[("app.py", 14)].providers == ("groq", "openai")


def test_a_class_registry_of_stores_is_read_but_reaches_no_model(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "import redis\n"
        "\n"
        "\n"
        "class Stores:\n"
        "    _by_name = {}\n"
        "\n"
        "    @classmethod\n"
        "    def add(cls, name, store_cls):\n"
        "        cls._by_name[name] = store_cls\n"
        "\n"
        "    @classmethod\n"
        "    def build(cls, name):\n"
        "        return cls._by_name[name]()\n"
        "\n"
        "\n"
        "class Cache:\n"
        "    def __init__(self):\n"
        "        self.r = redis.Redis()\n"
        "\n"
        "    def complete(self, key):\n"
        "        return self.r.get(key)\n"
        "\n"
        "\n"
        "Stores.add('cache', Cache)\n"
        "\n"
        "\n"
        "def read(name, key):\n"
        "    return Stores.build(name).complete(key)\n"
    )})
    assert sites(root) == {}


def test_a_queue_built_by_a_lambda_field_factory_is_read(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "import queue\n"
        "from dataclasses import dataclass, field\n"
        "from typing import Any\n"
        "\n"
        "from openai import OpenAI\n"
        "\n"
        "\n"
        "@dataclass\n"
        "class Pool:\n"
        "    slots: Any = field(default_factory=lambda: queue.Queue())\n"
        "\n"
        "    def fill(self):\n"
        "        self.slots.put(OpenAI())\n"
        "\n"
        "    def ask(self, q):\n"
        "        return self.slots.get().chat.completions.create(model='gpt-4o-mini', messages=q)\n"
    )})
    assert sites(root)[("app.py", 16)].provider == "openai"  # (the holder's block is a lambda's expression)


def test_an_sdk_method_handed_to_map_is_a_request_in_a_loop_not_an_awaitable(tmp_path):
    root = make(tmp_path / "p", {"app.py": (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI()\n"
        "\n"
        "\n"
        "def embed_all(texts):\n"
        "    return list(map(client.embeddings.create, texts))\n"
        "\n"
        "\n"
        "def embed_pooled(texts):\n"
        "    with ThreadPoolExecutor() as pool:\n"
        "        return list(pool.map(client.embeddings.create, texts))\n"
        "\n"
        "\n"
        "async def embed_later(loop, text):\n"
        "    return await loop.run_in_executor(None, client.embeddings.create, text)\n"
    )})
    got = sites(root)
    for line in (8, 13):  # once per element; `map` returns an iterator, not an awaitable
        assert got[("app.py", line)].in_loop and not got[("app.py", line)].is_async, line
    assert got[("app.py", 17)].is_async and not got[("app.py", 17)].in_loop


_REGISTRY = (
    "class Registry:\n"
    "    def __init__(self):\n"
    "        self.entries = {}\n"
    "\n"
    "    def register(self, key, cls):\n"
    "        self.entries[key] = cls\n"
    "\n"
    "    def __getitem__(self, key):\n"
    "        return self.entries[key]\n"
)


def test_a_registry_object_item_is_one_of_the_classes_registered_on_that_object(tmp_path):
    root = make(tmp_path / "p", {"reg.py": _REGISTRY, "app.py": (
        "from langchain_anthropic import ChatAnthropic\n"
        "from langchain_openai import ChatOpenAI\n"
        "from langchain_groq import ChatGroq\n"
        "from reg import Registry\n"
        "\n"
        "CHAT = Registry()\n"
        "OTHER = Registry()\n"
        "CHAT.register('openai', ChatOpenAI)\n"
        "CHAT.register('anthropic', ChatAnthropic)\n"
        "OTHER.register('groq', ChatGroq)\n"
        "\n"
        "\n"
        "def ask(kind, q):\n"
        "    return CHAT[kind]().invoke(q)\n"
        "\n"
        "\n"
        "def ask_claude(q):\n"
        "    return CHAT['anthropic']().invoke(q)\n"
    )})
    found = analyse([root], Config(), root=root).sites
    built = {(s.line, s.kind): s for s in found}
    assert built[(14, "binding")].providers == ("anthropic", "openai")  # not OTHER's groq
    assert built[(14, "request")].provider == "openai"
    assert built[(18, "request")].provider == "anthropic"  # the key written here: that entry only
    assert built[(18, "binding")].providers == ("anthropic",)


def test_a_registry_object_of_classes_that_reach_no_model_gives_no_site(tmp_path):
    root = make(tmp_path / "p", {"reg.py": _REGISTRY, "app.py": (
        "import sqlite3\n"
        "from reg import Registry\n"
        "\n"
        "\n"
        "class Db:\n"
        "    def complete(self, q):\n"
        "        return sqlite3.connect('x').execute(q)\n"
        "\n"
        "\n"
        "class Mem:\n"
        "    def complete(self, q):\n"
        "        return q\n"
        "\n"
        "\n"
        "STORES = Registry()\n"
        "STORES.register('db', Db)\n"
        "STORES.register('mem', Mem)\n"
        "\n"
        "\n"
        "def run(kind, q):\n"
        "    return STORES[kind]().complete(q)\n"
    )})
    assert sites(root) == {}


def test_a_registry_object_fed_from_out_of_sight_holds_anything(tmp_path):
    root = make(tmp_path / "p", {"reg.py": _REGISTRY, "app.py": (
        "from langchain_openai import ChatOpenAI\n"
        "from reg import Registry\n"
        "\n"
        "MODELS = Registry()\n"
        "MODELS.register('openai', ChatOpenAI)\n"
        "\n"
        "\n"
        "def plug(name, cls):\n"
        "    MODELS.register(name, cls)\n"
        "\n"
        "\n"
        "def install(cls):\n"
        "    plug('custom', cls)\n"
        "\n"
        "\n"
        "def ask(kind, q):\n"
        "    return MODELS[kind]().invoke(q)\n"
    )})
    assert ("app.py", 17) not in sites(root)
