"""Raw HTTP sites: hostile URL expressions stay cheap and never crash; the prefilter keeps HTTP files."""

from __future__ import annotations

import time
from pathlib import Path

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import sdk_pattern


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def test_a_url_built_from_ten_thousand_concatenations_is_cheap(tmp_path: Path) -> None:
    src = "import requests\nURL = " + " + ".join(['"/v1"'] * 10_000) + "\n"
    src += "def f():\n    u = 'https://api.openai.com'\n" + "".join(f"    u = u + '/p{i}'\n" for i in range(2_000))
    src += "    return requests.post(u + '/chat/completions', json={'model': 'gpt-4o'})\n"
    src += "def g():\n    return requests.post(URL + '/chat/completions', json={})\n"
    start = time.perf_counter()
    sites = _sites(tmp_path, src)
    assert time.perf_counter() - start < 20
    assert [(s.function, s.provider, s.sdk) for s in sites] == [("f", "openai", "http"), ("g", "unknown", "http")]


def test_names_defined_from_themselves_are_holes(tmp_path: Path) -> None:
    src = ("import httpx\n"
           "a = a.b\n"
           "url = url + '/x'\n"
           "base = base or base\n"
           "def f():\n"
           "    return httpx.post(url + base + a, json={'model': 'm'})\n")
    assert _sites(tmp_path, src) == []


def test_the_prefilter_keeps_files_that_post_to_an_llm_url_and_skips_other_http() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"import requests\nrequests.post(BASE + '/v1/chat/completions', json=body)\n")
    assert pat.search(b"import httpx\nURL = 'http://localhost:11434/api/generate'\n")
    assert not pat.search(b"import requests\nrequests.post('https://hooks.example.com/events', json=e)\n")
    assert not pat.search(b"def f():\n    return '/v1/chat/completions'  # no HTTP library here\n")
    assert not pat.search(b'"""Posts to /v1/chat/completions."""\nCHAT = load()\n')
    # a JSON body of an LLM request's shape posted to a URL read from elsewhere (all of the shape's keys)
    assert pat.search(b"import requests\nbody = {'inputs': text, 'parameters': p}\nrequests.post(self.url, json=body)\n")
    assert not pat.search(b"import requests\nrequests.post(self.url, json={'inputs': text})\n")
    # a module-level URL constant: its importers may post to it (they learn so from this module)
    assert pat.search(b"CHAT = 'https://api.openai.com/v1/chat/completions'\n")


def test_a_huge_table_of_endpoints_is_read_within_its_caps(tmp_path: Path) -> None:
    rows = "".join(f"    'm{i}': {{'endpoint': 'https://hooks.example.com/{i}'}},\n" for i in range(20_000))
    src = ("import requests\n"
           "TABLE = {\n" + rows + "    'gpt': {'endpoint': 'https://api.openai.com/v1/chat/completions'},\n}\n"
           "def f(name, body):\n"
           "    return requests.post(TABLE[name]['endpoint'], json=body)\n"
           "def g(body):\n"
           "    return requests.post(TABLE['gpt']['endpoint'], json=body)\n")
    sites = _sites(tmp_path, src)
    # f: only the first entries of a dynamic key are read (all webhooks): no site, no error;
    # g: a constant key is looked up among the first keys scanned, past them it is a hole
    assert [s.function for s in sites] == []


def test_tables_defined_from_themselves_end_in_holes(tmp_path: Path) -> None:
    src = ("import requests\n"
           "T = {'a': T, 'url': T['url']}\n"
           "T = T['a']\n"
           "T.update(T)\n"
           "T.update({'b': T['b']['url']})\n"
           "U = V\n"
           "V = U['x']\n"
           "def f(k, body):\n"
           "    return requests.post(T[k]['url'] + U[k][k][k], json=body)\n"
           "def g(k):\n"
           "    return requests.post(T['b'], json={'model': 'm', 'messages': []})\n")
    assert [(s.function, s.confidence) for s in _sites(tmp_path, src)] == [("g", "inferred")]


