"""Paid hosted AI services reached over REST or their SDKs (speech, translation, image and agent
inference): the billed request is a site with its provider and API kind; the same host's polls,
listings and uploads, and look-alike paths or hosts, are not."""

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
    ("https://api.openai.com/v1/audio/translations", "files={'file': f}, data={'model': 'whisper-1'}", ("openai", "audio.translations")),
    ("https://api.x.ai/v1/tts", "json={'text': t, 'voice_id': 'eve'}", ("xai", "audio.speech")),
    ("https://openspeech.bytedance.com/api/v3/tts/unidirectional", "json={'req_params': {'text': t}}", ("volcengine_speech", "audio.speech")),
    ("https://openspeech.bytedance.com/api/v3/auc/bigmodel/recognize/flash", "json={'audio': {'data': t}}", ("volcengine_speech", "audio.transcriptions")),
    ("https://api.ai21.com/studio/v1/embed", "json={'texts': [t]}", ("ai21", "embeddings")),
    ("https://texttospeech.googleapis.com/v1/text:synthesize", "json={'input': {'text': t}}", ("google_cloud_tts", "audio.speech")),
    ("https://api.elevenlabs.io/v1/speech-to-speech/abc", "files={'audio': f}", ("elevenlabs", "audio.speech")),
    ("https://api.gladia.io/v2/pre-recorded", "json={'audio_url': t}", ("gladia", "audio.transcriptions")),
    ("https://api.interpreter.caiyunai.com/v1/translator", "json={'source': [t], 'trans_type': 'auto2zh'}", ("caiyun", "translation")),
    ("https://openapi.youdao.com/api", "data={'q': t, 'from': 'auto', 'to': 'zh-CHS'}", ("youdao", "translation")),
    ("https://api.multion.ai/v1/web/browse", "json={'cmd': t, 'url': 'https://example.org'}", ("multion", "agents")),
    ("https://dev.geospy.ai/predict", "json={'image': t, 'top_k': 5}", ("geospy", "image_analysis")),
    ("https://beta.webpilotai.com/api/v1/watt", "json={'content': t}", ("webpilot", "chat")),
]


@pytest.mark.parametrize("url,body,expected", BILLED, ids=[e[2][0] + ":" + e[2][1] for e in BILLED])
def test_a_billed_request_to_a_paid_service_is_a_site(tmp_path: Path, url: str, body: str, expected) -> None:
    src = f"import requests\ndef call(t, f=None):\n    return requests.post('{url}', {body})\n"
    assert _sites(tmp_path, src) == [expected]


LOOK_ALIKES = [
    "https://api.x.ai/v1/tts/voices",  # lists voices
    "https://openspeech.bytedance.com/api/v3/auc/bigmodel/query",  # polls a recognition job
    "https://api.gladia.io/v2/upload",  # stores a file
    "https://api.elevenlabs.io/v1/voices/add",  # adds a cloned voice: account setup, billed nothing per call
    "https://dev.example.ai/predict",  # another host's /predict
    "https://api.example.com/studio/v1/embed",  # AI21's path on another host
    "https://notyoudao.example.org/api",  # another host's /api
]


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_look_alike_paths_and_hosts_are_not_sites(tmp_path: Path, url: str) -> None:
    src = f"import requests\ndef call(t):\n    return requests.post('{url}', json={{'x': t}})\n"
    assert _sites(tmp_path, src) == []


def test_a_get_that_polls_a_paid_service_is_not_a_site(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def poll(job):\n"
           "    return requests.get(f'https://api.gladia.io/v2/pre-recorded/{job}', headers={'x-gladia-key': 'k'})\n")
    assert _sites(tmp_path, src) == []


def test_the_aliyun_and_camb_sdks_bill_their_generation_calls_only(tmp_path: Path) -> None:
    src = ("from alibabacloud_alimt20181012.client import Client\n"
           "from camb.client import CambAI\n"
           "def ali(cfg, req, rt):\n"
           "    c = Client(cfg)\n"
           "    c.get_doc_translate_task(req)\n"  # a poll
           "    return c.translate_general_with_options(req, rt)\n"
           "def camb(text):\n"
           "    c = CambAI(api_key='k')\n"
           "    c.voice_cloning.list_voices()\n"  # a listing
           "    c.transcription.get_transcription_result(1)\n"  # a result read
           "    c.translation.translation_stream(source_language=1, target_language=2, text=text)\n"
           "    return c.text_to_speech.tts(text=text, voice_id=1, speech_model='mars-flash')\n")
    assert _sites(tmp_path, src) == [("aliyun_mt", "translation"), ("camb_ai", "translation"), ("camb_ai", "audio.speech")]
