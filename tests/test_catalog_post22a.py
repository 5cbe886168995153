"""SDK surfaces added on 2026-12-07 (post22a), each checked against the package's source: DashScope's speech
APIs (Qwen TTS / ASR classmethods, the WebSocket synthesiser and recogniser objects, reached also through a
lazy proxy module), MinerU's VLM client (mineru_vl_utils), Nomic's embedding API and PaLM chat replies;
beside look-alikes that send nothing."""

from __future__ import annotations

from pathlib import Path

from projects import one_file_rows
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


def _requests(tmp_path: Path, src: str) -> set[tuple]:
    """(line, kind, sdk, api) of each request (not binding) found in `src`."""
    return {(s.line, s.kind, s.sdk, s.api) for s in _sites(tmp_path, src) if s.kind != "binding"}


def test_a_deepeval_metric_handed_to_a_measuring_helper_is_measured_there(tmp_path: Path) -> None:
    src = '''\
from deepeval.metrics import GEval
from deepeval.test_case import LLMTestCase
def measure_with_retry(metric, case):
    metric.measure(case)
    return metric.score
def timed(clock, case):
    clock.measure(case)
def judge(outputs):
    metric = GEval(name="fluency", criteria="Is it fluent?", evaluation_params=[])
    return [measure_with_retry(metric, LLMTestCase(input="", actual_output=o)) for o in outputs]
def stopwatch(case):
    return timed(object(), case)
'''
    got = _requests(tmp_path, src)
    assert (4, "request", "deepeval", "chat_model") in got
    assert not {line for line, *_ in got} & {7, 12}


def test_lightrag_inserts_and_queries_are_framework_requests(tmp_path: Path) -> None:
    src = '''\
from lightrag import LightRAG, QueryParam
async def build(llm_fn, embed):
    return LightRAG(working_dir="./kg", llm_model_func=llm_fn, embedding_func=embed)
class Serving:
    def __init__(self):
        self.rag: LightRAG = None
    async def load(self, text):
        await self.rag.ainsert(text)
    async def ask(self, q):
        return await self.rag.aquery(q, param=QueryParam(mode="hybrid"))
    async def close(self):
        await self.rag.finalize_storages()
async def ask_any(rag, q):
    return await rag.aquery(q, mode="mix")
async def main(llm_fn, embed, q):
    await ask_any(LightRAG(working_dir="./kg", llm_model_func=llm_fn, embedding_func=embed), q)
'''
    got = _requests(tmp_path, src)
    assert {(line, sdk) for line, kind, sdk, _api in got if kind == "request"} == {
        (8, "lightrag"), (10, "lightrag"), (14, "lightrag")}


def test_a_smolagents_agent_subclass_asking_its_model_is_a_request(tmp_path: Path) -> None:
    src = '''\
from smolagents import CodeAgent, LiteLLMModel
class StepAgent(CodeAgent):
    def step(self, messages):
        return self.model.generate_stream(messages)
class Plain:
    def __init__(self, model):
        self.model = model
    def step(self, messages):
        return self.model.generate_stream(messages)
'''
    got = _requests(tmp_path, src)
    assert (4, "request", "smolagents", "chat_model") in got
    assert not [g for g in got if g[0] == 9]


def test_langchain_evaluation_chains_built_from_an_llm_ask_it(tmp_path: Path) -> None:
    src = '''\
from langchain_openai import ChatOpenAI
from langchain_classic.evaluation import TrajectoryEvalChain, QAEvalChain
llm = ChatOpenAI(model="gpt-4o-mini")
grader = TrajectoryEvalChain.from_llm(llm=llm)
qa = QAEvalChain.from_llm(llm)
async def grade(question, answer, steps):
    return await grader.aevaluate_agent_trajectory(input=question, prediction=answer, agent_trajectory=steps)
def grade_qa(prediction, reference, question):
    return qa.evaluate_strings(prediction=prediction, reference=reference, input=question)
def unrelated(report, examples):
    return report.evaluate(examples)
'''
    got = _requests(tmp_path, src)
    assert {(line, sdk) for line, kind, sdk, _api in got if kind == "request"} == {
        (7, "langchain"), (9, "langchain")}


