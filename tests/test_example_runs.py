"""A library analysed as itself: its example code's calls of the library's public entries are framework requests.

Round 13 decision: a call of a framework's run entry in application or example code is a framework request
site. The library's own code calling its own methods stays a wrapper call, as does a script outside the
example folders, an example calling another example's helper (the helper's call is the site), a call of a
private method, and a call of a module-level convenience function (the labels count method calls on the
library's agents and runners: marvin's `marvin.run` is "no extra site")."""

from __future__ import annotations

from projects import analysed_sites, line_of, rule_findings

from tokenlint.resolve.examples import example_folder, runs_the_framework

LIB_AGENT = (
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "class Agent:\n"
    "    def __init__(self, model='gpt-4o-mini'):\n"
    "        self.model = model\n"
    "        self.client = OpenAI()\n"
    "\n"
    "    def run(self, text):\n"
    "        return self._send(text)\n"
    "\n"
    "    def _send(self, text):\n"
    "        return self.client.chat.completions.create(model=self.model, messages=[{'role': 'user', 'content': text}])  # sdk\n"
)

LIB_PIPELINE = (
    "from quillkit.agent import Agent\n"
    "\n"
    "\n"
    "def summarise(text):\n"
    "    return Agent().run('Summarise: ' + text)  # inner\n"
)

EXAMPLE_HELPERS = (
    "from quillkit.agent import Agent\n"
    "\n"
    "\n"
    "def ask(text):\n"
    "    return Agent(model='gpt-4o').run(text)  # helper-run\n"
)

EXAMPLE_MAIN = (
    "from quillkit.agent import Agent\n"
    "from quillkit.pipeline import summarise\n"
    "from helpers import ask\n"
    "\n"
    "agent = Agent()\n"
    "print(agent.run('Hello'))  # example-run\n"
    "print(summarise('a long text'))  # example-function\n"
    "print(ask('Hi'))  # example-helper\n"
    "print(agent._send('raw'))  # example-private\n"
)

SCRIPT = (
    "from quillkit.agent import Agent\n"
    "\n"
    "print(Agent().run('Hello'))  # script-run\n"
)


def test_an_examples_calls_of_the_librarys_public_entries_are_framework_requests(tmp_path) -> None:
    sites = analysed_sites(tmp_path, {
        "quillkit/__init__.py": "",
        "quillkit/agent.py": LIB_AGENT,
        "quillkit/pipeline.py": LIB_PIPELINE,
        "examples/basic/helpers.py": EXAMPLE_HELPERS,
        "examples/basic/main.py": EXAMPLE_MAIN,
        "scripts/try_it.py": SCRIPT,
    })
    kinds = {(s.path, s.line): s.kind for s in sites}
    main, helpers = tmp_path / "examples/basic/main.py", tmp_path / "examples/basic/helpers.py"
    assert kinds[("examples/basic/main.py", line_of(main, "# example-run"))] == "request"
    assert kinds[("examples/basic/helpers.py", line_of(helpers, "# helper-run"))] == "request"
    assert kinds[("examples/basic/main.py", line_of(main, "# example-function"))] == "wrapper"
    assert kinds[("examples/basic/main.py", line_of(main, "# example-helper"))] == "wrapper"
    assert kinds[("examples/basic/main.py", line_of(main, "# example-private"))] == "wrapper"
    assert kinds[("quillkit/pipeline.py", line_of(tmp_path / "quillkit/pipeline.py", "# inner"))] == "wrapper"
    assert kinds[("scripts/try_it.py", line_of(tmp_path / "scripts/try_it.py", "# script-run"))] == "wrapper"
    run = next(s for s in sites if (s.path, s.line) == ("examples/basic/main.py", line_of(main, "# example-run")))
    assert run.model.value == "gpt-4o-mini"  # the model the library's code chooses


def test_a_script_module_beside_the_examples_is_no_library(tmp_path) -> None:
    """The callee must be library code: a module of a regular package. An example calling a top-level
    script module's function (no package) keeps it a wrapper call."""
    sites = analysed_sites(tmp_path, {
        "agent.py": LIB_AGENT.replace("class Agent", "class Agent"),
        "examples/main.py": "from agent import Agent\n\nprint(Agent().run('Hello'))  # run\n",
    })
    path = tmp_path / "examples/main.py"
    assert [(s.line, s.kind) for s in sites if s.path == "examples/main.py"] == [(line_of(path, "# run"), "wrapper")]


WORDS = frozenset({"examples", "example", "samples", "playground"})


