"""Catalog additions after round 13's review (post16d): llmx's `llm(...)` binding and `generate` request,
langchain_community's Vertex AI classes sending an output cap of their own (output_caps.toml own_cap), paid
speech vendors (SpeechRecognition's recognize_* methods, Play.ht, Gladia and Rev.ai endpoints),
on made-up projects, and each entry's provenance."""

from __future__ import annotations

import pytest

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


LLMX_APP = {
    "bot/__init__.py": "",
    "bot/writer.py": (
        "from llmx import TextGenerator, TextGenerationConfig\n"
        "\n"
        "\n"
        "def headline(text_gen: TextGenerator, story: str) -> str:\n"
        "    msgs = [{\"role\": \"user\", \"content\": story}]\n"
        "    out = text_gen.generate(messages=msgs, config=TextGenerationConfig(model=\"gpt-4o-mini\"))\n"
        "    return out.text[0][\"content\"]\n"
    ),
    "bot/main.py": (
        "from llmx import llm\n"
        "\n"
        "from bot.writer import headline\n"
        "\n"
        "gen = llm(provider=\"cohere\", model=\"command-r\")\n"
        "palm = llm(\"palm\")\n"
        "\n"
        "\n"
        "class Desk:\n"
        "    def __init__(self, settings):\n"
        "        self.gen = llm(provider=settings.provider)\n"
        "\n"
        "    def run(self, story):\n"
        "        return headline(self.gen, story)\n"
        "\n"
        "\n"
        "def quick(q):\n"
        "    return gen.generate([{\"role\": \"user\", \"content\": q}])\n"
    ),
}


def test_llmx_llm_is_a_binding_and_generate_a_request(tmp_path):
    sites = _sites(make(tmp_path, LLMX_APP))
    cohere, palm, desk = sites[("bot/main.py", 5)], sites[("bot/main.py", 6)], sites[("bot/main.py", 11)]
    assert [s.kind for s in (cohere, palm, desk)] == ["binding"] * 3
    assert (cohere.sdk, cohere.provider, cohere.model.value) == ("llmx", "cohere", "command-r")
    assert palm.provider == "google"  # llmx's word for Google's models
    assert desk.provider == "llmx"  # the provider comes from a setting: not known
    quick, typed = sites[("bot/main.py", 18)], sites[("bot/writer.py", 6)]
    assert (quick.kind, quick.sdk, quick.api) == ("request", "llmx", "chat_model")
    assert quick.bindings == (cohere.id,)
    assert (typed.kind, typed.sdk) == ("request", "llmx")  # a parameter annotated TextGenerator
    assert set(sites) == {("bot/main.py", n) for n in (5, 6, 11, 18)} | {("bot/writer.py", 6)}


def test_a_generate_method_of_a_project_object_is_no_llmx_request(tmp_path):
    sites = _sites(make(tmp_path, {"gen.py": (
        "from llmx import llm\n"
        "\n"
        "\n"
        "class Report:\n"
        "    def generate(self, messages):\n"
        "        return \"\\n\".join(messages)\n"
        "\n"
        "\n"
        "def build(rows):\n"
        "    return Report().generate(rows)\n"
    )}))
    assert sites == {}


def test_post16d_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for key, name in (("framework", "llmx"), ("sdk", "llmx")):
        entries = [e for e in data[key] if e["name"] == name]
        assert len(entries) == 1 and entries[0].get("source") and entries[0].get("checked") == "2026-12-07"
    con = build_sdk_catalog().constructors.get("llmx.llm")
    assert (con.sdk, con.provider_kwarg, con.provider_position, con.provider_prefix) == ("llmx", "provider", 0, False)


@pytest.mark.parametrize("module, cap", [
    ("langchain_community.chat_models", "set"),  # the deprecated class sends max_output_tokens=128
    ("langchain_community.chat_models.vertexai", "set"),
    ("langchain_google_vertexai", "missing"),  # its successor sends no cap of its own
])
def test_vertex_chat_model_cap_depends_on_the_package_it_comes_from(tmp_path, module, cap):
    sites = _sites(make(tmp_path, {"ask.py": (
        f"from {module} import ChatVertexAI\n"
        "\n"
        "chat = ChatVertexAI(model_name=\"gemini-2.5-pro\")\n"
        "\n"
        "\n"
        "def ask(q):\n"
        "    return chat.invoke(q)\n"
    )}))
    binding, request = sites[("ask.py", 3)], sites[("ask.py", 7)]
    assert (binding.kind, request.kind) == ("binding", "request")
    assert (binding.output_cap, request.output_cap) == (cap, cap)


