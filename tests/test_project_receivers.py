"""Receivers the project's own code says what they are, though not where they are used: a name a package
exports lazily from its module `__getattr__` (PEP 562), a client a factory builds from a service name its
parameter defaults to."""

from __future__ import annotations

from pathlib import Path

from tests.projects import analysed_sites

CLIENT = '''from openai import OpenAI


def make_client(key):
    return OpenAI(api_key=key)
'''

USER = '''from llm import make_client


def ask(key, text):
    return make_client(key).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''

USER_OF_OTHER = '''from llm import other_client


def ask(key, text):
    return other_client(key).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''


def _requests(sites: list) -> list[tuple[str, int, str]]:
    """The requests whose client was followed to its making (not guessed from evidence in the file)."""
    return sorted((s.path, s.line, s.provider) for s in sites if s.kind == "direct" and s.confidence != "inferred")


def test_a_name_the_package_getattr_imports_in_its_branch(tmp_path: Path) -> None:
    init = '''def __getattr__(name):
    if name == "make_client":
        from .client import make_client
        return make_client
    raise AttributeError(name)
'''
    sites = analysed_sites(tmp_path, {"llm/__init__.py": init, "llm/client.py": CLIENT, "app.py": USER})
    assert ("app.py", 5, "openai") in _requests(sites)


def test_a_name_the_package_getattr_finds_in_its_table_of_modules(tmp_path: Path) -> None:
    init = '''from importlib import import_module

_EXPORTS = {"make_client": "client", "Other": "other"}


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
'''
    sites = analysed_sites(tmp_path, {"llm/__init__.py": init, "llm/client.py": CLIENT, "app.py": USER})
    assert ("app.py", 5, "openai") in _requests(sites)


def test_a_table_of_relative_modules_and_attribute_names(tmp_path: Path) -> None:
    init = '''import importlib

_LAZY = {"make_client": (".client", "make_client"), "other_client": (".client", "missing")}


def __getattr__(name):
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module, __package__), attr)
    raise AttributeError(name)
'''
    files = {"llm/__init__.py": init, "llm/client.py": CLIENT, "app.py": USER, "other.py": USER_OF_OTHER}
    found = _requests(analysed_sites(tmp_path, files))
    assert ("app.py", 5, "openai") in found
    assert not [f for f in found if f[0] == "other.py"]  # a name the module does not define: unknown


def test_a_name_the_getattr_does_not_make_stays_unknown(tmp_path: Path) -> None:
    init = '''def __getattr__(name):
    if name == "make_client":
        from .client import make_client
        return make_client
    raise AttributeError(name)
'''
    files = {"llm/__init__.py": init, "llm/client.py": CLIENT + "\n\ndef other_client(key):\n    return None\n",
             "other.py": USER_OF_OTHER}
    assert not [f for f in _requests(analysed_sites(tmp_path, files)) if f[0] == "other.py"]


DECLARED = '''from typing import Any, Optional, Union

from openai import OpenAI
from helpers import make


class Bot:
    def __init__(self, key):
        self.held: Any = OpenAI(api_key=key)
        self.client: Optional[OpenAI] = None
        self.other: Union[OpenAI, None] = None
        self.loose: Optional[object] = None

    def connect(self):
        self.client = make()
        self.other = make()
        self.loose = make()

    def ask(self, text):
        messages = [{"role": "user", "content": text}]
        self.held.chat.completions.create(model="gpt-4o-mini", messages=messages)
        self.client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        self.other.chat.completions.create(model="gpt-4o-mini", messages=messages)
        self.loose.chat.completions.create(model="gpt-4o-mini", messages=messages)
'''


def test_an_attribute_declared_any_holds_the_client_assigned_with_the_declaration(tmp_path: Path) -> None:
    files = {"bot.py": DECLARED, "helpers.py": "def make():\n    return object()\n"}
    found = _requests(analysed_sites(tmp_path, files))
    assert ("bot.py", 21, "openai") in found  # `self.held: Any = OpenAI(...)`: the client, not `typing.Any`
    # `Optional[OpenAI]` / `Union[OpenAI, None]` declared, assigned from what is not followed: the declared client
    assert ("bot.py", 22, "openai") in found and ("bot.py", 23, "openai") in found
    # `Optional[object]` says nothing: left to evidence in the file (a guess, not a followed client)
    assert ("bot.py", 24, "openai") not in found


