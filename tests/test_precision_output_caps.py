"""Caps the code does not write out (round-12 TKL501 findings judged false): a library's default cap in
the releases the nearest dependency files pin (dspy < 3.0.4), an ADK agent's generate_content_config, and
an AG2 config list built elsewhere (unknown, not reported)."""

from __future__ import annotations

import datetime as dt

from projects import make, rule_findings, rule_rows

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.pins import nearest_specs, runs_below

TODAY = dt.date(2026, 12, 6)


# ---------------------------------------------------------------- TKL501: caps the code does not write out

DSPY = ("import dspy\n"
        "lm = dspy.LM(model='openai/gpt-4o')\n"
        "dspy.configure(lm=lm)\n"
        "def classify(q):\n"
        "    return dspy.Predict('question -> verdict')(question=q)\n")


def test_dspy_sends_a_default_cap_in_the_releases_the_project_pins(tmp_path):
    old = make(tmp_path / "old", {"app/rag.py": DSPY, "app/requirements.txt": "dspy==2.6.18\n"})
    assert rule_findings(old, "TKL501") == []
    new = make(tmp_path / "new", {"app/rag.py": DSPY, "app/requirements.txt": "dspy>=3.1\n"})
    got = rule_findings(new, "TKL501")
    assert [(p, row) for p, row, _ in got] == [("app/rag.py", 5)]
    assert "(" not in got[0][2]  # no caveat: the release that runs sends no cap
    loose = make(tmp_path / "loose", {"app/rag.py": DSPY, "requirements.txt": "dspy\n"})
    got = rule_findings(loose, "TKL501")
    assert [(p, row) for p, row, _ in got] == [("app/rag.py", 5)]
    assert "before 3.0.4" in got[0][2] and "pins which release" in got[0][2]


ADK = ("from google.adk.agents import Agent\n"
       "from google.adk.runners import Runner\n"
       "from google.genai import types\n"
       "def build(capped):\n"
       "    if capped:\n"
       "        return Agent(name='a', model='gemini-2.5-flash', instruction='x',\n"
       "                     generate_content_config=types.GenerateContentConfig(max_output_tokens=900))\n"
       "    return Agent(name='b', model='gemini-2.5-flash', instruction='x')\n"
       "async def capped(session_service, msg):\n"
       "    agent = Agent(name='a', model='gemini-2.5-flash', instruction='x',\n"
       "                  generate_content_config=types.GenerateContentConfig(temperature=0.2, max_output_tokens=900))\n"
       "    runner = Runner(agent=agent, app_name='x', session_service=session_service)\n"
       "    async for e in runner.run_async(user_id='u', session_id='s', new_message=msg):\n"   # 13: capped
       "        yield e\n"
       "async def free(session_service, msg):\n"
       "    agent = Agent(name='b', model='gemini-2.5-flash', instruction='x')\n"
       "    runner = Runner(agent=agent, app_name='x', session_service=session_service)\n"
       "    async for e in runner.run_async(user_id='u', session_id='s', new_message=msg):\n"   # 18: no cap
       "        yield e\n")


def test_an_adk_agents_generate_content_config_caps_its_runs(tmp_path):
    root = make(tmp_path / "p", {"app.py": ADK})
    assert rule_rows(root, "TKL501") == [18]


AG2 = ("from autogen import AssistantAgent, UserProxyAgent, config_list_from_json\n"
       "def elsewhere(task):\n"
       "    config_list = config_list_from_json(env_or_file='OAI_CONFIG_LIST')\n"
       "    a = AssistantAgent('a', llm_config={'config_list': config_list})\n"
       "    UserProxyAgent('u', code_execution_config=False).initiate_chat(a, message=task)\n"     # 5: unknown
       "def written(task):\n"
       "    a = AssistantAgent('a', llm_config={'config_list': [{'model': 'gpt-4o'}]})\n"
       "    UserProxyAgent('u', code_execution_config=False).initiate_chat(a, message=task)\n"     # 8: no cap
       "def capped(task):\n"
       "    cl = [{'model': 'gpt-4o', 'max_tokens': 500}, {'model': 'gpt-4o-mini', 'max_tokens': 500}]\n"
       "    a = AssistantAgent('a', llm_config={'config_list': cl})\n"
       "    UserProxyAgent('u', code_execution_config=False).initiate_chat(a, message=task)\n")    # 12: capped


def test_an_ag2_config_list_the_code_does_not_write_out_is_no_missing_cap(tmp_path):
    root = make(tmp_path / "p", {"app.py": AG2})
    assert rule_rows(root, "TKL501") == [8]


def test_dependency_specifiers_of_the_nearest_folder_say_which_release_runs(tmp_path):
    (tmp_path / "requirements.txt").write_text("dspy>=3.1\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.poetry.dependencies]\ndspy-ai = "^2.5"\n')
    assert nearest_specs(tmp_path / "a" / "b", tmp_path) == {"dspy-ai": ["^2.5"]}
    assert runs_below(nearest_specs(tmp_path / "a" / "b", tmp_path), ["dspy", "dspy-ai"], "3.0.4") is True
    assert runs_below(nearest_specs(tmp_path, tmp_path), ["dspy"], "3.0.4") is False
    for spec, want in [("==2.6.18", True), ("<3", True), ("~=2.6", True), (">=2.5,<3.0", True),
                       (">=2.5", None), ("", None), ("^3.0", None), ("~=3.0.1", None), ("==3.0.4", False)]:
        assert runs_below({"dspy": [spec]}, ["dspy"], "3.0.4") is want, spec
    assert runs_below({"dspy": ["==2.6.18", ">=3.1"]}, ["dspy"], "3.0.4") is None  # files disagree
    assert runs_below({}, ["dspy"], "3.0.4") is None


def test_a_cached_result_follows_a_changed_dependency_file(tmp_path):
    root = make(tmp_path / "p", {"app/rag.py": DSPY, "app/requirements.txt": "dspy\n"})
    cache = tmp_path / "cache"

    def rows():
        result = analyse([root], Config(select=("TKL501",)), root=root, today=TODAY, cache_dir=cache)
        return [(f.path, f.row) for f in result.findings if f.code == "TKL501"]

    assert rows() == [("app/rag.py", 5)]
    (root / "app" / "requirements.txt").write_text("dspy==2.6.18\n")
    assert rows() == []
    (root / "app" / "requirements.txt").unlink()
    (root / "app" / "pyproject.toml").write_text('[project]\ndependencies = ["dspy>=3.1"]\n')
    assert rows() == [("app/rag.py", 5)]


MAAS = ("from volcengine.maas import MaasService\n"
        "maas = MaasService('maas-api.ml-platform-cn-beijing.volces.com', 'cn-beijing')\n"
        "def capped(messages):\n"
        "    req = {'model': {'name': 'skylark2-pro-4k'}, 'parameters': {'max_new_tokens': 1000}, 'messages': messages}\n"
        "    return maas.stream_chat(req)\n"                                                          # 5: capped
        "def open_ended(messages):\n"
        "    req = {'model': {'name': 'skylark2-pro-4k'}, 'parameters': {'temperature': 0.3}, 'messages': messages}\n"
        "    return maas.chat(req)\n")                                                                # 8: no cap


def test_a_volcengine_maas_request_dict_caps_its_output_in_parameters(tmp_path):
    """MaaS takes the whole request as one dict: `req["parameters"]["max_new_tokens"]` is its cap."""
    root = make(tmp_path / "p", {"app.py": MAAS})
    assert rule_rows(root, "TKL501") == [8]