def test_a_cap_given_to_the_current_vertex_class_is_still_read(tmp_path):
    sites = _sites(make(tmp_path, {"ask.py": (
        "from langchain_google_vertexai import ChatVertexAI\n"
        "\n"
        "chat = ChatVertexAI(model_name=\"gemini-2.5-pro\", max_output_tokens=512)\n"
        "print(chat.invoke(\"hi\"))\n"
    )}))
    assert sites[("ask.py", 4)].output_cap == "set"


def test_own_cap_entries_name_catalogued_classes_and_carry_a_source():
    from tokenlint.catalog import load_toml, HERE

    owns = load_toml(HERE / "output_caps.toml")["own_cap"]
    cat = build_sdk_catalog()
    for own in owns:
        assert own.get("source") and own.get("checked") and own.get("sends")
        for cls in own["classes"]:
            assert cat.constructors.get(cls).own_cap == own["sends"]
    # the class of the same name in the current package keeps the shared entry, with no cap of its own
    assert cat.constructors.get("langchain_google_vertexai.ChatVertexAI").own_cap is None


@pytest.mark.parametrize("method, site", [
    ("recognize_google_cloud(audio, credentials_json=creds)", True),
    ("recognize_azure(audio, key=creds, location=\"westus\")", True),
    ("recognize_bing(audio, key=creds)", True),  # the retired Bing Speech API (SpeechRecognition 3.9)
    ("recognize_houndify(audio, client_id=creds, client_key=creds)", True),
    ("recognize_ibm(audio, key=creds)", True),
    ("recognize_assemblyai(audio, api_token=creds)", True),
    ("recognize_google(audio)", False),  # Google's free Web Speech key
    ("recognize_wit(audio, key=creds)", False),  # Wit.ai is free
    ("recognize_sphinx(audio)", False),  # run in process
    ("recognize_whisper(audio, model=\"base\")", False),  # a local Whisper model
])
def test_speech_recognition_paid_vendors_are_requests(tmp_path, method, site):
    sites = _sites(make(tmp_path, {"stt.py": (
        "import speech_recognition as sr\n"
        "\n"
        "\n"
        "def transcribe(audio, creds):\n"
        "    r = sr.Recognizer()\n"
        f"    return r.{method}\n"
    )}))
    if not site:
        assert sites == {}
        return
    got = sites[("stt.py", 6)]
    assert (got.kind, got.sdk, got.api) == ("direct", "speech-recognition", "audio.transcriptions")


@pytest.mark.parametrize("call, provider", [
    ("requests.post(\"https://play.ht/api/v2/tts/stream\", json={\"text\": text})", "playht"),
    ("requests.post(\"https://api.play.ht/api/v2/tts\", json={\"text\": text})", "playht"),
    ("websockets.connect(\"wss://api.gladia.io/audio/text/audio-transcription\")", "gladia"),
    ("websockets.connect(\"wss://api.rev.ai/speechtotext/v1/stream?\" + query)", "rev_ai"),
    ("requests.post(\"https://display.html.example.com/api/v2/tts\", json={\"text\": text})", None),
    ("requests.get(\"https://play.ht/api/v2/voices\")", None),  # listing voices bills nothing
    ("requests.post(\"https://api.rev.ai/speechtotext/v1/account\", json={})", None),
])
def test_speech_vendor_hosts(tmp_path, call, provider):
    sites = _sites(make(tmp_path, {"tts.py": (
        "import requests\n"
        "import websockets\n"
        "\n"
        "\n"
        "def speak(text, query):\n"
        f"    return {call}\n"
    )}))
    if provider is None:
        assert sites == {}
        return
    got = sites[("tts.py", 6)]
    assert (got.kind, got.provider) == ("direct", provider)


def test_a_realtime_runner_run_opens_a_billed_session(tmp_path):
    sites = _sites(make(tmp_path, {"voice.py": (
        "from agents.realtime import RealtimeAgent, RealtimeRunner\n"
        "\n"
        "agent = RealtimeAgent(name=\"concierge\", instructions=\"Greet the caller.\")\n"
        "\n"
        "\n"
        "async def call():\n"
        "    runner = RealtimeRunner(agent)\n"
        "    session = await runner.run()\n"
        "    async with session:\n"
        "        await session.send_message(\"hello\")\n"
    )}))
    run = sites[("voice.py", 8)]
    assert (run.kind, run.sdk, run.model.kind) == ("request", "openai_agents", "dynamic")
    assert ("voice.py", 7) not in sites  # constructing the runner sends nothing


