"""The census of framework model integrations (2026-12-06): LangChain partner and community classes, LlamaIndex
llms / embeddings / reranking postprocessors and Haystack generators / embedders / rankers that the catalog
did not know. For each, the constructor is a binding carrying its provider and model, and a request call on
the object is a request pointing at that binding; beside them, the look-alikes that must stay silent (a
reranker's method on a chat model, a ChatHuggingFace over an in-process pipeline, a project's own class of
the same name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from census import assert_binds_and_asks, one_class, sites_of

from tokenlint.catalog import build_sdk_catalog

CATALOG = build_sdk_catalog()


def _binding_and_request(tmp_path: Path, src: str):
    """The one binding and the one request of `src`."""
    sites = sites_of(tmp_path, src)
    (binding,) = [s for s in sites if s.kind == "binding"]
    (request,) = [s for s in sites if s.kind == "request"]
    return binding, request


# (module, class, model keyword, request method, provider, api)
ADDED = [
    # LangChain partner packages
    ("langchain_google_genai", "GoogleGenerativeAI", "model", "invoke", "google", "llm"),
    ("langchain_google_genai", "GoogleGenerativeAIEmbeddings", "model", "embed_query", "google", "embeddings_model"),
    ("langchain_google_vertexai", "VertexAI", "model_name", "invoke", "google", "llm"),
    ("langchain_google_vertexai.model_garden_maas", "VertexModelGardenLlama", "model", "invoke", "google", "chat_model"),
    ("langchain_aws", "BedrockEmbeddings", "model_id", "embed_documents", "aws_bedrock", "embeddings_model"),
    ("langchain_mistralai", "MistralAIEmbeddings", "model", "embed_query", "mistral", "embeddings_model"),
    ("langchain_cohere", "CohereEmbeddings", "model", "embed_query", "cohere", "embeddings_model"),
    ("langchain_cohere", "Cohere", "model", "invoke", "cohere", "llm"),
    ("langchain_cohere", "CohereRerank", "model", "compress_documents", "cohere", "rerank"),
    ("langchain_together", "Together", "model", "invoke", "together", "llm"),
    ("langchain_fireworks", "Fireworks", "model", "invoke", "fireworks", "llm"),
    ("langchain_nvidia_ai_endpoints", "NVIDIA", "model", "invoke", "nvidia", "llm"),
    ("langchain_nvidia_ai_endpoints", "NVIDIARerank", "model", "acompress_documents", "nvidia", "rerank"),
    ("langchain_ibm", "WatsonxRerank", "model_id", "compress_documents", "ibm_watsonx", "rerank"),
    ("langchain_huggingface", "HuggingFaceEndpoint", "repo_id", "invoke", "huggingface", "llm"),
    ("langchain_huggingface", "HuggingFaceEndpointEmbeddings", "model", "embed_query", "huggingface", "embeddings_model"),
    ("langchain_sambanova", "ChatSambaNovaCloud", "model", "invoke", "sambanova", "chat_model"),
    ("langchain_qwq", "ChatQwen", "model", "invoke", "dashscope", "chat_model"),
    # langchain-community and the legacy re-exports
    ("langchain_community.chat_models", "ChatAnyscale", "model_name", "invoke", "anyscale", "chat_model"),
    ("langchain_community.chat_models", "ChatPremAI", "model", "invoke", "premai", "chat_model"),
    ("langchain_community.chat_models", "JinaChat", "model_name", "invoke", "jina", "chat_model"),
    ("langchain_community.chat_models", "ChatClovaX", "model", "invoke", "naver_clova", "chat_model"),
    ("langchain_community.embeddings", "JinaEmbeddings", "model_name", "embed_query", "jina", "embeddings_model"),
    ("langchain_community.embeddings", "HuggingFaceInferenceAPIEmbeddings", "model_name", "embed_query", "huggingface", "embeddings_model"),
    ("langchain_community.embeddings", "AzureOpenAIEmbeddings", "deployment", "embed_query", "azure_openai", "embeddings_model"),
    ("langchain_community.document_compressors", "JinaRerank", "model", "compress_documents", "jina", "rerank"),
    ("langchain.llms", "HuggingFaceHub", "repo_id", "predict", "huggingface", "llm"),
    ("langchain.embeddings", "HuggingFaceHubEmbeddings", "repo_id", "embed_query", "huggingface", "embeddings_model"),
    # LlamaIndex integration packages
    ("llama_index.llms.vertex", "Vertex", "model", "complete", "google", "llm"),
    ("llama_index.llms.together", "TogetherLLM", "model", "complete", "together", "llm"),
    ("llama_index.llms.fireworks", "Fireworks", "model", "chat", "fireworks", "llm"),
    ("llama_index.llms.zhipuai", "ZhipuAI", "model", "complete", "zhipuai", "llm"),
    ("llama_index.llms.nvidia", "NVIDIA", "model", "acomplete", "nvidia", "llm"),
    ("llama_index.llms.huggingface_api", "HuggingFaceInferenceAPI", "model_name", "complete", "huggingface", "llm"),
    ("llama_index.llms.openrouter", "OpenRouter", "model", "stream_complete", "openrouter", "llm"),
    ("llama_index.llms.cohere", "Cohere", "model", "complete", "cohere", "llm"),
    ("llama_index.embeddings.vertex", "VertexTextEmbedding", "model_name", "get_text_embedding", "google", "embeddings_model"),
    ("llama_index.embeddings.mistralai", "MistralAIEmbedding", "model_name", "get_query_embedding", "mistral", "embeddings_model"),
    ("llama_index.embeddings.together", "TogetherEmbedding", "model_name", "get_text_embedding", "together", "embeddings_model"),
    ("llama_index.embeddings.fireworks", "FireworksEmbedding", "model_name", "get_text_embedding", "fireworks", "embeddings_model"),
    ("llama_index.embeddings.dashscope", "DashScopeEmbedding", "model_name", "get_text_embedding", "dashscope", "embeddings_model"),
    ("llama_index.embeddings.zhipuai", "ZhipuAIEmbedding", "model", "get_text_embedding", "zhipuai", "embeddings_model"),
    ("llama_index.embeddings.nvidia", "NVIDIAEmbedding", "model", "get_text_embedding", "nvidia", "embeddings_model"),
    ("llama_index.embeddings.huggingface_api", "HuggingFaceInferenceAPIEmbedding", "model_name", "get_text_embedding", "huggingface", "embeddings_model"),
    ("llama_index.embeddings.litellm", "LiteLLMEmbedding", "model_name", "get_text_embedding", "litellm", "embeddings_model"),
    ("llama_index.embeddings.voyageai", "VoyageEmbedding", "model_name", "get_text_embedding_batch", "voyage", "embeddings_model"),
    ("llama_index.embeddings.jinaai", "JinaEmbedding", "model", "get_text_embedding", "jina", "embeddings_model"),
    ("llama_index.postprocessor.cohere_rerank", "CohereRerank", "model", "postprocess_nodes", "cohere", "rerank"),
    ("llama_index.postprocessor.nvidia_rerank", "NVIDIARerank", "model", "postprocess_nodes", "nvidia", "rerank"),
    ("llama_index.postprocessor.jinaai_rerank", "JinaRerank", "model", "apostprocess_nodes", "jina", "rerank"),
    # Haystack core integrations
    ("haystack_integrations.components.generators.ollama", "OllamaChatGenerator", "model", "run", "ollama", "chat_model"),
    ("haystack_integrations.components.generators.ollama", "OllamaGenerator", "model", "run", "ollama", "chat_model"),
    ("haystack_integrations.components.embedders.ollama", "OllamaTextEmbedder", "model", "run", "ollama", "embeddings_model"),
    ("haystack_integrations.components.generators.mistral", "MistralChatGenerator", "model", "run", "mistral", "chat_model"),
    ("haystack_integrations.components.embedders.mistral", "MistralDocumentEmbedder", "model", "run", "mistral", "embeddings_model"),
    ("haystack_integrations.components.generators.amazon_bedrock", "AmazonBedrockChatGenerator", "model", "run", "aws_bedrock", "chat_model"),
    ("haystack_integrations.components.generators.amazon_bedrock", "AmazonBedrockGenerator", "model", "run", "aws_bedrock", "chat_model"),
    ("haystack_integrations.components.embedders.amazon_bedrock", "AmazonBedrockTextEmbedder", "model", "run", "aws_bedrock", "embeddings_model"),
    ("haystack_integrations.components.rankers.amazon_bedrock", "AmazonBedrockRanker", "model", "run", "aws_bedrock", "rerank"),
    ("haystack_integrations.components.generators.nvidia", "NvidiaChatGenerator", "model", "run", "nvidia", "chat_model"),
    ("haystack_integrations.components.generators.nvidia", "NvidiaGenerator", "model", "run", "nvidia", "chat_model"),
    ("haystack_integrations.components.embedders.nvidia", "NvidiaDocumentEmbedder", "model", "run", "nvidia", "embeddings_model"),
    ("haystack_integrations.components.rankers.nvidia", "NvidiaRanker", "model", "run", "nvidia", "rerank"),
    ("haystack_integrations.components.generators.anthropic", "AnthropicVertexChatGenerator", "model", "run", "anthropic", "chat_model"),
    ("haystack_integrations.components.generators.google_ai", "GoogleAIGeminiChatGenerator", "model", "run_async", "google", "chat_model"),
    ("haystack_integrations.components.rankers.cohere", "CohereRanker", "model", "run", "cohere", "rerank"),
    ("haystack.components.embedders", "HuggingFaceAPITextEmbedder", "api_params", "run", "huggingface", "embeddings_model"),
]


@pytest.mark.parametrize("module,cls,kwarg,method,provider,api", ADDED,
                         ids=[f"{a[0].split('.')[0]}:{a[1]}.{a[3]}" for a in ADDED])
def test_a_catalogued_integration_binds_its_model_and_its_request_points_at_the_binding(
        tmp_path: Path, module: str, cls: str, kwarg: str, method: str, provider: str, api: str) -> None:
    assert_binds_and_asks(sites_of(tmp_path, one_class(module, cls, f"{kwarg}='m-1'", method)), provider, api, "m-1")


def test_a_default_model_is_read_when_none_is_given(tmp_path: Path) -> None:
    src = ("from llama_index.postprocessor.cohere_rerank import CohereRerank\n"
           "from haystack_integrations.components.embedders.ollama import OllamaTextEmbedder\n"
           "\n"
           "def rank(nodes, q):\n"
           "    OllamaTextEmbedder().run(text=q)\n"
           "    return CohereRerank(top_n=3).postprocess_nodes(nodes, query_str=q)\n")
    got = {(s.line, s.kind): (s.provider, s.model.value) for s in sites_of(tmp_path, src)}
    assert got[(5, "request")] == ("ollama", "nomic-embed-text")
    assert got[(6, "request")] == ("cohere", "rerank-english-v3.0")


@pytest.mark.parametrize("qual, provider", [
    ("langchain_sambanova.ChatSambaStudio", "sambanova"),
    ("langchain_sambanova.SambaNovaCloudEmbeddings", "sambanova"),
    ("langchain_qwq.ChatQwQ", "dashscope"),
    ("langchain_community.chat_models.ChatKonko", "konko"),
    ("langchain_community.chat_models.ChatFriendli", "friendli"),
    ("langchain_community.chat_models.ChatOctoAI", "octoai"),
    ("langchain_community.chat_models.ChatEdenAI", "edenai"),
    ("langchain_community.chat_models.ChatEverlyAI", "everlyai"),
    ("langchain_community.chat_models.ChatMaritalk", "maritalk"),
    ("langchain_community.embeddings.NLPCloudEmbeddings", "nlpcloud"),
    ("langchain_community.embeddings.VolcanoEmbeddings", "volcengine"),
    ("langchain_community.chat_models.ChatYi", "yi"),  # an entry of its own, unchanged
])
def test_the_family_names_the_provider_of_the_long_tail(qual: str, provider: str) -> None:
    con = CATALOG.constructors.get(qual)
    assert con is not None and con.provider == provider


def test_the_partner_embeddings_once_grouped_carry_their_own_provider() -> None:
    got = {q: CATALOG.constructors.get(q).provider for q in (
        "langchain_google_genai.GoogleGenerativeAIEmbeddings", "langchain_aws.BedrockEmbeddings",
        "langchain_mistralai.MistralAIEmbeddings", "langchain_cohere.CohereEmbeddings")}
    assert got == {"langchain_google_genai.GoogleGenerativeAIEmbeddings": "google",
                   "langchain_aws.BedrockEmbeddings": "aws_bedrock",
                   "langchain_mistralai.MistralAIEmbeddings": "mistral",
                   "langchain_cohere.CohereEmbeddings": "cohere"}


def test_a_reranker_method_on_a_chat_model_is_no_request(tmp_path: Path) -> None:
    # compress_documents / postprocess_nodes ask a reranking API only on a reranker (request_apis)
    src = ("from langchain_openai import ChatOpenAI\n"
           "from llama_index.llms.openai import OpenAI\n"
           "\n"
           "def squash(docs, nodes, q):\n"
           "    llm = ChatOpenAI(model='gpt-4o-mini')\n"
           "    llm.compress_documents(docs, q)\n"
           "    other = OpenAI(model='gpt-4o-mini')\n"
           "    return other.postprocess_nodes(nodes, query_str=q)\n")
    assert [(s.line, s.kind) for s in sites_of(tmp_path, src)] == [(5, "binding"), (7, "binding")]


def test_a_compression_retriever_reranks_through_its_compressor(tmp_path: Path) -> None:
    src = ("from langchain_cohere import CohereRerank\n"
           "from langchain_classic.retrievers import ContextualCompressionRetriever\n"
           "\n"
           "def search(retriever, q):\n"
           "    reranker = CohereRerank(model='rerank-v3.5', top_n=3)\n"
           "    wrapped = ContextualCompressionRetriever(base_compressor=reranker, base_retriever=retriever)\n"
           "    return wrapped.invoke(q)\n")
    binding, request = _binding_and_request(tmp_path, src)
    assert (request.line, request.provider, request.api, request.model.value) == (7, "cohere", "rerank", "rerank-v3.5")
    assert request.binding == binding.id


def test_a_compression_retriever_keeps_its_base_retriever_s_embedding(tmp_path: Path) -> None:
    # a compressor not followed (a parameter) still leaves the vector store's query embedding a request;
    # with a reranker too, the request holds both models
    src = ("from langchain_classic.retrievers import ContextualCompressionRetriever\n"
           "from langchain_cohere import CohereRerank\n"
           "from langchain_community.vectorstores import FAISS\n"
           "from langchain_openai import OpenAIEmbeddings\n"
           "\n"
           "def search(compressor, q, docs):\n"
           "    store = FAISS.from_texts(docs, OpenAIEmbeddings(model='text-embedding-3-small'))\n"
           "    wrapped = ContextualCompressionRetriever(base_compressor=compressor, base_retriever=store.as_retriever())\n"
           "    plain = wrapped.invoke(q)\n"
           "    both = ContextualCompressionRetriever(base_compressor=CohereRerank(model='rerank-v3.5'),\n"
           "                                          base_retriever=store.as_retriever())\n"
           "    return plain, both.invoke(q)\n")
    requests = {s.line: s for s in sites_of(tmp_path, src) if s.kind == "request"}
    assert (requests[9].provider, requests[9].api, requests[9].model.value) == \
        ("openai", "embeddings_model", "text-embedding-3-small")
    assert set(requests[12].alternatives) == {"cohere rerank-v3.5", "openai text-embedding-3-small"}


def test_chat_hugging_face_chats_through_the_endpoint_it_wraps(tmp_path: Path) -> None:
    src = ("from langchain_huggingface import ChatHuggingFace, HuggingFaceEndpoint\n"
           "\n"
           "def chat(q):\n"
           "    endpoint = HuggingFaceEndpoint(repo_id='HuggingFaceH4/zephyr-7b-beta', max_new_tokens=256)\n"
           "    model = ChatHuggingFace(llm=endpoint)\n"
           "    return model.with_structured_output(dict).invoke(q)\n")
    binding, request = _binding_and_request(tmp_path, src)
    assert (binding.line, request.line, request.provider) == (4, 6, "huggingface")
    assert request.model.value == "HuggingFaceH4/zephyr-7b-beta" and request.binding == binding.id


def test_chat_hugging_face_over_a_local_pipeline_or_an_unknown_model_is_silent(tmp_path: Path) -> None:
    # a HuggingFacePipeline runs in process; a model handed in is its callers' to say: no guess by the
    # receiver's name (`model.invoke`) either
    src = ("from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline\n"
           "\n"
           "def local(q):\n"
           "    pipe = HuggingFacePipeline.from_model_id(model_id='gpt2', task='text-generation')\n"
           "    model = ChatHuggingFace(llm=pipe)\n"
           "    return model.invoke(q)\n"
           "\n"
           "def handed(llm, q):\n"
           "    model = ChatHuggingFace(llm=llm)\n"
           "    return model.invoke(q)\n")
    assert [s for s in sites_of(tmp_path, src) if s.spends] == []


def test_a_hugging_face_endpoint_on_a_local_server_is_self_hosted(tmp_path: Path) -> None:
    src = ("from langchain_huggingface import HuggingFaceEndpoint\n"
           "\n"
           "def served(q):\n"
           "    tgi = HuggingFaceEndpoint(endpoint_url='http://localhost:8080/', max_new_tokens=64)\n"
           "    hosted = HuggingFaceEndpoint(repo_id='mistralai/Mistral-7B-Instruct-v0.3')\n"
           "    tgi.invoke(q)\n"
           "    return hosted.invoke(q)\n")
    got = {(s.line, s.kind): (s.self_hosted, s.model.value) for s in sites_of(tmp_path, src)}
    assert got == {(4, "binding"): (True, None), (5, "binding"): (False, "mistralai/Mistral-7B-Instruct-v0.3"),
                   (6, "request"): (True, None), (7, "request"): (False, "mistralai/Mistral-7B-Instruct-v0.3")}


def test_a_haystack_pipeline_holding_a_ranker_carries_it(tmp_path: Path) -> None:
    src = ("from haystack import Pipeline\n"
           "from haystack_integrations.components.rankers.cohere import CohereRanker\n"
           "\n"
           "def build(retriever, q):\n"
           "    p = Pipeline()\n"
           "    p.add_component('retriever', retriever)\n"
           "    p.add_component('ranker', CohereRanker(model='rerank-v3.5'))\n"
           "    return p.run({'retriever': {'query': q}, 'ranker': {'query': q}})\n")
    request = [s for s in sites_of(tmp_path, src) if s.kind == "request"]
    assert [(s.line, s.provider, s.model.value) for s in request] == [(8, "cohere", "rerank-v3.5")]


def test_a_project_class_named_like_an_integration_is_no_binding(tmp_path: Path) -> None:
    src = ("class CohereRerank:\n"
           "    def __init__(self, model):\n"
           "        self.model = model\n"
           "\n"
           "    def postprocess_nodes(self, nodes, query_str=None):\n"
           "        return sorted(nodes)\n"
           "\n"
           "def rank(nodes, q):\n"
           "    return CohereRerank(model='mine').postprocess_nodes(nodes, query_str=q)\n")
    assert sites_of(tmp_path, src) == []