def test_example_folders_are_named_by_a_word_of_any_folder_on_the_path() -> None:
    assert example_folder("atomic-examples/quickstart/run.py", WORDS) == "atomic-examples"
    assert example_folder("contributing/samples/hello/main.py", WORDS) == "contributing/samples"
    assert example_folder("playground/demo.py", WORDS) == "playground"
    assert example_folder("examples.py", WORDS) is None  # a file, not a folder
    assert example_folder("src/counterexample/x.py", WORDS) is None  # a word, not a substring
    assert example_folder("src/lib/x.py", WORDS) is None


def test_only_a_public_method_of_a_package_outside_the_examples_runs_the_framework() -> None:
    assert runs_the_framework("examples/a.py", "lib/agent.py", True, "Agent.run", True, WORDS)
    assert runs_the_framework("examples/a.py", "lib/agent.py", True, "Agent.__call__", True, WORDS)
    assert not runs_the_framework("examples/a.py", "lib/api.py", True, "run", False, WORDS)
    assert not runs_the_framework("examples/a.py", "lib/agent.py", True, "Agent._send", True, WORDS)
    assert not runs_the_framework("examples/a.py", "lib/_impl.py", True, "_Hidden.run", True, WORDS)
    assert not runs_the_framework("examples/a.py", "examples/util.py", True, "Helper.ask", True, WORDS)
    assert not runs_the_framework("examples/a.py", "agent.py", False, "Agent.run", True, WORDS)
    assert not runs_the_framework("scripts/a.py", "lib/agent.py", True, "Agent.run", True, WORDS)
    assert not runs_the_framework("examples/a.py", "lib/agent.py", True, "Agent.run", True, frozenset())


def test_an_examples_framework_request_through_the_librarys_code_is_tagged_where_the_library_sends(tmp_path) -> None:
    """TKL101 judges the example's call as the wrapper call it was: the untagged request is reported once,
    where the library makes it, not again at every example running the library."""
    analysed_sites(tmp_path, {
        "quillkit/__init__.py": "",
        "quillkit/agent.py": LIB_AGENT,
        "examples/main.py": "from quillkit.agent import Agent\n\nprint(Agent().run('Hello'))  # run\n",
    })
    got = rule_findings(tmp_path, "TKL101")
    assert [(p, row) for p, row, _ in got] == [("quillkit/agent.py", line_of(tmp_path / "quillkit/agent.py", "# sdk"))]


def test_the_shipped_catalog_names_example_folders_but_not_tutorials() -> None:
    """The labels count examples', samples' and playgrounds' runs; adalflow's labeller kept `tutorials/` in
    scope and counted its runs as entry points, no sites."""
    from tokenlint.catalog import build_sdk_catalog

    words = build_sdk_catalog().example_words
    assert example_folder("contributing/samples/hello/main.py", words) == "contributing/samples"
    assert example_folder("atomic-examples/quickstart/run.py", words) == "atomic-examples"
    assert example_folder("playground/story.py", words) == "playground"
    assert example_folder("tutorials/agent/demo.py", words) is None


LIB_CHAT = (
    "from openai import AsyncOpenAI\n"
    "\n"
    "\n"
    "class BaseChatAgent:\n"
    "    async def run_stream(self, task):\n"
    "        async for message in self.on_messages_stream([task]):\n"
    "            yield message\n"
    "\n"
    "    async def save_state(self):\n"
    "        return {}\n"
    "\n"
    "\n"
    "class AssistantAgent(BaseChatAgent):\n"
    "    def __init__(self, name, model='gpt-4o-mini'):\n"
    "        self.name, self.model = name, model\n"
    "\n"
    "    async def on_messages_stream(self, messages):\n"
    "        yield await self._call_llm(messages)\n"
    "\n"
    "    async def _call_llm(self, messages):\n"
    "        return await AsyncOpenAI().chat.completions.create(model=self.model, messages=messages)\n"
)

SAMPLE_CHAT = (
    "from autogen_agentchat.agents import AssistantAgent\n"
    "\n"
    "\n"
    "async def play(player: AssistantAgent, task: str):\n"
    "    async for message in player.run_stream(task=task):  # sample-stream\n"
    "        print(message)\n"
    "    return await player.save_state()  # sample-state\n"
)


