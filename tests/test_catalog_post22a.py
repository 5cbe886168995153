"""SDK surfaces added on 2026-12-07 (post22a), each checked against the package's source: DashScope's speech
APIs (Qwen TTS / ASR classmethods, the WebSocket synthesiser and recogniser objects, reached also through a
lazy proxy module), MinerU's VLM client (mineru_vl_utils), Nomic's embedding API and PaLM chat replies;
beside look-alikes that send nothing."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _sites  # the census tests' fixture helpers


def _found(tmp_path: Path, src: str) -> set[tuple]:
    """(line, provider, api, model value, async) of each site found in `src`."""
    return {(s.line, s.provider, s.api, s.model.value, s.is_async) for s in _sites(tmp_path, src)}


def test_dashscope_speech_classmethods_and_objects_are_requests(tmp_path: Path) -> None:
    src = '''\
import dashscope
from dashscope.audio.tts_v2 import SpeechSynthesizer
from dashscope.audio.asr import Recognition
def transcribe(urls):
    return dashscope.audio.asr.Transcription.async_call(model="paraformer-v2", file_urls=urls)
def transcribe_qwen(url):
    return dashscope.audio.qwen_asr.QwenTranscription.call(model="qwen3-asr-flash", file_url=url)
def speak(text):
    return dashscope.audio.qwen_tts.SpeechSynthesizer.call(model="qwen-tts", text=text, voice="Cherry")
def speak_v2(text):
    synth = SpeechSynthesizer(model="cosyvoice-v2", voice="longxiaochun_v2")
    return synth.call(text)
def hear(path, cb):
    rec = Recognition(model="paraformer-realtime-v2", callback=cb, format="wav", sample_rate=16000)
    return rec.call(path)
def poll(task):
    return dashscope.audio.asr.Transcription.wait(task=task)
'''
    assert _found(tmp_path, src) == {
        (5, "dashscope", "audio.transcriptions", "paraformer-v2", False),
        (7, "dashscope", "audio.transcriptions", "qwen3-asr-flash", False),
        (9, "dashscope", "audio.speech", "qwen-tts", False),
        (12, "dashscope", "audio.speech", "cosyvoice-v2", False),
        (15, "dashscope", "audio.transcriptions", "paraformer-realtime-v2", False)}


def test_a_lazy_proxy_of_dashscope_reaches_its_submodules(tmp_path: Path) -> None:
    """LazyLLM's `from lazyllm.thirdparty import dashscope` is the package; a module path below it
    (`dashscope.audio.qwen_tts...`) is followed to the submodule's request; `wait` polls and is none."""
    src = '''\
from lazyllm.thirdparty import dashscope
def speak(text, model):
    return dashscope.audio.qwen_tts.SpeechSynthesizer.call(model=model, text=text, voice="Cherry")
def transcribe(urls):
    return dashscope.audio.asr.Transcription.async_call(model="paraformer-v2", file_urls=urls)
def poll(task):
    return dashscope.audio.asr.Transcription.wait(task=task)
'''
    assert {(line, api) for line, _p, api, _m, _a in _found(tmp_path, src)} == {
        (3, "audio.speech"), (5, "audio.transcriptions")}


def test_mineru_vl_client_extractions_are_chat_requests_and_its_setup_is_not(tmp_path: Path) -> None:
    src = '''\
from mineru_vl_utils import MinerUClient
client = MinerUClient(backend="http-client", server_url="http://vlm:30000", model_name="MinerU2.5-2509-1.2B")
def pages(images):
    return client.batch_two_step_extract(images=images)
async def pages_async(images):
    return await client.aio_batch_extract_with_layout(images)
def close():
    return client.aclose()
'''
    assert _found(tmp_path, src) == {(4, "vllm", "chat.completions", "MinerU2.5-2509-1.2B", False),
                                     (6, "vllm", "chat.completions", "MinerU2.5-2509-1.2B", True)}


def test_nomic_embed_module_held_on_self_is_an_embedding_request(tmp_path: Path) -> None:
    src = '''\
class NomicVectors:
    def __init__(self, model="nomic-embed-text-v1.5"):
        from nomic import embed
        self.model = model
        self.embed = embed
    def __call__(self, texts):
        return self.embed.text(model=self.model, texts=texts, task_type="search_document")
class Local:
    def __init__(self):
        self.embed = None
    def __call__(self, texts):
        return self.embed.text(texts)
'''
    assert {(line, p, api) for line, p, api, _m, _a in _found(tmp_path, src)} == {(7, "nomic", "embeddings")}


def test_palm_chat_reply_asks_the_model_of_the_chat_again(tmp_path: Path) -> None:
    src = '''\
import google.generativeai as palm
def talk(first, second):
    chat = palm.chat(model="models/chat-bison-001", messages=first)
    chat = chat.reply(second)
    return chat.last
def echo(x):
    return x.reply("hi")
'''
    assert _found(tmp_path, src) == {(3, "google", "chat.completions", "models/chat-bison-001", False),
                                     (4, "google", "chat.completions", "models/chat-bison-001", False)}
