"""A LangChain runnable holding a retriever and a language model is the model's (frameworks.py `_merge`):
a query-transforming chain ending in a retriever (`prompt | llm | parser | retriever`), a branch of
such chains (`RunnableBranch((cond, passthrough | retriever), prompt | llm | parser | retriever)`),
`create_retrieval_chain(retriever, combine_docs_chain)` and `{"context": retriever, ...} | prompt | llm`,
also when the model is a parameter of the function building the chain (chosen by its callers). The
retriever's embeddings do not lead a model's chain; a chain of a retriever alone holds no language
model (its `invoke` embeds, as the vector store's rules say, or sends nothing counted)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = (
    "from langchain.chains import create_retrieval_chain\n"
    "from langchain.chains.combine_documents import create_stuff_documents_chain\n"
    "from langchain.retrievers import ContextualCompressionRetriever\n"
    "from langchain.retrievers.document_compressors import EmbeddingsFilter\n"
    "from langchain_core.output_parsers import StrOutputParser\n"
    "from langchain_core.prompts import ChatPromptTemplate\n"
    "from langchain_core.runnables import RunnableBranch, RunnablePassthrough\n"
    "from langchain_openai import ChatOpenAI, OpenAIEmbeddings\n"
    "\n"
    "PROMPT = ChatPromptTemplate.from_messages([('system', 'Rewrite the question.'), ('human', '{q}')])\n"
    "\n"
    "\n"
    "def filtering_retriever(store):\n"
    "    keep = EmbeddingsFilter(embeddings=OpenAIEmbeddings(), similarity_threshold=0.7)\n"
    "    return ContextualCompressionRetriever(base_compressor=keep, base_retriever=store.as_retriever())\n"
    "\n"
    "\n"
)


def sites_of(tmp_path, body: str) -> dict[int, tuple[str, str]]:
    """line -> (kind, api) of every site in app.py (line 1 is the first line of `body`)."""
    root = make(tmp_path / "p", {"app.py": HEAD + body})
    result = analyse([root], Config(), root=root)
    off = HEAD.count("\n")
    return {s.line - off: (s.kind, s.api) for s in result.sites}


def test_chains_holding_a_retriever_and_a_model_handed_in_are_the_models_requests(tmp_path):
    got = sites_of(tmp_path, (
        "def rewriting_chain(llm, store):\n"
        "    retriever = filtering_retriever(store)\n"
        "    return RunnableBranch(\n"
        "        (lambda x: len(x['messages']) == 1, (lambda x: x['messages'][-1]) | retriever),\n"
        "        PROMPT | llm | StrOutputParser() | retriever,\n"
        "    ).with_config(run_name='retrieve')\n"
        "\n"
        "\n"
        "def piped(llm, store):\n"
        "    return PROMPT | llm | StrOutputParser() | filtering_retriever(store)\n"
        "\n"
        "\n"
        "def ask(q, store):\n"
        "    llm = ChatOpenAI(model='gpt-4o')\n"
        "    rewriting_chain(llm, store).invoke({'messages': [q]})\n"
        "    piped(llm, store).invoke({'q': q})\n"
    ))
    assert got[15] == ("request", "chat_model")
    assert got[16] == ("request", "chat_model")


def test_retrieval_chains_with_the_model_built_here_keep_its_binding(tmp_path):
    got = sites_of(tmp_path, (
        "def ask(q, store):\n"
        "    llm = ChatOpenAI(model='gpt-4o')\n"
        "    rag = create_retrieval_chain(filtering_retriever(store), create_stuff_documents_chain(llm, PROMPT))\n"
        "    rag.invoke({'input': q})\n"
        "    ctx = {'context': store.as_retriever(), 'q': RunnablePassthrough()} | PROMPT | llm\n"
        "    return ctx.invoke(q)\n"
    ))
    assert got[4] == ("request", "chat_model")
    assert got[6] == ("request", "chat_model")


def test_a_chain_of_a_retriever_alone_is_no_language_model_request(tmp_path):
    # a passthrough piped into the retriever, a branch of retrievers, a retriever piped into a parser
    got = sites_of(tmp_path, (
        "def lookups(q, store):\n"
        "    retriever = filtering_retriever(store)\n"
        "    (lambda x: x['q']) | retriever\n"
        "    only = RunnableBranch((lambda x: bool(x), (lambda x: x) | retriever), (lambda x: x) | retriever)\n"
        "    only.invoke({'q': q})\n"
        "    (retriever | StrOutputParser()).invoke(q)\n"
        "    ((lambda x: x['q']) | retriever).invoke({'q': q})\n"
    ))
    assert all(api != "chat_model" for _kind, api in got.values()), got
    # the retriever's EmbeddingsFilter embeds the query and the documents with the OpenAIEmbeddings it holds
    # (frameworks.toml langchain_embedders): each run of a chain of it is that embedding request, no more
    assert [got.get(n) for n in (5, 6, 7)] == [("request", "embeddings_model")] * 3, got