def test_an_examples_run_reaching_the_request_through_the_agents_own_dispatch_is_a_framework_request(tmp_path) -> None:
    """`player.run_stream(task=...)` runs the base's loop over `self.on_messages_stream(...)`, which the
    agent class overrides with its model call: no request there takes the example's arguments, but the
    example runs the framework (round 13): the catalog lists the class by its public name
    (`autogen_agentchat.agents.AssistantAgent`) and `run_stream` among its requests. A method the catalog
    lists no request (`save_state`) stays no site."""
    sites = analysed_sites(tmp_path, {
        "autogen_agentchat/__init__.py": "",
        "autogen_agentchat/agents/__init__.py": "from autogen_agentchat.agents._chat import AssistantAgent\n",
        "autogen_agentchat/agents/_chat.py": LIB_CHAT,
        "samples/chess/main.py": SAMPLE_CHAT,
        "app/play.py": SAMPLE_CHAT,
    })
    got = {(s.path, s.line): s for s in sites}
    path = tmp_path / "samples/chess/main.py"
    run = got.get(("samples/chess/main.py", line_of(path, "# sample-stream")))
    assert run is not None and run.kind == "request" and run.provider == "openai" and run.requests == 1
    assert ("samples/chess/main.py", line_of(path, "# sample-state")) not in got
    # the same call in application code outside an example folder is no framework request
    assert ("app/play.py", line_of(tmp_path / "app/play.py", "# sample-stream")) not in got


TEAMS = (
    "class BaseGroupChat:\n"
    "    def __init__(self, participants):\n"
    "        self._participants = list(participants)\n"
    "        self._queue = []\n"
    "\n"
    "    async def run_stream(self, task):\n"
    "        self._queue.append(task)\n"
    "        for item in list(self._queue):\n"
    "            yield item\n"
    "\n"
    "    async def reset(self):\n"
    "        self._queue.clear()\n"
    "\n"
    "\n"
    "class RoundRobinGroupChat(BaseGroupChat):\n"
    "    pass\n"
)

SAMPLE_TEAM = (
    "from autogen_agentchat.teams import RoundRobinGroupChat\n"
    "from autogen_ext.models.openai import OpenAIChatCompletionClient\n"
    "\n"
    "\n"
    "async def main(make_agents, task):\n"
    "    team = RoundRobinGroupChat(make_agents(OpenAIChatCompletionClient(model='gpt-4o')))\n"
    "    await team.reset()  # team-reset\n"
    "    async for message in team.run_stream(task=task):  # team-stream\n"
    "        print(message)\n"
)


def test_an_examples_run_of_a_catalogued_class_of_the_framework_analysed_as_itself_is_its_request(tmp_path) -> None:
    """A team run goes through the framework's message runtime, which no call tokenlint follows shows; the
    catalog lists the class by its public name (`autogen_agentchat.teams.RoundRobinGroupChat`) and
    `run_stream` among the framework's requests: the example's call is that request, as a downstream
    application's is. A method the framework lists no request (`reset`) stays no site."""
    sites = analysed_sites(tmp_path, {
        "autogen_agentchat/__init__.py": "",
        "autogen_agentchat/teams/__init__.py": "from autogen_agentchat.teams._chat import RoundRobinGroupChat\n",
        "autogen_agentchat/teams/_chat.py": TEAMS,
        "samples/team/main.py": SAMPLE_TEAM,
    })
    got = {(s.path, s.line): s for s in sites}
    path = tmp_path / "samples/team/main.py"
    run = got.get(("samples/team/main.py", line_of(path, "# team-stream")))
    assert run is not None and run.kind == "request" and run.sdk == "autogen" and run.stream
    assert ("samples/team/main.py", line_of(path, "# team-reset")) not in got


LIB_SHELL = (
    "from abc import ABC, abstractmethod\n"
    "\n"
    "import anthropic\n"
    "import openai\n"
    "\n"
    "\n"
    "class Soul(ABC):\n"
    "    @abstractmethod\n"
    "    async def think(self, text): ...\n"
    "\n"
    "\n"
    "class OpenAISoul(Soul):\n"
    "    async def think(self, text):\n"
    "        return await openai.AsyncOpenAI().chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': text}])\n"
    "\n"
    "\n"
    "class ClaudeSoul(Soul):\n"
    "    async def think(self, text):\n"
    "        return await anthropic.AsyncAnthropic().messages.create(model='claude-sonnet-4-5', max_tokens=50, messages=[{'role': 'user', 'content': text}])\n"
    "\n"
    "\n"
    "class Shell:\n"
    "    def __init__(self, soul: Soul):\n"
    "        self.soul = soul\n"
    "\n"
    "    async def run(self):\n"
    "        return await self.soul.think(input('> '))\n"
)

