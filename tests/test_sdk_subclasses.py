"""Project subclasses of SDK classes (resolve/sdksubclass.py): `super().create(...)` inside a subclass of
the openai<1 module API's classes or of a catalogued client class is the SDK's request; callers of a request
method the subclass overrides count as the SDK's request only when the subclass passes requests on to the
SDK on `super()`."""

from __future__ import annotations

from projects import analysed_sites, line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse

ADAPTER = (
    "import openai\n"
    "\n"
    "\n"
    "def cached(handler, *args, **kwargs):\n"
    "    return handler(*args, **kwargs)\n"
    "\n"
    "\n"
    "class ChatCompletion(openai.ChatCompletion):\n"
    "    @classmethod\n"
    "    def _miss(cls, *args, **kwargs):\n"
    "        return super().create(*args, **kwargs)  # chat-super\n"
    "\n"
    "    @classmethod\n"
    "    async def _amiss(cls, *args, **kwargs):\n"
    "        return await super().acreate(*args, **kwargs)  # achat-super\n"
    "\n"
    "    @classmethod\n"
    "    def create(cls, *args, **kwargs):\n"
    "        return cached(cls._miss, *args, **kwargs)\n"
    "\n"
    "\n"
    "class Audio(openai.Audio):\n"
    "    @classmethod\n"
    "    def transcribe(cls, model, file, **kwargs):\n"
    "        def miss(*a, **k):\n"
    "            return super(Audio, cls).transcribe(*a, **k)  # audio-super\n"
    "        return cached(miss, model=model, file=file, **kwargs)\n"
    "\n"
    "\n"
    "class Canned(openai.Completion):\n"
    "    @classmethod\n"
    "    def create(cls, *args, **kwargs):\n"
    "        return {'choices': [{'text': 'canned'}]}\n"
    "\n"
    "\n"
    "class Plain(openai.Moderation):\n"
    "    retries = 2\n"
)

CALLERS = (
    "from pkg import openai\n"
    "\n"
    "reply = openai.ChatCompletion.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': 'hi'}])\n"
    "text = openai.Audio.transcribe('whisper-1', open('a.mp3', 'rb'))\n"
    "fake = openai.Canned.create(model='gpt-4o-mini', prompt='hi')\n"
    "flagged = openai.Plain.create(input='some text')\n"
)


def _sites(tmp_path, files):
    root = make(tmp_path, files)
    result = analyse([root], Config(), root=root)
    return root, sorted((s.path, s.line, s.kind, s.provider, s.api, s.model.value, s.is_async) for s in result.sites)


def test_super_requests_in_a_legacy_module_api_subclass_are_the_sdk_requests(tmp_path):
    """`super().create`, `await super().acreate` and `super(Audio, cls).transcribe` (in a nested function)
    inside subclasses of `openai.ChatCompletion` / `openai.Audio`: the legacy API's requests, there."""
    root, got = _sites(tmp_path, {"pkg/__init__.py": "", "pkg/openai.py": ADAPTER})
    mod = root / "pkg/openai.py"
    assert got == [
        ("pkg/openai.py", line_of(mod, "# chat-super"), "direct", "openai", "chat.completions", None, False),
        ("pkg/openai.py", line_of(mod, "# achat-super"), "direct", "openai", "chat.completions", None, True),
        ("pkg/openai.py", line_of(mod, "# audio-super"), "direct", "openai", "audio.transcriptions", None, False),
    ]


def test_callers_of_an_override_passing_on_to_the_sdk_are_sdk_requests(tmp_path):
    """From a module importing the project module that shadows `openai`: `openai.ChatCompletion.create(...)`
    and `openai.Audio.transcribe(...)` run overrides that pass on to the SDK: requests with the caller's
    model; `Canned.create` overrides without ever reaching the SDK: nothing; `Plain.create` is not
    overridden: the SDK's own moderation request."""
    root, got = _sites(tmp_path, {"pkg/__init__.py": "", "pkg/openai.py": ADAPTER, "app.py": CALLERS})
    app = [g for g in got if g[0] == "app.py"]
    assert app == [
        ("app.py", 3, "direct", "openai", "chat.completions", "gpt-4o-mini", False),
        ("app.py", 4, "direct", "openai", "audio.transcriptions", "whisper-1", False),
        ("app.py", 6, "direct", "openai", "moderations", None, False),
    ]


