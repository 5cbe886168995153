"""A catalogued framework kept as a copy inside the project (resolve/vendored.py): the application's
`Runner.run(agent, ...)` through the copy is the framework's request, the copy's own model classes stay
the project's (no binding), and a package named alike that is no copy of it is left alone; an absolute
import of a catalogued package beside a project folder of that name lacking the name imported means the
installed package."""

from __future__ import annotations

import pytest

from projects import analysed_sites

from tokenlint.catalog import build_sdk_catalog
from tokenlint.resolve.vendored import fingerprints


def _sites(root, files):
    return {(s.path, s.line): s for s in analysed_sites(root, files)}


COPY = {
    "src/app/__init__.py": "",
    "src/app/sdk/__init__.py": "",
    "src/app/sdk/agents/__init__.py": (
        "from .agent import Agent\n"
        "from .run import Runner\n"
        "from .models.openai_chatcompletions import OpenAIChatCompletionsModel\n"
    ),
    "src/app/sdk/agents/agent.py": (
        "class Agent:\n"
        "    def __init__(self, name, instructions=None, model=None):\n"
        "        self.name = name\n"
        "        self.model = model\n"
    ),
    "src/app/sdk/agents/run.py": (
        "class Runner:\n"
        "    @classmethod\n"
        "    async def run(cls, starting_agent, input):\n"
        "        return await starting_agent.model.get_response(input)\n"
    ),
    "src/app/sdk/agents/models/__init__.py": "",
    "src/app/sdk/agents/models/openai_chatcompletions.py": (
        "class OpenAIChatCompletionsModel:\n"
        "    def __init__(self, model, openai_client):\n"
        "        self.model = model\n"
        "        self._client = openai_client\n"
        "\n"
        "    async def get_response(self, input):\n"
        "        return await self._client.chat.completions.create(\n"
        "            model=self.model, messages=[{\"role\": \"user\", \"content\": input}])\n"
    ),
    "examples/basic.py": (
        "from openai import AsyncOpenAI\n"
        "from app.sdk.agents import Agent, OpenAIChatCompletionsModel, Runner\n"
        "\n"
        "model = OpenAIChatCompletionsModel(model=\"gpt-4o\", openai_client=AsyncOpenAI())\n"
        "agent = Agent(name=\"a\", instructions=\"be brief\", model=model)\n"
        "\n"
        "\n"
        "async def main(q):\n"
        "    result = await Runner.run(agent, q)\n"
        "    return result\n"
    ),
}


def test_runner_run_through_a_vendored_copy_is_a_framework_request(tmp_path):
    sites = _sites(tmp_path, COPY)
    run = sites[("examples/basic.py", 9)]
    assert (run.kind, run.sdk) == ("request", "openai_agents")
    # the copy's own model class is the project's: no binding, and its API call is still the request it is
    assert ("examples/basic.py", 4) not in sites and ("examples/basic.py", 5) not in sites
    assert ("src/app/sdk/agents/models/openai_chatcompletions.py", 7) in sites


def test_the_copys_own_runner_calls_stay_project_code(tmp_path):
    files = dict(COPY)
    files["src/app/sdk/agents/voice.py"] = (
        "from app.sdk.agents.run import Runner\n"
        "\n"
        "\n"
        "async def speak(agent, text):\n"
        "    return await Runner.run(agent, text)\n"
    )
    sites = _sites(tmp_path, files)
    assert ("src/app/sdk/agents/voice.py", 5) not in sites


def test_a_package_named_like_the_framework_that_is_no_copy_of_it_is_the_projects(tmp_path):
    sites = _sites(tmp_path, {
        "app/__init__.py": "",
        "app/agents/__init__.py": "from .run import Runner\n",
        "app/agents/run.py": (
            "class Runner:\n"
            "    @classmethod\n"
            "    def run(cls, job, arg):\n"
            "        return job(arg)\n"
        ),
        "main.py": (
            "from app.agents import Runner\n"
            "\n"
            "\n"
            "def go(job):\n"
            "    return Runner.run(job, 1)\n"
        ),
    })
    assert sites == {}


def test_an_import_a_same_named_project_folder_cannot_serve_is_the_installed_framework(tmp_path):
    sites = _sites(tmp_path, {
        "bot/__init__.py": "",
        "bot/agents/__init__.py": "",
        "bot/agents/planner.py": (
            "from agents import Agent\n"
            "\n"
            "planner = Agent(name=\"planner\", instructions=\"Plan.\", model=\"gpt-4o\")\n"
        ),
        "bot/manager.py": (
            "from agents import Runner\n"
            "\n"
            "from .agents.planner import planner\n"
            "\n"
            "\n"
            "async def plan(q):\n"
            "    return await Runner.run(planner, q)\n"
        ),
    })
    run = sites[("bot/manager.py", 7)]
    assert (run.kind, run.sdk, run.model.value) == ("request", "openai_agents", "gpt-4o")


_PROJECT_RUNNER = (
    "class Runner:\n"
    "    @classmethod\n"
    "    async def run(cls, job, arg):\n"
    "        return await job(arg)\n"
)
_LAZY_EXPORTS = (
    "import importlib\n"
    "\n"
    "\n"
    "def __getattr__(name):\n"
    "    return getattr(importlib.import_module(\".jobs\", __name__), name)\n"
)


@pytest.mark.parametrize("folder", [
    {"bot/agents/__init__.py": _PROJECT_RUNNER},  # the folder defines the name itself
    {"bot/agents/__init__.py": _LAZY_EXPORTS, "bot/agents/jobs.py": _PROJECT_RUNNER},  # exports it lazily
], ids=["defined", "lazy-exports"])
def test_a_name_the_same_named_project_folder_provides_stays_the_projects(tmp_path, folder):
    sites = _sites(tmp_path, {
        "bot/__init__.py": "",
        **folder,
        "bot/manager.py": (
            "from agents import Runner\n"
            "\n"
            "\n"
            "async def go(job):\n"
            "    return await Runner.run(job, 1)\n"
        ),
    })
    assert sites == {}


def test_fingerprints_place_catalogued_classes_below_their_package():
    prints = fingerprints(build_sdk_catalog(()))
    assert ("run", "Runner") in prints["agents"]
    assert ("agent", "Agent") in prints["agents"]
    assert all(rest and cls[:1].isupper() for names in prints.values() for rest, cls in names)