SAMPLE_SHELL = (
    "from quillshell.ui import Shell, Soul\n"
    "\n"
    "\n"
    "class EchoSoul(Soul):\n"
    "    async def think(self, text):\n"
    "        return text\n"
    "\n"
    "\n"
    "async def main():\n"
    "    await Shell(EchoSoul()).run()  # shell-run\n"
)


def test_an_examples_run_of_an_object_named_for_no_model_reaching_a_held_interface_is_no_request(tmp_path) -> None:
    """A user interface's `run` reaching the session object it is handed (an echo session in the example)
    names no model on the way: what it reaches is the handed object's, not the example's request."""
    sites = analysed_sites(tmp_path, {
        "quillshell/__init__.py": "",
        "quillshell/ui.py": LIB_SHELL,
        "examples/echo/main.py": SAMPLE_SHELL,
    })
    got = {(s.path, s.line): s.kind for s in sites}
    assert got.get(("examples/echo/main.py", line_of(tmp_path / "examples/echo/main.py", "# shell-run"))) != "request"


LIB_HISTORY_AGENT = (
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "class ChatAgent:\n"
    "    def __init__(self, model):\n"
    "        self.client, self.model, self.history = OpenAI(), model, []\n"
    "\n"
    "    def run(self, user_input=None):\n"
    "        if user_input is not None:\n"
    "            self.history.append({'role': 'user', 'content': str(user_input)})\n"
    "        return self._reply()\n"
    "\n"
    "    def _reply(self):\n"
    "        return self.client.chat.completions.create(model=self.model, messages=self.history)  # sdk\n"
    "\n"
    "    def token_count(self):\n"
    "        return len(self.history)\n"
)


def test_an_examples_run_entry_sending_the_history_the_agent_holds_is_a_framework_request(tmp_path) -> None:
    """`agent.run(schema)` appends the input to the agent's history and sends the history: no request takes
    the example's argument (no wrapper's relay), yet the example runs the library (round 13). A run entry
    (catalog `[examples] runs`) reaching a request on the object is a framework request, also on an agent an
    example module builds and another imports (that module is read for it); another public method that sends
    nothing (`token_count`) and a run entry outside the examples (`scripts/`) are no framework request."""
    sites = analysed_sites(tmp_path, {
        "chatkit/__init__.py": "from .agent import ChatAgent\n",
        "chatkit/agent.py": LIB_HISTORY_AGENT,
        "examples/quiz/quiz/__init__.py": "",
        "examples/quiz/quiz/agents.py": "from chatkit import ChatAgent\n\nquiz_agent = ChatAgent('gpt-4o-mini')\n",
        "examples/quiz/quiz/main.py": ("from quiz.agents import quiz_agent\n\n"
                                       "print(quiz_agent.run('Ask me a question'))  # imported-run\n"
                                       "print(quiz_agent.token_count())  # count\n"),
        "examples/chat.py": "from chatkit import ChatAgent\n\nagent = ChatAgent('gpt-4o')\nagent.run()  # bare-run\n",
        "scripts/try_it.py": "from chatkit import ChatAgent\n\nChatAgent('gpt-4o').run('hi')  # script-run\n",
    })
    got = {(s.path, s.line): s for s in sites}
    main = tmp_path / "examples/quiz/quiz/main.py"
    run = got.get(("examples/quiz/quiz/main.py", line_of(main, "# imported-run")))
    assert run is not None and run.kind == "request" and run.provider == "openai" and run.api == "chat.completions"
    assert ("examples/quiz/quiz/main.py", line_of(main, "# count")) not in got
    bare = got.get(("examples/chat.py", line_of(tmp_path / "examples/chat.py", "# bare-run")))
    assert bare is not None and bare.kind == "request"
    script = got.get(("scripts/try_it.py", line_of(tmp_path / "scripts/try_it.py", "# script-run")))
    assert script is None or script.kind != "request"


LIB_STATIC_RUNNER = (
    "import asyncio\n"
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "class Runner:\n"
    "    @staticmethod\n"
    "    def run_sync(agent, text):\n"
    "        return asyncio.run(Runner._run(agent, text))\n"
    "\n"
    "    @staticmethod\n"
    "    async def _run(agent, text):\n"
    "        return OpenAI().chat.completions.create(model=agent, messages=[{'role': 'user', 'content': text}])  # sdk\n"
)