def test_a_provider_host_is_never_the_project_own_route(tmp_path: Path) -> None:
    """A project serving /v1/embeddings itself posts to its own server through a base URL it does
    not know; a literal provider host on the same path is the provider's."""
    src = ("import requests\n"
           "def routes(app):\n"
           "    @app.post('/v1/embeddings')\n"
           "    def embeddings(body):\n"
           "        return body\n"
           "def to_provider(texts):\n"
           "    return requests.post('https://api.aimlapi.com/v1/embeddings', json={'model': 'm', 'input': texts})\n"
           "def to_self(base, texts):\n"
           "    return requests.post(base + '/v1/embeddings', json={'model': 'm', 'input': texts})\n")
    assert [(s.function, s.provider, s.api) for s in _sites(tmp_path, src)] == [("to_provider", "aimlapi", "embeddings")]


def test_the_prefilter_keeps_shared_body_shapes_only_beside_their_names() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    # `model` + `input` is an embeddings body only in code named for embeddings
    assert pat.search(b"import requests\ndef embed_documents(self, texts):\n"
                      b"    return requests.post(self.api_url, json={'model': m, 'input': texts})\n")
    assert not pat.search(b"import requests\ndef process_order(self, o):\n"
                          b"    return requests.post(self.url, json={'model': o.sku, 'input': o.lines})\n")
    # a realtime WebSocket to a provider's host
    assert pat.search(b"import websockets\nwebsockets.connect('wss://api.openai.com/v1/realtime?model=m')\n")
    assert not pat.search(b"import websockets\nwebsockets.connect('wss://stream.example.com/ws')\n")


def test_bodies_passed_around_in_a_cycle_and_odd_slices_end_in_holes(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def ping(d):\n"
           "    pong(d)\n"
           "    return requests.post(d.pop('url'), json=d)\n"
           "def pong(d):\n"
           "    return ping(d)\n"
           "def sliced(base):\n"
           "    return requests.post(base[::2] + 'x'[5:1] + 'https://api.openai.com'[-3:], json={'a': 1})\n"
           "def known_slice():\n"
           "    return requests.post('xxhttps://api.openai.com/v1/chat/completions'[2:], json={'model': 'm', 'messages': []})\n")
    sites = _sites(tmp_path, src)
    assert [(s.function, s.provider, s.api) for s in sites] == [("known_slice", "openai", "chat.completions")]


def _shared_module(tmp_path: Path, name: str) -> Path:
    """The path of module `name` of a `common` package under `tmp_path` (the package made)."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "__init__.py").write_text("", encoding="utf-8")
    return tmp_path / "common" / name


def _project_sites(root: Path) -> list:
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def test_a_project_http_helper_in_another_module_is_followed_to_its_callers(tmp_path: Path) -> None:
    """`sync_request(method, url, **kwargs)` in a shared module sends what its callers give it: a call
    with an LLM API's URL is a site; GET calls, other URLs and fixed-GET helpers are not. (The caller's
    file must pass the prefilter on its own: the helper's module names no LLM API.)"""
    _shared_module(tmp_path, "http_client.py").write_text(
        "import httpx\n"
        "def sync_request(method, url, *, timeout=None, **kwargs):\n"
        "    with httpx.Client(timeout=timeout) as client:\n"
        "        return client.request(method, url, **kwargs)\n"
        "def post_json(url, payload):\n"
        "    return httpx.post(url, json=payload)\n"
        "def get_json(url, **kwargs):\n"
        "    return httpx.request('GET', url, **kwargs)\n", encoding="utf-8")
    (tmp_path / "embed.py").write_text(  # a module the prefilter keeps (it names an SDK)
        "from openai import OpenAI\n"
        "from common.http_client import sync_request, post_json, get_json\n"
        "class ArkEmbed:\n"
        "    def __init__(self, base_url, model):\n"
        "        self.base_url, self.model = base_url, model\n"
        "    def encode(self, text):\n"
        "        url = f'{self.base_url}/embeddings'\n"
        "        return sync_request(method='POST', url=url, json={'model': self.model, 'input': [text]})\n"
        "    def chat(self, messages):\n"
        "        return post_json('https://api.deepseek.com/chat/completions', {'model': 'deepseek-chat', 'messages': messages})\n"
        "def userinfo(url):\n"
        "    return sync_request('GET', url + '/embeddings')\n"
        "def webhook(event):\n"
        "    return sync_request('POST', 'https://hooks.example.com/x', json={'model': 'm', 'messages': [event]})\n"
        "def listing():\n"
        "    return get_json('https://api.openai.com/v1/chat/completions', json={'model': 'm', 'messages': []})\n",
        encoding="utf-8")
    got = sorted((s.path, s.line, s.provider, s.api, s.model.value or "") for s in _project_sites(tmp_path))
    assert got == [("embed.py", 8, "unknown", "embeddings", ""), ("embed.py", 10, "deepseek", "chat.completions", "deepseek-chat")]


