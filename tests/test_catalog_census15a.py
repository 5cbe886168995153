"""The blind census of langchain-community's model registries (census15a, 2026-12-06): every name registered in
langchain-community 0.4.2's `chat_models`, `llms` and `embeddings` packages, decided from its source as a hosted
API (H: a binding with its provider and default model, its request pointing at it), a model server the user runs
over HTTP (S: the same, its provider one of the local providers, which bill no tokens), a class that runs a model
in process, a fake or a wrapper of a model handed to it (L: no site), or a class with an entry of its own from an
earlier census (E: kept). The table below is the census; the catalog must agree with it on the three import paths
users write: the registry, the class's own module, and the legacy `langchain.<registry>` re-export."""

from __future__ import annotations

from pathlib import Path

import pytest

from census import assert_binds_and_asks, one_class, own_class, sites_of

from tokenlint.catalog import build_sdk_catalog
from tokenlint.resolve.caps import local_providers

CATALOG = build_sdk_catalog()
API = {"chat_models": "chat_model", "llms": "llm", "embeddings": "embeddings_model"}
METHOD = {"chat_models": "invoke", "llms": "invoke", "embeddings": "embed_query"}

# (registry, class, module in the registry, decision, provider, default model); source: PyPI
# langchain-community==0.4.2 langchain_community/{chat_models,llms,embeddings}/__init__.py (`_module_lookup`,
# the `_import_*` functions) and each class's module
CENSUS = [
    ("chat_models", "ChatAnyscale", "anyscale", "H", "anyscale", "meta-llama/Meta-Llama-3-8B-Instruct"),
    ("chat_models", "ChatBaichuan", "baichuan", "E", None, None),
    ("chat_models", "ChatClovaX", "naver", "H", "naver_clova", "HCX-003"),
    ("chat_models", "ChatCoze", "coze", "H", "coze", None),
    ("chat_models", "ChatDeepInfra", "deepinfra", "H", "deepinfra", "meta-llama/Llama-2-70b-chat-hf"),
    ("chat_models", "ChatEdenAI", "edenai", "H", "edenai", None),
    ("chat_models", "ChatEverlyAI", "everlyai", "H", "everlyai", "meta-llama/Llama-2-7b-chat-hf"),
    ("chat_models", "ChatFriendli", "friendli", "H", "friendli", "meta-llama-3.1-8b-instruct"),
    ("chat_models", "ChatGooglePalm", "google_palm", "H", "google", "models/chat-bison-001"),
    ("chat_models", "ChatHunyuan", "hunyuan", "E", None, None),
    ("chat_models", "ChatJavelinAIGateway", "javelin_ai_gateway", "H", "javelin", None),
    ("chat_models", "ChatKinetica", "kinetica", "H", "kinetica", None),
    ("chat_models", "ChatKonko", "konko", "H", "konko", "meta-llama/Llama-2-13b-chat-hf"),
    ("chat_models", "ChatLlamaCpp", "llamacpp", "L", None, None),
    ("chat_models", "ChatMLX", "mlx", "L", None, None),
    ("chat_models", "ChatMLflowAIGateway", "mlflow_ai_gateway", "H", "mlflow", None),
    ("chat_models", "ChatMaritalk", "maritalk", "H", "maritalk", None),
    ("chat_models", "ChatMlflow", "mlflow", "H", "mlflow", None),
    ("chat_models", "ChatNebula", "symblai_nebula", "H", "symblai", None),
    ("chat_models", "ChatOCIGenAI", "oci_generative_ai", "E", None, None),
    ("chat_models", "ChatOCIModelDeployment", "oci_data_science", "H", "oci_data_science", "odsc-llm"),
    ("chat_models", "ChatOCIModelDeploymentTGI", "oci_data_science", "H", "oci_data_science", "odsc-llm"),
    ("chat_models", "ChatOCIModelDeploymentVLLM", "oci_data_science", "H", "oci_data_science", "odsc-llm"),
    ("chat_models", "ChatOctoAI", "octoai", "H", "octoai", "llama-2-13b-chat"),
    ("chat_models", "ChatOutlines", "outlines", "L", None, None),
    ("chat_models", "ChatPremAI", "premai", "H", "premai", None),
    ("chat_models", "ChatReka", "reka", "H", "reka", "reka-flash"),
    ("chat_models", "ChatSnowflakeCortex", "snowflake", "E", None, None),
    ("chat_models", "ChatSparkLLM", "sparkllm", "E", None, None),
    ("chat_models", "ChatTongyi", "tongyi", "E", None, None),
    ("chat_models", "ChatYandexGPT", "yandex", "H", "yandex", "yandexgpt-lite"),
    ("chat_models", "ChatYi", "yi", "E", None, None),
    ("chat_models", "ChatYuan2", "yuan2", "S", "yuan2", "yuan2"),
    ("chat_models", "ChatZhipuAI", "zhipuai", "E", None, None),
    ("chat_models", "ErnieBotChat", "ernie", "H", "qianfan", "ERNIE-Bot-turbo"),
    ("chat_models", "FakeListChatModel", "fake", "L", None, None),
    ("chat_models", "GPTRouter", "gpt_router", "H", "gpt_router", None),
    ("chat_models", "HumanInputChatModel", "human", "L", None, None),
    ("chat_models", "JinaChat", "jinachat", "H", "jina", None),  # the family's entry: no model field
    ("chat_models", "LlamaEdgeChatService", "llama_edge", "S", "llama_edge", None),
    ("chat_models", "MiniMaxChat", "minimax", "E", None, None),
    ("chat_models", "MoonshotChat", "moonshot", "E", None, None),
    ("chat_models", "PaiEasChatEndpoint", "pai_eas_endpoint", "H", "alibaba_pai", None),
    ("chat_models", "PromptLayerChatOpenAI", "promptlayer_openai", "H", "openai", "gpt-3.5-turbo"),
    ("chat_models", "QianfanChatEndpoint", "baidu_qianfan_endpoint", "E", None, None),
    ("chat_models", "VolcEngineMaasChat", "volcengine_maas", "H", "volcengine", "skylark-lite-public"),
    ("llms", "AI21", "ai21", "H", "ai21", "j2-jumbo-instruct"),
    ("llms", "AlephAlpha", "aleph_alpha", "H", "aleph_alpha", "luminous-base"),
    ("llms", "AmazonAPIGateway", "amazon_api_gateway", "H", "aws_api_gateway", None),
    ("llms", "Anthropic", "anthropic", "H", "anthropic", "claude-2"),
    ("llms", "Anyscale", "anyscale", "H", "anyscale", "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    ("llms", "Aphrodite", "aphrodite", "L", None, None),
    ("llms", "Arcee", "arcee", "H", "arcee", None),
    ("llms", "Aviary", "aviary", "S", "aviary", "amazon/LightGPT"),
    ("llms", "AzureMLOnlineEndpoint", "azureml_endpoint", "E", None, None),
    ("llms", "AzureOpenAI", "openai", "E", None, None),
    ("llms", "BaichuanLLM", "baichuan", "H", "baichuan", "Baichuan2-Turbo-192k"),
    ("llms", "Banana", "bananadev", "H", "banana", None),
    ("llms", "Beam", "beam", "H", "beam", None),
    ("llms", "Bedrock", "bedrock", "H", "aws_bedrock", None),
    ("llms", "BigdlLLM", "bigdl_llm", "L", None, None),
    ("llms", "CTransformers", "ctransformers", "L", None, None),
    ("llms", "CTranslate2", "ctranslate2", "L", None, None),
    ("llms", "CerebriumAI", "cerebriumai", "H", "cerebriumai", None),
    ("llms", "ChatGLM", "chatglm", "S", "chatglm", None),
    ("llms", "Clarifai", "clarifai", "H", "clarifai", None),
    ("llms", "Cohere", "cohere", "H", "cohere", None),
    ("llms", "Databricks", "databricks", "H", "databricks", None),
    ("llms", "DeepInfra", "deepinfra", "H", "deepinfra", "meta-llama/Meta-Llama-3-70B-Instruct"),
    ("llms", "DeepSparse", "deepsparse", "L", None, None),
    ("llms", "EdenAI", "edenai", "H", "edenai", None),
    ("llms", "FakeListLLM", "fake", "L", None, None),
    ("llms", "Fireworks", "fireworks", "H", "fireworks", "accounts/fireworks/models/llama-v2-7b-chat"),
    ("llms", "ForefrontAI", "forefrontai", "H", "forefrontai", None),
    ("llms", "Friendli", "friendli", "H", "friendli", "meta-llama-3.1-8b-instruct"),
    ("llms", "GPT4All", "gpt4all", "L", None, None),
    ("llms", "GigaChat", "gigachat", "E", None, None),
    ("llms", "GooglePalm", "google_palm", "H", "google", "models/text-bison-001"),
    ("llms", "GooseAI", "gooseai", "H", "gooseai", "gpt-neo-20b"),
    ("llms", "GradientLLM", "gradient_ai", "H", "gradient", None),
    ("llms", "HuggingFaceEndpoint", "huggingface_endpoint", "E", None, None),
    ("llms", "HuggingFaceHub", "huggingface_hub", "E", None, None),
    ("llms", "HuggingFacePipeline", "huggingface_pipeline", "L", None, None),
    ("llms", "HuggingFaceTextGenInference", "huggingface_text_gen_inference", "S", "tgi", None),
    ("llms", "HumanInputLLM", "human", "L", None, None),
    ("llms", "IpexLLM", "ipex_llm", "L", None, None),
    ("llms", "JavelinAIGateway", "javelin_ai_gateway", "H", "javelin", None),
    ("llms", "KoboldApiLLM", "koboldai", "S", "koboldai", None),
    ("llms", "Konko", "konko", "H", "konko", None),
    ("llms", "LlamaCpp", "llamacpp", "L", None, None),
    ("llms", "Llamafile", "llamafile", "L", None, None),
    ("llms", "MLXPipeline", "mlx_pipeline", "L", None, None),
    ("llms", "ManifestWrapper", "manifest", "L", None, None),
    ("llms", "Minimax", "minimax", "H", "minimax", "abab5.5-chat"),
    ("llms", "Mlflow", "mlflow", "H", "mlflow", None),
    ("llms", "MlflowAIGateway", "mlflow_ai_gateway", "H", "mlflow", None),
    ("llms", "Modal", "modal", "H", "modal", None),
    ("llms", "MosaicML", "mosaicml", "H", "mosaicml", None),
    ("llms", "NIBittensorLLM", "bittensor", "H", "bittensor", None),
    ("llms", "NLPCloud", "nlpcloud", "H", "nlpcloud", "finetuned-gpt-neox-20b"),
    ("llms", "Nebula", "symblai_nebula", "H", "symblai", None),
    ("llms", "OCIGenAI", "oci_generative_ai", "E", None, None),
    ("llms", "OCIModelDeploymentLLM", "oci_data_science_model_deployment_endpoint", "H", "oci_data_science", "odsc-llm"),
    ("llms", "OCIModelDeploymentTGI", "oci_data_science_model_deployment_endpoint", "H", "oci_data_science", "odsc-llm"),
    ("llms", "OCIModelDeploymentVLLM", "oci_data_science_model_deployment_endpoint", "H", "oci_data_science", "odsc-llm"),
    ("llms", "OctoAIEndpoint", "octoai_endpoint", "H", "octoai", "codellama-7b-instruct"),
    ("llms", "Ollama", "ollama", "S", "ollama", "llama2"),
    ("llms", "OpaquePrompts", "opaqueprompts", "L", None, None),
    ("llms", "OpenAI", "openai", "E", None, None),
    ("llms", "OpenAIChat", "openai", "H", "openai", "gpt-3.5-turbo"),
    ("llms", "OpenLLM", "openllm", "S", "openllm", None),
    ("llms", "OpenLM", "openlm", "H", "openlm", "gpt-3.5-turbo-instruct"),
    ("llms", "Outlines", "outlines", "L", None, None),
    ("llms", "PaiEasEndpoint", "pai_eas_endpoint", "H", "alibaba_pai", None),
    ("llms", "Petals", "petals", "L", None, None),
    ("llms", "PipelineAI", "pipelineai", "H", "pipelineai", None),
    ("llms", "Predibase", "predibase", "H", "predibase", None),
    ("llms", "PredictionGuard", "predictionguard", "H", "predictionguard", "Hermes-3-Llama-3.1-8B"),
    ("llms", "PromptLayerOpenAI", "promptlayer_openai", "H", "openai", "gpt-3.5-turbo-instruct"),
    ("llms", "PromptLayerOpenAIChat", "promptlayer_openai", "H", "openai", "gpt-3.5-turbo"),
    ("llms", "QianfanLLMEndpoint", "baidu_qianfan_endpoint", "E", None, None),
    ("llms", "RWKV", "rwkv", "L", None, None),
    ("llms", "Replicate", "replicate", "E", None, None),
    ("llms", "SagemakerEndpoint", "sagemaker_endpoint", "H", "aws_sagemaker", None),
    ("llms", "SambaNovaCloud", "sambanova", "H", "sambanova", "Meta-Llama-3.1-8B-Instruct"),
    ("llms", "SambaStudio", "sambanova", "H", "sambanova", None),
    ("llms", "SelfHostedHuggingFaceLLM", "self_hosted_hugging_face", "L", None, None),
    ("llms", "SelfHostedPipeline", "self_hosted", "L", None, None),
    ("llms", "SparkLLM", "sparkllm", "H", "spark", None),
    ("llms", "StochasticAI", "stochasticai", "H", "stochasticai", None),
    ("llms", "TextGen", "textgen", "S", "oobabooga", None),
    ("llms", "TitanTakeoff", "titan_takeoff", "S", "titan_takeoff", None),
    ("llms", "TitanTakeoffPro", "titan_takeoff", "S", "titan_takeoff", None),  # the registry's alias of TitanTakeoff
    ("llms", "Together", "together", "H", "together", None),
    ("llms", "Tongyi", "tongyi", "E", None, None),
    ("llms", "VLLM", "vllm", "L", None, None),
    ("llms", "VLLMOpenAI", "vllm", "S", "vllm", None),
    ("llms", "VertexAI", "vertexai", "H", "google", "text-bison"),
    ("llms", "VertexAIModelGarden", "vertexai", "H", "google", None),
    ("llms", "VolcEngineMaasLLM", "volcengine_maas", "H", "volcengine", "skylark-lite-public"),
    ("llms", "WatsonxLLM", "watsonxllm", "H", "ibm_watsonx", None),
    ("llms", "WeightOnlyQuantPipeline", "weight_only_quantization", "L", None, None),
    ("llms", "Writer", "writer", "H", "writer", "palmyra-x-003-instruct"),
    ("llms", "Xinference", "xinference", "S", "xinference", None),
    ("llms", "YandexGPT", "yandex", "H", "yandex", "yandexgpt-lite"),
    ("llms", "YiLLM", "yi", "H", "yi", "yi-large"),
    ("llms", "You", "you", "H", "you", "smart"),
    ("llms", "Yuan2", "yuan2", "S", "yuan2", None),
    ("embeddings", "AlephAlphaAsymmetricSemanticEmbedding", "aleph_alpha", "H", "aleph_alpha", "luminous-base"),
    ("embeddings", "AlephAlphaSymmetricSemanticEmbedding", "aleph_alpha", "H", "aleph_alpha", "luminous-base"),
    ("embeddings", "AnyscaleEmbeddings", "anyscale", "H", "anyscale", "thenlper/gte-large"),
    ("embeddings", "AscendEmbeddings", "ascend", "L", None, None),
    ("embeddings", "AwaEmbeddings", "awa", "L", None, None),
    ("embeddings", "AzureOpenAIEmbeddings", "azure_openai", "E", None, None),
    ("embeddings", "BaichuanTextEmbeddings", "baichuan", "H", "baichuan", "Baichuan-Text-Embedding"),
    ("embeddings", "BedrockEmbeddings", "bedrock", "H", "aws_bedrock", "amazon.titan-embed-text-v1"),
    ("embeddings", "BookendEmbeddings", "bookend", "H", "bookend", None),
    ("embeddings", "ClarifaiEmbeddings", "clarifai", "H", "clarifai", None),
    ("embeddings", "ClovaEmbeddings", "clova", "H", "naver_clova", "clir-emb-dolphin"),
    ("embeddings", "ClovaXEmbeddings", "naver", "H", "naver_clova", "clir-emb-dolphin"),
    ("embeddings", "CohereEmbeddings", "cohere", "H", "cohere", "embed-english-v2.0"),
    ("embeddings", "DashScopeEmbeddings", "dashscope", "E", None, None),
    ("embeddings", "DatabricksEmbeddings", "databricks", "H", "databricks", None),
    ("embeddings", "DeepInfraEmbeddings", "deepinfra", "H", "deepinfra", "sentence-transformers/clip-ViT-B-32"),
    ("embeddings", "DeterministicFakeEmbedding", "fake", "L", None, None),
    ("embeddings", "EdenAiEmbeddings", "edenai", "H", "edenai", None),
    ("embeddings", "ElasticsearchEmbeddings", "elasticsearch", "S", "elasticsearch", None),
    ("embeddings", "EmbaasEmbeddings", "embaas", "H", "embaas", "e5-large-v2"),
    ("embeddings", "ErnieEmbeddings", "ernie", "H", "qianfan", "ErnieBot-Embedding-V1"),
    ("embeddings", "FakeEmbeddings", "fake", "L", None, None),
    ("embeddings", "FastEmbedEmbeddings", "fastembed", "L", None, None),
    ("embeddings", "GPT4AllEmbeddings", "gpt4all", "L", None, None),
    ("embeddings", "GigaChatEmbeddings", "gigachat", "H", "gigachat", None),
    ("embeddings", "GooglePalmEmbeddings", "google_palm", "H", "google", "models/embedding-gecko-001"),
    ("embeddings", "GradientEmbeddings", "gradient_ai", "H", "gradient", None),
    ("embeddings", "HuggingFaceBgeEmbeddings", "huggingface", "L", None, None),
    ("embeddings", "HuggingFaceEmbeddings", "huggingface", "L", None, None),
    ("embeddings", "HuggingFaceHubEmbeddings", "huggingface_hub", "E", None, None),
    ("embeddings", "HuggingFaceInferenceAPIEmbeddings", "huggingface", "E", None, None),
    ("embeddings", "HuggingFaceInstructEmbeddings", "huggingface", "L", None, None),
    ("embeddings", "HunyuanEmbeddings", "hunyuan", "H", "hunyuan", None),
    ("embeddings", "InfinityEmbeddings", "infinity", "S", "infinity", None),
    ("embeddings", "InfinityEmbeddingsLocal", "infinity_local", "L", None, None),
    ("embeddings", "IpexLLMBgeEmbeddings", "ipex_llm", "L", None, None),
    ("embeddings", "JavelinAIGatewayEmbeddings", "javelin_ai_gateway", "H", "javelin", None),
    ("embeddings", "JinaEmbeddings", "jina", "H", "jina", "jina-embeddings-v2-base-en"),
    ("embeddings", "JohnSnowLabsEmbeddings", "johnsnowlabs", "L", None, None),
    ("embeddings", "LLMRailsEmbeddings", "llm_rails", "H", "llmrails", "embedding-english-v1"),
    ("embeddings", "LaserEmbeddings", "laser", "L", None, None),
    ("embeddings", "LlamaCppEmbeddings", "llamacpp", "L", None, None),
    ("embeddings", "LlamafileEmbeddings", "llamafile", "L", None, None),
    ("embeddings", "LocalAIEmbeddings", "localai", "S", "localai", "text-embedding-ada-002"),
    ("embeddings", "MiniMaxEmbeddings", "minimax", "H", "minimax", "embo-01"),
    ("embeddings", "MlflowAIGatewayEmbeddings", "mlflow_gateway", "H", "mlflow", None),
    ("embeddings", "MlflowCohereEmbeddings", "mlflow", "H", "mlflow", None),
    ("embeddings", "MlflowEmbeddings", "mlflow", "H", "mlflow", None),
    ("embeddings", "Model2vecEmbeddings", "model2vec", "L", None, None),
    ("embeddings", "ModelScopeEmbeddings", "modelscope_hub", "L", None, None),
    ("embeddings", "MosaicMLInstructorEmbeddings", "mosaicml", "H", "mosaicml", None),
    ("embeddings", "NLPCloudEmbeddings", "nlpcloud", "H", "nlpcloud", "paraphrase-multilingual-mpnet-base-v2"),
    ("embeddings", "NeMoEmbeddings", "nemo", "S", "nemo", "NV-Embed-QA-003"),
    ("embeddings", "OCIGenAIEmbeddings", "oci_generative_ai", "H", "oci", None),
    ("embeddings", "OVHCloudEmbeddings", "ovhcloud", "H", "ovhcloud", None),
    ("embeddings", "OctoAIEmbeddings", "octoai_embeddings", "H", "octoai", "thenlper/gte-large"),
    ("embeddings", "OllamaEmbeddings", "ollama", "E", None, None),
    ("embeddings", "OpenAIEmbeddings", "openai", "E", None, None),
    ("embeddings", "OpenVINOBgeEmbeddings", "openvino", "L", None, None),
    ("embeddings", "OpenVINOEmbeddings", "openvino", "L", None, None),
    ("embeddings", "OracleEmbeddings", "oracleai", "S", "oracle_db", None),
    ("embeddings", "PremAIEmbeddings", "premai", "H", "premai", None),
    ("embeddings", "QianfanEmbeddingsEndpoint", "baidu_qianfan_endpoint", "E", None, None),
    ("embeddings", "QuantizedBgeEmbeddings", "itrex", "L", None, None),
    ("embeddings", "QuantizedBiEncoderEmbeddings", "optimum_intel", "L", None, None),
    ("embeddings", "SagemakerEndpointEmbeddings", "sagemaker_endpoint", "H", "aws_sagemaker", None),
    ("embeddings", "SambaStudioEmbeddings", "sambanova", "H", "sambanova", None),
    ("embeddings", "SelfHostedEmbeddings", "self_hosted", "L", None, None),
    ("embeddings", "SelfHostedHuggingFaceEmbeddings", "self_hosted_hugging_face", "L", None, None),
    ("embeddings", "SelfHostedHuggingFaceInstructEmbeddings", "self_hosted_hugging_face", "L", None, None),
    ("embeddings", "SentenceTransformerEmbeddings", "sentence_transformer", "L", None, None),
    ("embeddings", "SolarEmbeddings", "solar", "H", "upstage", "embedding-query"),
    ("embeddings", "SpacyEmbeddings", "spacy_embeddings", "L", None, None),
    ("embeddings", "SparkLLMTextEmbeddings", "sparkllm", "H", "spark", "para"),
    ("embeddings", "TensorflowHubEmbeddings", "tensorflow_hub", "L", None, None),
    ("embeddings", "TextEmbedEmbeddings", "textembed", "S", "textembed", None),
    ("embeddings", "TitanTakeoffEmbed", "titan_takeoff", "S", "titan_takeoff", None),
    ("embeddings", "VertexAIEmbeddings", "vertexai", "E", None, None),
    ("embeddings", "VolcanoEmbeddings", "volcengine", "H", "volcengine", "bge-large-zh"),
    ("embeddings", "VoyageEmbeddings", "voyageai", "H", "voyage", None),
    ("embeddings", "XinferenceEmbeddings", "xinference", "S", "xinference", None),
    ("embeddings", "YandexGPTEmbeddings", "yandex", "H", "yandex", "text-search-query"),
    ("embeddings", "ZhipuAIEmbeddings", "zhipuai", "E", None, None),
]


def _paths(registry: str, cls: str, module: str) -> list[str]:
    return [f"langchain_community.{registry}.{cls}", f"langchain_community.{registry}.{module}.{cls}",
            f"langchain.{registry}.{cls}"]


def _id(row) -> str:
    return f"{row[0]}.{row[1]}"


def test_the_census_covers_each_registered_name_once() -> None:
    names = [(r, c) for r, c, *_ in CENSUS]
    assert len(names) == len(set(names)) == 46 + 102 + 83  # llms: 101 in __all__, and BigdlLLM, imported but not listed
    assert {d for *_, d, _p, _m in CENSUS} == {"H", "S", "L", "E"}


@pytest.mark.parametrize("row", [r for r in CENSUS if r[3] in "HS"], ids=_id)
def test_a_hosted_or_served_class_is_a_model_constructor_on_every_import_path(row) -> None:
    registry, cls, module, decision, provider, default = row
    for qual in _paths(registry, cls, module):
        con = CATALOG.constructors.get(qual)
        assert con is not None, qual
        assert (con.provider, con.api, con.default_model) == (provider, API[registry], default), qual
    assert (provider in local_providers()) == (decision == "S")


@pytest.mark.parametrize("row", [r for r in CENSUS if r[3] == "L"], ids=_id)
def test_a_local_fake_or_wrapping_class_is_no_model_constructor(row) -> None:
    registry, cls, module, *_ = row
    assert [q for q in _paths(registry, cls, module) if CATALOG.constructors.get(q) is not None] == []


# a sample per kind, written the ways users import them: (import module, class, model keyword, method, provider, api)
SAMPLE = [
    ("langchain_community.chat_models", "ChatDeepInfra", "model", "invoke", "deepinfra", "chat_model"),
    ("langchain_community.chat_models.anyscale", "ChatAnyscale", "model_name", "ainvoke", "anyscale", "chat_model"),
    ("langchain.chat_models", "ChatGooglePalm", "model_name", "invoke", "google", "chat_model"),
    ("langchain_community.chat_models", "ChatYandexGPT", "model_uri", "invoke", "yandex", "chat_model"),
    ("langchain_community.chat_models", "ChatMlflow", "endpoint", "invoke", "mlflow", "chat_model"),
    ("langchain_community.chat_models.javelin_ai_gateway", "ChatJavelinAIGateway", "route", "stream", "javelin", "chat_model"),
    ("langchain_community.chat_models", "ChatCoze", "bot_id", "invoke", "coze", "chat_model"),
    ("langchain_community.chat_models", "PromptLayerChatOpenAI", "model", "invoke", "openai", "chat_model"),
    ("langchain_community.chat_models", "ChatOCIModelDeploymentVLLM", "model", "invoke", "oci_data_science", "chat_model"),
    ("langchain_community.chat_models", "ChatYuan2", "model", "invoke", "yuan2", "chat_model"),
    ("langchain_community.chat_models", "LlamaEdgeChatService", "model", "invoke", "llama_edge", "chat_model"),
    ("langchain_community.llms", "Anthropic", "model", "invoke", "anthropic", "llm"),
    ("langchain.llms", "Cohere", "model", "predict", "cohere", "llm"),
    ("langchain_community.llms.bedrock", "Bedrock", "model_id", "invoke", "aws_bedrock", "llm"),
    ("langchain_community.llms", "SagemakerEndpoint", "endpoint_name", "invoke", "aws_sagemaker", "llm"),
    ("langchain_community.llms", "VertexAIModelGarden", "endpoint_id", "invoke", "google", "llm"),
    ("langchain_community.llms", "WatsonxLLM", "model_id", "invoke", "ibm_watsonx", "llm"),
    ("langchain_community.llms", "Banana", "model_key", "invoke", "banana", "llm"),
    ("langchain_community.llms", "PipelineAI", "pipeline_key", "invoke", "pipelineai", "llm"),
    ("langchain_community.llms", "Ollama", "model", "invoke", "ollama", "llm"),
    ("langchain_community.llms", "VLLMOpenAI", "model_name", "invoke", "vllm", "llm"),
    ("langchain_community.llms.huggingface_text_gen_inference", "HuggingFaceTextGenInference", "model", "invoke", "tgi", "llm"),
    ("langchain_community.llms", "ChatGLM", "model", "invoke", "chatglm", "llm"),
    ("langchain_community.llms", "Xinference", "model_uid", "invoke", "xinference", "llm"),
    ("langchain_community.embeddings", "BedrockEmbeddings", "model_id", "embed_documents", "aws_bedrock", "embeddings_model"),
    ("langchain_community.embeddings", "CohereEmbeddings", "model", "embed_query", "cohere", "embeddings_model"),
    ("langchain.embeddings", "JinaEmbeddings", "model_name", "embed_documents", "jina", "embeddings_model"),
    ("langchain_community.embeddings.minimax", "MiniMaxEmbeddings", "model", "embed_query", "minimax", "embeddings_model"),
    ("langchain_community.embeddings", "MlflowCohereEmbeddings", "endpoint", "embed_query", "mlflow", "embeddings_model"),
    ("langchain_community.embeddings", "YandexGPTEmbeddings", "model_name", "aembed_query", "yandex", "embeddings_model"),
    ("langchain_community.embeddings", "SparkLLMTextEmbeddings", "domain", "embed_query", "spark", "embeddings_model"),
    ("langchain_community.embeddings", "InfinityEmbeddings", "model", "embed_documents", "infinity", "embeddings_model"),
    ("langchain_community.embeddings", "NeMoEmbeddings", "model", "embed_query", "nemo", "embeddings_model"),
    ("langchain_community.embeddings", "LocalAIEmbeddings", "model", "embed_query", "localai", "embeddings_model"),
]


@pytest.mark.parametrize("module,cls,kwarg,method,provider,api", SAMPLE, ids=[f"{s[1]}.{s[3]}" for s in SAMPLE])
def test_the_constructor_binds_its_model_and_its_request_points_at_the_binding(
        tmp_path: Path, module: str, cls: str, kwarg: str, method: str, provider: str, api: str) -> None:
    src = one_class(module, cls, f"{kwarg}='m-1'", method, is_async=True)
    assert_binds_and_asks(sites_of(tmp_path, src), provider, api, "m-1")


def test_a_default_model_is_read_when_none_is_given(tmp_path: Path) -> None:
    src = ("from langchain_community.chat_models import ChatKonko\n"
           "from langchain_community.llms import Anthropic\n"
           "from langchain_community.embeddings import BedrockEmbeddings\n"
           "\n"
           "def ask(q):\n"
           "    ChatKonko().invoke(q)\n"
           "    Anthropic().invoke(q)\n"
           "    return BedrockEmbeddings().embed_query(q)\n")
    got = {s.line: (s.provider, s.model.value) for s in sites_of(tmp_path, src) if s.kind == "request"}
    assert got == {6: ("konko", "meta-llama/Llama-2-13b-chat-hf"), 7: ("anthropic", "claude-2"),
                   8: ("aws_bedrock", "amazon.titan-embed-text-v1")}


def test_local_fake_and_wrapping_classes_are_silent(tmp_path: Path) -> None:
    made = ["Aphrodite(model='m')", "BigdlLLM()", "Petals(model_name='bigscience/bloom')", "LlamaCpp(model_path='x')",
            "VLLM(model='m')", "OpaquePrompts(base_llm=base)", "FakeListLLM(responses=['a'])", "ChatMLX(llm=base)",
            "FakeListChatModel(responses=['a'])", "HumanInputChatModel()"]
    embedders = ["AwaEmbeddings()", "JohnSnowLabsEmbeddings()", "ModelScopeEmbeddings(model_id='m')",
                 "HuggingFaceEmbeddings(model_name='m')", "FastEmbedEmbeddings()", "FakeEmbeddings(size=3)",
                 "SelfHostedHuggingFaceEmbeddings(model_id='m')"]
    src = ("from langchain_community.llms import Aphrodite, BigdlLLM, Petals, LlamaCpp, VLLM, OpaquePrompts\n"
           "from langchain_community.llms.fake import FakeListLLM\n"
           "from langchain_community.chat_models import ChatMLX, FakeListChatModel, HumanInputChatModel\n"
           "from langchain_community.embeddings import (AwaEmbeddings, JohnSnowLabsEmbeddings, ModelScopeEmbeddings,\n"
           "    HuggingFaceEmbeddings, FastEmbedEmbeddings, FakeEmbeddings, SelfHostedHuggingFaceEmbeddings)\n"
           "\n"
           "def run(q, base):\n"
           + "".join(f"    m{i} = {call}\n    m{i}.invoke(q)\n" for i, call in enumerate(made))
           + "".join(f"    e{i} = {call}\n    e{i}.embed_query(q)\n" for i, call in enumerate(embedders)))
    assert [(s.line, s.kind, s.provider) for s in sites_of(tmp_path, src)] == []


def test_a_project_class_named_like_a_community_model_is_no_binding(tmp_path: Path) -> None:
    assert sites_of(tmp_path, own_class("Anthropic", "invoke")) == []
