"""Paid hosted AI services that are not LLMs (translation, speech, OCR, text analysis) are listed as
sites, but the rules written for LLM generation stay silent on them: no prompt-cache advice, no output
cap, no batch API to move them to. The same shapes on an LLM chat request fire (the control)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve.prompts import hosted_ai, is_chat

LONG = "Follow the house style guide. " * 400  # far above any cache minimum

SOURCE = (
    "import boto3\n"
    "import deepl\n"
    "from openai import OpenAI\n"
    "translator = deepl.Translator('k')\n"
    "polly = boto3.client('polly')\n"
    "textract = boto3.client('textract')\n"
    "client = OpenAI()\n"
    f"GUIDE = {LONG!r}\n"
    "def run(docs, user):\n"
    "    for doc in docs:\n"
    "        translator.translate_text(user + GUIDE + doc, target_lang='DE')\n"
    "        polly.synthesize_speech(Text=user + GUIDE + doc, OutputFormat='mp3', VoiceId='Joanna')\n"
    "        textract.detect_document_text(Document={'Bytes': doc})\n"
    "        client.chat.completions.create(model='gpt-4o', messages=[{'role': 'system', 'content': user + GUIDE}, "
    "{'role': 'user', 'content': doc}])\n"
    "if __name__ == '__main__':\n"
    "    run([], '')\n"
)


def test_rules_for_llm_generation_skip_hosted_ai_services(tmp_path):
    root = make(tmp_path / "proj", {"job.py": SOURCE})
    result = analyse([root], Config(select=("TKL3", "TKL401", "TKL402", "TKL501")), root=root)
    apis = {s.line: s.api for s in result.sites if s.kind == "direct"}
    assert apis == {11: "translation", 12: "audio.speech", 13: "document_analysis", 14: "chat.completions"}
    fired = {(f.code, f.row) for f in result.findings}
    assert {row for _code, row in fired} == {14}  # only the chat request
    assert {"TKL301", "TKL401", "TKL501"} <= {code for code, _row in fired}


def test_hosted_ai_kinds_are_not_chat():
    for api in ("translation", "audio.speech", "audio.transcriptions", "document_analysis", "text_analysis",
                "image_analysis", "ocr", "moderations", "images"):
        assert hosted_ai(api), api
    for api in ("chat.completions", "responses", "messages", "completions", "inference", "embeddings", "workflow"):
        assert not hosted_ai(api), api


def test_a_hosted_ai_site_is_not_a_chat_request(tmp_path):
    root = make(tmp_path / "proj", {"job.py": SOURCE})
    sites = {s.line: s for s in analyse([root], Config(), root=root).sites if s.kind == "direct"}
    assert [line for line, s in sorted(sites.items()) if is_chat(s)] == [14]


def test_a_path_matched_by_two_parts_marks_files_by_the_longer_one():
    """AnythingLLM's /v1/workspace/ ... /chat: `/chat` alone is in every web app and marks no file."""
    from tokenlint.catalog import build_sdk_catalog
    from tokenlint.prefilter import http_markers

    _libs, fragments = http_markers(build_sdk_catalog())
    assert b"/v1/workspace/" in fragments
    assert b"/chat" not in fragments and b"/stream-chat" not in fragments


def test_an_app_server_path_in_a_file_without_its_other_part_is_no_site(tmp_path):
    source = (
        "import requests\n"
        "def post(base, slug, text):\n"
        "    requests.post(f'{base}/api/v1/workspace/{slug}/chat', json={'message': text, 'mode': 'chat'})\n"
        "    requests.post(f'{base}/rooms/{slug}/chat', json={'message': text, 'mode': 'chat'})\n"
    )
    root = make(tmp_path / "proj", {"client.py": source})
    sites = analyse([root], Config(), root=root).sites
    assert [(s.line, s.provider, s.api) for s in sites] == [(3, "anythingllm", "chat")]
