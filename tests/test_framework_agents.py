"""Agent frameworks on whole projects (per-expression cases: fixtures/resolver/frameworks/
pydantic_ai_agents.py, autogen_agents.py, smolagents_agents.py, agno_agents.py, haystack_components.py):
TKL101 at the agents' requests, an agent wrapping a model object linked to that model's binding, a
Haystack pipeline that adds itself or is grown in a loop, and the catalog entries' provenance."""

from __future__ import annotations

import json

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse

APP = {
    "app/__init__.py": "",
    "app/agents.py": (
        "from pydantic_ai import Agent\n"
        "from pydantic_ai.models.openai import OpenAIChatModel\n"
        "\n"
        "model = OpenAIChatModel(\"gpt-4.1-mini\")\n"
        "support = Agent(model, system_prompt=\"Be brief.\")\n"
    ),
    "app/faq.py": (
        "from app.agents import support\n"
        "\n"
        "\n"
        "def answer(q):\n"
        "    return support.run_sync(q, metadata={\"feature\": \"faq\"})\n"
        "\n"
        "\n"
        "async def summary(q):\n"
        "    return await support.run(q)\n"
    ),
}


def test_an_agent_wrapping_a_model_object_links_its_requests_to_the_model(tmp_path, run):
    root = make(tmp_path, APP)
    r = run(root, "inventory", "--no-cache", "--format", "json", ".")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    by_line = {(s["path"], s["line"]): s for s in data["call_sites"]}
    assert ("app/agents.py", 5) not in by_line  # the Agent wraps the model object: no binding of its own
    binding = by_line[("app/agents.py", 4)]
    assert (binding["kind"], binding["constructor"], binding["provider"]) == ("binding", "OpenAIChatModel", "openai")
    faq, summary = by_line[("app/faq.py", 5)], by_line[("app/faq.py", 9)]
    assert faq["kind"] == summary["kind"] == "request"
    assert faq["binding"] == summary["binding"] == binding["id"]
    assert faq["feature"] == "faq" and summary["bucket"] == "untagged"
    assert summary["model"]["value"] == "gpt-4.1-mini" and summary["async"] is True


def test_tkl101_reports_agent_requests_not_bindings(tmp_path, run):
    root = make(tmp_path, {"bot.py": (
        "from agno.agent import Agent\n"
        "from agno.models.openai import OpenAIChat\n"
        "from haystack.components.generators.chat import OpenAIChatGenerator\n"
        "\n"
        "agent = Agent(model=OpenAIChat(id=\"gpt-4.1\"))\n"
        "gen = OpenAIChatGenerator(model=\"gpt-4.1-mini\")\n"
        "\n"
        "\n"
        "def reply(q):\n"
        "    agent.print_response(q)\n"
        "    return gen.run(messages=q)\n"
    )})
    r = run(root, "check", "--no-cache", "--select", "TKL101", "--format", "json", ".")
    rows = sorted(f["location"]["row"] for f in json.loads(r.stdout))
    assert rows == [10, 11]


def test_a_pipeline_that_adds_itself_or_grows_in_a_loop_stays_bounded(tmp_path):
    root = make(tmp_path, {"pipes.py": (
        "from haystack import Pipeline\n"
        "from haystack.components.generators import OpenAIGenerator\n"
        "\n"
        "\n"
        "def build(n):\n"
        "    p = Pipeline()\n"
        "    p.add_component(\"self\", p)\n"
        "    for i in range(n):\n"
        "        p.add_component(f\"llm{i}\", OpenAIGenerator(model=\"gpt-4.1-mini\"))\n"
        "    return p.run({})\n"
        "\n"
        "\n"
        "def lonely():\n"
        "    q = Pipeline()\n"
        "    q.add_component(\"q\", q)\n"
        "    return q.run({})\n"
    )})
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    requests = [(s.line, s.api, s.model.value) for s in result.sites if s.kind == "request"]
    assert requests == [(10, "pipeline", "gpt-4.1-mini")]  # `lonely` holds no model: no request


