"""Libraries seen uncatalogued in round 12 (2026-12-06): agno's embedders and the vector databases and
knowledge bases that embed with them, pydantic-ai's Embedder, Haystack 1.x's PromptNode, ScrapeGraphAI's
graphs, LangChain's indexing API and AzureSearch store, and the Contextual AI, MultiOn, Stability SDK and
Lamini clients; and the look-alikes that must stay silent (a project class of the same name, a local
embedder, a store holding no embeddings tokenlint knows)."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _linked, _on, _silent, _sites  # the census tests' fixture helpers


# ---- agno embedders and knowledge -----------------------------------------------------------------

AGNO = (
    "from agno.knowledge.knowledge import Knowledge\n"
    "from agno.vectordb.lancedb import LanceDb\n"
    "from agno.vectordb.qdrant import Qdrant\n"
    "from agno.knowledge.embedder.openai import OpenAIEmbedder\n"
    "from agno.knowledge.embedder.sentence_transformer import SentenceTransformerEmbedder\n"
    "emb = OpenAIEmbedder(id='text-embedding-3-large', dimensions=3072)\n"
    "kb = Knowledge(vector_db=LanceDb(table_name='docs', uri='tmp/db', embedder=emb))\n"
    "def load(urls):\n"
    "    for u in urls:\n"
    "        kb.add_content(url=u)\n"
    "async def ask(q):\n"
    "    return await kb.asearch(q)\n"
    "plain = Knowledge(vector_db=Qdrant(collection='c', url='http://localhost:6333'))\n"
    "plain.insert(url='https://example.com/a.pdf')\n"
    "local = Knowledge(vector_db=Qdrant(collection='c', embedder=SentenceTransformerEmbedder()))\n"
    "local.insert(url='https://example.com/b.pdf')\n"
    "def vector(text):\n"
    "    return emb.get_embedding(text)\n"
)


def test_an_agno_embedder_is_a_binding_and_a_knowledge_base_holding_it_embeds_with_it(tmp_path: Path) -> None:
    sites = _sites(tmp_path, AGNO)
    b, r = _linked(sites, 6, 10)
    assert (b.provider, b.api, b.model.value) == ("openai", "embeddings_model", "text-embedding-3-large")
    assert r.in_loop
    _b, searched = _linked(sites, 6, 12)
    assert searched.is_async
    _linked(sites, 6, 18)  # the embedder's own request


def test_an_agno_store_handed_no_embedder_runs_the_default_and_a_local_one_sends_nothing(tmp_path: Path) -> None:
    sites = _sites(tmp_path, AGNO)
    default = _on(sites, 14, "request")
    assert default.api == "embeddings_model" and default.model.kind == "dynamic"
    assert _silent(sites, 15, 16)  # SentenceTransformerEmbedder runs in process: no binding, no request


def test_an_agno_1x_knowledge_base_loads_through_its_vector_db(tmp_path: Path) -> None:
    src = ("from agno.knowledge.pdf_url import PDFUrlKnowledgeBase\n"
           "from agno.vectordb.pgvector import PgVector\n"
           "from agno.embedder.ollama import OllamaEmbedder\n"
           "kb = PDFUrlKnowledgeBase(urls=['https://example.com/x.pdf'],\n"
           "                         vector_db=PgVector(table_name='t', db_url='postgresql://x',\n"
           "                                            embedder=OllamaEmbedder(id='nomic-embed-text')))\n"
           "kb.load(recreate=False)\n")
    sites = _sites(tmp_path, src)
    b, _r = _linked(sites, 6, 7)
    assert (b.provider, b.model.value) == ("ollama", "nomic-embed-text")


def test_a_project_knowledge_class_with_the_same_methods_is_silent(tmp_path: Path) -> None:
    src = ("class Knowledge:\n"
           "    def __init__(self, vector_db=None):\n"
           "        self.db = vector_db\n"
           "    def add_content(self, url):\n"
           "        return url\n"
           "class OpenAIEmbedder:\n"
           "    def __init__(self, id='x'):\n"
           "        self.id = id\n"
           "kb = Knowledge(vector_db=OpenAIEmbedder(id='text-embedding-3-small'))\n"
           "kb.add_content(url='https://example.com')\n")
    assert _silent(_sites(tmp_path, src), 9, 10)


# ---- pydantic-ai Embedder ------------------------------------------------------------------------

def test_a_pydantic_ai_embedder_binds_by_its_provider_model_string(tmp_path: Path) -> None:
    src = ("from pydantic_ai import Embedder\n"
           "class Backend:\n"
           "    def __init__(self, name='openai:text-embedding-3-small'):\n"
           "        self.name = name\n"
           "    def _embedder(self):\n"
           "        return Embedder(self.name)\n"
           "    async def embed(self, texts):\n"
           "        return (await self._embedder().embed_documents(list(texts))).embeddings\n"
           "async def one(q):\n"
           "    e = Embedder('voyageai:voyage-3.5')\n"
           "    return await e.embed_query(q)\n")
    sites = _sites(tmp_path, src)
    b, r = _linked(sites, 6, 8)
    assert (b.provider, b.model.value, r.is_async) == ("openai", "text-embedding-3-small", True)
    b2, _r2 = _linked(sites, 10, 11)
    assert (b2.provider, b2.model.value) == ("voyage", "voyage-3.5")


def test_a_project_embedder_class_named_the_same_is_silent(tmp_path: Path) -> None:
    src = ("class Embedder:\n"
           "    def __init__(self, model):\n"
           "        self.model = model\n"
           "    async def embed_query(self, q):\n"
           "        return [0.0]\n"
           "async def go(q):\n"
           "    return await Embedder('openai:text-embedding-3-small').embed_query(q)\n")
    assert _silent(_sites(tmp_path, src), 7)


# ---- Haystack 1.x --------------------------------------------------------------------------------

def test_a_haystack_1x_prompt_node_binds_and_its_agent_runs_it(tmp_path: Path) -> None:
    src = ("from haystack.nodes import PromptNode\n"
           "from haystack.agents.conversational import ConversationalAgent\n"
           "node = PromptNode('gpt-3.5-turbo', api_key='k', max_length=256)\n"
           "agent = ConversationalAgent(prompt_node=node)\n"
           "def answer(q):\n"
           "    return agent.run(q)\n"
           "def direct(q):\n"
           "    return node(q)\n")
    sites = _sites(tmp_path, src)
    b, _r = _linked(sites, 3, 6)
    assert b.model.value == "gpt-3.5-turbo"
    _linked(sites, 3, 8)


# ---- ScrapeGraphAI --------------------------------------------------------------------------------

def test_a_scrapegraphai_graph_run_is_a_request(tmp_path: Path) -> None:
    src = ("from scrapegraphai.graphs import SmartScraperGraph\n"
           "config = {'llm': {'model': 'openai/gpt-4o-mini', 'api_key': 'k'}}\n"
           "graph = SmartScraperGraph(prompt='List the titles', source='https://example.com', config=config)\n"
           "result = graph.run()\n"
           "class Graph:\n"
           "    def run(self):\n"
           "        return 1\n"
           "Graph().run()\n")
    sites = _sites(tmp_path, src)
    r = _on(sites, 4, "request")
    assert r.api == "chat_model"
    assert _silent(sites, 8)


# ---- LangChain indexing API and AzureSearch --------------------------------------------------------

def test_langchain_index_into_a_store_holding_embeddings_is_a_request_of_them(tmp_path: Path) -> None:
    src = ("from langchain_openai import OpenAIEmbeddings\n"
           "from langchain_community.vectorstores import Chroma, AzureSearch\n"
           "from langchain.indexes import SQLRecordManager, index\n"
           "from langchain_community.embeddings import HuggingFaceEmbeddings\n"
           "emb = OpenAIEmbeddings(model='text-embedding-3-small')\n"
           "store = Chroma(collection_name='c', embedding_function=emb)\n"
           "rm = SQLRecordManager('chroma/c', db_url='sqlite:///r.sql')\n"
           "def ingest(docs):\n"
           "    return index(docs, rm, store, cleanup='incremental', source_id_key='source')\n"
           "local = Chroma(collection_name='l', embedding_function=HuggingFaceEmbeddings())\n"
           "def ingest_local(docs):\n"
           "    return index(docs, rm, local)\n"
           "az = AzureSearch('https://x.search.windows.net', 'key', 'idx', emb)\n"
           "async def find(q):\n"
           "    return await az.asimilarity_search(q)\n")
    sites = _sites(tmp_path, src)
    b, _r = _linked(sites, 5, 9)
    assert b.model.value == "text-embedding-3-small"
    assert _silent(sites, 12)  # a store over in-process embeddings sends nothing counted
    _b, found = _linked(sites, 5, 15)
    assert found.is_async


# ---- Contextual AI, MultiOn, Stability SDK, Lamini ------------------------------------------------

def test_contextual_ai_agent_queries_and_lmunit_judgements_are_requests(tmp_path: Path) -> None:
    src = ("from contextual import ContextualAI\n"
           "client = ContextualAI(api_key='k')\n"
           "def ask(c, agent_id, q):\n"
           "    return c.agents.query.create(agent_id=agent_id, messages=[{'role': 'user', 'content': q}])\n"
           "def judge(c, q, a):\n"
           "    return c.lmunit.create(query=q, response=a, unit_test='Is it grounded?')\n"
           "client.generate.create(model='v2', messages=[], knowledge=[])\n"
           "client.agents.list()\n"
           "class Store:\n"
           "    def create(self, **kw):\n"
           "        return kw\n"
           "def other(db, q):\n"
           "    return db.query.create(query=q)\n")
    sites = _sites(tmp_path, src)
    assert _on(sites, 4, "direct").api == "agents"
    assert _on(sites, 6, "direct").api == "evaluation"
    gen = _on(sites, 7, "direct")
    assert (gen.provider, gen.model.value) == ("contextual", "v2")
    assert _silent(sites, 8, 13)


def test_multion_browse_and_stability_generate_are_requests(tmp_path: Path) -> None:
    src = ("from multion.client import MultiOn\n"
           "from stability_sdk import client\n"
           "m = MultiOn(api_key='k')\n"
           "out = m.browse(cmd='find the paper', url='https://arxiv.org')\n"
           "api = client.StabilityInference(key='k', engine='stable-diffusion-xl-1024-v1-0')\n"
           "answers = api.generate(prompt='a cat', steps=30)\n"
           "m.sessions.close(session_id='s')\n")
    sites = _sites(tmp_path, src)
    assert (_on(sites, 4, "direct").provider, _on(sites, 4, "direct").api) == ("multion", "agents")
    img = _on(sites, 6, "direct")
    assert (img.provider, img.api, img.model.value) == ("stability", "images", "stable-diffusion-xl-1024-v1-0")
    assert _silent(sites, 7)


def test_lamini_generate_asks_the_client_model(tmp_path: Path) -> None:
    src = ("import lamini\n"
           "llm = lamini.Lamini('meta-llama/Meta-Llama-3.1-8B-Instruct')\n"
           "def go(q):\n"
           "    return llm.generate(q)\n"
           "def upload(rows):\n"
           "    return llm.upload_data(rows)\n")
    sites = _sites(tmp_path, src)
    s = _on(sites, 4, "direct")
    assert (s.provider, s.model.value) == ("lamini", "meta-llama/Meta-Llama-3.1-8B-Instruct")
    assert _silent(sites, 6)


# ---- RAGLite ---------------------------------------------------------------------------------------

def test_raglite_functions_handed_a_config_ask_its_models_and_the_default_config_is_silent(tmp_path: Path) -> None:
    src = ("from raglite import RAGLiteConfig, hybrid_search, insert_documents, rag\n"
           "config = RAGLiteConfig(db_url='sqlite:///x.db', llm='gpt-4o-mini', embedder='text-embedding-3-large')\n"
           "def find(q):\n"
           "    return hybrid_search(q, num_results=10, config=config)\n"
           "def add(docs):\n"
           "    insert_documents(docs, config=config)\n"
           "def answer(msgs):\n"
           "    return rag(msgs, config=config)\n"
           "def local(q):\n"
           "    return hybrid_search(q)\n")
    sites = _sites(tmp_path, src)
    b, _r = _linked(sites, 2, 4)
    assert (b.provider, b.model.value) == ("litellm", "gpt-4o-mini")
    _linked(sites, 2, 6)
    _b, streamed = _linked(sites, 2, 8)
    assert streamed.stream
    assert _silent(sites, 10)  # RAGLite's default config runs llama.cpp models in process


def test_a_raglite_config_over_in_process_llama_cpp_models_binds_nothing_and_asks_nothing(tmp_path: Path) -> None:
    src = ("from raglite import RAGLiteConfig, hybrid_search, rag\n"
           "LOCAL = 'llama-cpp-python/unsloth/Qwen3-4B-GGUF/*Q4_K_M.gguf@8192'\n"
           "cfg = RAGLiteConfig(llm=LOCAL, embedder='llama-cpp-python/lm-kit/bge-m3-gguf/*F16.gguf@512')\n"
           "def find(q):\n"
           "    return hybrid_search(q, config=cfg)\n"
           "def answer(m, path):\n"
           "    c = RAGLiteConfig(llm=f'llama-cpp-python/{path}')\n"
           "    return rag(m, config=c)\n"
           "hosted = RAGLiteConfig(llm=f'anthropic/{LOCAL}')\n"
           "def ask(messages):\n"
           "    return rag(messages, config=hosted)\n")
    sites = _sites(tmp_path, src)
    assert _silent(sites, 3, 5, 7, 8)
    _linked(sites, 9, 11)  # any other model string stays a binding
