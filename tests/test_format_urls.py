"""URLs built with `str.format` (FORMATURL, r10-miss-classes-2.md): the arguments fill the template's
replacement fields, by position (`{}`, `{0}`) or by keyword (`{host}`), so the host and path are read as an
f-string's would be; a field the reader cannot fill stays a hole and a look-alike host is no site."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return sorted((s.line, s.provider, s.api) for s in result.sites)


def test_positional_format_fields_take_the_arguments(tmp_path: Path) -> None:
    # the scheme from an environment variable's default and the host from an attribute, in a helper
    src = ("import os\n"
           "from urllib.parse import urlencode\n"
           "import websockets\n"
           "class Transcriber:\n"
           "    def __init__(self):\n"
           "        self.host = os.getenv('DG_HOST', 'api.deepgram.com')\n"
           "    def ws_url(self, params):\n"
           "        return '{}://{}/v1/listen?'.format(os.getenv('DG_PROTOCOL', 'wss'), self.host) + urlencode(params)\n"
           "    async def run(self, params):\n"
           "        return await websockets.connect(self.ws_url(params))\n")
    assert _sites(tmp_path, src) == [(10, "deepgram", "audio.transcriptions")]


def test_keyword_and_numbered_fields_take_their_arguments(tmp_path: Path) -> None:
    src = ("import requests\n"
           "BASE = 'https://{host}/speech-to-text'\n"
           "def listen(audio):\n"
           "    return requests.post(BASE.format(host='api.sarvam.ai'), files={'file': audio})\n"
           "def speak(text):\n"
           "    return requests.post('https://{0}/{1}'.format('api.sarvam.ai', 'text-to-speech'), json={'text': text})\n")
    assert _sites(tmp_path, src) == [(4, "sarvam", "audio.transcriptions"), (6, "sarvam", "audio.speech")]


def test_a_format_filling_another_host_is_no_site(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def speak(text):\n"
           "    return requests.post('https://{}/v1/listen'.format('stt.example.org'), json={'text': text})\n"
           "def spread(text, parts):\n"
           "    return requests.post('https://{}/v1/listen'.format(*parts), json={'text': text})\n")
    assert _sites(tmp_path, src) == []
