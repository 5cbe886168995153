"""LlamaIndex indexes, query engines, chat engines and agents (catalog/frameworks.toml llama_index
`runners`, `builds`, `spending_builds`): which of their calls send requests, and the look-alikes that do not."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = (
    "from llama_index.core import VectorStoreIndex, SummaryIndex, DocumentSummaryIndex\n"
    "from llama_index.core.query_engine import SimpleMultiModalQueryEngine\n"
    "from llama_index.agent.openai import OpenAIAgent\n"
    "from llama_index.llms.openai import OpenAI\n"
    "\n"
)


def sites_of(tmp_path, body: str, head: str = HEAD) -> dict[int, tuple[str, str, str, str | None]]:
    """line -> (kind, provider, api, model) of every site in app.py (line 1 is the first line of `body`)."""
    root = make(tmp_path / "p", {"app.py": head + body})
    result = analyse([root], Config(), root=root)
    off = head.count("\n")
    return {s.line - off: (s.kind, s.provider, s.api, s.model.value) for s in result.sites}


def test_building_an_embedding_index_from_documents_is_a_request(tmp_path):
    got = sites_of(tmp_path, (
        "def build(docs):\n"
        "    a = VectorStoreIndex.from_documents(docs)\n"
        "    b = VectorStoreIndex.from_documents(documents=docs, show_progress=True)\n"
        "    c = DocumentSummaryIndex.from_documents(docs)\n"
        "    return a, b, c\n"
    ))
    assert got[2][:3] == ("request", "llama_index", "embeddings_model")
    assert got[3][:3] == ("request", "llama_index", "embeddings_model")
    assert got[4][:3] == ("request", "llama_index", "llm")  # the LLM summarises every document


def test_empty_or_list_indexes_send_nothing(tmp_path):
    got = sites_of(tmp_path, (
        "def build(docs):\n"
        "    empty = VectorStoreIndex.from_documents([])\n"
        "    also_empty = VectorStoreIndex.from_documents(documents=[])\n"
        "    listed = SummaryIndex.from_documents(docs)\n"
        "    index = VectorStoreIndex.from_documents(docs)\n"
        "    return empty, also_empty, listed\n"
    ))
    assert set(got) == {5}


def test_an_index_retriever_and_document_updates_embed_through_the_index_embed_model(tmp_path):
    # as_retriever() keeps the index's models; retrieve embeds the query, insert / refresh_ref_docs the
    # new documents (frameworks.toml llama_index request_apis), on a local or an attribute-held index
    got = sites_of(tmp_path, (
        "class Memory:\n"
        "    def __init__(self, docs):\n"
        "        self.index = VectorStoreIndex.from_documents(docs)\n"
        "\n"
        "    def recall(self, q):\n"
        "        retriever = self.index.as_retriever(similarity_top_k=3)\n"
        "        return retriever.retrieve(q)\n"
        "\n"
        "    async def update(self, docs):\n"
        "        self.index.refresh_ref_docs(docs)\n"
        "        await self.index.as_retriever().aretrieve('q')\n"
        "\n"
        "\n"
        "def grow(docs):\n"
        "    index = VectorStoreIndex.from_documents(docs)\n"
        "    index.insert(docs[0])\n"
        "    return index\n"
    ))
    for line in (7, 10, 11, 16):
        assert got[line][:3] == ("request", "llama_index", "embeddings_model"), line


def test_retrieve_and_insert_on_look_alikes_are_not_requests(tmp_path):
    # the same method names on an LLM object (no embedding model), a database, a cache, and a
    # retriever of unknown origin send nothing tokenlint counts
    got = sites_of(tmp_path, (
        "def lookalikes(q, docs, db, cache, retriever):\n"
        "    llm = OpenAI(model='gpt-4o')\n"
        "    llm.retrieve(q)\n"
        "    llm.insert(docs[0])\n"
        "    db.insert(docs[0])\n"
        "    cache.retrieve(q)\n"
        "    retriever.retrieve(q)\n"
        "    return SummaryIndex.from_documents(docs)\n"
    ))
    assert set(got) == {2}  # the OpenAI binding only


def test_query_and_chat_engines_from_an_index_carry_the_llm_passed_to_them(tmp_path):
    got = sites_of(tmp_path, (
        "def ask(docs, q):\n"
        "    index = VectorStoreIndex.from_documents(docs)\n"
        "    engine = index.as_query_engine(llm=OpenAI(model='gpt-4o'))\n"
        "    answer = engine.query(q)\n"
        "    chat = index.as_chat_engine()\n"
        "    reply = chat.stream_chat(q)\n"
        "    return answer, reply\n"
    ))
    assert got[3][0] == "binding"
    assert got[4] == ("request", "openai", "llm", "gpt-4o")
    assert got[6][:3] == ("request", "llama_index", "index")


def test_agents_and_annotated_engines_are_requests(tmp_path):
    got = sites_of(tmp_path, (
        "agent = OpenAIAgent.from_tools([], llm=OpenAI(model='gpt-4o-mini'))\n"
        "\n"
        "\n"
        "class Holder:\n"
        "    def __init__(self, engine: SimpleMultiModalQueryEngine):\n"
        "        self._engine = engine\n"
        "\n"
        "    async def ask(self, q):\n"
        "        agent.chat(q)\n"
        "        return await self._engine.aquery(q)\n"
    ))
    # the agent runs the model handed to from_tools (catalog runner_args "llm"); the engine known by its
    # annotation alone runs models unknown here
    assert got[9] == ("request", "openai", "agent", "gpt-4o-mini")
    assert got[10][:3] == ("request", "llama_index", "query_engine")


def test_query_and_chat_on_other_objects_are_not_requests(tmp_path):
    got = sites_of(tmp_path, (
        "import sqlite3\n"
        "\n"
        "\n"
        "class Index:\n"
        "    @classmethod\n"
        "    def from_documents(cls, docs):\n"
        "        return cls()\n"
        "\n"
        "    def query(self, q):\n"
        "        return q\n"
        "\n"
        "\n"
        "def run(db_session, slack, docs):\n"
        "    db_session.query('select 1')\n"
        "    slack.chat('hello')\n"
        "    Index.from_documents(docs).query('q')\n"
        "    sqlite3.connect('x').execute('select 1')\n"
    ), head="")
    assert got == {}


def test_legacy_package_paths_and_spec_resolvers_are_bindings(tmp_path):
    got = sites_of(tmp_path, (
        "def pick(spec, embed_spec):\n"
        "    a = Anthropic(model='claude-sonnet-4-5')\n"
        "    b = resolve_llm(spec)\n"
        "    c = resolve_embed_model(embed_spec)\n"
        "    d = OpenAIMultiModal(model='gpt-4o')\n"
        "    e = resolve(spec)\n"
        "    return a, b, c, d, e\n"
    ), head=(
        "from llama_index.llms import Anthropic\n"
        "from llama_index.llms.utils import resolve_llm\n"
        "from llama_index.embeddings.utils import resolve_embed_model\n"
        "from llama_index.multi_modal_llms.openai import OpenAIMultiModal\n"
        "from mylib.utils import resolve\n"
    ))
    assert got[2] == ("binding", "anthropic", "llm", "claude-sonnet-4-5")
    assert got[3][:3] == ("binding", "llama_index", "llm")
    assert got[4][:3] == ("binding", "llama_index", "embeddings_model")
    assert got[5] == ("binding", "openai", "llm", "gpt-4o")
    assert 6 not in got


def test_an_openai_compatible_embedding_probe_is_a_request_on_its_binding(tmp_path):
    got = sites_of(tmp_path, (
        "def dim(base, name):\n"
        "    emb = OpenAILikeEmbedding(api_base=base, model_name=name)\n"
        "    return len(emb.get_text_embedding('test'))\n"
    ), head="from llama_index.embeddings.openai_like import OpenAILikeEmbedding\n")
    assert got[2][:3] == ("binding", "openai_compatible", "embeddings_model")
    assert got[3][:3] == ("request", "openai_compatible", "embeddings_model")


def test_a_generic_runnable_is_a_request_only_when_named_like_a_model(tmp_path):
    """`summary_model: Runnable` may hold a model; `retriever: Runnable` and `parser: Runnable` hold none."""
    got = sites_of(tmp_path, (
        "class Middleware:\n"
        "    def __init__(self, summary_model: Runnable, retriever: Runnable, parser: Runnable):\n"
        "        self.summary_model = summary_model\n"
        "        self.retriever = retriever\n"
        "        self.parser = parser\n"
        "\n"
        "    async def run(self, q):\n"
        "        docs = self.retriever.invoke(q)\n"
        "        self.parser.invoke(docs)\n"
        "        return await self.summary_model.ainvoke(q)\n"
    ), head="from langchain_core.runnables import Runnable\n")
    assert list(got) == [10]
    assert got[10][:3] == ("request", "langchain", "chat_model")


def test_tool_calling_chats_on_a_function_calling_llm_are_requests(tmp_path):
    got = sites_of(tmp_path, (
        "class Run:\n"
        "    llm: FunctionCallingLLM\n"
        "\n"
        "\n"
        "async def step(run: Run, tools, toolbox, llm_provider):\n"
        "    stream = await run.llm.astream_chat_with_tools(tools)\n"
        "    toolbox.chat_with_tools(tools)\n"
        "    return stream\n"
    ), head="from llama_index.core.llms.function_calling import FunctionCallingLLM\n")
    assert list(got) == [6]
    assert got[6][:3] == ("request", "llama_index", "llm")


def test_a_local_global_embed_model_makes_index_embeddings_no_requests(tmp_path):
    # Settings.embed_model set (in another module) to a model tokenlint counts as no paid one: the
    # index's builds and retrievals embed locally (frameworks.toml llama_index model_settings, its "embeddings_model" attribute)
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/settings.py": (
            "from llama_index.core import Settings\n"
            "from llama_index.embeddings.huggingface import HuggingFaceEmbedding\n"
            "\n"
            "\n"
            "def configure():\n"
            "    Settings.embed_model = HuggingFaceEmbedding(model_name='BAAI/bge-small-en-v1.5')\n"
            "\n"
            "\n"
            "default_embed_model = lambda: Settings.embed_model  # (a lambda's body is no statement list)\n"
        ),
        "app/search.py": (
            "from llama_index.core import VectorStoreIndex\n"
            "\n"
            "\n"
            "def search(docs, q):\n"
            "    index = VectorStoreIndex.from_documents(docs)\n"
            "    return index.as_retriever().retrieve(q)\n"
        ),
    })
    assert not [s for s in analyse([root], Config(), root=root).sites if s.path == "app/search.py"]


def test_a_paid_or_unfollowed_global_embed_model_keeps_index_embeddings_requests(tmp_path):
    # one setting to a paid model (or to a value not followed) among local ones: the index may spend
    search = (
        "from llama_index.core import VectorStoreIndex\n"
        "\n"
        "\n"
        "def search(docs, q):\n"
        "    index = VectorStoreIndex.from_documents(docs)\n"
        "    return index.as_retriever().retrieve(q)\n"
    )
    for value in ("OpenAIEmbedding(model='text-embedding-3-small')", "make_embedder()"):
        root = make(tmp_path / value[:6], {
            "app/__init__.py": "",
            "app/settings.py": (
                "from llama_index.core import Settings\n"
                "from llama_index.embeddings.huggingface import HuggingFaceEmbedding\n"
                "from llama_index.embeddings.openai import OpenAIEmbedding\n"
                "from app.factory import make_embedder\n"
                "\n"
                "Settings.embed_model = HuggingFaceEmbedding(model_name='BAAI/bge-small-en-v1.5')\n"
                "\n"
                "\n"
                "def use_remote():\n"
                f"    Settings.embed_model = {value}\n"
            ),
            "app/search.py": search,
        })
        lines = {(s.path, s.line) for s in analyse([root], Config(), root=root).sites if s.kind == "request"}
        assert {("app/search.py", 5), ("app/search.py", 6)} <= lines, value
