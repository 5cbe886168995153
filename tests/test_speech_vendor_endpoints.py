"""Paid speech, avatar and agent-app endpoints the round-10 study found missing from the HTTP catalog
(HOSTGAP, PATHGAP): each billed path on its vendor's host is a site with its provider and API kind, written
as a literal URL or with the host from a variable's default; the same host's token, listing and upload
paths, and the same path on another host, are not. Youdao's host serves many products: only its billed
paths are requests, so a QAnything file upload is no translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.provider, s.api) for s in result.sites]


BILLED = [
    ("https://api.sarvam.ai/text-to-speech", ("sarvam", "audio.speech")),
    ("https://api.sarvam.ai/speech-to-text-translate", ("sarvam", "audio.transcriptions")),
    ("https://api.sarvam.ai/translate", ("sarvam", "translation")),
    ("https://api.smallest.ai/waves/v1/tts", ("smallest", "audio.speech")),
    ("https://waves-api.smallest.ai/api/v1/lightning/get_speech", ("smallest", "audio.speech")),
    ("https://users.rime.ai/v1/rime-tts", ("rime", "audio.speech")),
    ("https://api.soniox.com/v1/transcriptions", ("soniox", "audio.transcriptions")),
    ("https://hindi.heypixa.ai/api/v1/synthesize", ("pixa", "audio.speech")),
    ("https://tts.mayaresearch.ai/v1/tts", ("maya", "audio.speech")),
    ("https://api.heygen.com/v1/streaming.task", ("heygen", "video")),
    ("https://api.heygen.com/v1/realtime.new", ("heygen", "video")),
    ("https://qianfan.baidubce.com/v2/app/conversation/runs", ("qianfan", "agents")),
    ("https://open.bigmodel.cn/api/llm-application/open/model-api/app1/invoke", ("zhipuai", "agents")),
    ("https://chatglm.cn/chatglm/assistant-api/v1/stream_sync", ("zhipuai", "agents")),
    ("https://api.elevenlabs.io/v1/text-to-dialogue", ("elevenlabs", "audio.speech")),
    ("https://openapi.youdao.com/q_anything/paas/chat", ("youdao", "chat.completions")),
    ("https://openapi.youdao.com/ttsapi", ("youdao", "audio.speech")),
]


@pytest.mark.parametrize("url,expected", BILLED, ids=[e[0].split("//")[1] for e in BILLED])
def test_a_billed_vendor_path_is_a_site(tmp_path: Path, url: str, expected) -> None:
    src = f"import requests\ndef call(t):\n    return requests.post('{url}', json={{'text': t}})\n"
    assert _sites(tmp_path, src) == [expected]


LOOK_ALIKES = [
    "https://api.heygen.com/v1/streaming.ice",  # exchanges ICE candidates
    "https://api.heygen.com/v1/realtime.stop",  # closes the session
    "https://qianfan.baidubce.com/v2/app/conversation/file/upload",  # stores a file
    "https://qianfan.baidubce.com/v2/app/conversation",  # opens a conversation
    "https://open.bigmodel.cn/api/llm-application/open/application",  # lists applications
    "https://chatglm.cn/chatglm/assistant-api/v1/get_token",  # fetches a token
    "https://openapi.youdao.com/q_anything/paas/upload_file",  # a QAnything file upload
    "https://openapi.youdao.com/q_anything/paas/create_kb",  # creates a knowledge base
    "https://example.org/text-to-speech",  # Sarvam's path on another host
    "https://example.org/transcribe-websocket",  # Soniox's path on another host
    "https://tts.example.org/v1/tts",  # Maya's path on another host
]


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_setup_paths_and_other_hosts_are_not_sites(tmp_path: Path, url: str) -> None:
    src = f"import requests\ndef call(t):\n    return requests.post('{url}', json={{'text': t}})\n"
    assert _sites(tmp_path, src) == []


def test_a_websocket_to_a_host_from_a_variable_default_is_a_site(tmp_path: Path) -> None:
    # the host is an attribute whose value is an environment variable's default, as speech clients write it
    src = ("import os\n"
           "import websockets\n"
           "class Listener:\n"
           "    def __init__(self):\n"
           "        self.host = os.getenv('STT_HOST', 'stt-rt.soniox.com')\n"
           "    async def run(self):\n"
           "        return await websockets.connect(f'wss://{self.host}/transcribe-websocket')\n"
           "class Streamer:\n"
           "    async def run(self):\n"
           "        return await websockets.connect('wss://streaming.assemblyai.com/v3/ws?sample_rate=16000')\n")
    assert sorted(_sites(tmp_path, src)) == [("assemblyai", "audio.transcriptions"), ("soniox", "audio.transcriptions")]


def test_a_websocket_to_another_host_with_the_same_path_is_not_a_site(tmp_path: Path) -> None:
    src = ("import websockets\n"
           "async def run(host):\n"
           "    return await websockets.connect(f'wss://{host}/v3/ws')\n")
    assert _sites(tmp_path, src) == []