def test_qwen_agent_models_and_agents_ask_their_model(tmp_path: Path) -> None:
    src = '''\
from qwen_agent.llm import get_chat_model
from qwen_agent.agents import Assistant, FnCallAgent
class Handler:
    def __init__(self, name):
        self.llm = get_chat_model({"model": name, "model_server": "http://localhost:8000/v1"})
    def ask(self, messages, tools):
        return list(self.llm.quick_chat_oai(messages, tools))
class Walker(FnCallAgent):
    def _run(self, messages, **kwargs):
        yield from self._call_llm(messages=messages)
def main(q):
    bot = Assistant(llm={"model": "qwen-max"}, function_list=["code_interpreter"])
    return list(bot.run(messages=[{"role": "user", "content": q}]))
class Local:
    def __init__(self, llm):
        self.llm = llm
    def ask(self, messages, tools):
        return self.llm.quick_chat_oai(messages, tools)
'''
    got = _requests(tmp_path, src)
    assert {(line, kind) for line, kind, _sdk, _api in got} == {(7, "request"), (10, "request"), (13, "request")}
    assert {(s.line, s.kind) for s in _sites(tmp_path, src) if s.kind == "binding"} == {(5, "binding")}


def test_vertex_endpoint_predictions_are_sites_only_with_llm_evidence(tmp_path: Path) -> None:
    """Most Vertex AI endpoints serve tabular or image models: a prediction is a site only when its generation
    parameters, its instances or its endpoint name (an LLM word, a publisher model's path) show an LLM; a scoring
    endpoint's prediction is none (no site, so no TKL101); listing endpoints and reading operations spend nothing."""
    src = '''\
from google.cloud import aiplatform
client = aiplatform.gapic.PredictionServiceClient(client_options={"api_endpoint": "us-central1-aiplatform.googleapis.com"})
def ask(endpoint, prompt):
    return client.predict(endpoint=endpoint, instances=[{"inputs": prompt}], parameters={"max_output_tokens": 64})
def ask_llm(prompt):
    return client.predict(endpoint="projects/p/locations/l/endpoints/llama-3-chat", instances=[{"prompt": prompt}])
def gen(contents):
    return client.generate_content(model="projects/p/locations/l/publishers/google/models/gemini-2.0-flash-001", contents=contents)
def classify(rows):
    return aiplatform.Endpoint("projects/p/locations/l/endpoints/123").predict(instances=rows)
def endpoints():
    return aiplatform.Endpoint.list()
def op(name):
    return client.get_operation({"name": name})
def score(tx):
    return client.predict(endpoint="projects/p/locations/l/endpoints/fraud-xgb", instances=[{"amount": tx}])
def chat(q):
    return aiplatform.Endpoint("mistral-7b-endpoint").predict(instances=[q])
def local(q):
    return aiplatform.Endpoint("projects/p/locations/l/endpoints/9").predict(instances=[{"prompt": q, "max_tokens": 64}])
def garden(q):
    return client.predict(endpoint="projects/p/locations/l/publishers/meta/models/llama3", instances=[q])
def served(body):
    return aiplatform.Endpoint("projects/p/locations/l/endpoints/7").invoke(
        request_path="/v1/chat/completions", body=body, headers={})
def why(rows):
    return aiplatform.Endpoint("projects/p/locations/l/endpoints/7").explain(instances=rows, parameters={"top_k": 3})
'''
    sites = {s.line: s for s in _sites(tmp_path, src)}
    assert {line: (s.api, s.confidence) for line, s in sites.items()} == {
        4: ("inference", "resolved"), 6: ("inference", "resolved"), 8: ("generate_content", "resolved"),
        18: ("inference", "resolved"), 20: ("inference", "resolved"), 22: ("inference", "resolved"),
        24: ("inference", "resolved")}