def test_an_examples_call_of_a_static_run_entry_of_the_library_is_a_framework_request(tmp_path) -> None:
    """`Runner.run_sync(agent, text)`, a static method (no `self`), is the library's public run entry as a
    method on an object is; a module-level function of the library stays a wrapper call (marvin's `run`)."""
    sites = analysed_sites(tmp_path, {
        "quillrun/__init__.py": "from .runner import Runner\n",
        "quillrun/runner.py": LIB_STATIC_RUNNER,
        "examples/hello.py": "import quillrun as q\n\nprint(q.Runner.run_sync('gpt-4o', 'Hello'))  # static-run\n",
    })
    got = {(s.path, s.line): s.kind for s in sites}
    assert got[("examples/hello.py", line_of(tmp_path / "examples/hello.py", "# static-run"))] == "request"


def test_an_examples_call_of_the_librarys_catalogued_client_is_a_framework_request(tmp_path) -> None:
    """A library whose own client class is catalogued by its public name (the SDK catalog's
    `aisuite.Client`, `chat.completions.create`), analysed as itself: its examples' call of that catalogued
    method on the project's client object reaches the provider classes through the library's dispatch
    (a facade that forwards no parameter of the method) and is a framework request. A call rooted at
    another of its classes, or outside the example folders, stays a call of project code (a wrapper, when
it forwards to the request)."""
    sites = analysed_sites(tmp_path, {
        "aisuite/__init__.py": "from .client import Client\n",
        "aisuite/client.py": (
            "from .provider import Provider\n"
            "\n"
            "\n"
            "class Client:\n"
            "    def __init__(self):\n"
            "        self._chat = None\n"
            "\n"
            "    @property\n"
            "    def chat(self):\n"
            "        if not self._chat:\n"
            "            self._chat = Chat()\n"
            "        return self._chat\n"
            "\n"
            "\n"
            "class Chat:\n"
            "    def __init__(self):\n"
            "        self.completions = Completions()\n"
            "\n"
            "\n"
            "class Completions:\n"
            "    def create(self, model, messages, **kwargs):\n"
            "        vendor, name = model.split(':', 1)\n"
            "        provider = Provider.pick(vendor)\n"
            "        return provider.send(name, messages)\n"
        ),
        "aisuite/provider.py": (
            "import importlib\n"
            "from abc import ABC, abstractmethod\n"
            "\n"
            "\n"
            "class Provider(ABC):\n"
            "    @abstractmethod\n"
            "    def send(self, model, messages):\n"
            "        ...\n"
            "\n"
            "    @staticmethod\n"
            "    def pick(vendor) -> 'Provider':\n"
            "        module = importlib.import_module(f'aisuite.vendors.{vendor}_provider')\n"
            "        return getattr(module, f'{vendor.capitalize()}Provider')()\n"
        ),
        "aisuite/vendors/__init__.py": "",
        "aisuite/vendors/openai_provider.py": (
            "import openai\n"
            "\n"
            "from aisuite.provider import Provider\n"
            "\n"
            "\n"
            "class OpenaiProvider(Provider):\n"
            "    def send(self, model, messages):\n"
            "        return openai.OpenAI().chat.completions.create(model=model, messages=messages)\n"
        ),
        "aisuite/vendors/anthropic_provider.py": (
            "import anthropic\n"
            "\n"
            "from aisuite.provider import Provider\n"
            "\n"
            "\n"
            "class AnthropicProvider(Provider):\n"
            "    def send(self, model, messages):\n"
            "        return anthropic.Anthropic().messages.create(model=model, messages=messages, max_tokens=64)\n"
        ),
        "examples/ask.py": (
            "import aisuite as ai\n"
            "from aisuite.client import Completions\n"
            "\n"
            "client = ai.Client()\n"
            "print(client.chat.completions.create(model='openai:gpt-4o', messages=[]))  # client\n"
            "print(Completions().create(model='openai:gpt-4o', messages=[]))  # inner class\n"
        ),
        "scripts/ask.py": (
            "import aisuite as ai\n"
            "\n"
            "print(ai.Client().chat.completions.create(model='openai:gpt-4o', messages=[]))  # script\n"
        ),
    })
    example = tmp_path / "examples/ask.py"
    got = {(s.path, s.line): s for s in sites}
    site = got[("examples/ask.py", line_of(example, "# client"))]
    assert site.kind == "request"
    assert set(site.providers) == {"openai", "anthropic"}
    for path, marker in (("examples/ask.py", "# inner class"), ("scripts/ask.py", "# script")):
        other = got.get((path, line_of(tmp_path / path, marker)))
        assert other is None or other.kind == "wrapper", (marker, other.kind)
