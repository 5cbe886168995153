"""The census of LlamaIndex model integrations and LangChain vector stores (census15b, 2026-12-06).

LlamaIndex: for a sample of the llms / embeddings / reranking postprocessor classes added, the constructor is a
binding carrying its provider and model (the keyword, the position, or the class's default), and a request
method on the object is a request pointing at that binding; a server the user runs keeps its server's provider;
the classes that run a model in process report nothing.

LangChain: for a sample of the langchain-community stores added, the embeddings handed to the constructor (at
its own position or keyword) or to an opening classmethod are what `add_documents` / `similarity_search`
embed with; a store handed no embeddings object, or one of the stores that embed server-side, reports
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from census import assert_binds_and_asks, one_class, sites_of

from tokenlint.catalog import build_sdk_catalog

CATALOG = build_sdk_catalog()


def _facts(sites, kind: str):
    return [(s.line, s.provider, s.api, s.model.value) for s in sites if s.kind == kind]


# (module, class, constructor arguments, request method, provider, api, model the binding reads)
LLAMA_INDEX = [
    ("llama_index.llms.ai21", "AI21", "model='m-1'", "complete", "ai21", "llm", "m-1"),
    ("llama_index.llms.anyscale", "Anyscale", "'m-1'", "chat", "anyscale", "llm", "m-1"),
    ("llama_index.llms.cerebras", "Cerebras", "model='m-1', api_key=k", "astream_chat", "cerebras", "llm", "m-1"),
    ("llama_index.llms.perplexity", "Perplexity", "", "complete", "perplexity", "llm", "mistral-7b-instruct"),
    ("llama_index.llms.ibm", "WatsonxLLM", "model_id='m-1', project_id=k", "complete", "ibm_watsonx", "llm", "m-1"),
    ("llama_index.llms.konko", "Konko", "model='m-1'", "stream_complete", "konko", "llm", "m-1"),
    ("llama_index.llms.sambanovasystems", "SambaNovaCloud", "model='m-1'", "chat", "sambanova", "llm", "m-1"),
    ("llama_index.llms.upstage", "Upstage", "", "acomplete", "upstage", "llm", "solar-1-mini-chat"),
    ("llama_index.llms.siliconflow", "SiliconFlow", "k, 'm-1'", "achat", "siliconflow", "llm", "m-1"),
    ("llama_index.llms.nebius", "NebiusLLM", "model='m-1'", "complete", "nebius", "llm", "m-1"),
    ("llama_index.llms.deepinfra", "DeepInfraLLM", "model_name='m-1'", "complete", "deepinfra", "llm", "m-1"),
    ("llama_index.llms.yi", "Yi", "", "chat", "yi", "llm", "yi-large"),
    ("llama_index.llms.palm", "PaLM", "k, 'models/m-1'", "complete", "google", "llm", "models/m-1"),
    ("llama_index.llms.premai", "PremAI", "1, k, None, 'm-1'", "complete", "premai", "llm", "m-1"),
    ("llama_index.llms.databricks", "Databricks", "'m-1', api_base=k", "complete", "databricks", "llm", "m-1"),
    ("llama_index.llms.novita", "NovitaAI", "model='m-1', api_key=k", "chat", "novita", "llm", "m-1"),
    ("llama_index.llms.friendli", "Friendli", "", "complete", "friendli", "llm", "mixtral-8x7b-instruct-v0-1"),
    ("llama_index.llms.reka", "RekaLLM", "model='m-1', api_key=k", "stream_chat", "reka", "llm", "m-1"),
    ("llama_index.llms.qianfan", "Qianfan", "k, k, 'm-1', k, 8192", "complete", "qianfan", "llm", "m-1"),
    ("llama_index.llms.meta", "LlamaLLM", "model='m-1'", "complete", "meta", "llm", "m-1"),
    ("llama_index.llms.sagemaker_endpoint", "SageMakerLLM", "'ep-1'", "complete", "aws_sagemaker", "llm", "ep-1"),
    ("llama_index.llms.oci_genai", "OCIGenAI", "'m-1'", "chat", "oci", "llm", "m-1"),
    ("llama_index.llms.azure_inference", "AzureAICompletionsModel", "endpoint=k, model_name='m-1'", "chat",
     "azure_ai", "llm", "m-1"),
    # servers the user runs
    ("llama_index.llms.lmstudio", "LMStudio", "model_name='m-1'", "chat", "lm_studio", "llm", "m-1"),
    ("llama_index.llms.vllm", "VllmServer", "model='m-1', api_url=k", "complete", "vllm", "llm", "m-1"),
    ("llama_index.llms.xinference", "Xinference", "'m-1', k", "complete", "xinference", "llm", "m-1"),
    # embeddings
    ("llama_index.embeddings.nomic", "NomicEmbedding", "", "get_text_embedding", "nomic", "embeddings_model",
     "nomic-embed-text-v1"),
    ("llama_index.embeddings.deepinfra", "DeepInfraEmbeddingModel", "model_id='m-1'", "get_query_embedding",
     "deepinfra", "embeddings_model", "m-1"),
    ("llama_index.embeddings.upstage", "UpstageEmbedding", "model='m-1'", "get_text_embedding_batch", "upstage",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.siliconflow", "SiliconFlowEmbedding", "", "aget_text_embedding", "siliconflow",
     "embeddings_model", "BAAI/bge-m3"),
    ("llama_index.embeddings.ibm", "WatsonxEmbeddings", "model_id='m-1'", "get_text_embedding", "ibm_watsonx",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.mixedbreadai", "MixedbreadAIEmbedding", "k, 'm-1'", "get_text_embedding",
     "mixedbread", "embeddings_model", "m-1"),
    ("llama_index.embeddings.cloudflare_workersai", "CloudflareEmbedding", "k, k, 'm-1'", "get_text_embedding",
     "cloudflare", "embeddings_model", "m-1"),
    ("llama_index.embeddings.text_embeddings_inference", "TextEmbeddingsInference", "'m-1', base_url=k",
     "get_text_embedding", "huggingface", "embeddings_model", "m-1"),
    ("llama_index.embeddings.xinference", "XinferenceEmbedding", "'m-1'", "get_query_embedding", "xinference",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.nebius", "NebiusEmbedding", "", "get_text_embedding", "nebius", "embeddings_model",
     "BAAI/bge-en-icl"),
    ("llama_index.embeddings.google", "GeminiEmbedding", "model_name='m-1'", "get_query_embedding", "google",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.azure_inference", "AzureAIEmbeddingsModel", "endpoint=k, model_name='m-1'",
     "get_text_embedding", "azure_ai", "embeddings_model", "m-1"),
    # reranking postprocessors
    ("llama_index.postprocessor.voyageai_rerank", "VoyageAIRerank", "k, 'm-1'", "postprocess_nodes", "voyage",
     "rerank", "m-1"),
    ("llama_index.postprocessor.mixedbreadai_rerank", "MixedbreadAIRerank", "top_n=3", "postprocess_nodes",
     "mixedbread", "rerank", "mixedbread-ai/mxbai-rerank-large-v1"),
    ("llama_index.postprocessor.dashscope_rerank", "DashScopeRerank", "3, 'm-1'", "apostprocess_nodes",
     "dashscope", "rerank", "m-1"),
    ("llama_index.postprocessor.bedrock_rerank", "AWSBedrockRerank", "model_id='m-1'", "postprocess_nodes",
     "aws_bedrock", "rerank", "m-1"),
]


@pytest.mark.parametrize("module,cls,args,method,provider,api,model", LLAMA_INDEX,
                         ids=[f"{row[1]}.{row[3]}" for row in LLAMA_INDEX])
def test_a_llama_index_integration_binds_its_model_and_its_request_points_at_the_binding(
        tmp_path: Path, module: str, cls: str, args: str, method: str, provider: str, api: str,
        model: str) -> None:
    assert_binds_and_asks(sites_of(tmp_path, one_class(module, cls, args, method)), provider, api, model)


@pytest.mark.parametrize("module,cls,method", [
    ("llama_index.llms.huggingface", "HuggingFaceLLM", "complete"),
    ("llama_index.llms.llama_cpp", "LlamaCPP", "complete"),
    ("llama_index.llms.mlx", "MLXLLM", "chat"),
    ("llama_index.llms.openvino", "OpenVINOLLM", "complete"),
    ("llama_index.llms.ipex_llm", "IpexLLM", "stream_complete"),
    ("llama_index.llms.vllm", "Vllm", "complete"),
    ("llama_index.embeddings.huggingface", "HuggingFaceEmbedding", "get_text_embedding"),
    ("llama_index.embeddings.fastembed", "FastEmbedEmbedding", "get_query_embedding"),
    ("llama_index.embeddings.instructor", "InstructorEmbedding", "get_text_embedding"),
    ("llama_index.embeddings.nomic", "NomicHFEmbedding", "get_text_embedding"),
    ("llama_index.embeddings.google", "GoogleUnivSentEncoderEmbedding", "get_text_embedding"),
    ("llama_index.llms.llamafile", "Llamafile", "complete"),  # as LangChain's Llamafile: no site
    ("llama_index.embeddings.llamafile", "LlamafileEmbedding", "get_text_embedding"),
    ("llama_index.postprocessor.colbert_rerank", "ColbertRerank", "postprocess_nodes"),
    ("llama_index.postprocessor.flag_embedding_reranker", "FlagEmbeddingReranker", "postprocess_nodes"),
])
def test_a_class_running_the_model_in_process_reports_nothing(tmp_path: Path, module: str, cls: str,
                                                              method: str) -> None:
    assert sites_of(tmp_path, one_class(module, cls, "model_name='local-weights'", method)) == []


def test_the_census_entries_are_catalogued_once_each() -> None:
    for module, cls, *_ in LLAMA_INDEX:
        con = CATALOG.constructors.get(f"{module}.{cls}")
        assert con is not None and con.sdk == "llama_index", cls
    assert CATALOG.constructors.get("llama_index.llms.vllm.Vllm") is None


# (store class, constructor or opener call with `emb` the embeddings, request method)
STORES = [
    ("Cassandra", "Cassandra(emb, session, 'ks', 'notes')", "add_documents"),
    ("OpenSearchVectorSearch", "OpenSearchVectorSearch(url, 'notes', emb)", "similarity_search"),
    ("AzureSearch", "AzureSearch(url, key, 'notes', embedding_function=emb)", "similarity_search"),
    ("Zilliz", "Zilliz(emb, connection_args={})", "similarity_search"),
    ("TileDB", "TileDB.load('uri', emb)", "similarity_search"),
    ("UpstashVectorStore", "UpstashVectorStore(embedding=emb)", "add_documents"),
    ("AstraDB", "AstraDB(embedding=emb, collection_name='notes')", "similarity_search"),
    ("TimescaleVector", "TimescaleVector.from_existing_index(emb, 'notes')", "max_marginal_relevance_search"),
    ("DocArrayInMemorySearch", "DocArrayInMemorySearch.from_params(emb)", "similarity_search"),
    ("AnalyticDB", "AnalyticDB(url, emb)", "add_documents"),
    ("SKLearnVectorStore", "SKLearnVectorStore(emb)", "similarity_search_with_score"),
    ("Annoy", "Annoy.load_local('dir', emb)", "similarity_search"),
    ("FAISS", "FAISS.from_embeddings(pairs, emb)", "similarity_search"),
    ("Redis", "Redis(url, 'notes', emb)", "add_documents"),
]


@pytest.mark.parametrize("cls,build,method", [s for s in STORES if s[2]],
                         ids=[f"{s[0]}:{s[1].split('(')[0]}" for s in STORES if s[2]])
def test_a_store_embeds_through_the_embeddings_its_constructor_or_opener_is_handed(
        tmp_path: Path, cls: str, build: str, method: str) -> None:
    src = ("from langchain_community.vectorstores import " + cls + "\n"
           "from langchain_openai import OpenAIEmbeddings\n"
           "\n"
           "def run(docs, session, url, key, pairs):\n"
           "    emb = OpenAIEmbeddings(model='text-embedding-3-small')\n"
           f"    store = {build}\n"
           f"    return store.{method}(docs)\n")
    sites = sites_of(tmp_path, src)
    assert _facts(sites, "request") == [(7, "openai", "embeddings_model", "text-embedding-3-small")]
    (binding,) = [s for s in sites if s.kind == "binding"]
    (request,) = [s for s in sites if s.kind == "request"]
    assert binding.line == 5 and request.binding == binding.id


def test_a_store_reads_its_embeddings_at_their_own_position_only(tmp_path: Path) -> None:
    # AzureSearch takes endpoint, key and index name first: a paid model elsewhere is not its embeddings
    src = ("from langchain_community.vectorstores import AzureSearch, Cassandra\n"
           "from langchain_openai import OpenAIEmbeddings\n"
           "\n"
           "def run(q, url, key, session):\n"
           "    emb = OpenAIEmbeddings()\n"
           "    AzureSearch(url, emb, 'notes', None).similarity_search(q)\n"
           "    Cassandra(None, emb, 'ks', 'notes').similarity_search(q)\n"
           "    return AzureSearch(url, key, 'notes', emb).similarity_search(q)\n")
    assert [line for line, *_ in _facts(sites_of(tmp_path, src), "request")] == [8]


@pytest.mark.parametrize("build", [
    "Vectara(customer, corpus, key)",
    "ZepCloudVectorStore('notes', key)",
    "LLMRails(datastore, key)",
    "Cassandra(None, session, 'ks', 'notes')",
])
def test_a_store_without_an_embeddings_object_is_no_request(tmp_path: Path, build: str) -> None:
    src = ("from langchain_community.vectorstores import Cassandra, LLMRails, Vectara, ZepCloudVectorStore\n"
           "\n"
           "def run(q, customer, corpus, key, datastore, session):\n"
           f"    return {build}.similarity_search(q)\n")
    assert _facts(sites_of(tmp_path, src), "request") == []


def test_every_registered_store_taking_embeddings_names_where_they_go() -> None:
    names = ["Aerospike", "AlibabaCloudOpenSearch", "AnalyticDB", "Annoy", "ApacheDoris", "ApertureDB", "AstraDB",
             "AtlasDB", "AwaDB", "AzureCosmosDBNoSqlVectorSearch", "AzureCosmosDBVectorSearch", "AzureSearch",
             "BESVectorStore", "Bagel", "BaiduVectorDB", "BigQueryVectorSearch", "Cassandra", "Chroma", "Clickhouse",
             "CouchbaseVectorStore", "DashVector", "Dingo", "DocArrayHnswSearch", "DocArrayInMemorySearch",
             "DocumentDBVectorSearch", "DuckDB", "EcloudESVectorStore", "ElasticKnnSearch", "ElasticVectorSearch",
             "ElasticsearchStore", "Epsilla", "FAISS", "Hologres", "InMemoryVectorStore", "InfinispanVS", "KDBAI",
             "Kinetica", "LanceDB", "Lantern", "ManticoreSearch", "Meilisearch", "MomentoVectorIndex", "MyScale",
             "OpenSearchVectorSearch", "PGEmbedding", "PGVector", "Redis", "Relyt", "Rockset", "SKLearnVectorStore",
             "SQLiteVSS", "SQLiteVec", "ScaNN", "SemaDB", "SingleStoreDB", "StarRocks", "SupabaseVectorStore",
             "SurrealDBStore", "TablestoreVectorStore", "Tair", "TencentVectorDB", "TiDBVectorStore", "TileDB",
             "TimescaleVector", "Typesense", "USearch", "UpstashVectorStore", "VLite", "Vald", "Vearch", "VespaStore",
             "Yellowbrick", "ZepVectorStore", "Zilliz"]
    for name in names:
        for prefix in ("langchain_community.vectorstores.", "langchain.vectorstores."):
            assert CATALOG.runner_args.get(prefix + name), prefix + name
    for name in ("Vectara", "ZepCloudVectorStore", "LLMRails", "Marqo", "PathwayVectorClient", "Clarifai",
                 "NeuralDBVectorStore", "NeuralDBClientVectorStore"):
        assert CATALOG.runner_args.get("langchain_community.vectorstores." + name) is None, name


@pytest.mark.parametrize("qual, provider", [
    ("llama_index.llms.huggingface.HuggingFaceInferenceAPI", "huggingface"),  # before -huggingface-api (0.1, 0.2)
    ("llama_index.llms.huggingface.TextGenerationInference", "huggingface"),
    ("llama_index.embeddings.huggingface.HuggingFaceInferenceAPIEmbedding", "huggingface"),
])
def test_the_hosted_classes_of_the_older_hugging_face_packages_stay_models(qual: str, provider: str) -> None:
    con = CATALOG.constructors.get(qual)
    assert con is not None and con.provider == provider
    for local in ("llama_index.llms.huggingface.HuggingFaceLLM", "llama_index.llms.llama_cpp.LlamaCPP",
                  "llama_index.embeddings.huggingface.HuggingFaceEmbedding"):
        assert CATALOG.constructors.get(local) is None
