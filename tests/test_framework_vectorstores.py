"""LangChain vector stores (catalog/frameworks.toml `langchain_vectorstore`): a store runs the embeddings
object it is handed; its adds and text searches, and from_texts / from_documents, are embedding requests
carrying that binding. Stores handed nothing known, and look-alikes, are not."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = (
    "from langchain_community.vectorstores import FAISS, Chroma\n"
    "from langchain_community.embeddings import HuggingFaceEmbeddings\n"
    "from langchain_openai import ChatOpenAI, OpenAIEmbeddings\n"
    "from langchain_pinecone import PineconeVectorStore\n"
    "from langchain_postgres import PGVector\n"
    "\n"
)


def sites_of(tmp_path, body: str, head: str = HEAD) -> dict[int, tuple[str, str, str, str | None]]:
    """line -> (kind, provider, api, model) of every site in app.py (line 1 is the first line of `body`);
    a request and a binding on one line: the request."""
    root = make(tmp_path / "p", {"app.py": head + body})
    result = analyse([root], Config(), root=root)
    off = head.count("\n")
    ordered = sorted(result.sites, key=lambda s: s.kind == "request")
    return {s.line - off: (s.kind, s.provider, s.api, s.model.value) for s in ordered}


def test_a_store_embeds_through_the_embeddings_its_constructor_or_opener_is_handed(tmp_path):
    got = sites_of(tmp_path, (
        "emb = OpenAIEmbeddings(model='text-embedding-3-large')\n"
        "def run(texts, index, engine):\n"
        "    a = PGVector(emb, connection=engine)\n"  # langchain_postgres: embeddings first
        "    a.add_texts(texts)\n"
        "    b = PineconeVectorStore.from_existing_index('notes', emb)\n"
        "    b.similarity_search_with_relevance_scores('q')\n"
        "    c = PGVector.from_existing_index(emb, connection=engine)\n"
        "    c.max_marginal_relevance_search('q')\n"
    ))
    assert got[1][0] == "binding"
    assert {k: v for k, v in got.items() if v[0] == "request"} == {
        4: ("request", "openai", "embeddings_model", "text-embedding-3-large"),
        6: ("request", "openai", "embeddings_model", "text-embedding-3-large"),
        8: ("request", "openai", "embeddings_model", "text-embedding-3-large")}


def test_the_embeddings_argument_is_read_at_its_own_position(tmp_path):
    # Chroma takes the collection name first: a paid model passed elsewhere is not its embeddings
    got = sites_of(tmp_path, (
        "emb = OpenAIEmbeddings()\n"
        "def run(texts, name):\n"
        "    Chroma(name, persist_directory=emb).add_texts(texts)\n"
        "    Chroma(name, emb).add_texts(texts)\n"
    ))
    assert 3 not in got
    assert got[4][:3] == ("request", "openai", "embeddings_model")


def test_local_or_unknown_embeddings_and_searches_by_vector_send_nothing_counted(tmp_path):
    got = sites_of(tmp_path, (
        "def run(texts, embedder, vec):\n"
        "    FAISS.from_texts(texts, HuggingFaceEmbeddings()).similarity_search('q')\n"
        "    FAISS.from_texts(texts, embedder).add_texts(texts)\n"
        "    FAISS.from_texts(texts, OpenAIEmbeddings()).similarity_search_by_vector(vec)\n"
        "    FAISS.from_texts([], OpenAIEmbeddings())\n"
    ))
    # the paid build embeds; the search by vector, the empty build and the other stores send nothing
    assert {k for k, v in got.items() if v[0] == "request"} == {4}


def test_a_chat_model_leads_a_chain_holding_a_retriever(tmp_path):
    got = sites_of(tmp_path, (
        "def run(q):\n"
        "    retriever = FAISS.from_texts(['a'], OpenAIEmbeddings(model='text-embedding-3-small')).as_retriever()\n"
        "    chain = {'context': retriever, 'q': lambda x: x} | ChatOpenAI(model='gpt-4o')\n"
        "    answer = chain.invoke(q)\n"
        "    return answer, retriever.invoke(q)\n"
    ))
    assert got[2] == ("request", "openai", "embeddings_model", "text-embedding-3-small")  # from_texts
    assert got[4] == ("request", "openai", "chat_model", "gpt-4o")  # the chat model leads the chain
    assert got[5] == ("request", "openai", "embeddings_model", "text-embedding-3-small")


def test_every_store_class_names_where_its_embeddings_go():
    cat = build_sdk_catalog()
    fw = cat.frameworks["langchain_vectorstore"]
    assert fw.held_only and "from_texts" in fw.builds and fw.build_args == ("1", "embedding")
    stores = [mod + "." + last for last, bucket in cat.runners._by_last.items()  # noqa: SLF001
              for mod, v in bucket if v[0] == "langchain_vectorstore"]
    bases = [q for q in stores if q.endswith(".VectorStore")]
    assert len(bases) >= 2
    for q in stores:
        if q not in bases:
            assert cat.runner_args.get(q), q  # a concrete store: its constructor's embeddings argument
    assert cat.opener_args.get("langchain_pinecone.vectorstores.PineconeVectorStore") == \
        {"from_existing_index": ("1", "embedding")}


def test_a_store_opened_in_one_module_embeds_where_another_searches_it(tmp_path):
    """With the prefilter on (as a folder run has it): the searching module names no store class, its
    import of the store's module makes it matter; FAISS.load_local opens a saved index (no request)
    whose searches run the embeddings it is handed."""
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/db.py": ("from langchain_community.vectorstores import FAISS\n"
                      "from langchain_openai import OpenAIEmbeddings\n"
                      "store = FAISS.load_local('idx', OpenAIEmbeddings(model='text-embedding-3-small'),\n"
                      "                         allow_dangerous_deserialization=True)\n"),
        "app/search.py": "from app.db import store\n\n\ndef find(q):\n    return store.similarity_search(q)\n",
        "app/other.py": "import langchain_community\n\n\ndef noop(x):\n    return x.similarity_search('q')\n",
    })
    result = analyse([root], Config(), root=root, prefilter=True)
    requests = {(s.path.rsplit("/", 1)[-1], s.line, s.model.value) for s in result.sites if s.kind == "request"}
    assert requests == {("search.py", 5, "text-embedding-3-small")}


def test_a_store_typed_by_its_interface_in_another_module_is_a_site_with_the_prefilter_on(tmp_path):
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/search.py": ("from langchain_core.vectorstores import VectorStore\n\n\n"
                          "def find(store: VectorStore, q):\n    return store.similarity_search(q)\n"),
    })
    result = analyse([root], Config(), root=root, prefilter=True)
    assert [(s.path.rsplit("/", 1)[-1], s.line) for s in result.sites if s.kind == "request"] == [("search.py", 5)]


def test_a_factory_choosing_hosted_or_local_embeddings_on_branches_hands_the_store_the_hosted_one(tmp_path):
    # the name is bound to the hosted model on one branch and to local ones (read last) on others: the
    # store may run the hosted one, as with `OpenAIEmbeddings() if hosted else HuggingFaceEmbeddings()`;
    # a factory of local models only leaves its store silent
    got = sites_of(tmp_path, (
        "from langchain_community.embeddings import HuggingFaceInstructEmbeddings\n"
        "def make_embedder(hosted, name):\n"
        "    if hosted:\n"
        "        emb = OpenAIEmbeddings(model='text-embedding-3-small')\n"
        "    else:\n"
        "        if isinstance(name, dict):\n"
        "            return name['model']\n"
        "        if 'instruct' in name:\n"
        "            emb = HuggingFaceInstructEmbeddings(model_name=name)\n"
        "        else:\n"
        "            emb = HuggingFaceEmbeddings(model_name=name, model_kwargs=dict(device='cpu'))\n"
        "    return emb\n"
        "def build(docs, hosted, name):\n"
        "    db = FAISS.from_documents(docs, make_embedder(hosted, name))\n"
        "    db.add_documents(docs)\n"
        "    return db.similarity_search(name)\n"
        "def make_local(name):\n"
        "    if name.startswith('bge'):\n"
        "        emb = HuggingFaceEmbeddings(model_name=name, encode_kwargs={'normalize_embeddings': True})\n"
        "    else:\n"
        "        emb = HuggingFaceEmbeddings(model_name=name)\n"
        "    return emb\n"
        "def build_local(docs, name):\n"
        "    return FAISS.from_documents(docs, make_local(name)).similarity_search(name)\n"
    ))
    hosted = ("request", "openai", "embeddings_model", "text-embedding-3-small")
    assert {k: v for k, v in got.items() if v[0] == "request"} == dict.fromkeys((14, 15, 16), hosted)


def test_a_local_embeddings_class_handed_a_model_object_somewhere_builds_nothing_that_runs_it(tmp_path):
    # `name` is a model object on one caller's path: HuggingFaceEmbeddings(model_name=name) is still a
    # local model class, not a builder of something running what it is handed
    got = sites_of(tmp_path, (
        "def make_embedder(name, hosted):\n"
        "    if hosted:\n"
        "        return OpenAIEmbeddings(model='text-embedding-3-large')\n"
        "    return HuggingFaceEmbeddings(model_name=name)\n"
        "def build(docs):\n"
        "    local = make_embedder(OpenAIEmbeddings(), False)\n"
        "    return Chroma.from_documents(docs, embedding=HuggingFaceEmbeddings(model_name=local))\n"
    ))
    assert 7 not in got


def test_a_search_for_the_empty_string_lists_the_store_and_is_no_request(tmp_path):
    got = sites_of(tmp_path, (
        "emb = OpenAIEmbeddings(model='text-embedding-3-small')\n"
        "def run(db_path, q):\n"
        "    db = FAISS.load_local(db_path, emb, allow_dangerous_deserialization=True)\n"
        "    everything = db.similarity_search('', k=10000)\n"
        "    first = db.similarity_search(query='', k=1)\n"
        "    scored = db.similarity_search_with_score('', k=5)\n"
        "    blank = db.similarity_search(' ')\n"
        "    return db.similarity_search(q), everything, first, scored, blank\n"
    ))
    requests = {k for k, v in got.items() if v[0] == "request"}
    assert requests == {7, 8}
