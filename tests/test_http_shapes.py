"""Raw HTTP requests in the shapes applications write them without an SDK, each beside a look-alike.

The made-up projects under fixtures/resolver/http_shapes carry `# site:` markers (test_resolver_fixtures
reads them); these tests pin each mechanism on its own: a client's base URL, http.client connections,
`"/".join`, a base class's `self.API_URL` set by its subclasses, an Enum member's value,
`partial(requests.post, ...)`, and the catalog's MiniMax, Gemini Live and vLLM endpoints.
"""

from __future__ import annotations

from pathlib import Path

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import sdk_pattern


def _sites(tmp_path: Path, src: str) -> list[tuple[str, str, str]]:
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.function, s.provider, s.api) for s in result.sites]


def test_a_relative_path_is_joined_to_the_base_url_the_client_was_built_with(tmp_path: Path) -> None:
    src = ("import aiohttp, httpx\n"
           "class Mistral:\n"
           "    def __init__(self):\n"
           "        self.client = httpx.AsyncClient(base_url='https://api.mistral.ai/v1', timeout=30)\n"
           "    async def ask(self, messages):\n"
           "        return await self.client.post('/chat/completions', json={'model': 'm', 'messages': messages})\n"
           "async def local(prompt):\n"
           "    async with aiohttp.ClientSession('http://localhost:11434') as s:\n"
           "        return await s.post('/api/chat', json={'model': 'qwen', 'messages': [prompt]})\n"
           "def absolute(prompt):\n"
           "    with httpx.Client(base_url='https://api.mistral.ai') as c:\n"
           "        return c.post('https://api.groq.com/openai/v1/chat/completions', json={'model': 'm', 'messages': []})\n")
    assert _sites(tmp_path, src) == [("ask", "mistral", "chat.completions"), ("local", "ollama", "chat"),
                                     ("absolute", "groq", "chat.completions")]


def test_a_base_url_of_another_service_is_no_llm_api_whatever_the_body(tmp_path: Path) -> None:
    src = ("import httpx\n"
           "class Analytics:\n"
           "    def __init__(self):\n"
           "        self.client = httpx.Client(base_url='https://analytics.example.com')\n"
           "    def track(self, event, model):\n"
           "        return self.client.post('/events', json={'model': model, 'input': event})\n"
           "def search(q):\n"
           "    with httpx.Client(base_url='https://api.tavily.com') as c:\n"
           "        return c.post('/search', json={'query': q, 'max_results': 5})\n")
    assert _sites(tmp_path, src) == []


def test_an_http_client_connection_posts_its_path_to_the_host_it_was_opened_on(tmp_path: Path) -> None:
    src = ("import http.client, json\n"
           "def ask(prompt):\n"
           "    conn = http.client.HTTPSConnection('api.openai.com')\n"
           "    body = json.dumps({'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': prompt}]})\n"
           "    conn.request('POST', '/v1/chat/completions', body, {'Content-Type': 'application/json'})\n"
           "    return conn.getresponse()\n"
           "def listing():\n"
           "    conn = http.client.HTTPSConnection('api.openai.com')\n"
           "    conn.request('GET', '/v1/models')\n"
           "def issue(title):\n"
           "    conn = http.client.HTTPSConnection('api.github.com')\n"
           "    conn.request('POST', '/repos/o/r/issues', body=json.dumps({'model': 'bug', 'prompt': title}))\n")
    assert _sites(tmp_path, src) == [("ask", "openai", "chat.completions")]


def test_the_prefilter_keeps_a_file_opening_an_http_client_connection() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"import http.client\nc = http.client.HTTPSConnection('api.deepseek.com')\n"
                      b"c.request('POST', '/chat/completions', body)\n")
    # `http` is in every URL: a file naming no HTTP library is not kept by a URL's scheme
    assert not pat.search(b"DOCS = 'see http://example.com'\nprint('/chat/completions is our route')\n")


def test_a_url_joined_from_a_list_with_a_separator(tmp_path: Path) -> None:
    src = ("import requests\n"
           "BASE = 'https://api.groq.com/openai/v1'\n"
           "def chat(messages):\n"
           "    return requests.post('/'.join([BASE, 'chat/completions']), json={'model': 'm', 'messages': messages})\n"
           "def event(e):\n"
           "    return requests.post('/'.join([BASE.replace('groq', 'example'), 'events']), json={'model': 'm', 'input': e})\n")
    assert _sites(tmp_path, src) == [("chat", "groq", "chat.completions")]


def test_a_base_class_posts_to_the_url_its_subclasses_set(tmp_path: Path) -> None:
    src = ("import requests\n"
           "class Provider:\n"
           "    API_URL = ''\n"
           "    def complete(self, messages):\n"
           "        return requests.post(self.API_URL, json={'model': 'm', 'messages': messages})\n"
           "class Kimi(Provider):\n"
           "    API_URL = 'https://api.moonshot.cn/v1/chat/completions'\n"
           "class Grok(Provider):\n"
           "    API_URL = 'https://api.x.ai/v1/chat/completions'\n"
           "class Notifier:\n"
           "    HOOK = ''\n"
           "    def send(self, text):\n"
           "        return requests.post(self.HOOK, json={'text': text})\n"
           "class SlackNotifier(Notifier):\n"
           "    HOOK = 'https://hooks.slack.com/services/T/B/X'\n")
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    sites = analyse([p], Config(), root=tmp_path).sites
    assert [(s.function, s.provider, s.providers) for s in sites] == [("complete", "multi", ("moonshot", "xai"))]


