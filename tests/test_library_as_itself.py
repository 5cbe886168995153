"""Precision when an agent is built without a model, or a framework's repository is analysed as itself:
an OpenAI Agents SDK `Agent(...)` handed no model chooses none (no binding; `Runner.run` on it is still a
request), and a class of a framework's package of model classes that the project's own files define (the
framework's source analysed) is read from that source, never guessed to be a model the catalog does not list."""

from __future__ import annotations

from projects import analysed_sites, line_of

AGENTS_APP = (
    "from agents import Agent, Runner\n"
    "\n"
    "\n"
    "async def main(spec):\n"
    "    plain = Agent(name='Assistant', instructions='Reply in haikus.')  # plain\n"
    "    await Runner.run(plain, 'Tell me about recursion.')  # run-plain\n"
    "    chosen = Agent(name='Pro', instructions='Be brief.', model='gpt-4.1')  # chosen\n"
    "    await Runner.run(chosen, 'hi')  # run-chosen\n"
    "    packed = Agent(**spec)  # packed\n"
    "    kwargs = {'name': 'K', 'instructions': 'Hi.'}\n"
    "    bare = Agent(**kwargs)  # bare\n"
    "    return packed, bare\n"
)


def test_an_agent_built_without_a_model_is_no_binding_but_its_run_is_a_request(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {"app.py": AGENTS_APP})
    app = tmp_path / "app.py"
    got = {(s.line, s.kind) for s in sites if s.path == "app.py"}
    assert (line_of(app, "# plain"), "binding") not in got
    assert (line_of(app, "# bare"), "binding") not in got  # a `**kwargs` dict read, holding no model
    assert (line_of(app, "# chosen"), "binding") in got
    assert (line_of(app, "# packed"), "binding") in got  # a dict not followed may hold the model
    runs = {s.line: s for s in sites if s.kind == "request"}
    plain_run = runs[line_of(app, "# run-plain")]
    assert plain_run.provider == "openai" and plain_run.binding is None
    assert runs[line_of(app, "# run-chosen")].model.value == "gpt-4.1"


AGNO_INIT = "from agno.models.base import Model\n"


def test_a_class_of_the_frameworks_own_source_is_not_guessed_to_be_a_model(tmp_path) -> None:
    """The framework's repository (its package below `libs/`, as a monorepo keeps it): its data classes built
    in its own model code are no bindings; an application importing an uncatalogued class of the same package
    of model classes, without that source, still gets the guess."""
    sites = analysed_sites(tmp_path, {
        "libs/agno/agno/__init__.py": "",
        "libs/agno/agno/models/__init__.py": "",
        "libs/agno/agno/models/response.py": (
            "from dataclasses import dataclass\n"
            "\n"
            "\n"
            "@dataclass\n"
            "class ToolExecution:\n"
            "    tool_name: str = ''\n"
        ),
        "libs/agno/agno/models/fancy/__init__.py": "",
        "libs/agno/agno/models/fancy/chat.py": (
            "from agno.models.response import ToolExecution\n"
            "\n"
            "\n"
            "def record(name):\n"
            "    return ToolExecution(tool_name=name)  # data\n"
        ),
    })
    assert not [s for s in sites if s.kind == "binding"]
    app_sites = analysed_sites(tmp_path / "app", {
        "main.py": (
            "from agno.models.quillstone import Quillstone\n"
            "\n"
            "model = Quillstone(id='quill-1')  # guessed\n"
        ),
    })
    guessed = [s for s in app_sites if s.kind == "binding"]
    assert [(s.line, s.confidence) for s in guessed] == [(line_of(tmp_path / "app" / "main.py", "# guessed"), "inferred")]


CREW_LLM = (
    "class LLM:\n"
    "    def __init__(self, model, temperature=None):\n"
    "        self.model = model\n"
    "\n"
    "    def call(self, messages):\n"
    "        return [m['content'] for m in messages]\n"
)

CREW_USE = (
    "from crewai.llm import LLM\n"
    "\n"
    "\n"
    "def default_llm():\n"
    "    return LLM(model='gpt-4o-mini')  # own-llm\n"
)


def test_a_published_framework_package_below_the_root_is_the_projects_own_code(tmp_path) -> None:
    """The framework's repository as a monorepo (`lib/crewai/src/crewai/`, `lib/crewai/pyproject.toml` naming
    "crewai"): its `from crewai.llm import LLM` means its own class, whose construction is no catalogued
    binding. The same layout whose pyproject.toml publishes another name is a copy the installed package
    wins over: the catalog's `crewai.LLM` still binds there."""
    own = analysed_sites(tmp_path / "own", {
        "lib/crewai/pyproject.toml": "[project]\nname = \"crewai\"\nversion = \"1.0\"\n",
        "lib/crewai/src/crewai/__init__.py": "",
        "lib/crewai/src/crewai/llm.py": CREW_LLM,
        "lib/crewai/src/crewai/utils.py": CREW_USE,
    })
    assert not [s for s in own if s.kind == "binding"]
    other = analysed_sites(tmp_path / "other", {
        "lib/crewai/pyproject.toml": "[project]\nname = \"crew-tools\"\nversion = \"1.0\"\n",
        "lib/crewai/src/crewai/__init__.py": "",
        "lib/crewai/src/crewai/llm.py": CREW_LLM,
        "lib/crewai/src/crewai/utils.py": CREW_USE,
    })
    path = tmp_path / "other" / "lib/crewai/src/crewai/utils.py"
    assert [(s.line, s.kind) for s in other if s.kind == "binding"] == [(line_of(path, "# own-llm"), "binding")]