def test_a_project_http_helper_over_another_helper_is_followed_to_its_callers(tmp_path: Path) -> None:
    """`chat(url, key, messages)` hands the URL it is given to `post_json(url, body)` with a body it builds,
    `relay(url, payload)` hands on both, `send(method, url, **kw)` hands on its method and `**kwargs`: a
    call of one from another module with an LLM API's URL is a site, with the body the helper builds; a
    GET helper over a helper, a fixed GET, another URL and a non-LLM host are not."""
    _shared_module(tmp_path, "net.py").write_text(
        "import requests\n"
        "def post_json(url, payload, headers=None):\n"
        "    return requests.post(url, json=payload, headers=headers or {})\n"
        "def request(method, url, **kwargs):\n"
        "    return requests.request(method, url, **kwargs)\n"
        "def chat(url, key, messages):\n"
        "    return post_json(url, {'model': 'gpt-4o-mini', 'messages': messages}, {'Authorization': key})\n"
        "def relay(url, payload):\n"
        "    return post_json(url, payload)\n"
        "def send(method, url, **kw):\n"
        "    return request(method, url, **kw)\n"
        "def fetch(url):\n"
        "    return request('GET', url)\n"
        "def status(url):\n"
        "    return fetch(url)\n", encoding="utf-8")
    (tmp_path / "work.py").write_text(
        "from openai import OpenAI\n"
        "from common.net import chat, relay, send, status\n"
        "URL = 'https://api.openai.com/v1/chat/completions'\n"
        "def answer(key, question):\n"
        "    return chat(URL, key, [{'role': 'user', 'content': question}])\n"
        "def forward(messages):\n"
        "    return relay('https://api.anthropic.com/v1/messages', {'model': 'claude-sonnet-4-5', 'max_tokens': 64, 'messages': messages})\n"
        "def post(messages):\n"
        "    return send('POST', 'https://api.deepseek.com/chat/completions', json={'model': 'deepseek-chat', 'messages': messages})\n"
        "def listing():\n"
        "    return send('GET', URL)\n"
        "def check():\n"
        "    return status(URL)\n"
        "def notify(text):\n"
        "    return relay('https://hooks.example.com/in', {'text': text})\n", encoding="utf-8")
    got = sorted((s.line, s.provider, s.api, s.model.value or "") for s in _project_sites(tmp_path) if s.path == "work.py")
    assert got == [(5, "openai", "chat.completions", "gpt-4o-mini"), (7, "anthropic", "messages", "claude-sonnet-4-5"),
                   (9, "deepseek", "chat.completions", "deepseek-chat")]


def test_a_literal_third_party_host_is_never_the_project_own_route(tmp_path: Path) -> None:
    """A project serving /v1/chat/completions itself: a request to a public host written in the code
    (a hosted OpenAI-compatible service the catalog does not name, or such a host as the default of a
    configured base) goes to that service; a base read from configuration alone, localhost, a bare
    compose service name or a private IP stay the project's own server."""
    src = ("import os, requests\n"
           "def routes(app):\n"
           "    @app.post('/v1/chat/completions')\n"
           "    def chat(body):\n"
           "        return body\n"
           "BODY = {'model': 'm', 'messages': []}\n"
           "def hosted():\n"
           "    return requests.post('https://llm.example-gpu.ai/v1/chat/completions', json=BODY)\n"
           "def hosted_default(base=None):\n"
           "    base = base or os.getenv('GPU_URL', 'https://llm.example-gpu.ai')\n"
           "    return requests.post(base + '/v1/chat/completions', json=BODY)\n"
           "def to_self(base):\n"
           "    return requests.post(base + '/v1/chat/completions', json=BODY)\n"
           "def to_localhost():\n"
           "    return requests.post('http://localhost:7437/v1/chat/completions', json=BODY)\n"
           "def to_service():\n"
           "    return requests.post('http://agixt:7437/v1/chat/completions', json=BODY)\n"
           "def to_private_ip():\n"
           "    return requests.post('http://10.0.0.5:7437/v1/chat/completions', json=BODY)\n"
           "def to_mdns():\n"
           "    return requests.post('http://gpu-box.local/v1/chat/completions', json=BODY)\n")
    assert [s.function for s in _sites(tmp_path, src)] == ["hosted", "hosted_default"]