def test_lancedb_registry_embedding_functions_embed_through_their_provider(tmp_path: Path) -> None:
    """`get_registry().get("openai").create(...)` builds an embedding function (nothing sent); its
    compute_*_embeddings calls embed with the model `create` was given, else the class default; a function run
    in process (sentence-transformers) is no site."""
    src = '''\
from lancedb.embeddings import get_registry
class Memory:
    def __init__(self, key):
        self.fn = get_registry().get("openai").create(api_key=key)
    def add(self, texts):
        return self.fn.compute_source_embeddings(texts)
def cohere_fn():
    return get_registry().get("cohere").create(name="embed-english-v3.0")
def query(texts):
    return cohere_fn().compute_query_embeddings(texts)
def local(texts):
    fn = get_registry().get("sentence-transformers").create(name="all-MiniLM-L6-v2")
    return fn.compute_source_embeddings(texts)
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.api, s.model.value) for s in sites if s.spends} == {
        (6, "openai", "embeddings", "text-embedding-ada-002"), (10, "cohere", "embeddings", "embed-english-v3.0")}
    assert not [s for s in sites if s.line in (12, 13)]


def test_a_vertex_endpoint_name_is_no_hardcoded_model(tmp_path: Path) -> None:
    """`predict(endpoint="projects/.../endpoints/123")` and `Endpoint("llama-chat-endpoint")` name endpoints (the
    model is chosen when one is deployed), as a SageMaker endpoint does: no TKL202 there; the requests are still
    sites (TKL101). generate_content's publisher model path names a model: TKL202 stays."""
    source = ("from google.cloud import aiplatform\n"
              "client = aiplatform.gapic.PredictionServiceClient()\n"
              "def ask(prompt):\n"
              "    return client.predict(endpoint=\"projects/p/locations/l/endpoints/123\",\n"
              "                          instances=[{\"prompt\": prompt, \"max_tokens\": 64}])\n"
              "def ask_ep(prompt):\n"
              "    return aiplatform.Endpoint(\"llama-chat-endpoint\").predict(instances=[{\"messages\": prompt}])\n"
              "def gen(contents):\n"
              "    return client.generate_content(model=\"projects/p/locations/l/publishers/google/models/gemini-2.5-flash\",\n"
              "                                   contents=contents)\n")
    assert one_file_rows(tmp_path / "a", source, "TKL202") == [9]
    assert one_file_rows(tmp_path / "b", source, "TKL101") == [4, 7, 9]


def test_a_table_insert_beside_an_llm_sdk_is_no_framework_guess(tmp_path: Path) -> None:
    """LightRAG's `insert` / `ainsert` are also every table's and collection's: on a receiver of unknown type they
    are no "framework?" guess, even in a file importing an LLM SDK; a name only LLM frameworks use stays one."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    (tmp_path / "app.py").write_text(
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def save(table, row):\n"
        "    table.insert(row)\n"
        "async def save_async(collection, row):\n"
        "    await collection.ainsert(row)\n"
        "def qc(m, p):\n"
        "    return m.quick_chat(p)\n")
    result = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    assert {u.line: u.kind for u in result.unresolved if u.kind == "framework?"} == {8: "framework?"}


def test_qwen_agent_config_dicts_name_the_model_and_the_server(tmp_path: Path) -> None:
    """`get_chat_model(cfg)` reads cfg["model"] and cfg["model_server"]: an http(s) server is an OpenAI-compatible
    one (the provider its host names, else unknown; a local one self-hosted), whose default model is TextChatAtOAI's
    gpt-4o-mini; a cfg not read leaves the provider unknown; a model name alone stays DashScope's."""
    src = '''\
from qwen_agent.llm import get_chat_model, TextChatAtOAI
def local(messages):
    return get_chat_model({"model": "Qwen2.5-7B-Instruct", "model_server": "http://localhost:8000/v1"}).chat(messages=messages)
def hosted(messages):
    return get_chat_model({"model": "gpt-4o", "model_server": "https://api.openai.com/v1"}).chat(messages=messages)
def deep(messages):
    cfg = {"model_server": "https://api.deepseek.com/v1"}
    return TextChatAtOAI(cfg).chat(messages=messages)
def handed(cfg, prompt):
    return get_chat_model(cfg).quick_chat(prompt)
def named(prompt):
    return get_chat_model("qwen-max").quick_chat(prompt)
'''
    got = {s.line: (s.provider, s.model.value, s.self_hosted) for s in _sites(tmp_path, src) if s.kind == "binding"}
    assert got == {3: ("unknown", "Qwen2.5-7B-Instruct", True), 5: ("openai", "gpt-4o", False),
                   8: ("deepseek", "gpt-4o-mini", False), 10: ("unknown", None, False),
                   12: ("dashscope", "qwen-max", False)}


def test_nomic_local_inference_runs_in_process(tmp_path: Path) -> None:
    """`inference_mode="local"` embeds with Embed4All in process: no site; "dynamic" may call the API, and the
    default ("remote") does."""
    src = '''\
from nomic import embed
def local(texts):
    return embed.text(texts, model="nomic-embed-text-v1.5", inference_mode="local")
def auto(texts):
    return embed.text(texts, model="nomic-embed-text-v1.5", inference_mode="dynamic")
def remote(texts):
    return embed.text(texts, model="nomic-embed-text-v1.5")
'''
    assert {line for line, _p, _api, _m, _a in _found(tmp_path, src)} == {5, 7}
