"""Libraries seen uncatalogued in round 11 (2026-12-06): LlamaIndex's OpenAIResponses and its structured
LLMs, the anthropic<0.3 client, LightRAG's helper functions, crawl4ai's LLMExtractionStrategy, PaperQA's Docs
and Opik's LLM-judge metrics; and the look-alikes that must stay silent (a project function of the same name,
a config that is no binding, heuristic metrics)."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _linked, _on, _sites  # the census tests' fixture helpers


# ---- LlamaIndex ---------------------------------------------------------------------------------

def test_a_structured_llm_over_openai_responses_asks_that_model(tmp_path: Path) -> None:
    src = ("import os\n"
           "from llama_index.llms.openai import OpenAIResponses\n"
           "from llama_index.core.llms.structured_llm import StructuredLLM\n"
           "if os.getenv('OPENAI_API_KEY'):\n"
           "    LLM = OpenAIResponses(model='gpt-4.1')\n"
           "    STRUCT = LLM.as_structured_llm(dict)\n"
           "async def go(messages):\n"
           "    return await STRUCT.achat(messages=messages)\n"
           "class Holder:\n"
           "    llm: StructuredLLM\n"
           "    async def run(self, messages):\n"
           "        return await self.llm.achat(messages)\n"
           "    def shape(self):\n"
           "        return self.llm.output_cls\n")
    sites = _sites(tmp_path, src)
    b, r = _linked(sites, 5, 8)
    assert (b.provider, b.model.value, r.is_async) == ("openai", "gpt-4.1", True)
    held = _on(sites, 12, "request")  # a field declared StructuredLLM holds a model object
    assert held.api == "llm"
    assert not [s for s in sites if s.line in (6, 14)]  # building it, reading its output class


# ---- anthropic < 0.3 ----------------------------------------------------------------------------

LEGACY_ANTHROPIC = ("import anthropic\n"
                    "class Backend:\n"
                    "    def __init__(self, key):\n"
                    "        self.client = anthropic.Client(key)\n"
                    "    def get(self, prompt):\n"
                    "        return self.client.completion(prompt=prompt, model='claude-v1', max_tokens_to_sample=9)\n"
                    "async def go(prompt):\n"
                    "    return await anthropic.Client('k').acompletion(prompt=prompt, model='claude-v1')\n"
                    "def not_a_request(prompt):\n"
                    "    return anthropic.Client('k').count_tokens(prompt)\n")


def test_the_legacy_anthropic_client_completion_is_a_request(tmp_path: Path) -> None:
    sites = _sites(tmp_path, LEGACY_ANTHROPIC)
    s = _on(sites, 6, "direct")
    assert (s.provider, s.api, s.model.value) == ("anthropic", "completions", "claude-v1")
    assert _on(sites, 8, "direct").is_async
    assert not [x for x in sites if x.line == 10]


def test_a_project_requiring_anthropic_0_3_never_runs_the_legacy_completion(tmp_path: Path) -> None:
    # kept, but marked removed (not judged), as the openai<1 module API is (tokenlint/pins.py)
    assert _on(_sites(tmp_path, LEGACY_ANTHROPIC), 6, "direct").removed is None
    (tmp_path / "requirements.txt").write_text("anthropic>=0.3.0\n", encoding="utf-8")
    sites = _sites(tmp_path, LEGACY_ANTHROPIC)
    assert "anthropic>=0.3.0" in _on(sites, 6, "direct").removed and _on(sites, 8, "direct").removed


# ---- LightRAG's helper functions ----------------------------------------------------------------

def test_lightrag_helpers_called_by_the_project_are_requests(tmp_path: Path) -> None:
    src = ("from lightrag.llm.openai import openai_complete_if_cache, openai_embed\n"
           "from lightrag.utils import EmbeddingFunc\n"
           "async def llm(prompt, system_prompt=None, **kw):\n"
           "    return await openai_complete_if_cache('gpt-4o-mini', prompt, system_prompt=system_prompt, **kw)\n"
           "def embedder(name, host):\n"
           "    from lightrag.llm.ollama import ollama_embed\n"
           "    return EmbeddingFunc(embedding_dim=768, func=lambda t: ollama_embed(t, embed_model=name, host=host))\n"
           "async def vectors(texts):\n"
           "    return await openai_embed(texts, model='text-embedding-3-large')\n"
           "def own():\n"
           "    def openai_embed(texts):\n"
           "        return texts\n"
           "    return openai_embed(['a'])\n")
    sites = _sites(tmp_path, src)
    c = _on(sites, 4, "request")
    assert (c.provider, c.api, c.model.value, c.is_async) == ("openai", "chat.completions", "gpt-4o-mini", True)
    o = _on(sites, 7, "request")
    assert (o.provider, o.api, o.model.kind) == ("ollama", "embeddings", "parameter")
    assert _on(sites, 9, "request").model.value == "text-embedding-3-large"
    assert not [s for s in sites if s.line == 13]  # the project's own function of the same name


# ---- crawl4ai -----------------------------------------------------------------------------------

def test_a_crawl4ai_llm_extraction_strategy_is_the_binding(tmp_path: Path) -> None:
    src = ("import os\n"
           "from crawl4ai import LLMConfig\n"
           "from crawl4ai.extraction_strategy import LLMExtractionStrategy, JsonCssExtractionStrategy\n"
           "def old_style(instruction):\n"
           "    return LLMExtractionStrategy(provider='openrouter/google/gemini-2.0-flash-lite-001', instruction=instruction)\n"
           "def new_style(html):\n"
           "    cfg = LLMConfig(provider='openai/gpt-4o-mini', api_token='env:OPENAI_API_KEY')\n"
           "    s = LLMExtractionStrategy(llm_config=cfg, instruction='x')\n"
           "    return s.extract('u', 0, html)\n"
           "def default():\n"
           "    return LLMExtractionStrategy(instruction='x'), JsonCssExtractionStrategy(schema={})\n")
    sites = _sites(tmp_path, src)
    assert _on(sites, 5, "binding").model.value == "openrouter/google/gemini-2.0-flash-lite-001"
    b, _r = _linked(sites, 8, 9)  # the strategy binds with its config's model; the config is no binding
    assert (b.provider, b.model.value) == ("litellm", "openai/gpt-4o-mini")
    assert not [s for s in sites if s.line == 7]
    d = _on(sites, 11, "binding")  # crawl4ai's default provider (it changed between releases)
    assert d.model.kind == "dynamic"


# ---- PaperQA ------------------------------------------------------------------------------------

def test_paperqa_docs_add_embeds_and_query_asks_its_llm(tmp_path: Path) -> None:
    src = ("import paperqa\n"
           "from paperqa import Docs\n"
           "from langchain_openai import ChatOpenAI\n"
           "def answer(paths, q):\n"
           "    llm = ChatOpenAI(model='gpt-4o')\n"
           "    docs = paperqa.Docs(llm=llm, summary_llm=llm)\n"
           "    for p in paths:\n"
           "        docs.add(p, 'citation')\n"
           "    return docs.query(q, k=5).formatted_answer\n"
           "async def five(q):\n"
           "    docs = Docs()\n"
           "    await docs.aadd('a.pdf')\n"
           "    return await docs.aquery(q)\n"
           "def not_docs(s):\n"
           "    s.add(1)\n"
           "    return s.query('x')\n")
    sites = _sites(tmp_path, src)
    e = _on(sites, 8, "request")
    assert (e.api, e.model.kind, e.in_loop) == ("embeddings_model", "dynamic", True)
    _b, q = _linked(sites, 5, 9)  # the Docs runs the LangChain model handed to it
    assert q.model.value == "gpt-4o"
    assert _on(sites, 12, "request").is_async and _on(sites, 13, "request").model.kind == "dynamic"
    assert not [s for s in sites if s.line in (6, 11, 15, 16)]


# ---- SageMaker's HuggingFacePredictor -----------------------------------------------------------

def test_a_hugging_face_predictor_asking_an_llm_is_a_sagemaker_request(tmp_path: Path) -> None:
    src = ("from sagemaker.huggingface import HuggingFacePredictor\n"
           "def go(messages, rows):\n"
           "    p = HuggingFacePredictor('llm-twin-endpoint')\n"
           "    p.predict(data={'inputs': messages, 'parameters': {'max_new_tokens': 100}})\n"
           "    return p.predict(data=rows)\n")
    sites = _sites(tmp_path, src)
    s = _on(sites, 4, "direct")
    assert (s.provider, s.api, s.model.value, s.confidence) == ("aws_sagemaker", "inference", "llm-twin-endpoint",
                                                                "resolved")
    # a payload that shows no LLM request (as invoke_endpoint): a paid endpoint all the same, "inferred"
    assert _on(sites, 5, "direct").confidence == "inferred"


# ---- Opik ---------------------------------------------------------------------------------------

def test_opik_evaluate_with_an_llm_judge_metric_is_a_request_and_heuristics_alone_are_not(tmp_path: Path) -> None:
    src = ("from opik.evaluation import evaluate\n"
           "from opik.evaluation.metrics import Hallucination, LevenshteinRatio, base_metric\n"
           "from opik.evaluation.models import litellm_chat_model\n"
           "class Style(base_metric.BaseMetric):\n"
           "    def __init__(self, model_name='gpt-4o-mini'):\n"
           "        self.llm_client = litellm_chat_model.LiteLLMChatModel(model_name=model_name)\n"
           "    def score(self, input, output, **kw):\n"
           "        return self.llm_client.generate_string(input=input)\n"
           "def judged(dataset, task):\n"
           "    metrics = [LevenshteinRatio(), Hallucination()]\n"
           "    evaluate(dataset=dataset, task=task, scoring_metrics=metrics)\n"
           "def heuristic(dataset, task):\n"
           "    evaluate(dataset=dataset, task=task, scoring_metrics=[LevenshteinRatio()])\n"
           "def one(o):\n"
           "    return Hallucination().score(input='a', output=o)\n")
    sites = _sites(tmp_path, src)
    b, r = _linked(sites, 6, 8)
    assert (b.provider, b.model.value) == ("litellm", "gpt-4o-mini")
    assert _on(sites, 11, "request").sdk == "opik"
    assert _on(sites, 15, "request").sdk == "opik"
    assert not [s for s in sites if s.line in (10, 13)]  # building metrics; heuristic metrics only


def test_a_hugging_face_model_deployed_gives_a_predictor_whose_predict_is_the_request(tmp_path: Path) -> None:
    src = ("from sagemaker.huggingface import HuggingFaceModel\n"
           "def serve(role, prompt):\n"
           "    hub = HuggingFaceModel(role=role, env={'HF_MODEL_ID': 'some/llm'}, transformers_version='4.37')\n"
           "    predictor = hub.deploy(initial_instance_count=1, instance_type='ml.g5.2xlarge', endpoint_name='chat-ep')\n"
           "    predictor.predict({'inputs': prompt, 'parameters': {'max_new_tokens': 64}})\n"
           "    return predictor.predict(prompt)\n")
    sites = _sites(tmp_path, src)
    s = _on(sites, 5, "direct")
    assert (s.provider, s.api, s.spends) == ("aws_sagemaker", "inference", True)
    assert not _on(sites, 4, "direct").spends  # deploying creates the endpoint: no tokens spent
    assert not [x for x in sites if x.line == 3]  # building the model
    assert _on(sites, 6, "direct").confidence == "inferred"  # a payload showing no LLM request: a paid endpoint
