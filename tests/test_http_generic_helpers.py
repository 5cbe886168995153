"""Raw HTTP requests sent through a project's generic helpers, each beside a look-alike that is no LLM request.

A `@staticmethod` URL builder called on `self` (`self._build(self.api_base, self.PATH)`), a base class's
`_http_post(url, ...)` whose callers are its subclasses, `getattr(client, method)(url, ...)` with POST among the
methods its callers pass, `client.post(**build_request())` with the keywords a builder returns, and a path helper
joining its literal path to a default host: each is the request to the URL its callers show. The same helpers
posting to a webhook, a search index or a project's own API are not.
"""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str) -> list[tuple[int, str, str]]:
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return sorted((s.line, s.provider, s.api) for s in result.sites if s.sdk == "http")


STATIC_BUILDER = ("import requests\n"
                  "class Scorer:\n"
                  "    BASE = {base!r}\n"
                  "    PATH = {path!r}\n"
                  "    def __init__(self, base=None):\n"
                  "        self.base = (base or self.BASE).rstrip('/')\n"
                  "        self.session = requests.Session()\n"
                  "    @staticmethod\n"
                  "    def _join(base, suffix):\n"
                  "        if base.endswith(suffix):\n"
                  "            return base\n"
                  "        return f\"{{base.rstrip('/')}}/{{suffix.lstrip('/')}}\"\n"
                  "    def run(self, audio):\n"
                  "        return self.session.post(self._join(self.base, self.PATH), files={{'file': audio}},\n"
                  "                                 data={{'model': 'whisper-1'}})\n")


def test_a_static_url_builder_called_on_self_binds_its_first_argument(tmp_path: Path) -> None:
    src = STATIC_BUILDER.format(base="https://api.openai.com/v1", path="/audio/transcriptions")
    assert _sites(tmp_path, src) == [(14, "openai", "audio.transcriptions")]


def test_a_static_url_builder_to_a_webhook_is_no_request(tmp_path: Path) -> None:
    src = STATIC_BUILDER.format(base="https://hooks.slack.com", path="/services/T000/B000")
    assert _sites(tmp_path, src) == []


SUBCLASS_CALLERS = ("import httpx\n"
                    "class Provider:\n"
                    "    async def _http_post(self, url, *, body):\n"
                    "        async with httpx.AsyncClient() as c:\n"
                    "            return await c.post(url, json=body)\n"
                    "class Vendor(Provider):\n"
                    "    def __init__(self, base):\n"
                    "        self.base = base\n"
                    "    async def ask(self, text):\n"
                    "        url = f'{{self.base}}/{path}'\n"
                    "        return await self._http_post(url, body={body})\n")


def test_a_base_class_helper_posts_to_the_url_its_subclasses_pass(tmp_path: Path) -> None:
    src = SUBCLASS_CALLERS.format(path="chat/completions",
                                  body="{'model': 'm', 'messages': [{'role': 'user', 'content': text}]}")
    assert [(line, api) for line, _p, api in _sites(tmp_path, src)] == [(5, "chat.completions")]


def test_a_base_class_helper_posting_a_search_to_its_subclasses_url_is_no_request(tmp_path: Path) -> None:
    src = SUBCLASS_CALLERS.format(path="_search", body="{'query': {'match': {'title': text}}, 'size': 10}")
    assert _sites(tmp_path, src) == []


def test_a_subclass_overriding_the_helper_calls_its_own(tmp_path: Path) -> None:
    src = SUBCLASS_CALLERS.format(path="chat/completions",
                                  body="{'model': 'm', 'messages': [{'role': 'user', 'content': text}]}") + \
        ("    async def _http_post(self, url, *, body):\n"
         "        return None\n")
    assert _sites(tmp_path, src) == []


GETATTR_HELPER = ("import httpx\n"
                  "async def _send(client: httpx.AsyncClient, method: str, url: str, **kwargs):\n"
                  "    request = getattr(client, method.lower(), None)\n"
                  "    response = await request(url, **kwargs)\n"
                  "    return response.json()\n"
                  "async def transcribe(audio_url):\n"
                  "    async with httpx.AsyncClient() as client:\n"
                  "        return await _send(client, {method!r}, 'https://api.assemblyai.com/v2/transcript',\n"
                  "                           json={{'audio_url': audio_url}})\n")


def test_a_request_method_read_by_getattr_posts_when_its_callers_pass_post(tmp_path: Path) -> None:
    assert _sites(tmp_path, GETATTR_HELPER.format(method="POST")) == [(4, "assemblyai", "audio.transcriptions")]


def test_a_request_method_read_by_getattr_only_ever_get_is_no_request(tmp_path: Path) -> None:
    assert _sites(tmp_path, GETATTR_HELPER.format(method="GET")) == []


BUILT_REQUEST = ("import httpx\n"
                 "async def _post_with_retry(build_request):\n"
                 "    async with httpx.AsyncClient() as client:\n"
                 "        return await client.post(**build_request())\n"
                 "async def run(base, payload):\n"
                 "    def build_request():\n"
                 "        return {{'url': f'{{base}}/{path}', 'json': {body}, 'timeout': 60}}\n"
                 "    return await _post_with_retry(build_request)\n")


def test_a_request_built_from_the_keywords_a_builder_returns(tmp_path: Path) -> None:
    src = BUILT_REQUEST.format(path="audio/transcriptions", body="{'model': 'whisper-1', 'file': payload}")
    assert [(line, api) for line, _p, api in _sites(tmp_path, src)] == [(4, "audio.transcriptions")]


def test_a_search_request_built_by_a_builder_is_no_request(tmp_path: Path) -> None:
    src = BUILT_REQUEST.format(path="logs/_search", body="{'query': {'match': {'msg': payload}}}")
    assert _sites(tmp_path, src) == []


def test_a_path_helper_keeps_the_default_host_it_joins_its_literal_path_to(tmp_path: Path) -> None:
    src = ("import httpx, os\n"
           "DEFAULT = 'https://api.assemblyai.com/v2'\n"
           "def _api_path(base, default, path):\n"
           "    return f\"{(base or default).rstrip('/')}/{path.lstrip('/')}\"\n"
           "def submit(audio_url):\n"
           "    url = _api_path(os.environ.get('ASSEMBLY_BASE'), DEFAULT, 'transcript')\n"
           "    return httpx.post(url, json={'audio_url': audio_url})\n"
           "def upload(data):\n"
           "    return httpx.post(_api_path(None, DEFAULT, 'upload'), content=data)\n")
    assert _sites(tmp_path, src) == [(7, "assemblyai", "audio.transcriptions")]



def test_lstrip_without_a_slash_keeps_the_leading_slash_of_a_path(tmp_path: Path) -> None:
    # urljoin of an absolute path drops the base's /v1: the request goes to /cv/..., no endpoint of the host
    src = ("from urllib.parse import urljoin\n"
           "import requests\n"
           "BASE = 'https://ai.api.nvidia.com/v1/'\n"
           "def run(img, path):\n"
           "    kept = requests.post(urljoin(BASE, '  /cv/x'.lstrip()), json={'image': img})\n"
           "    stripped = requests.post(urljoin(BASE, '/cv/x'.lstrip('/')), json={'image': img})\n"
           "    return kept, stripped\n")
    assert _sites(tmp_path, src) == [(6, "nvidia", "inference")]