def test_a_project_runner_class_named_alike_is_no_realtime_session(tmp_path):
    sites = _sites(make(tmp_path, {"jobs.py": (
        "class RealtimeRunner:\n"
        "    def __init__(self, job):\n"
        "        self.job = job\n"
        "\n"
        "    async def run(self):\n"
        "        return self.job()\n"
        "\n"
        "\n"
        "async def go(job):\n"
        "    return await RealtimeRunner(job).run()\n"
    )}))
    assert sites == {}


def test_aurelio_sparse_embedding_is_a_request_and_its_document_tools_are_not(tmp_path):
    sites = _sites(make(tmp_path, {"sparse.py": (
        "from aurelio_sdk import AsyncAurelioClient, AurelioClient\n"
        "\n"
        "client = AurelioClient(api_key=\"k\")\n"
        "aclient = AsyncAurelioClient(api_key=\"k\")\n"
        "\n"
        "\n"
        "def encode(texts):\n"
        "    return client.embedding(input=texts, model=\"bm25\")\n"
        "\n"
        "\n"
        "async def aencode(texts):\n"
        "    return await aclient.embedding(input=texts, model=\"bm25\")\n"
        "\n"
        "\n"
        "def split(doc):\n"
        "    return client.chunk(content=doc)\n"
    )}))
    sync, aio = sites[("sparse.py", 8)], sites[("sparse.py", 12)]
    assert (sync.kind, sync.provider, sync.api, sync.model.value) == ("direct", "aurelio", "embeddings", "bm25")
    assert aio.is_async and not sync.is_async
    assert ("sparse.py", 16) not in sites


def test_claude_agent_sdk_query_and_client_query_are_requests(tmp_path):
    sites = _sites(make(tmp_path, {"research.py": (
        "from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, query\n"
        "\n"
        "OPTIONS = ClaudeAgentOptions(model=\"claude-sonnet-4-5\", allowed_tools=[\"Read\"])\n"
        "\n"
        "\n"
        "async def once(question):\n"
        "    async for message in query(prompt=question, options=OPTIONS):\n"
        "        print(message)\n"
        "\n"
        "\n"
        "async def chat(question):\n"
        "    async with ClaudeSDKClient(options=OPTIONS) as client:\n"
        "        await client.query(question)\n"
        "        async for message in client.receive_response():\n"
        "            print(message)\n"
    )}))
    one, conv = sites[("research.py", 7)], sites[("research.py", 13)]
    assert (one.kind, one.sdk, one.provider, one.api) == ("direct", "claude-agent-sdk", "anthropic", "agent")
    assert (conv.kind, conv.sdk, conv.provider) == ("direct", "claude-agent-sdk", "anthropic")
    assert ("research.py", 14) not in sites  # reading the answers sends nothing


def test_lmdeploy_api_client_requests_are_self_hosted(tmp_path):
    sites = _sites(make(tmp_path, {"serving.py": (
        "import lmdeploy\n"
        "\n"
        "\n"
        "class Served:\n"
        "    def __init__(self, path):\n"
        "        self.client = lmdeploy.serve(path, server_port=23333)\n"
        "\n"
        "    def complete(self, prompts):\n"
        "        return list(self.client.completions_v1(\"internlm2\", prompts, max_tokens=64))\n"
        "\n"
        "\n"
        "class Remote:\n"
        "    def __init__(self, url):\n"
        "        from lmdeploy.serve.openai.api_client import APIClient\n"
        "        self.client = APIClient(url)\n"
        "\n"
        "    def ask(self, messages):\n"
        "        return list(self.client.chat_completions_v1(\"internlm2\", messages))\n"
        "\n"
        "    def names(self):\n"
        "        return self.client.available_models\n"
        "\n"
        "\n"
        "def local(path, prompts):\n"
        "    return lmdeploy.pipeline(path)(prompts)\n"
    )}))
    done, ask = sites[("serving.py", 9)], sites[("serving.py", 18)]
    assert (done.kind, done.provider, done.api, done.model.value) == ("direct", "lmdeploy", "completions", "internlm2")
    assert (ask.provider, ask.api) == ("lmdeploy", "chat.completions")
    assert ask.output_cap is None  # a server the user runs: no output cap judged
    assert not sites[("serving.py", 6)].spends  # starting the server returns its client, spending nothing
    assert set(sites) == {("serving.py", n) for n in (6, 9, 18)}  # the in-process pipeline, reading models: none
