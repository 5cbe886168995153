"""The census of agent frameworks and LLM SDKs (2026-12-06): each framework's model constructor is a binding
with its model and provider, and a request on the object (or on an agent, task or generator holding it) is a
request site pointing at that binding. Covers the entries the census added: Langroid's agents (bound with
the model of the LLM config handed to them), AG2's
LLMConfig, agno's other model classes, Griptape's embedding drivers, Outlines, Semantic Kernel's other
services, autogen-ext's Azure AI client, the Portkey client and DashScope's model-name holders; and the
look-alikes that must stay silent (local engines, a config with no model, an endpoint the user deploys)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tokenlint import catalog
from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import sdk_pattern


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return result.sites


def _on(sites, line: int, kind: str):
    got = [s for s in sites if s.line == line and s.kind == kind]
    assert len(got) == 1, [(s.line, s.kind, s.provider) for s in sites]
    return got[0]


def _chosen(sites, binding_line: int, request_line: int) -> tuple:
    """(sdk, provider, model) of the binding on `binding_line`, which the request on `request_line` points at."""
    b, _r = _linked(sites, binding_line, request_line)
    return b.sdk, b.provider, b.model.value


def _silent(sites, *lines: int) -> bool:
    """Whether no site is on any of `lines` (the look-alikes of a fixture)."""
    return not [s for s in sites if s.line in lines]


def _linked(sites, binding_line: int, request_line: int):
    """The binding on `binding_line` and the request on `request_line`, which must point at it."""
    b, r = _on(sites, binding_line, "binding"), _on(sites, request_line, "request")
    assert r.binding == b.id or b.id in (r.bindings or ())
    return b, r


# ---- Langroid -----------------------------------------------------------------------------------

LANGROID = (
    "import langroid as lr\n"
    "import langroid.language_models as lm\n"
    "cfg = lm.OpenAIGPTConfig(chat_model='gpt-4.1-mini')\n"
    "az = lm.AzureConfig(deployment_name='prod-4o', chat_model='gpt-4o')\n"
    "def go(q):\n"
    "    agent = lr.ChatAgent(lr.ChatAgentConfig(llm=cfg))\n"
    "    agent.llm_response(q)\n"
    "    lr.Task(agent, interactive=False).run(q)\n"
    "    lm.OpenAIGPT(cfg).chat(q, max_tokens=50)\n"
    "    return lr.ChatAgent(lr.ChatAgentConfig(llm=az)).llm_response(q)\n"
)


def test_a_langroid_agent_or_model_object_is_the_binding_with_its_configs_model(tmp_path: Path) -> None:
    # (post14a: the agent-framework convention, as ADK `Agent(model=...)`: the agent binds, its config does not)
    sites = _sites(tmp_path, LANGROID)
    assert _chosen(sites, 6, 7) == ("langroid", "openai", "gpt-4.1-mini")
    r = _on(sites, 7, "request")
    assert r.model.value == "gpt-4.1-mini" and r.spends
    _linked(sites, 6, 8)  # the Task runs the agent: its request points at the agent's binding
    assert _chosen(sites, 9, 9) == ("langroid", "openai", "gpt-4.1-mini")  # OpenAIGPT(cfg).chat(...)
    az, _r = _linked(sites, 10, 10)
    assert (az.provider, az.model.value) == ("azure_openai", "prod-4o")
    # the LLM configs are no bindings of their own: the agents and the OpenAIGPT object are
    assert sorted(s.line for s in sites if s.kind == "binding") == [6, 9, 10]
    assert {s.constructor for s in sites if s.kind == "binding"} == {"ChatAgent", "OpenAIGPT"}


def test_a_langroid_agent_with_no_llm_binds_with_the_default_model(tmp_path: Path) -> None:
    src = ("import langroid as lr\n"
           "def go(q):\n"
           "    return lr.ChatAgent(lr.ChatAgentConfig(system_message='hi')).llm_response(q)\n")
    sites = _sites(tmp_path, src)
    b, r = _linked(sites, 3, 3)
    assert b.model.kind == "dynamic" and r.model.kind == "dynamic"


def test_a_langroid_project_subclass_and_a_doc_agent_bind_and_ingest_embeds(tmp_path: Path) -> None:
    src = ("import langroid as lr\n"
           "from langroid.agent.special import DocChatAgent, DocChatAgentConfig\n"
           "from langroid.language_models import OpenAIGPTConfig\n"
           "class Judge(lr.ChatAgent):\n"
           "    pass\n"
           "def go(q, paths):\n"
           "    cfg = OpenAIGPTConfig(chat_model='gpt-4o')\n"
           "    j = Judge(lr.ChatAgentConfig(llm=cfg))\n"
           "    j.llm_response(q)\n"
           "    d = DocChatAgent(DocChatAgentConfig(llm=cfg))\n"
           "    d.ingest_docs(paths)\n"
           "    return d.llm_response(q)\n")
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 8, 9) == ("langroid", "openai", "gpt-4o")
    assert _chosen(sites, 10, 12) == ("langroid", "openai", "gpt-4o")
    e = _on(sites, 11, "request")  # embeds with the agent's own embedding config, not its chat model
    assert e.api == "embeddings_model" and e.model.kind == "dynamic" and not e.binding
    assert _silent(sites, 7)


# ---- AG2 ----------------------------------------------------------------------------------------

def test_an_ag2_llm_config_object_is_the_binding_of_the_agent_handed_it(tmp_path: Path) -> None:
    src = ("from autogen import ConversableAgent, LLMConfig, UserProxyAgent\n"
           "cfg = LLMConfig(api_type='google', model='gemini-2.0-flash')\n"
           "agent = ConversableAgent('a', llm_config=cfg)\n"
           "user = UserProxyAgent('u', llm_config=False)\n"
           "async def go(q):\n"
           "    agent.run(message=q)\n"
           "    user.run(agent, message=q)\n"
           "    await agent.a_run(message=q)\n"
           "    user.run(message=q)\n")
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 2, 6) == ("ag2", "google", "gemini-2.0-flash")
    _linked(sites, 2, 7)
    assert _linked(sites, 2, 8)[1].is_async
    assert _silent(sites, 3, 4, 9)  # the agent wraps the config; a user proxy has no model


def test_an_ag2_agent_with_a_dict_llm_config_is_still_its_own_binding(tmp_path: Path) -> None:
    src = ("from autogen import AssistantAgent\n"
           "a = AssistantAgent('a', llm_config={'config_list': [{'model': 'gpt-4o'}]})\n"
           "def go(m):\n"
           "    return a.generate_reply(messages=m)\n")
    b, _r = _linked(_sites(tmp_path, src), 2, 4)
    assert (b.sdk, b.provider) == ("ag2", "autogen")


# ---- agno ---------------------------------------------------------------------------------------

AGNO = [
    ("together", "Together", "together"),
    ("deepinfra", "DeepInfra", "deepinfra"),
    ("fireworks", "Fireworks", "fireworks"),
    ("cerebras", "Cerebras", "cerebras"),
    ("cohere", "Cohere", "cohere"),
    ("dashscope", "DashScope", "dashscope"),
    ("huggingface", "HuggingFace", "huggingface"),
    ("ibm", "WatsonX", "ibm_watsonx"),
    ("nvidia", "Nvidia", "nvidia"),
    ("perplexity", "Perplexity", "perplexity"),
    ("sambanova", "Sambanova", "sambanova"),
    ("siliconflow", "Siliconflow", "siliconflow"),
    ("xai", "xAI", "xai"),
    ("moonshot", "MoonShot", "moonshot"),
    ("minimax", "MiniMax", "minimax"),
    ("azure", "AzureAIFoundry", "azure_ai"),
    ("meta", "Llama", "meta"),
    ("portkey", "Portkey", "portkey"),
]


@pytest.mark.parametrize("module,cls,provider", AGNO, ids=[a[1] for a in AGNO])
def test_an_agno_vendor_model_is_a_binding_its_agent_wraps(tmp_path: Path, module: str, cls: str, provider: str) -> None:
    src = (f"from agno.agent import Agent\n"
           f"from agno.models.{module} import {cls}\n"
           f"agent = Agent(model={cls}(id='some-model'))\n"
           f"def go(q):\n"
           f"    return agent.run(q)\n")
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 3, 5) == ("agno", provider, "some-model")
    assert _on(sites, 5, "request").provider == provider
    assert [s.line for s in sites if s.kind == "binding"] == [3]  # the agent wraps it: no OpenAI fallback


@pytest.mark.parametrize("module,cls,provider", [("together", "Together", "together"), ("aws.claude", "Claude", "aws_bedrock"),
                                                  ("cohere", "CohereChat", "cohere"), ("xai", "xAI", "xai")])
def test_a_phidata_vendor_model_is_a_binding_its_agent_wraps(tmp_path: Path, module: str, cls: str, provider: str) -> None:
    src = (f"from phi.agent import Agent\n"
           f"from phi.model.{module} import {cls}\n"
           f"agent = Agent(model={cls}())\n"
           f"def go(q):\n"
           f"    return agent.print_response(q)\n")
    sdk, got, model = _chosen(_sites(tmp_path, src), 3, 5)
    assert (sdk, got) == ("agno", provider) and model  # each has a default model


def test_an_agno_model_on_a_server_the_user_runs_is_that_server(tmp_path: Path) -> None:
    src = ("from agno.agent import Agent\n"
           "from agno.models.vllm import VLLM\n"
           "from agno.models.lmstudio import LMStudio\n"
           "a = Agent(model=VLLM(id='Qwen/Qwen2.5-7B-Instruct'))\n"
           "b = Agent(model=LMStudio())\n"
           "def go(q):\n"
           "    a.run(q)\n"
           "    return b.run(q)\n")
    sites = _sites(tmp_path, src)
    assert _linked(sites, 4, 7)[1].provider == "vllm"
    assert _linked(sites, 5, 8)[1].provider == "lm_studio"
    assert not [s for s in sites if s.provider == "openai"]


# ---- Griptape, Outlines, Semantic Kernel, autogen-ext --------------------------------------------

def test_griptape_hosted_embedding_drivers_bind_and_embed(tmp_path: Path) -> None:
    src = ("from griptape.drivers import OpenAiEmbeddingDriver, VoyageAiEmbeddingDriver, HuggingFaceHubEmbeddingDriver\n"
           "oa = OpenAiEmbeddingDriver()\n"
           "vo = VoyageAiEmbeddingDriver(model='voyage-3')\n"
           "hub = HuggingFaceHubEmbeddingDriver(model='m', api_token='t')\n"
           "def go(t):\n"
           "    oa.embed_text_artifact(t)\n"
           "    vo.embed(t)\n"
           "    return hub.embed_string(t)\n")
    sites = _sites(tmp_path, src)
    oa, r = _linked(sites, 2, 6)
    assert (oa.provider, oa.api, oa.model.value) == ("openai", "embeddings_model", "text-embedding-3-small")
    assert r.spends
    vo, _r = _linked(sites, 3, 7)
    assert (vo.provider, vo.model.value) == ("voyage", "voyage-3")
    assert _silent(sites, 4, 8)  # an endpoint the user deploys


def test_outlines_hosted_models_bind_and_their_local_engines_do_not(tmp_path: Path) -> None:
    src = ("import outlines\n"
           "from mistralai import Mistral\n"
           "m = outlines.from_mistral(Mistral(api_key='k'), 'mistral-large-latest')\n"
           "local = outlines.models.Transformers(None, None)\n"
           "cpp = outlines.models.LlamaCpp(None)\n"
           "def go(q):\n"
           "    outlines.Generator(m, int)(q)\n"
           "    local(q)\n"
           "    cpp(q)\n"
           "    return m.batch([q])\n")
    sites = _sites(tmp_path, src)
    assert _chosen(sites, 3, 7) == ("outlines", "mistral", "mistral-large-latest")
    _linked(sites, 3, 10)
    assert _silent(sites, 4, 5, 8, 9)


def test_semantic_kernel_embedding_services_and_the_autogen_azure_ai_client(tmp_path: Path) -> None:
    src = ("from semantic_kernel.connectors.ai.mistral_ai import MistralAITextEmbedding\n"
           "from semantic_kernel.connectors.ai.nvidia import NvidiaChatCompletion\n"
           "from autogen_ext.models.azure import AzureAIChatCompletionClient\n"
           "emb = MistralAITextEmbedding(ai_model_id='mistral-embed')\n"
           "nv = NvidiaChatCompletion(ai_model_id='meta/llama-3.1-8b-instruct')\n"
           "client = AzureAIChatCompletionClient(model='gpt-4o-mini', endpoint='e', credential=None, model_info={})\n"
           "async def go(t, history, settings):\n"
           "    await emb.generate_embeddings([t])\n"
           "    await nv.get_chat_message_content(history, settings)\n"
           "    return await client.create([t])\n")
    sites = _sites(tmp_path, src)
    assert _linked(sites, 4, 8)[0].provider == "mistral"
    assert _linked(sites, 5, 9)[0].provider == "nvidia"
    b, _r = _linked(sites, 6, 10)
    assert (b.provider, b.model.value) == ("azure_ai", "gpt-4o-mini")


def test_a_marvin_agent_chooses_its_model_by_a_pydantic_ai_string(tmp_path: Path) -> None:
    src = ("import marvin\n"
           "writer = marvin.Agent(name='Writer', model='anthropic:claude-3-5-haiku-latest')\n"
           "plain = marvin.Agent(name='Plain')\n"
           "async def go(t):\n"
           "    writer.run(t)\n"
           "    await writer.run_async(t)\n"
           "    return plain.say(t)\n")
    sites = _sites(tmp_path, src)
    b, _r = _linked(sites, 2, 5)
    assert (b.provider, b.model.value) == ("anthropic", "claude-3-5-haiku-latest")
    assert _linked(sites, 2, 6)[1].is_async
    assert _linked(sites, 3, 7)[1].model.kind in ("missing", "dynamic")  # Marvin's default, from the environment


def test_a_strands_agent_on_meta_llama_api(tmp_path: Path) -> None:
    src = ("from strands import Agent\n"
           "from strands.models.llamaapi import LlamaAPIModel\n"
           "agent = Agent(model=LlamaAPIModel(client_args={'api_key': 'k'}, model_id='Llama-3.3-70B-Instruct'))\n"
           "def go(q):\n"
           "    return agent(q)\n")
    b, r = _linked(_sites(tmp_path, src), 3, 5)
    assert (b.provider, b.model.value, r.provider) == ("meta", "Llama-3.3-70B-Instruct", "meta")


# ---- SDKs: Portkey, DashScope --------------------------------------------------------------------

def test_the_portkey_client_is_an_openai_shaped_client(tmp_path: Path) -> None:
    src = ("from portkey_ai import Portkey, AsyncPortkey\n"
           "pk = Portkey(api_key='k', virtual_key='v')\n"
           "apk = AsyncPortkey(api_key='k')\n"
           "async def go(m, t):\n"
           "    pk.chat.completions.create(model='gpt-4o', messages=m)\n"
           "    await apk.embeddings.create(model='text-embedding-3-small', input=[t])\n")
    sites = _sites(tmp_path, src)
    chat, emb = _on(sites, 5, "direct"), _on(sites, 6, "direct")
    assert (chat.api, chat.model.value) == ("chat.completions", "gpt-4o")
    assert (emb.api, emb.model.value, emb.is_async) == ("embeddings", "text-embedding-3-small", True)


def test_dashscope_model_name_holders_read_as_their_names(tmp_path: Path) -> None:
    src = ("from dashscope import Generation, TextEmbedding\n"
           "def go(m, t):\n"
           "    Generation.call(model=Generation.Models.qwen_turbo, messages=m)\n"
           "    return TextEmbedding.call(model=TextEmbedding.Models.text_embedding_v4, input=t)\n")
    sites = _sites(tmp_path, src)
    assert _on(sites, 3, "direct").model.value == "qwen-turbo"
    assert _on(sites, 4, "direct").model.value == "text-embedding-v4"


def test_a_project_class_named_like_a_census_model_is_no_binding(tmp_path: Path) -> None:
    src = ("class Together:\n"
           "    def __init__(self, id):\n"
           "        self.id = id\n"
           "    def run(self, q):\n"
           "        return q\n"
           "def go(q):\n"
           "    return Together(id='x').run(q)\n")
    assert _sites(tmp_path, src) == []


def test_the_prefilter_marks_files_of_the_census_packages() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    for src in (b"from portkey_ai import Portkey\n", b"from outlines import from_openai\n",
                b"import outlines\nm = outlines.from_anthropic(c, 'claude-3-5-haiku-latest')\n",
                b"import langroid.language_models as lm\n", b"from agno.models.together import Together\n",
                b"from griptape.drivers import OpenAiEmbeddingDriver\n"):
        assert pat.search(src), src


def test_every_census_entry_names_its_source_and_date() -> None:
    data = tomllib.loads((Path(catalog.__file__).parent / "frameworks.toml").read_text(encoding="utf-8"))
    sdks = {e["name"]: e for e in data["sdk"]}
    for name in ("langroid", "outlines", "agno", "griptape", "semantic_kernel", "ag2", "autogen"):
        assert sdks[name].get("source") and sdks[name].get("checked"), name
    frameworks = {e["name"]: e for e in data["framework"]}
    assert frameworks["outlines"]["source"] and frameworks["outlines"]["checked"] == "2026-12-06"
    enums = [e for e in data["enum"] if any(c.startswith("dashscope.") for c in e["classes"])]
    assert len(enums) == 2 and all(e["source"] and e["checked"] for e in enums)
