"""The rest of the LlamaIndex integration census (census16, 2026-12-07): the llms, embeddings and reranking
postprocessor packages under run-llama/llama_index llama-index-integrations/ that census15b did not read.

CENSUS is the table of the classes added, each decided from its package's source as a hosted paid API (H: a
binding of its provider, with the class's default model when it has one) or a server the user runs (S: the
same, its provider one of the local providers), or a Hugging Face text-generation / text-embeddings inference
server (T: provider huggingface, as census15b's TEI embeddings: Hugging Face hosts one, a user may run one). For a sample of them a made-up program builds the class and
asks it once: the constructor is the binding, the call a request pointing at it. The packages that run the
model in process (or hold no model) report nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from census import assert_binds_and_asks, one_class, own_class, sites_of

from tokenlint.catalog import build_sdk_catalog
from tokenlint.prefilter import sdk_pattern
from tokenlint.resolve.caps import local_providers

CATALOG = build_sdk_catalog()
API = {"llms": "llm", "embeddings": "embeddings_model", "postprocessor": "rerank"}

# (module under llama_index, class, decision, provider, default model); source: each package's PyPI wheel,
# llama_index/<kind>/<pkg>/base.py (name==version in the catalog comments of the census16 block)
CENSUS = [
    ("llms.aibadgr", "AIBadgr", "H", "aibadgr", None),
    ("llms.alephalpha", "AlephAlpha", "H", "aleph_alpha", "luminous-supreme-control"),
    ("llms.alibabacloud_aisearch", "AlibabaCloudAISearchLLM", "H", "alibaba_aisearch", "ops-qwen-turbo"),
    ("llms.apertis", "Apertis", "H", "apertis", "gpt-5.2"),
    ("llms.asi", "ASI", "H", "asi", "asi1-mini"),
    ("llms.baseten", "Baseten", "H", "baseten", None),
    ("llms.clarifai", "Clarifai", "H", "clarifai", None),
    ("llms.cleanlab", "CleanlabTLM", "H", "cleanlab", None),
    ("llms.cometapi", "CometAPI", "H", "cometapi", "gpt-4o-mini"),
    ("llms.contextual", "Contextual", "H", "contextual", "v1"),
    ("llms.cortex", "Cortex", "H", "snowflake", "llama3.2-1b"),
    ("llms.everlyai", "EverlyAI", "H", "everlyai", "meta-llama/Llama-2-7b-chat-hf"),
    ("llms.featherlessai", "FeatherlessLLM", "H", "featherless", None),
    ("llms.gradient", "GradientBaseModelLLM", "H", "gradient", None),
    ("llms.gradient", "GradientModelAdapterLLM", "H", "gradient", None),
    ("llms.helicone", "Helicone", "H", "helicone", "gpt-4o-mini"),
    ("llms.heroku", "Heroku", "H", "heroku", None),
    ("llms.iflytek", "IFlytek", "H", "iflytek", "generalv3.5"),
    ("llms.keywordsai", "KeywordsAI", "H", "keywordsai", "gpt-4o"),
    ("llms.llama_api", "LlamaAPI", "H", "llama_api", "llama3.1-8b"),
    ("llms.maritalk", "Maritalk", "H", "maritalk", "sabia-2-medium"),
    ("llms.minimax", "MiniMax", "H", "minimax", "MiniMax-M2.7"),
    ("llms.modelslab", "ModelsLabLLM", "H", "modelslab", "llama-3.1-8b-uncensored"),
    ("llms.monsterapi", "MonsterLLM", "H", "monsterapi", "meta-llama/Meta-Llama-3-8B-Instruct"),
    ("llms.mymagic", "MyMagicAI", "H", "mymagic", "mixtral8x7"),
    ("llms.netmind", "NetmindLLM", "H", "netmind", None),
    ("llms.neutrino", "Neutrino", "H", "neutrino", None),
    ("llms.oci_data_science", "OCIDataScience", "H", "oci_data_science", "odsc-llm"),
    ("llms.octoai", "OctoAI", "H", "octoai", "mistral-7b-instruct"),
    ("llms.ovhcloud", "OVHcloud", "H", "ovhcloud", None),
    ("llms.paieas", "PaiEas", "H", "alibaba_pai", None),
    ("llms.pipeshift", "Pipeshift", "H", "pipeshift", None),
    ("llms.portkey", "Portkey", "H", "portkey", None),
    ("llms.predibase", "PredibaseLLM", "H", "predibase", None),
    ("llms.sarvam", "Sarvam", "H", "sarvam", "sarvam-m"),
    ("llms.solar", "Solar", "H", "upstage", "solar-1-mini-chat"),
    ("llms.stepfun", "StepFun", "H", "stepfun", "step-1v-8k"),
    ("llms.unify", "Unify", "H", "unify", None),
    ("llms.vercel_ai_gateway", "VercelAIGateway", "H", "vercel", "anthropic/claude-4-sonnet"),
    ("llms.you", "You", "H", "you", None),
    ("llms.nvidia_triton", "NvidiaTriton", "S", "triton", "ensemble"),
    ("llms.opea", "OPEA", "S", "opea", None),
    ("llms.openllm", "OpenLLM", "S", "openllm", None),
    ("llms.rungpt", "RunGptLLM", "S", "rungpt", "rungpt"),
    ("llms.sglang", "SGLang", "S", "sglang", None),
    ("llms.text_generation_inference", "TextGenerationInference", "T", "huggingface", None),
    ("embeddings.alephalpha", "AlephAlphaEmbedding", "H", "aleph_alpha", "luminous-base"),
    ("embeddings.alibabacloud_aisearch", "AlibabaCloudAISearchEmbedding",
    "H", "alibaba_aisearch", "ops-text-embedding-002"),
    ("embeddings.anyscale", "AnyscaleEmbedding", "H", "anyscale", "thenlper/gte-large"),
    ("embeddings.baseten", "BasetenEmbedding", "H", "baseten", None),
    ("embeddings.clarifai", "ClarifaiEmbedding", "H", "clarifai", None),
    ("embeddings.databricks", "DatabricksEmbedding", "H", "databricks", None),
    ("embeddings.gigachat", "GigaChatEmbedding", "H", "gigachat", "Embeddings"),
    ("embeddings.gradient", "GradientEmbedding", "H", "gradient", None),
    ("embeddings.heroku", "HerokuEmbedding", "H", "heroku", None),
    ("embeddings.isaacus", "IsaacusEmbedding", "H", "isaacus", "kanon-2-embedder"),
    ("embeddings.llm_rails", "LLMRailsEmbedding", "H", "llmrails", "embedding-english-v1"),
    ("embeddings.netmind", "NetmindEmbedding", "H", "netmind", None),
    ("embeddings.oci_data_science", "OCIDataScienceEmbedding", "H", "oci_data_science", "odsc-embeddings"),
    ("embeddings.octoai", "OctoAIEmbedding", "H", "octoai", "thenlper/gte-large"),
    ("embeddings.premai", "PremAIEmbeddings", "H", "premai", None),
    ("embeddings.vertex_endpoint", "VertexEndpointEmbedding", "H", "google", None),
    ("embeddings.yandexgpt", "YandexGPTEmbedding", "H", "yandex", "general:embedding"),
    ("embeddings.elasticsearch", "ElasticsearchEmbedding", "S", "elasticsearch", None),
    ("embeddings.opea", "OPEAEmbedding", "S", "opea", None),
    ("embeddings.oracleai", "OracleEmbeddings", "S", "oracle_db", None),
    ("embeddings.textembed", "TextEmbedEmbedding", "S", "textembed", None),
    ("postprocessor.aimon_rerank", "AIMonRerank", "H", "aimon", "retrieval_relevance"),
    ("postprocessor.alibabacloud_aisearch_rerank", "AlibabaCloudAISearchRerank",
    "H", "alibaba_aisearch", "ops-bge-reranker-larger"),
    ("postprocessor.contextual_rerank", "ContextualRerank", "H", "contextual", "ctxl-rerank-en-v1-instruct"),
    ("postprocessor.google_rerank", "GoogleRerank", "H", "google", "semantic-ranker-default-004"),
    ("postprocessor.ibm", "WatsonxRerank", "H", "ibm_watsonx", None),
    ("postprocessor.pinecone_native_rerank", "PineconeNativeRerank", "H", "pinecone", "bge-reranker-v2-m3"),
    ("postprocessor.siliconflow_rerank", "SiliconFlowRerank", "H", "siliconflow", "BAAI/bge-reranker-v2-m3"),
    ("postprocessor.tei_rerank", "TextEmbeddingInference", "T", "huggingface", None),
    ("postprocessor.xinference_rerank", "XinferenceRerank", "S", "xinference", "bge-reranker-base"),
]


@pytest.mark.parametrize("module,cls,decision,provider,default", CENSUS, ids=[row[1] for row in CENSUS])
def test_the_catalog_agrees_with_the_census(module: str, cls: str, decision: str, provider: str,
                                            default: str) -> None:
    con = CATALOG.constructors.get(f"llama_index.{module}.{cls}")
    assert con is not None and con.sdk == "llama_index", cls
    assert (con.provider, con.api, con.default_model) == (provider, API[module.split(".")[0]], default)
    assert (provider in local_providers()) == (decision == "S")


# a sample: (module, class, constructor arguments, request method, provider, api, model the binding reads)
SAMPLE = [
    ("llama_index.llms.alephalpha", "AlephAlpha", "'m-1'", "complete", "aleph_alpha", "llm", "m-1"),
    ("llama_index.llms.alibabacloud_aisearch", "AlibabaCloudAISearchLLM", "k, k, service_id='m-1'", "chat",
     "alibaba_aisearch", "llm", "m-1"),
    ("llama_index.llms.baseten", "Baseten", "'m-1', api_key=k", "complete", "baseten", "llm", "m-1"),
    ("llama_index.llms.cortex", "Cortex", "", "complete", "snowflake", "llm", "llama3.2-1b"),
    ("llama_index.llms.gradient", "GradientModelAdapterLLM", "model_adapter_id='m-1'", "complete", "gradient",
     "llm", "m-1"),
    ("llama_index.llms.helicone", "Helicone", "model='m-1'", "achat", "helicone", "llm", "m-1"),
    ("llama_index.llms.llama_api", "LlamaAPI", "api_key=k", "chat", "llama_api", "llm", "llama3.1-8b"),
    ("llama_index.llms.maritalk", "Maritalk", "model='m-1', api_key=k", "complete", "maritalk", "llm", "m-1"),
    ("llama_index.llms.oci_data_science", "OCIDataScience", "k, k, 'm-1'", "chat", "oci_data_science", "llm",
     "m-1"),
    ("llama_index.llms.paieas", "PaiEas", "'m-1', k, k", "complete", "alibaba_pai", "llm", "m-1"),
    ("llama_index.llms.predibase", "PredibaseLLM", "model_name='m-1'", "complete", "predibase", "llm", "m-1"),
    ("llama_index.llms.solar", "Solar", "", "stream_complete", "upstage", "llm", "solar-1-mini-chat"),
    ("llama_index.llms.stepfun", "StepFun", "'m-1', api_key=k", "stream_chat", "stepfun", "llm", "m-1"),
    ("llama_index.llms.vercel_ai_gateway", "VercelAIGateway", "", "complete", "vercel", "llm",
     "anthropic/claude-4-sonnet"),
    ("llama_index.llms.sarvam", "Sarvam", "", "acomplete", "sarvam", "llm", "sarvam-m"),
    # servers the user runs
    ("llama_index.llms.nvidia_triton", "NvidiaTriton", "k, 'm-1'", "complete", "triton", "llm", "m-1"),
    ("llama_index.llms.sglang", "SGLang", "model='m-1', api_url=k", "complete", "sglang", "llm", "m-1"),
    ("llama_index.llms.openllm", "OpenLLM", "model='m-1', api_base=k", "chat", "openllm", "llm", "m-1"),
    ("llama_index.llms.text_generation_inference", "TextGenerationInference", "k, 'm-1'", "complete",
     "huggingface", "llm", "m-1"),
    # embeddings
    ("llama_index.embeddings.alephalpha", "AlephAlphaEmbedding", "", "get_text_embedding", "aleph_alpha",
     "embeddings_model", "luminous-base"),
    ("llama_index.embeddings.anyscale", "AnyscaleEmbedding", "model='m-1'", "get_query_embedding", "anyscale",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.gigachat", "GigaChatEmbedding", "", "get_text_embedding", "gigachat",
     "embeddings_model", "Embeddings"),
    ("llama_index.embeddings.llm_rails", "LLMRailsEmbedding", "k, 'm-1'", "get_text_embedding", "llmrails",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.premai", "PremAIEmbeddings", "k, 'm-1'", "aget_text_embedding", "premai",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.yandexgpt", "YandexGPTEmbedding", "k, k, 'm-1'", "get_text_embedding_batch",
     "yandex", "embeddings_model", "m-1"),
    ("llama_index.embeddings.textembed", "TextEmbedEmbedding", "'m-1'", "get_text_embedding", "textembed",
     "embeddings_model", "m-1"),
    ("llama_index.embeddings.elasticsearch", "ElasticsearchEmbedding", "k, 'm-1'", "get_query_embedding",
     "elasticsearch", "embeddings_model", "m-1"),
    # reranking postprocessors
    ("llama_index.postprocessor.contextual_rerank", "ContextualRerank", "3, 'm-1'", "postprocess_nodes",
     "contextual", "rerank", "m-1"),
    ("llama_index.postprocessor.pinecone_native_rerank", "PineconeNativeRerank", "top_n=3", "postprocess_nodes",
     "pinecone", "rerank", "bge-reranker-v2-m3"),
    ("llama_index.postprocessor.ibm", "WatsonxRerank", "'m-1', 3", "apostprocess_nodes", "ibm_watsonx", "rerank",
     "m-1"),
    ("llama_index.postprocessor.google_rerank", "GoogleRerank", "'m-1'", "postprocess_nodes", "google", "rerank",
     "m-1"),
    ("llama_index.postprocessor.tei_rerank", "TextEmbeddingInference", "model_name='m-1', base_url=k",
     "postprocess_nodes", "huggingface", "rerank", "m-1"),
    ("llama_index.postprocessor.xinference_rerank", "XinferenceRerank", "model='m-1'", "postprocess_nodes",
     "xinference", "rerank", "m-1"),
]


@pytest.mark.parametrize("module,cls,args,method,provider,api,model", SAMPLE,
                         ids=[f"{row[1]}.{row[3]}" for row in SAMPLE])
def test_an_integration_binds_its_model_and_its_request_points_at_the_binding(
        tmp_path: Path, module: str, cls: str, args: str, method: str, provider: str, api: str,
        model: str) -> None:
    assert_binds_and_asks(sites_of(tmp_path, one_class(module, cls, args, method)), provider, api, model)


def test_the_sample_is_drawn_from_the_census() -> None:
    census = {(f"llama_index.{module}", cls) for module, cls, *_ in CENSUS}
    assert {(module, cls) for module, cls, *_ in SAMPLE} <= census


@pytest.mark.parametrize("module,cls,args,method", [
    ("llama_index.embeddings.vllm", "VllmEmbedding", "model_name='m-1'", "get_text_embedding"),
    ("llama_index.postprocessor.longllmlingua", "LongLLMLinguaPostprocessor", "model_name='m-1'",
     "postprocess_nodes"),
    ("llama_index.postprocessor.rankllm_rerank", "RankLLMRerank", "model='m-1'", "postprocess_nodes"),
    ("llama_index.postprocessor.presidio", "PresidioPIINodePostprocessor", "", "postprocess_nodes"),
    ("llama_index.postprocessor.distil", "DistilNodePostprocessor", "", "postprocess_nodes"),
])
def test_a_class_running_the_model_in_process_reports_nothing(tmp_path: Path, module: str, cls: str, args: str,
                                                              method: str) -> None:
    assert sites_of(tmp_path, one_class(module, cls, args, method)) == []
    assert CATALOG.constructors.get(f"{module}.{cls}") is None


def test_a_project_class_named_like_an_integration_is_no_binding(tmp_path: Path) -> None:
    assert sites_of(tmp_path, own_class("StepFun", "complete")) == []


def test_a_file_is_marked_by_its_import_of_an_integration_not_by_a_bare_class_name() -> None:
    pat = sdk_pattern(CATALOG)
    assert pat.search(b"from llama_index.llms.solar import Solar\n\nllm = Solar()\n")
    assert pat.search(b"from llama_index.embeddings.heroku import HerokuEmbedding\n")
    assert not pat.search(b"from solar_panels import Solar\n\npanel = Solar(area=3)\n")
    assert not pat.search(b'"""Deploys to Heroku with Cortex and AlephAlpha keys."""\nHeroku = Cortex = AlephAlpha = None\n')


def test_another_class_of_an_integration_module_is_no_model(tmp_path: Path) -> None:
    src = ("from llama_index.llms.solar import Solar, SolarSettings\n"
           "\n"
           "def ask(q):\n"
           "    SolarSettings(temperature=0.1).complete(q)\n"
           "    return Solar('m-1').complete(q)\n")
    assert sorted((s.line, s.kind, s.provider) for s in sites_of(tmp_path, src)) == [
        (5, "binding", "upstage"), (5, "request", "upstage")]