def test_a_voice_pipeline_runs_its_workflows_agent_and_chooses_no_model(tmp_path) -> None:
    """`VoicePipeline(workflow=SingleAgentVoiceWorkflow(agent))` and `AudioInput(buffer=...)` are no model
    bindings (not guessed from their package); `pipeline.run(audio)` is a request on the agent's model."""
    sites = analysed_sites(tmp_path, {"voice.py": (
        "from agents import Agent\n"
        "from agents.voice import AudioInput, SingleAgentVoiceWorkflow, VoicePipeline\n"
        "\n"
        "\n"
        "async def main(buffer):\n"
        "    agent = Agent(name='Assistant', instructions='Speak.', model='gpt-4.1')  # agent\n"
        "    pipeline = VoicePipeline(workflow=SingleAgentVoiceWorkflow(agent))\n"
        "    audio = AudioInput(buffer=buffer)\n"
        "    return await pipeline.run(audio)  # run\n"
    )})
    path = tmp_path / "voice.py"
    got = sorted((s.line, s.kind, s.model.value) for s in sites)
    assert got == [(line_of(path, "# agent"), "binding", "gpt-4.1"), (line_of(path, "# run"), "request", "gpt-4.1")]


ADK_LIKE_AGENT = (
    "class Agent:\n"
    "    def __init__(self, name, model='', instruction=''):\n"
    "        self.name = name\n"
    "        self.model = model\n"
    "        self.instruction = instruction\n"
)

ADK_LIKE_SAMPLE = (
    "from google.adk.agents import Agent\n"
    "from google.adk.runners import InMemoryRunner\n"
    "from google import genai\n"
    "\n"
    "root_agent = Agent(name='helper', model='gemini-2.0-flash', instruction='Be brief.')  # own-agent\n"
    "\n"
    "\n"
    "def ask(text):\n"
    "    client = genai.Client()\n"
    "    return client.models.generate_content(model='gemini-2.0-flash', contents=text)  # sdk\n"
    "\n"
    "\n"
    "async def main(message):\n"
    "    runner = InMemoryRunner(agent=root_agent, app_name='demo')\n"
    "    async for event in runner.run_async(user_id='u', session_id='s', new_message=message):  # run\n"
    "        print(event)\n"
)

# the framework's own source: a regular package inside a `google/` namespace folder without `__init__.py`
ADK_LIKE_SOURCE = {
    "src/google/adk/__init__.py": "",
    "src/google/adk/agents/__init__.py": "from google.adk.agents.agent import Agent\n",
    "src/google/adk/agents/agent.py": ADK_LIKE_AGENT,
}


def test_a_framework_published_in_a_shared_namespace_builds_no_binding_of_its_own_classes(tmp_path) -> None:
    """A framework whose package is a portion of a shared namespace (`src/google/adk/__init__.py` under a
    `src/google/` folder without `__init__.py`) analysed as itself: its samples' `Agent(model=...)` builds
    its own class, no catalogued binding, while its runner's `run_async` stays a request on that model and
    `google.genai` beside it stays the installed SDK. An application with the same sample and no such source
    still binds, its request linked to the binding."""
    own = analysed_sites(tmp_path / "own", {**ADK_LIKE_SOURCE, "samples/hello/agent.py": ADK_LIKE_SAMPLE})
    sample = tmp_path / "own" / "samples/hello/agent.py"
    assert not [s for s in own if s.kind == "binding"]
    got = sorted((s.line, s.kind, s.model.value, s.binding) for s in own if s.path == "samples/hello/agent.py")
    assert got == [(line_of(sample, "# sdk"), "direct", "gemini-2.0-flash", None),
                   (line_of(sample, "# run"), "request", "gemini-2.0-flash", None)]
    app = analysed_sites(tmp_path / "app", {"samples/hello/agent.py": ADK_LIKE_SAMPLE})
    assert sorted((s.line, s.kind) for s in app) == [(line_of(sample, "# own-agent"), "binding"),
                                                    (line_of(sample, "# sdk"), "direct"),
                                                    (line_of(sample, "# run"), "request")]
    run = next(s for s in app if s.kind == "request")
    assert run.binding == next(s.id for s in app if s.kind == "binding")
