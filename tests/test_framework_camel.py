"""CAMEL (camel-ai) on whole projects (the per-expression cases: fixtures/resolver/frameworks/camel_agents.py
and fixtures/resolver/lookalikes/camel_lookalikes.py): models made by `ModelFactory.create` in one module
and handed to ChatAgents and a Workforce in another, library enum members read through a module alias and
a re-export, a member the catalog does not know, a project package named `camel`'s way; and the
catalog entries' provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse

APP = {
    "crew/__init__.py": "",
    "crew/models.py": (
        "from camel.models import ModelFactory\n"
        "from camel.types import ModelPlatformType, enums\n"
        "\n"
        "\n"
        "def reasoning_model():\n"
        "    return ModelFactory.create(\n"
        "        model_platform=ModelPlatformType.DEEPSEEK,\n"
        "        model_type=enums.ModelType.DEEPSEEK_REASONER,\n"
        "    )\n"
        "\n"
        "\n"
        "def fallback_model():\n"
        "    return ModelFactory.create(ModelPlatformType.OPENAI, enums.ModelType.DEFAULT)\n"
    ),
    "crew/team.py": (
        "from camel.agents import ChatAgent\n"
        "from camel.societies.workforce import Workforce\n"
        "\n"
        "from crew.models import fallback_model, reasoning_model\n"
        "\n"
        "\n"
        "def build():\n"
        "    team = Workforce(\"team\", task_agent=ChatAgent(\"Split tasks.\", model=reasoning_model()))\n"
        "    return team\n"
        "\n"
        "\n"
        "def ask(question):\n"
        "    agent = ChatAgent(\"Answer.\", fallback_model())\n"
        "    return agent.step(question)\n"
    ),
    "crew/run.py": (
        "from crew.team import build\n"
        "\n"
        "\n"
        "def main(task):\n"
        "    return build().process_task(task)\n"
    ),
}


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


def test_models_built_in_one_module_are_run_by_agents_and_a_workforce_in_another(tmp_path):
    sites = _sites(make(tmp_path, APP))
    reasoning, fallback = sites[("crew/models.py", 6)], sites[("crew/models.py", 13)]
    assert (reasoning.kind, reasoning.sdk, reasoning.provider, reasoning.model.value) == \
        ("binding", "camel", "deepseek", "deepseek-reasoner")
    # `ModelType.DEFAULT` comes from an environment variable in camel-ai: not catalogued, so no model is claimed
    assert (fallback.provider, fallback.model.value) == ("openai", None)
    ask = sites[("crew/team.py", 14)]
    assert (ask.kind, ask.sdk, ask.bindings) == ("request", "camel", (fallback.id,))
    solve = sites[("crew/run.py", 5)]
    assert (solve.kind, solve.sdk, solve.bindings) == ("request", "camel", (reasoning.id,))
    assert set(sites) == {("crew/models.py", 6), ("crew/models.py", 13), ("crew/team.py", 14), ("crew/run.py", 5)}


def test_a_project_package_named_camel_is_not_the_framework(tmp_path):
    sites = _sites(make(tmp_path, {
        "camel/__init__.py": "",
        "camel/models.py": (
            "class ModelFactory:\n"
            "    @staticmethod\n"
            "    def create(model_platform, model_type):\n"
            "        return {\"platform\": model_platform, \"type\": model_type}\n"
        ),
        "main.py": (
            "from camel.models import ModelFactory\n"
            "\n"
            "model = ModelFactory.create(\"openai\", \"gpt-4o\")\n"
            "model.step(\"hi\")\n"
        ),
    }))
    assert sites == {}


def test_camel_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for key in ("framework", "sdk"):
        entries = [e for e in data[key] if e["name"] == "camel"]
        assert len(entries) == 1 and entries[0].get("source") and entries[0].get("checked")
    assert all(e.get("source") and e.get("checked") and e.get("members") for e in data["enum"])
    cat = build_sdk_catalog()
    con = cat.constructors.get("camel.models.model_factory.ModelFactory.create")
    assert (con.sdk, con.provider_kwarg, con.provider_position, con.model_position) == ("camel", "model_platform", 0, 1)
    # a member is found through the defining module and a re-export alike
    assert cat.enum_members.get("camel.types.enums.ModelPlatformType")["GEMINI"] == "gemini"
    assert cat.enum_members.get("camel.types.ModelType")["GPT_4O_MINI"] == "gpt-4o-mini"
    assert cat.enum_members.get("enum.ModelType") is None
