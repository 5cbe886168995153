"""Catalog gaps the round-10 study found (r10-miss-classes-1/2/3.md): free unofficial clients that bill
nothing, legacy SDK entry points, libraries whose calls send paid requests, and catalogued clients built by
their alternative constructors. Each family has the shape that must be a site and a look-alike that must not."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str, name: str = "app.py"):
    p = tmp_path / name
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    # a binding chooses a model and spends nothing itself; a listed local model spends nothing
    return sorted((s.line, s.provider, s.api) for s in result.sites if s.spends or s.kind == "binding")


# free unofficial clients -------------------------------------------------------------------------------
def test_a_free_unofficial_client_handed_a_model_id_is_no_paid_request(tmp_path: Path) -> None:
    src = ("import g4f\n"
           "from g4f.client import Client\n"
           "def ask(q):\n"
           "    c = Client(provider=g4f.Provider.Bing)\n"
           "    r = c.chat.completions.create(model='gpt-3.5-turbo', messages=[{'role': 'user', 'content': q}])\n"
           "    return g4f.ChatCompletion.create(model='gpt-3.5-turbo', messages=[{'role': 'user', 'content': q}])\n")
    assert _sites(tmp_path, src) == []


def test_another_uncatalogued_client_handed_a_model_id_is_still_guessed(tmp_path: Path) -> None:
    # the look-alike: the same shape from a package that is not known to bill nothing stays a guess
    src = ("from acmechat.client import Client\n"
           "def ask(q):\n"
           "    c = Client(model='gpt-3.5-turbo')\n"
           "    return c.chat(messages=[{'role': 'user', 'content': q}])\n")
    assert [s[0] for s in _sites(tmp_path, src)] != []


# legacy SDK entry points -------------------------------------------------------------------------------
def test_the_zhipuai_v1_model_api_classmethods_are_requests(tmp_path: Path) -> None:
    src = ("import zhipuai\n"
           "def ask(q):\n"
           "    zhipuai.model_api.query_async_invoke_result('task')\n"  # a poll: no request
           "    r = zhipuai.model_api.invoke(model='chatglm_turbo', prompt=[{'role': 'user', 'content': q}])\n"
           "    return zhipuai.model_api.sse_invoke(model='chatglm_turbo', prompt=[{'role': 'user', 'content': q}])\n")
    assert _sites(tmp_path, src) == [(4, "zhipuai", "chat.completions"), (5, "zhipuai", "chat.completions")]


def test_an_invoke_of_another_packages_model_api_is_no_zhipuai_request(tmp_path: Path) -> None:
    src = ("import acme\n"
           "def ask(q):\n"
           "    return acme.model_api.invoke(model='m', prompt=q)\n")
    assert _sites(tmp_path, src) == []


def test_the_elevenlabs_v0_module_generate_is_a_request(tmp_path: Path) -> None:
    src = ("from elevenlabs import generate, set_api_key, voices\n"
           "def speak(text):\n"
           "    set_api_key('k')\n"
           "    voices()\n"
           "    return generate(text=text, voice='Bella', model='eleven_multilingual_v2')\n")
    assert _sites(tmp_path, src) == [(5, "elevenlabs", "audio.speech")]


def test_a_generate_function_of_another_package_is_no_elevenlabs_request(tmp_path: Path) -> None:
    src = ("from acme_tts import generate\n"
           "def speak(text):\n"
           "    return generate(text=text, voice='Bella')\n")
    assert _sites(tmp_path, src) == []


# embedding encoder libraries ---------------------------------------------------------------------------
def test_pinecone_text_dense_encoders_embed_through_their_provider(tmp_path: Path) -> None:
    src = ("from pinecone_text.dense import OpenAIEncoder, CohereEncoder\n"
           "from pinecone_text.dense.base_dense_ecoder import BaseDenseEncoder\n"
           "class Dense:\n"
           "    def __init__(self, enc: BaseDenseEncoder):\n"
           "        self._enc = enc\n"
           "    def docs(self, texts):\n"
           "        return self._enc.encode_documents(texts)\n"
           "def direct(texts):\n"
           "    enc = OpenAIEncoder('text-embedding-3-small')\n"
           "    enc.encode_queries(texts)\n"
           "    return CohereEncoder().encode_documents(texts)\n")
    # the typed base's request (its vendor chosen elsewhere), then OpenAI's and Cohere's
    assert _sites(tmp_path, src) == [(7, "pinecone_text", "embeddings"), (10, "openai", "embeddings"),
                                     (11, "cohere", "embeddings")]


def test_local_and_sparse_pinecone_text_encoders_send_nothing(tmp_path: Path) -> None:
    src = ("from pinecone_text.dense import SentenceTransformerEncoder\n"
           "from pinecone_text.sparse import BM25Encoder\n"
           "def local(texts):\n"
           "    SentenceTransformerEncoder('all-MiniLM-L6-v2').encode_documents(texts)\n"
           "    return BM25Encoder().encode_documents(texts)\n")
    assert _sites(tmp_path, src) == []


def test_a_semantic_router_encoder_and_the_chunker_running_it_embed(tmp_path: Path) -> None:
    src = ("from semantic_router.encoders import CohereEncoder\n"
           "from semantic_chunkers import StatisticalChunker\n"
           "encoder = CohereEncoder(cohere_api_key='k', input_type='search_document', name='embed-multilingual-v3.0')\n"
           "chunker = StatisticalChunker(encoder=encoder)\n"
           "def chunk(text):\n"
           "    encoder([text])\n"
           "    return chunker(docs=[text])\n")
    got = _sites(tmp_path, src)
    assert [s[0] for s in got] == [3, 6, 7]
    assert got[0] == (3, "cohere", "embeddings_model")


def test_a_local_semantic_router_encoder_and_a_chunker_without_one_send_nothing(tmp_path: Path) -> None:
    src = ("from semantic_router.encoders import HuggingFaceEncoder\n"
           "from semantic_chunkers import RegexChunker\n"
           "encoder = HuggingFaceEncoder(name='sentence-transformers/all-MiniLM-L6-v2')\n"
           "def embed(docs):\n"
           "    RegexChunker()(docs)\n"
           "    return encoder(docs)\n")
    assert _sites(tmp_path, src) == []


# Vertex AI vision models and RAG Engine, legacy mixedbread, OpenAI containers ----------------------------
def test_vertex_image_generation_and_rag_engine_calls_are_requests(tmp_path: Path) -> None:
    src = ("from vertexai.preview.vision_models import ImageGenerationModel\n"
           "from vertexai import rag\n"
           "def draw(p):\n"
           "    m = ImageGenerationModel.from_pretrained('imagen-3.0-generate-002')\n"
           "    m.generate_images(prompt=p, number_of_images=1)\n"
           "def ingest(corpus, paths, q):\n"
           "    rag.list_files(corpus)\n"  # a listing: no request
           "    rag.import_files(corpus, paths)\n"
           "    return rag.retrieval_query(rag_resources=[corpus], text=q)\n")
    assert _sites(tmp_path, src) == [(5, "google", "images"), (8, "google", "embeddings"), (9, "google", "retrieval")]


def test_vision_model_look_alikes_are_not_requests(tmp_path: Path) -> None:
    src = ("from vertexai.preview.vision_models import Image\n"
           "from acme import rag\n"
           "def load(path, corpus):\n"
           "    Image.load_from_file(path)\n"
           "    return rag.import_files(corpus, [path])\n")
    assert _sites(tmp_path, src) == []


def test_the_legacy_mixedbread_client_and_openai_containers_are_requests(tmp_path: Path) -> None:
    src = ("from mixedbread_ai.client import AsyncMixedbreadAI\n"
           "from openai import OpenAI\n"
           "async def rerank(q, docs):\n"
           "    c = AsyncMixedbreadAI(api_key='k')\n"
           "    return await c.reranking(model='mixedbread-ai/mxbai-rerank-large-v1', query=q, input=docs)\n"
           "def sandbox():\n"
           "    client = OpenAI()\n"
           "    client.containers.list()\n"  # a listing: no request
           "    return client.containers.create(name='box')\n")
    assert _sites(tmp_path, src) == [(5, "mixedbread", "rerank"), (9, "openai", "containers")]


# alternative constructors of catalogued clients -------------------------------------------------------
def test_a_catalogued_client_built_by_an_alternative_constructor_is_that_client(tmp_path: Path) -> None:
    src = ("from google.cloud import vision\n"
           "from google.cloud.speech_v2 import SpeechAsyncClient\n"
           "class Ocr:\n"
           "    def __init__(self, info):\n"
           "        self.client = vision.ImageAnnotatorClient.from_service_account_info(info)\n"
           "    def read(self, request):\n"
           "        return self.client.annotate_image(request)\n"
           "async def listen(path, requests):\n"
           "    client = SpeechAsyncClient.from_service_account_file(path)\n"
           "    return await client.streaming_recognize(requests=requests)\n")
    assert _sites(tmp_path, src) == [(7, "google_cloud_vision", "image_analysis"),
                                     (10, "google_cloud_speech", "audio.transcriptions")]


def test_an_alternative_constructor_of_an_uncatalogued_class_is_no_client(tmp_path: Path) -> None:
    src = ("from acme.cloud import StorageClient\n"
           "def read(info, request):\n"
           "    client = StorageClient.from_service_account_info(info)\n"
           "    return client.annotate_image(request)\n")
    assert _sites(tmp_path, src) == []


# framework runners ------------------------------------------------------------------------------------
def test_running_an_adk_agent_tool_runs_its_agent(tmp_path: Path) -> None:
    src = ("from google.adk.agents import Agent\n"
           "from google.adk.tools.agent_tool import AgentTool\n"
           "db_agent = Agent(name='db', model='gemini-2.0-flash', instruction='Answer from the database.')\n"
           "async def call_db(question, tool_context):\n"
           "    return await AgentTool(agent=db_agent).run_async(args={'request': question}, tool_context=tool_context)\n")
    assert _sites(tmp_path, src) == [(3, "google", "chat_model"), (5, "google", "agent")]  # the binding, its request


def test_an_agent_tool_that_is_only_listed_is_no_request(tmp_path: Path) -> None:
    # handing the tool to a parent agent runs nothing here; the parent's runner is the request
    src = ("from google.adk.agents import Agent\n"
           "from google.adk.tools.agent_tool import AgentTool\n"
           "db_agent = Agent(name='db', model='gemini-2.0-flash', instruction='Answer.')\n"
           "tools = [AgentTool(agent=db_agent)]\n")
    assert _sites(tmp_path, src) == [(3, "google", "chat_model")]  # the binding alone


def test_a_llama_index_synthesizer_built_directly_asks_its_model(tmp_path: Path) -> None:
    src = ("from llama_index.core.response_synthesizers import Refine, TreeSummarize\n"
           "from llama_index.llms.openai import OpenAI\n"
           "llm = OpenAI(model='gpt-4o-mini')\n"
           "async def compress(query, chunks):\n"
           "    TreeSummarize(llm=llm).get_response(query, chunks)\n"
           "    return await Refine(llm=llm, verbose=True).aget_response(query, chunks)\n")
    assert [s for s in _sites(tmp_path, src) if s[0] != 3] == [(5, "openai", "llm"), (6, "openai", "llm")]


def test_get_response_on_an_object_that_is_no_synthesizer_is_no_request(tmp_path: Path) -> None:
    src = ("from llama_index.core.response_synthesizers import Refine\n"
           "class Cache:\n"
           "    def get_response(self, q, chunks):\n"
           "        return None\n"
           "def read(q, chunks):\n"
           "    return Cache().get_response(q, chunks)\n")
    assert _sites(tmp_path, src) == []