def test_new_framework_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    names = {"pydantic_ai", "autogen", "smolagents", "agno", "haystack"}
    for key in ("framework", "sdk"):
        entries = [e for e in data[key] if e["name"] in names]
        assert {e["name"] for e in entries} == names
        assert all(e.get("source") and e.get("checked") for e in entries)
    cat = build_sdk_catalog()
    agent = cat.constructors.get("pydantic_ai.agent.Agent")
    assert agent.wraps_models and agent.provider_prefix and dict(agent.provider_names)["google-gla"] == "google"
    assert cat.collectors.get("haystack.core.pipeline.pipeline.Pipeline") == ("haystack", "pipeline")
    assert cat.frameworks["haystack"].collect["add_component"] == ("1", "instance")


# Strands Agents (per-expression cases: fixtures/resolver/frameworks/strands_agents.py). The package is
# named `strands`, a common word: a project's own `strands` package, or a project class named Agent, is
# never the framework.
STRANDS_APP = {
    "app/__init__.py": "",
    "app/factory.py": (
        "from strands import Agent\n"
        "from strands.models import BedrockModel\n"
        "\n"
        "\n"
        "def create_agent(model_id, prompt):\n"
        "    model = BedrockModel(region_name=\"us-east-1\", model_id=model_id)\n"
        "    return Agent(model=model, system_prompt=prompt)\n"
    ),
    "app/chat.py": (
        "from strands import Agent\n"
        "from app.factory import create_agent\n"
        "\n"
        "\n"
        "def run_agent(agent: Agent, messages):\n"
        "    return agent(messages)\n"
        "\n"
        "\n"
        "def chat(messages):\n"
        "    agent = create_agent(\"us.amazon.nova-pro-v1:0\", \"Be brief.\")\n"
        "    return agent(messages)\n"
    ),
}


def test_a_strands_agent_built_by_a_factory_links_its_requests_to_the_bedrock_model(tmp_path, run):
    root = make(tmp_path, STRANDS_APP)
    r = run(root, "inventory", "--no-cache", "--format", "json", ".")
    assert r.exit_code == 0, r.stderr
    by_line = {(s["path"], s["line"]): s for s in json.loads(r.stdout)["call_sites"]}
    assert ("app/factory.py", 7) not in by_line  # the Agent wraps the model object: no binding of its own
    binding = by_line[("app/factory.py", 6)]
    assert (binding["kind"], binding["constructor"], binding["provider"]) == ("binding", "BedrockModel", "aws_bedrock")
    typed, built = by_line[("app/chat.py", 6)], by_line[("app/chat.py", 11)]
    assert typed["kind"] == built["kind"] == "request" and typed["sdk"] == "strands"
    assert built["binding"] == binding["id"] and built["provider"] == "aws_bedrock"
    assert binding["model"]["kind"] == "parameter"  # chosen by the factory's caller