def test_an_override_that_never_calls_super_sends_nothing(tmp_path):
    """A subclass of `openai.ChatCompletion` kept as a test double (its `create` answers by itself, no class
    of the chain calls the SDK on `super()`): neither its body nor its callers are sites."""
    sites = analysed_sites(tmp_path, {
        "fakes.py": (
            "import openai\n"
            "\n"
            "\n"
            "class FakeChat(openai.ChatCompletion):\n"
            "    @classmethod\n"
            "    def create(cls, *args, **kwargs):\n"
            "        return {'choices': [{'message': {'content': 'ok'}}]}\n"
            "\n"
            "\n"
            "def test_reply():\n"
            "    assert FakeChat.create(model='gpt-4o', messages=[])['choices']\n"
        ),
    })
    assert sites == []


def test_a_subclass_of_an_sdk_response_type_is_no_request(tmp_path):
    """`class Parsed(ChatCompletion)` of the 1.x response type (typing only): `super().model_dump()` and
    `Parsed.model_validate(...)` are no requests."""
    sites = analysed_sites(tmp_path, {
        "types_only.py": (
            "from openai.types.chat import ChatCompletion\n"
            "\n"
            "\n"
            "class Parsed(ChatCompletion):\n"
            "    def as_dict(self):\n"
            "        return super().model_dump()\n"
            "\n"
            "\n"
            "def read(payload):\n"
            "    return Parsed.model_validate(payload).as_dict()\n"
        ),
    })
    assert sites == []


def test_super_generate_in_a_client_class_subclass(tmp_path):
    """`super().generate(...)` inside a project subclass of the Stability SDK's client class: the SDK's
    image request; a subclass method calling `super().__init__` only is none."""
    root, got = _sites(tmp_path, {
        "stab.py": (
            "from stability_sdk import client\n"
            "\n"
            "\n"
            "class Cached(client.StabilityInference):\n"
            "    def __init__(self, *args, **kwargs):\n"
            "        super().__init__(*args, **kwargs)\n"
            "\n"
            "    def _miss(self, *args, **kwargs):\n"
            "        return super().generate(*args, **kwargs)  # gen-super\n"
        ),
    })
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [(line_of(root / "stab.py", "# gen-super"), "direct", "stability", "images")]


def test_a_project_subclass_of_a_catalogued_agent_binds_when_handed_a_model(tmp_path):
    """`class Agent(BaseAgent[Ctx])` over the OpenAI Agents SDK's `Agent` (subscripted base, a project base
    between) with an `__init__(**kwargs)` handing its keywords on: built with `model="gpt-4o"` it is a binding
    as the SDK's own class would be, and `Runner.run_sync` on it is a request on that binding; built without a
    model, none (the agent rule); `Quiet`, whose `__init__` never passes the model on, binds nothing though
    handed one; `Plain` (no `__init__`) binds exactly as the SDK's class."""
    root = make(tmp_path, {
        "swarm/__init__.py": "",
        "swarm/agent.py": (
            "from typing import Any, Generic, TypeVar\n"
            "\n"
            "from agents import Agent as BaseAgent\n"
            "\n"
            "Ctx = TypeVar('Ctx')\n"
            "\n"
            "\n"
            "def split(kwargs):\n"
            "    return {k: v for k, v in kwargs.items() if k != 'files'}\n"
            "\n"
            "\n"
            "class Layer(BaseAgent[Ctx]):\n"
            "    pass\n"
            "\n"
            "\n"
            "class Agent(Layer[dict]):\n"
            "    def __init__(self, **kwargs: Any):\n"
            "        params = split(kwargs)\n"
            "        super().__init__(**params)\n"
            "        self.files = kwargs.get('files')\n"
            "\n"
            "\n"
            "class Quiet(BaseAgent):\n"
            "    def __init__(self, name, model=None):\n"
            "        super().__init__(name=name, instructions='Answer briefly.')\n"
            "\n"
            "\n"
            "class Plain(BaseAgent):\n"
            "    retries = 1\n"
        ),
        "app.py": (
            "from agents import Runner\n"
            "from swarm.agent import Agent, Plain, Quiet\n"
            "\n"
            "writer = Agent(name='Writer', instructions='Write.', model='gpt-4o')  # handed\n"
            "helper = Agent(name='Helper', instructions='Help.')\n"
            "quiet = Quiet(name='Quiet', model='gpt-4o')\n"
            "plain = Plain(name='Plain', model='gpt-4o-mini')  # plain\n"
            "result = Runner.run_sync(writer, 'Draft a note.')  # run\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    app = root / "app.py"
    got = sorted((s.line, s.kind, s.provider, s.model.value) for s in result.sites if s.path == "app.py")
    assert got == [
        (line_of(app, "# handed"), "binding", "openai", "gpt-4o"),
        (line_of(app, "# plain"), "binding", "openai", "gpt-4o-mini"),
        (line_of(app, "# run"), "request", "openai", "gpt-4o"),
    ]
