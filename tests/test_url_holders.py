"""A URL reaches its request through a holder: a field of a `SimpleNamespace` (keywords or a literal
dict spread into it), an item of a tuple a project function or method returns (and, for a method
called on `self` in a base class, the tuples its subclasses' overrides return). Look-alikes: other fields, other items."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.function, s.provider, s.api) for s in result.sites]


def test_a_url_in_a_simple_namespace_is_read(tmp_path: Path) -> None:
    src = ("import types\nimport requests\n"
           "tts = types.SimpleNamespace(**{'url': 'https://api.elevenlabs.io/v1/text-to-speech/{voice}/stream', 'hook': 'https://hooks.example.com/x'})\n"
           "cloud = types.SimpleNamespace(url='https://texttospeech.googleapis.com/v1/text:synthesize', page='https://example.com/')\n"
           "def speak(text, voice):\n"
           "    return requests.post(tts.url.format(voice=voice), json={'text': text})\n"
           "def synth(text):\n"
           "    return requests.post(cloud.url, json={'input': {'text': text}})\n"
           "def notify(text):\n"
           "    return requests.post(tts.hook, json={'text': text})\n"  # another field: a webhook
           "def page(text):\n"
           "    return requests.post(cloud.page, json={'text': text})\n"
           "def unset(text):\n"
           "    return requests.post(cloud.other, json={'text': text})\n")  # a field it was not built with
    assert _sites(tmp_path, src) == [("speak", "elevenlabs", "audio.speech"), ("synth", "google_cloud_tts", "audio.speech")]


def test_a_url_unpacked_from_a_returned_tuple_is_read(tmp_path: Path) -> None:
    src = ("import aiohttp\nimport requests\n"
           "def prep(q):\n"
           "    return 'https://api.anthropic.com/v1/messages', {'model': 'claude-x', 'max_tokens': 9, 'messages': q}\n"
           "def headers_first(q):\n"
           "    return {'x': 'https://api.openai.com/v1/chat/completions'}, 'https://hooks.example.com/x'\n"
           "def direct(q):\n"
           "    url, body = prep(q)\n"
           "    return requests.post(url, json=body)\n"
           "def other_item(q):\n"
           "    headers, url = headers_first(q)\n"  # the URL item is a webhook
           "    return requests.post(url, headers=headers, json={'q': q})\n"
           "class Model:\n"
           "    async def prepare_request(self, messages):\n"
           "        raise NotImplementedError\n"
           "    async def chat(self, messages):\n"
           "        api_url, headers, payload = await self.prepare_request(messages)\n"
           "        async with aiohttp.ClientSession() as session:\n"
           "            async with session.post(api_url, headers=headers, json=payload) as r:\n"
           "                return await r.json()\n"
           "class Groq(Model):\n"
           "    async def prepare_request(self, messages):\n"
           "        return 'https://api.groq.com/openai/v1/chat/completions', {}, {'model': 'llama', 'messages': messages}\n")
    assert _sites(tmp_path, src) == [("direct", "anthropic", "messages"), ("chat", "groq", "chat.completions")]