FIELDS = '''from typing import Any

import boto3
from pydantic import BaseModel


class BedrockBase(BaseModel):
    runtime: Any
    name: str = "bedrock"

    def __init__(self, *, runtime_client: Any | None = None, **kwargs: Any) -> None:
        super().__init__(runtime=runtime_client or boto3.client("bedrock-runtime"), **kwargs)


class BedrockChat(BedrockBase):
    def chat(self, **kwargs: Any) -> Any:
        return self.runtime.converse(**kwargs)

    def undeclared(self, **kwargs: Any) -> Any:
        return self.spare.converse(**kwargs)


class Loose(BaseModel):
    def __init__(self) -> None:
        super().__init__(spare=boto3.client("bedrock-runtime"))

    def chat(self, **kwargs: Any) -> Any:
        return self.spare.converse(**kwargs)
'''


def test_a_declared_field_holds_what_init_hands_to_super_init(tmp_path: Path) -> None:
    found = _requests(analysed_sites(tmp_path, {"bedrock.py": FIELDS}))
    assert ("bedrock.py", 17, "aws_bedrock") in found
    # a keyword no class of the family declares as a field: not known to become an attribute
    assert ("bedrock.py", 20, "aws_bedrock") not in found and ("bedrock.py", 28, "aws_bedrock") not in found


SENDER = '''from typing import Any


async def send(aclient: Any, payload: dict) -> Any:
    return await aclient.chat.completions.create(**payload)
'''


def test_a_parameter_every_caller_hands_an_sdk_client(tmp_path: Path) -> None:
    callers = '''from openai import AsyncAzureOpenAI, AsyncOpenAI

from sender import send


class Multi:
    def __init__(self, azure: bool) -> None:
        self.aclient = AsyncAzureOpenAI() if azure else AsyncOpenAI()

    async def run(self, payloads):
        return [await send(self.aclient, p) for p in payloads]


async def once(payload):
    return await send(AsyncOpenAI(), payload)
'''
    sites = analysed_sites(tmp_path, {"sender.py": SENDER, "app.py": callers})
    found = [s for s in sites if s.path == "sender.py" and s.confidence != "inferred"]
    assert [(s.line, s.provider, sorted(s.providers)) for s in found] == [(5, "multi", ["azure_openai", "openai"])]


def test_a_parameter_some_caller_hands_what_is_not_followed_stays_unknown(tmp_path: Path) -> None:
    callers = '''from openai import AsyncOpenAI

from sender import send


async def once(payload):
    return await send(AsyncOpenAI(), payload)


async def other(make, payload):
    return await send(make(), payload)
'''
    sites = analysed_sites(tmp_path, {"sender.py": SENDER, "app.py": callers})
    assert not [s for s in sites if s.path == "sender.py" and s.confidence != "inferred"]


def test_a_declared_client_type_gives_way_to_the_client_assigned(tmp_path: Path) -> None:
    """`self.client: Optional[OpenAI] = None`, later `AzureOpenAI(...)`: the declaration names a type, the
    assignment the object; the site is Azure's alone (no phantom `openai` beside it)."""
    src = ("from typing import Optional\n\nfrom openai import AzureOpenAI, OpenAI\n\n\nclass Bot:\n"
           "    def __init__(self):\n        self.client: Optional[OpenAI] = None\n\n"
           "    def connect(self):\n        self.client = AzureOpenAI(azure_endpoint=\"https://x.openai.azure.com\", "
           "api_version=\"2024-06-01\")\n\n"
           "    def ask(self, q):\n        return self.client.chat.completions.create(model=\"d\", messages=[])\n")
    sites = [s for s in analysed_sites(tmp_path, {"bot.py": src}) if s.line == 14]
    assert [(s.provider, tuple(s.providers or ())) for s in sites] in (
        [("azure_openai", ())], [("azure_openai", ("azure_openai",))])
