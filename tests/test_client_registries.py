"""A registry of the project's client objects, filled by a registration function (`register_client(
"openai", OpenAIClient())` at import, or a decorator factory `@backend("openai")` on a class) and read
back by a factory with a key known only at run time (`def client(): return _clients[config_key]`):
the factory returns any registered object, so `client().send_message(...)` is a facade over each
class's `send_message` (resolve/containers.py `_registered`, wrappers.py `_union_call`). A module that
imports only the factory, naming no provider, is read (resolver.py `exports_client`: a wrapper factory).
The look-alikes: a registration that stores something else, a registry read by no spending class's
method, a local dict of the same name."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

OPENAI_CLIENT = (
    "import openai\n"
    "\n"
    "\n"
    "class OpenAIClient:\n"
    "    def __init__(self):\n"
    "        self.client = openai.OpenAI()\n"
    "\n"
    "    def send_message(self, messages):\n"
    "        return self.client.chat.completions.create(model='gpt-4o-mini', messages=messages)\n"
)
CLAUDE_CLIENT = (
    "import anthropic\n"
    "\n"
    "\n"
    "class ClaudeClient:\n"
    "    def __init__(self):\n"
    "        self.client = anthropic.Anthropic()\n"
    "\n"
    "    def send_message(self, messages):\n"
    "        return self.client.messages.create(model='claude-sonnet-4-5', max_tokens=64, messages=messages)\n"
)
# registration calls at import; the factory's key comes from the environment
CLIENTS = (
    "import os\n"
    "\n"
    "from .claude_client import ClaudeClient\n"
    "from .openai_client import OpenAIClient\n"
    "\n"
    "_clients = {}\n"
    "\n"
    "\n"
    "def register_client(kind, client):\n"
    "    _clients[kind] = client\n"
    "\n"
    "\n"
    "def client():\n"
    "    return _clients[os.environ.get('APP_CLIENT', 'openai')]\n"
    "\n"
    "\n"
    "register_client('openai', OpenAIClient())\n"
    "register_client('claude', ClaudeClient())\n"
)
# names no provider: found only because the factory's module is one models are reached through
WORK = (
    "from .clients import client\n"
    "\n"
    "\n"
    "def summarise(text):\n"
    "    return client().send_message([{'role': 'user', 'content': text}])\n"
)


def sites(root):
    result = analyse([root], Config(), root=root)
    return {(s.path, s.line): s for s in result.sites}


def test_a_registry_filled_by_a_registration_function_makes_the_factory_call_a_facade(tmp_path):
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/openai_client.py": OPENAI_CLIENT,
                                 "app/claude_client.py": CLAUDE_CLIENT, "app/clients.py": CLIENTS,
                                 "app/work.py": WORK})
    got = sites(root)
    s = got[("app/work.py", 5)]
    assert s.kind == "facade"
    assert set(s.providers) == {"openai", "anthropic"}


def test_a_decorator_factory_registering_classes_fills_the_registry(tmp_path):
    registry = (
        "import os\n"
        "\n"
        "_backends = {}\n"
        "\n"
        "\n"
        "def backend(kind):\n"
        "    def add(cls):\n"
        "        _backends[kind] = cls\n"
        "        return cls\n"
        "    return add\n"
        "\n"
        "\n"
        "def make_backend():\n"
        "    return _backends[os.environ['BACKEND']]()\n"
    )
    backends = (
        "import openai\n"
        "import anthropic\n"
        "\n"
        "from .registry import backend\n"
        "\n"
        "\n"
        "@backend('openai')\n"
        "class OpenAIBackend:\n"
        "    def reply(self, messages):\n"
        "        return openai.OpenAI().chat.completions.create(model='gpt-4o-mini', messages=messages)\n"
        "\n"
        "\n"
        "@backend('claude')\n"
        "class ClaudeBackend:\n"
        "    def reply(self, messages):\n"
        "        return anthropic.Anthropic().messages.create(model='claude-sonnet-4-5', max_tokens=64,\n"
        "                                                     messages=messages)\n"
    )
    # names no provider, and registry.py imports nothing that spends: the registry module is marked
    # by the spending module whose classes it registers (containers.py `registering_modules`)
    work = (
        "from .registry import make_backend\n"
        "\n"
        "\n"
        "def answer(text):\n"
        "    return make_backend().reply([{'role': 'user', 'content': text}])\n"
    )
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/registry.py": registry,
                                 "app/backends.py": backends, "app/work.py": work})
    got = sites(root)
    assert got[("app/work.py", 5)].kind == "facade"
    assert set(got[("app/work.py", 5)].providers) == {"openai", "anthropic"}


def test_plugins_registering_themselves_in_a_registry_module_that_imports_none_of_them(tmp_path):
    clients = (
        "import os\n"
        "\n"
        "_clients = {}\n"
        "\n"
        "\n"
        "def register_client(kind, client):\n"
        "    _clients[kind] = client\n"
        "\n"
        "\n"
        "def client():\n"
        "    return _clients[os.environ.get('APP_CLIENT', 'openai')]\n"
    )
    plugin = (
        "from .clients import register_client\n"
        "from .openai_client import OpenAIClient\n"
        "\n"
        "register_client('openai', OpenAIClient())\n"
    )
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/openai_client.py": OPENAI_CLIENT + (
        "\n\nfrom .clients import register_client\n\nregister_client('openai', OpenAIClient())\n"),
        "app/claude_client.py": CLAUDE_CLIENT, "app/clients.py": clients, "app/plugin.py": plugin,
        "app/work.py": WORK})
    got = sites(root)
    # one class registered (twice): its method, not a facade over several classes
    assert got[("app/work.py", 5)].kind == "wrapper"
    assert got[("app/work.py", 5)].provider == "openai"


def test_registries_that_hold_no_spending_object_give_no_site(tmp_path):
    # a registration storing a name (not the object handed in), a registry of objects whose
    # method sends nothing, and a function filling a local dict of the registry's name
    clients = (
        "import os\n"
        "\n"
        "from .openai_client import OpenAIClient\n"
        "\n"
        "_clients = {}\n"
        "_formatters = {}\n"
        "\n"
        "\n"
        "class Upper:\n"
        "    def send_message(self, text):\n"
        "        return text.upper()\n"
        "\n"
        "\n"
        "class Lower:\n"
        "    def send_message(self, text):\n"
        "        return text.lower()\n"
        "\n"
        "\n"
        "def register_client(kind, client):\n"
        "    _clients[kind] = kind\n"
        "\n"
        "\n"
        "def register_formatter(kind, formatter):\n"
        "    _formatters[kind] = formatter\n"
        "\n"
        "\n"
        "def local_only(kind, client):\n"
        "    _clients = {}\n"
        "    _clients[kind] = client\n"
        "    return _clients\n"
        "\n"
        "\n"
        "def client():\n"
        "    return _clients[os.environ['APP_CLIENT']]\n"
        "\n"
        "\n"
        "def formatter():\n"
        "    return _formatters[os.environ['STYLE']]\n"
        "\n"
        "\n"
        "register_client('openai', OpenAIClient())\n"
        "register_formatter('upper', Upper())\n"
        "register_formatter('lower', Lower())\n"
        "local_only('openai', OpenAIClient())\n"
    )
    work = (
        "from .clients import client, formatter\n"
        "\n"
        "\n"
        "def run(text):\n"
        "    client().send_message(text)\n"
        "    return formatter().send_message(text)\n"
    )
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/openai_client.py": OPENAI_CLIENT,
                                 "app/clients.py": clients, "app/work.py": work})
    got = sites(root)
    assert not [k for k in got if k[0] == "app/work.py"]


def test_a_registry_literal_of_unrelated_client_classes_read_with_a_run_time_key(tmp_path):
    clients = (
        "import os\n"
        "\n"
        "from .claude_client import ClaudeClient\n"
        "from .openai_client import OpenAIClient\n"
        "\n"
        "_clients = {'openai': OpenAIClient(), 'claude': ClaudeClient()}\n"
        "\n"
        "\n"
        "def client():\n"
        "    return _clients[os.environ['APP_CLIENT']]\n"
    )
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/openai_client.py": OPENAI_CLIENT,
                                 "app/claude_client.py": CLAUDE_CLIENT, "app/clients.py": clients,
                                 "app/work.py": WORK})
    got = sites(root)
    assert got[("app/work.py", 5)].kind == "facade"


def test_classes_reaching_one_shared_request_make_a_wrapper_not_a_facade(tmp_path):
    # two metric classes of a registry, both asking the project's one gateway: the run-time choice
    # does not choose the request, so the call is a wrapper of it (as a call on one class is)
    metrics = (
        "import os\n"
        "\n"
        "from openai import OpenAI\n"
        "\n"
        "\n"
        "def ask_gateway(prompt):\n"
        "    return OpenAI().chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': prompt}])\n"
        "\n"
        "\n"
        "class Relevance:\n"
        "    def measure(self, case):\n"
        "        return ask_gateway('relevance: ' + case)\n"
        "\n"
        "\n"
        "class Faithfulness:\n"
        "    def measure(self, case):\n"
        "        return ask_gateway('faithfulness: ' + case)\n"
        "\n"
        "\n"
        "_metrics = {}\n"
        "\n"
        "\n"
        "def register_metric(name, metric):\n"
        "    _metrics[name] = metric\n"
        "\n"
        "\n"
        "def score(case):\n"
        "    return _metrics[os.environ['METRIC']].measure(case)\n"
        "\n"
        "\n"
        "register_metric('relevance', Relevance())\n"
        "register_metric('faithfulness', Faithfulness())\n"
    )
    root = make(tmp_path / "p", {"app/__init__.py": "", "app/metrics.py": metrics})
    got = sites(root)
    assert got[("app/metrics.py", 28)].kind == "wrapper"


def test_clients_kept_in_an_attribute_dict_or_list_filled_in_a_loop(tmp_path: Path) -> None:
    # `self.clients = {}`, then `self.clients[name] = OpenAI(...)` in a loop, then a request on
    # `self.clients[key]` (or on `.get(key)`, or on a list of them): the values are the clients
    src = ("from openai import OpenAI\n"
           "class Router:\n"
           "    def __init__(self, keys):\n"
           "        self.clients = {}\n"
           "        for name, key in keys.items():\n"
           "            self.clients[name] = OpenAI(api_key=key)\n"
           "        self.pool = []\n"
           "        for key in keys.values():\n"
           "            self.pool.append(OpenAI(api_key=key))\n"
           "    def ask(self, name, q):\n"
           "        return self.clients[name].chat.completions.create(model='gpt-4o-mini', messages=q)\n"
           "    def ask_any(self, i, q):\n"
           "        return self.pool[i].chat.completions.create(model='gpt-4o-mini', messages=q)\n"
           "    def ask_get(self, name, q):\n"
           "        return self.clients.get(name).chat.completions.create(model='gpt-4o-mini', messages=q)\n"
           "    def names(self):\n"
           "        return self.clients[0].models.list()\n")
    p = tmp_path / "router.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert [(s.line, s.provider, s.model.value) for s in result.sites if s.spends] == [
        (11, "openai", "gpt-4o-mini"), (13, "openai", "gpt-4o-mini"), (15, "openai", "gpt-4o-mini")]