def test_a_project_package_named_strands_and_a_project_agent_class_are_not_the_framework(tmp_path, run):
    # a `src/` layout: the package is no folder at the root, so only the catalog's `local_first` tells
    # that `from strands import Agent` means the project's own package
    root = make(tmp_path, {
        "src/strands/__init__.py": "from strands.agent import Agent\n",
        "src/strands/agent.py": (
            "class Agent:\n"
            "    def __init__(self, model=None):\n"
            "        self.model = model\n"
            "\n"
            "    def __call__(self, text):\n"
            "        return text[::-1]\n"
            "\n"
            "    async def invoke_async(self, text):\n"
            "        return text\n"
        ),
        "src/strands/models.py": (
            "class BedrockModel:\n"
            "    def __init__(self, model_id=None):\n"
            "        self.model_id = model_id\n"
        ),
        "src/main.py": (
            "from strands import Agent\n"
            "from strands.models import BedrockModel\n"
            "\n"
            "\n"
            "async def weave(text):\n"
            "    agent = Agent(model=BedrockModel(model_id=\"dna-helix\"))\n"
            "    agent(text)\n"
            "    return await agent.invoke_async(text)\n"
        ),
        "src/rope.py": (
            "class Agent:\n"
            "    def __call__(self, text):\n"
            "        return text\n"
            "\n"
            "\n"
            "def twist(text):\n"
            "    return Agent()(text)\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    assert not result.sites


def test_strands_and_letta_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    fw = [e for e in data["framework"] if e["name"] == "strands"]
    assert fw and fw[0].get("source") and fw[0].get("checked")
    assert fw[0]["prefilter"] == "import" and fw[0]["local_first"]
    cat = build_sdk_catalog()
    agent = cat.constructors.get("strands.agent.agent.Agent")
    assert agent.wraps_models and agent.provider == "aws_bedrock" and agent.default_model
    assert cat.constructors.get("strands.models.bedrock.BedrockModel").model == ("model_id",)
    letta = cat.classes.get("letta_client.Letta")
    assert (letta.name, letta.provider) == ("letta", "letta")


def test_a_generic_agent_parametrized_by_its_types_is_the_same_constructor(tmp_path, run):
    root = make(tmp_path, {"bot.py": (
        "from typing import Any\n"
        "from pydantic_ai import Agent\n"
        "\n"
        "\n"
        "def answer(q):\n"
        "    agent = Agent[Any, str](model=\"openai:gpt-4o\")\n"
        "    return agent.run_sync(q)\n"
        "\n"
        "\n"
        "TABLE = {\"a\": Agent}\n"
        "other = TABLE[\"a\"]\n"
    )})
    r = run(root, "inventory", "--no-cache", "--format", "json", ".")
    assert r.exit_code == 0, r.stderr
    by_line = {s["line"]: s for s in json.loads(r.stdout)["call_sites"]}
    binding, request = by_line[6], by_line[7]
    assert (binding["kind"], binding["provider"], binding["model"]["value"]) == ("binding", "openai", "gpt-4o")
    assert request["kind"] == "request" and request["binding"] == binding["id"]
    assert set(by_line) == {6, 7}  # a dict lookup by key is no parametrized class


def test_a_pydantic_ai_model_asked_directly_is_a_request_and_an_http_request_is_not(tmp_path):
    """`model.request(...)` on a pydantic-ai `Model` (typed parameter, or built here with its model name)
    and `model.request_stream(...)` send one request of that model; `request` on an HTTP client is no
    request of a model and is not listed as an unresolved framework guess either (a generic name)."""
    from projects import analysed_sites, line_of

    source = (
        "import httpx\n"
        "from pydantic_ai.messages import ModelRequest\n"
        "from pydantic_ai.models import Model, ModelRequestParameters\n"
        "from pydantic_ai.models.openai import OpenAIChatModel\n"
        "\n"
        "\n"
        "async def summarize(messages, model: Model):\n"
        "    params = ModelRequestParameters(function_tools=[])\n"
        "    return await model.request([*messages, ModelRequest.user_text_prompt('Sum up')], None, params)  # typed\n"
        "\n"
        "\n"
        "async def stream(messages):\n"
        "    model = OpenAIChatModel('gpt-4o-mini')\n"
        "    async with model.request_stream(messages, None, ModelRequestParameters()) as s:  # built\n"
        "        async for event in s:\n"
        "            print(event)\n"
        "\n"
        "\n"
        "async def fetch(client: httpx.AsyncClient, other):\n"
        "    await other.request('GET', 'https://example.com/a')  # unknown\n"
        "    return await client.request('GET', 'https://example.com')  # http\n"
    )
    sites = analysed_sites(tmp_path, {"app.py": source})
    path = tmp_path / "app.py"
    got = {s.line: s for s in sites if s.kind != "binding"}
    typed, built = got[line_of(path, "# typed")], got[line_of(path, "# built")]
    assert (typed.kind, typed.is_async) == ("request", True)
    assert (built.kind, built.provider, built.model.value, built.stream) == ("request", "openai", "gpt-4o-mini", True)
    assert line_of(path, "# http") not in got and line_of(path, "# unknown") not in got
    result = analyse([tmp_path], Config(), root=tmp_path)
    assert not [u for u in result.unresolved if u.line == line_of(path, "# unknown")]