def test_an_enum_member_value_is_the_url_the_member_is_assigned(tmp_path: Path) -> None:
    src = ("import requests\n"
           "from enum import Enum\n"
           "class Endpoint(str, Enum):\n"
           "    DEEPSEEK = 'https://api.deepseek.com/chat/completions'\n"
           "    WEBHOOK = 'https://hooks.example.com/in'\n"
           "def chat(messages):\n"
           "    return requests.post(Endpoint.DEEPSEEK.value, json={'model': 'deepseek-chat', 'messages': messages})\n"
           "def notify(text):\n"
           "    return requests.post(Endpoint.WEBHOOK.value, json={'model': 'x', 'text': text})\n")
    assert _sites(tmp_path, src) == [("chat", "deepseek", "chat.completions")]


def test_a_partial_of_an_http_function_binding_only_options_is_that_function(tmp_path: Path) -> None:
    src = ("import requests\n"
           "from functools import partial\n"
           "post = partial(requests.post, timeout=30)\n"
           "hook = partial(requests.post, 'https://hooks.example.com/in')\n"
           "def ask(prompt):\n"
           "    return post('https://api.mistral.ai/v1/chat/completions', json={'model': 'm', 'messages': [prompt]})\n"
           "def notify(text):\n"
           "    return hook(json={'text': text})\n")
    assert _sites(tmp_path, src) == [("ask", "mistral", "chat.completions")]


def test_vendor_endpoints_beyond_the_openai_paths(tmp_path: Path) -> None:
    src = ("import requests, websockets\n"
           "def minimax(prompt):\n"
           "    return requests.post('https://api.minimax.io/v1/text/chatcompletion_v2', json={'model': 'MiniMax-M1', 'messages': [prompt]})\n"
           "async def live(key):\n"
           "    url = 'wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=' + key\n"
           "    async with websockets.connect(url) as ws:\n"
           "        await ws.send('{}')\n"
           "def vllm(prompt, host='http://gpu:8000'):\n"
           "    return requests.post(host + '/generate', json={'prompt': prompt, 'max_tokens': 64})\n"
           "def other_generate(host, text):\n"
           "    return requests.post(host + '/generate', json={'text': text, 'style': 'formal'})\n"
           "def minimax_files(f):\n"
           "    return requests.post('https://api.minimax.io/v1/files/upload', files={'file': f})\n")
    assert _sites(tmp_path, src) == [("minimax", "minimax", "chat.completions"), ("live", "google", "realtime"),
                                     ("vllm", "unknown", "completions")]


def test_a_client_a_factory_returns_brings_its_base_url(tmp_path: Path) -> None:
    src = ("import httpx\n"
           "class Images:\n"
           "    def _client(self):\n"
           "        return httpx.Client(base_url='https://api.stability.ai')\n"
           "    def generate(self, prompt):\n"
           "        with self._client() as c:\n"
           "            return c.post('/v2beta/stable-image/generate/core', data={'prompt': prompt})\n"
           "    def balance(self):\n"
           "        with self._client() as c:\n"
           "            return c.get('/v1/user/balance')\n"
           "def cdn():\n"
           "    return httpx.Client(base_url='https://cdn.example.com')\n"
           "def upload(prompt):\n"
           "    c = cdn()\n"
           "    return c.post('/v2beta/stable-image/generate/core', data={'prompt': prompt})\n")
    assert _sites(tmp_path, src) == [("generate", "stability", "images")]


def test_a_model_server_utility_route_is_no_request_whatever_the_body(tmp_path: Path) -> None:
    # `/tokenize` with model + prompt has a completion's body shape, but the route generates nothing
    # (catalog non_llm_paths); the look-alike, the same body to the server's `/v1/completions`, still is one
    src = ("import requests\n"
           "class ServerModel:\n"
           "    def __init__(self, uri, name):\n"
           "        self.uri, self.name = uri, name\n"
           "    def count(self, text):\n"
           "        return requests.post(f'{self.uri}/tokenize', json={'model': self.name, 'prompt': text}).json()\n"
           "    def healthy(self):\n"
           "        return requests.post(f'{self.uri}/health/', json={'model': self.name, 'prompt': ''}).ok\n"
           "    def complete(self, text):\n"
           "        return requests.post(f'{self.uri}/v1/completions', json={'model': self.name, 'prompt': text}).json()\n")
    assert _sites(tmp_path, src) == [("complete", "unknown", "completions")]
    assert "tokenize" in build_sdk_catalog().http.non_llm_paths


def test_a_websocket_url_named_by_keyword(tmp_path: Path) -> None:
    src = ("from websockets.asyncio.client import connect as websocket_connect\n"
           "class Realtime:\n"
           "    def __init__(self, model='gpt-realtime', base_url='wss://api.openai.com/v1/realtime'):\n"
           "        self.url = f'{base_url}?model={model}'\n"
           "    async def open(self, key):\n"
           "        return await websocket_connect(uri=self.url, additional_headers={'Authorization': key})\n"
           "    async def other(self):\n"
           "        return await websocket_connect(uri='wss://example.com/feed')\n")
    assert _sites(tmp_path, src) == [("open", "openai", "realtime")]


def test_a_prompt_beside_a_token_limit_is_a_generation_request_to_any_url(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def generate(server, prompt):\n"
           "    return requests.post(f'{server}/generate', json={'prompt': prompt, 'max_tokens': 256})\n"
           "def worker(server, prompt):\n"
           "    return requests.post(server, json={'prompt': prompt, 'max_new_tokens': 64, 'stream': True})\n"
           "def search(server, prompt):\n"
           "    return requests.post(server, json={'prompt': prompt, 'limit': 5})\n")
    assert _sites(tmp_path, src) == [("generate", "unknown", "completions"), ("worker", "unknown", "completions")]
