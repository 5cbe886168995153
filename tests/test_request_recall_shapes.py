"""SDK and raw HTTP requests in shapes applications write them in, each beside a look-alike:

- an optional import with a test double bound when it fails (`except ImportError: litellm = Mock()`,
  `else: AsyncClient = Mock()`) still names the module (resolve/infer.py `_stand_in`); a name bound only
  to a double stays silent;
- a client made by a context-manager factory (`async with self._create_client() as client`, the factory
  yielding an `httpx.AsyncClient(base_url=...)`) sends under its base URL: when that base holds a path
  of its own, a URL opening with an unknown part (`f"{agent_id}/chat/completions"`) is a path under it,
  not the project's own route of the same name (resolve/http.py `_under_base`, `_yielded_call`);
- NVIDIA's NGC-hosted NeMo LLM service endpoint (catalog `[[http.endpoint]]`).
"""

from __future__ import annotations

from pathlib import Path

from projects import analysed_sites


def _sites(root: Path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    return sorted((s.path, s.line, s.provider, s.api) for s in analysed_sites(root, files)
                  if s.kind == "direct")


GUARDED = '''\
from pkg.utils import is_package_available

if is_package_available("litellm"):
    import litellm
else:
    from unittest.mock import Mock

    litellm = Mock()

try:
    from text_generation import AsyncClient
except ImportError:
    from unittest import mock

    AsyncClient = mock.MagicMock()


def ask(prompt):
    kwargs = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}
    return litellm.completion(**kwargs)


class Tgi:
    def __init__(self, address):
        self.client = AsyncClient(address, timeout=240)

    async def generate(self, prompt):
        return await self.client.generate(prompt, max_new_tokens=64)
'''

ONLY_DOUBLE = '''\
from unittest.mock import Mock

litellm = Mock()


def ask(prompt):
    return litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
'''


def test_a_test_double_bound_when_an_optional_import_fails_does_not_hide_the_module(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/utils.py": "def is_package_available(name):\n    return True\n",
             "pkg/models.py": GUARDED}
    found = _sites(tmp_path / "proj", files)
    assert [(p, ln) for p, ln, _prov, _api in found] == [("pkg/models.py", 20), ("pkg/models.py", 28)]
    assert [f[2] for f in found] == ["litellm", "huggingface"]


def test_a_name_bound_only_to_a_test_double_is_no_client(tmp_path: Path) -> None:
    assert _sites(tmp_path / "proj", {"app.py": ONLY_DOUBLE}) == []


AGENT = '''\
from contextlib import asynccontextmanager

import httpx


class RemoteAgent:
    def __init__(self, instance_url, agent_id, api_key):
        self._instance_url = instance_url
        self._agent_id = agent_id
        self._api_key = api_key

    @asynccontextmanager
    async def _create_client(self):
        async with httpx.AsyncClient(base_url=f"{self._instance_url}/v1/orchestrate",
                                     headers={"IAM-API-KEY": self._api_key}) as client:
            yield client

    async def run(self, messages):
        async with self._create_client() as client:
            async with client.stream("POST", f"{self._agent_id}/chat/completions",
                                     json={"messages": messages, "stream": True}) as response:
                return [line async for line in response.aiter_lines()]
'''

OWN_SERVER_CLIENT = '''\
from contextlib import asynccontextmanager

import httpx


class SelfClient:
    def __init__(self, server_url, prefix):
        self._server_url = server_url
        self._prefix = prefix

    @asynccontextmanager
    async def _create_client(self):
        async with httpx.AsyncClient(base_url=self._server_url) as client:
            yield client

    async def ask(self, messages):
        async with self._create_client() as client:
            return await client.post(f"{self._prefix}/chat/completions", json={"messages": messages})
'''

SERVER = '''\
from fastapi import APIRouter

router = APIRouter()


def build(app, handler):
    router.add_api_route("/chat/completions", handler, methods=["POST"])
    app.include_router(router)
'''


def test_a_path_under_a_yielded_clients_base_path_is_not_the_projects_own_route(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/agent.py": AGENT, "pkg/serve.py": SERVER}
    assert _sites(tmp_path / "proj", files) == [("pkg/agent.py", 20, "unknown", "chat.completions")]


def test_a_client_of_a_bare_configured_base_still_reaches_the_projects_own_route(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/client.py": OWN_SERVER_CLIENT, "pkg/serve.py": SERVER}
    assert _sites(tmp_path / "proj", files) == []


NGC = '''\
import os

import httpx


class HostedLLM:
    api_host: str = os.environ.get("LLM_API_HOST", "https://api.llm.ngc.nvidia.com")
    model: str = ""

    def _get_request_url(self) -> str:
        if not self.api_host.endswith("/v1"):
            self.api_host = self.api_host + "/v1"
        return f"{self.api_host}/models/{self.model}/completions"

    def call(self, prompt):
        with httpx.Client(timeout=60) as client:
            return client.post(url=self._get_request_url(), json={"prompt": prompt, "tokens_to_generate": 64})

    def status(self):
        with httpx.Client(timeout=60) as client:
            return client.post(url=f"{self.api_host}/v1/models/{self.model}/status", json={"prompt": ""})
'''


def test_the_ngc_nemo_llm_service_endpoint_is_a_request(tmp_path: Path) -> None:
    assert _sites(tmp_path / "proj", {"app.py": NGC}) == [("app.py", 17, "nvidia", "completions")]


BRANCHED = '''\
import openai


class Requester:
    def __init__(self, request_type):
        self.request_type = request_type

    def _create_client(self):
        if self.request_type == "chat":
            client = openai.ChatCompletion
        elif self.request_type == "embedding":
            client = openai.Embedding
        else:
            client = None
        return client

    async def request(self, data):
        client = self._create_client()
        return await client.acreate(**data)

    def unset(self, data):
        client = None
        return client.create(**data)
'''


def test_an_sdk_resource_chosen_by_branch_with_a_none_fallback_is_still_the_resource(tmp_path: Path) -> None:
    # the branch read last (`openai.Embedding`) names the request; the `None` branch holds nothing
    assert _sites(tmp_path / "proj", {"app.py": BRANCHED}) == [("app.py", 19, "openai", "embeddings")]


UNTYPED = '''\
def embed(client, model_name, texts):
    return [client.models.embed_content(model=model_name, contents=t) for t in texts]


def count(client, model_name, text):
    return client.models.count_tokens(model=model_name, contents=text)


async def summarize(env, prompt):
    client = env.aux_client
    return await client.completions.create(model=env.aux_model_name, max_tokens=512, prompt=prompt)


def chat(client, messages):
    return client.chat.completions.create(model="m", messages=messages)


def listing(client):
    return client.completions.create(limit=10)
'''


def test_embedding_and_text_completion_requests_on_untyped_clients_are_inferred(tmp_path: Path) -> None:
    assert _sites(tmp_path / "proj", {"app.py": UNTYPED}) == [
        ("app.py", 2, "google", "embed_content"), ("app.py", 11, "openai", "completions"),
        ("app.py", 15, "openai", "chat.completions")]


CONTENT_SAFETY = '''\
import json

import requests


class ContentSafety:
    def __init__(self, endpoint, key, api_version="2023-10-01"):
        self.endpoint, self.key, self.api_version = endpoint, key, api_version

    def build_url(self, kind):
        if kind == "text":
            return f"{self.endpoint}/contentsafety/text:analyze?api-version={self.api_version}"
        return f"{self.endpoint}/contentsafety/image:analyze?api-version={self.api_version}"

    def detect(self, kind, content):
        url = self.build_url(kind)
        return requests.post(url, headers={"Ocp-Apim-Subscription-Key": self.key}, data=json.dumps({"text": content}))

    def blocklists(self):
        return requests.post(f"{self.endpoint}/contentsafety/text/blocklists?api-version={self.api_version}",
                             json={"description": "x"})
'''


def test_azure_content_safety_over_rest_is_its_billed_moderation_and_its_list_management_is_not(tmp_path: Path) -> None:
    assert _sites(tmp_path / "proj", {"app.py": CONTENT_SAFETY}) == [
        ("app.py", 17, "azure_content_safety", "moderations")]
