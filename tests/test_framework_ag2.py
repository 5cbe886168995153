"""AutoGen 0.2 / AG2 on whole projects (the per-expression cases: fixtures/resolver/frameworks/ag2_agents.py
and fixtures/resolver/lookalikes/ag2_lookalikes.py): an `llm_config` handed through a `**kwargs` dict built
beside the call makes a binding, one the function only passes on does not; an agent built in one module
answers an `initiate_chat` in another; and the catalog entries' provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


def test_an_llm_config_in_a_kwargs_dict_built_here_makes_a_binding_one_passed_on_does_not(tmp_path):
    sites = _sites(make(tmp_path, {
        "team/__init__.py": "",
        "team/agents.py": (
            "import autogen\n"
            "\n"
            "\n"
            "def planner(config_list):\n"
            "    options = {\"llm_config\": {\"config_list\": config_list}, \"human_input_mode\": \"NEVER\"}\n"
            "    return autogen.AssistantAgent(\"planner\", **options)\n"
            "\n"
            "\n"
            "def proxy(**kwargs):\n"
            "    return autogen.UserProxyAgent(\"user\", **kwargs)\n"
        ),
        "team/run.py": (
            "from team.agents import planner, proxy\n"
            "\n"
            "\n"
            "def main(config_list, task):\n"
            "    user = proxy(code_execution_config=False)\n"
            "    lead = planner(config_list)\n"
            "    user.initiate_chat(lead, message=task)\n"
        ),
    }))
    binding, request = sites[("team/agents.py", 6)], sites[("team/run.py", 7)]
    assert (binding.kind, binding.sdk) == ("binding", "ag2")
    assert (request.kind, request.sdk, request.bindings) == ("request", "ag2", (binding.id,))
    # `planner(...)` is a call of a function returning a binding (a wrapper, no spend); `proxy(...)` none
    assert sites[("team/run.py", 6)].kind == "wrapper"
    assert set(sites) == {("team/agents.py", 6), ("team/run.py", 6), ("team/run.py", 7)}


def test_ag2_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    for key in ("framework", "sdk"):
        entries = [e for e in data[key] if e["name"] == "ag2"]
        assert len(entries) == 1 and entries[0].get("source") and entries[0].get("checked")
    cat = build_sdk_catalog()
    con = cat.constructors.get("autogen.agentchat.assistant_agent.AssistantAgent")
    assert (con.sdk, con.model, con.model_needed) == ("ag2", ("llm_config",), True)
    assert cat.frameworks["ag2"].request_args["a_initiate_chat"] == ("0", "recipient")
    # AutoGen 0.4's packages stay the "autogen" framework's
    assert cat.constructors.get("autogen_agentchat.agents.AssistantAgent") is None
