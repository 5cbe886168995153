"""Issue 12 item 2 / issue 13 item 1, "fail open, with evidence": a library the catalog does not know is
read by the model choice handed to it (resolve/libraries.py). The per-expression cases are the fixtures
fixtures/resolver/frameworks/uncatalogued_libraries.py and lookalikes/uncatalogued_library_lookalikes.py;
here: a holder built in one module and asked in another, the "framework?" guess for a library object built
with no model choice, and the catalog data's provenance."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import LIBRARY_PREFIX, build_sdk_catalog, builtin_framework_data
from tokenlint.config import Config
from tokenlint.engine import analyse

APP = {
    "bot/__init__.py": "",
    "bot/settings.py": (
        "import os\n"
        "\n"
        "JUDGE_MODEL = os.getenv(\"JUDGE_MODEL\", \"gpt-4o-mini\")\n"
    ),
    "bot/agents.py": (
        "from acme_agents import Agent, Crew\n"
        "from openai import OpenAI\n"
        "\n"
        "from bot.settings import JUDGE_MODEL\n"
        "\n"
        "\n"
        "def build_judge():\n"
        "    return Agent(model=JUDGE_MODEL, role=\"judge\")\n"
        "\n"
        "\n"
        "class Pipeline:\n"
        "    def __init__(self):\n"
        "        self.crew = Crew(name=\"nightly\")\n"
        "        self.judge = build_judge()\n"
        "\n"
        "    def grade(self, answer):\n"
        "        return self.judge.evaluate(answer)\n"
        "\n"
        "    def nightly(self, goal):\n"
        "        return self.crew.kickoff(goal)\n"
    ),
    "bot/main.py": (
        "from bot.agents import Pipeline, build_judge\n"
        "\n"
        "\n"
        "def main(answer):\n"
        "    judge = build_judge()\n"
        "    verdict = judge.run(answer)\n"
        "    judge.add_tool(print)\n"
        "    return verdict, Pipeline().grade(answer)\n"
    ),
}


def _analyse(root):
    result = analyse([root], Config(), root=root, unresolved=True)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}, result.unresolved


def test_a_holder_built_in_one_module_is_asked_in_another(tmp_path):
    sites, _ = _analyse(make(tmp_path, APP))
    binding = sites[("bot/agents.py", 8)]
    assert (binding.kind, binding.sdk, binding.provider, binding.model.value, binding.confidence) == \
        ("binding", LIBRARY_PREFIX + "acme_agents", "openai", "gpt-4o-mini", "inferred")
    for where in (("bot/agents.py", 17), ("bot/main.py", 6)):
        request = sites[where]
        assert (request.kind, request.provider, request.model.value, request.confidence, request.bindings) == \
            ("request", "openai", "gpt-4o-mini", "inferred", (binding.id,))
    # the project method asking the holder wraps that request, as it would any framework request
    assert sites[("bot/main.py", 8)].kind == "wrapper"
    # `Crew(name=...)` was handed no model choice: no binding, and its `kickoff` no site; `add_tool` is no
    # request verb
    assert set(sites) == {("bot/agents.py", 8), ("bot/agents.py", 17), ("bot/main.py", 6), ("bot/main.py", 8)}


def test_a_library_object_built_without_a_model_choice_is_a_guess_in_an_llm_file(tmp_path):
    _, unresolved = _analyse(make(tmp_path, APP))
    guesses = [(u.path, u.line) for u in unresolved if u.kind == "framework?"]
    assert ("bot/agents.py", 20) in guesses  # `self.crew.kickoff(goal)`
    assert ("bot/main.py", 7) not in guesses  # `add_tool`: no request verb


def test_no_guess_outside_an_llm_file(tmp_path):
    _, unresolved = _analyse(make(tmp_path, {
        "jobs.py": (
            "from acme_jobs import Scheduler\n"
            "\n"
            "\n"
            "def nightly():\n"
            "    return Scheduler(workers=4).run()\n"
        ),
    }))
    assert not [u for u in unresolved if u.kind == "framework?"]


def test_a_project_package_of_the_same_name_is_the_project_s_own(tmp_path):
    sites, _ = _analyse(make(tmp_path, {
        "acme_agents/__init__.py": (
            "class Agent:\n"
            "    def __init__(self, model):\n"
            "        self.model = model\n"
            "\n"
            "    def run(self, task):\n"
            "        return f\"{self.model}: {task}\"\n"
        ),
        "main.py": (
            "from acme_agents import Agent\n"
            "\n"
            "print(Agent(model=\"gpt-4o\").run(\"hi\"))\n"
        ),
    }))
    assert sites == {}


def test_the_library_data_carries_a_source_and_its_lists():
    data = builtin_framework_data()["libraries"]
    cat = build_sdk_catalog()
    lib = cat.libraries
    assert lib is not None and lib.framework.guessed
    assert cat.framework(LIBRARY_PREFIX + "anything") is lib.framework and cat.framework("camel").name == "camel"
    assert {"run", "step", "measure", "a_measure", "kickoff", "get_response"} <= lib.framework.requests
    assert {"token", "cost", "encoding", "info", "config"} <= lib.not_spending
    assert {"transformers", "sentence_transformers", "llama_cpp", "vllm", "fastembed"} <= lib.local_packages
    assert {"langfuse", "langsmith", "opentelemetry"} <= lib.recording_packages
    # the everyday verbs are no guess on their own
    assert "execute" not in lib.listed and "evaluate" not in lib.listed and "run" in lib.listed
    assert set(data) >= {"requests", "not_spending", "local_packages", "prompt_arguments", "model_words"}
    # a catalogued library's package is never read as unknown (camel is in frameworks.toml)
    assert "camel" not in lib.local_packages


def test_a_model_argument_the_catalog_cannot_read_with_a_prompt_is_a_guess(tmp_path):
    sites, unresolved = _analyse(make(tmp_path, {
        "chat.py": (
            "from acme import Session\n"
            "from openai import OpenAI\n"
            "\n"
            "session = Session()\n"
            "\n"
            "\n"
            "async def reply(messages, model):\n"
            "    return await session.get_response(model=model, messages=messages)\n"
            "\n"
            "\n"
            "def count(messages, model):\n"
            "    return session.count_prompt_tokens(messages, model)\n"
            "\n"
            "\n"
            "def log(messages, model):\n"
            "    session.debug(\"sent\", model=model, prompt=messages)\n"
        ),
    }))
    assert sites == {}
    guesses = [(u.path, u.line) for u in unresolved if u.kind == "framework?"]
    assert guesses == [("chat.py", 8)]  # not the token count on line 12, nor the log line on line 16


def test_a_file_naming_only_an_unknown_library_and_a_model_id_is_read(tmp_path):
    """The prefilter passes a file for a quoted catalogued model id (`"gpt-4o-mini"`, `"openai/gpt-4o"`),
    and only for one: a file using the library with a model id the catalog does not know is not read."""
    sites, _ = _analyse(make(tmp_path, {
        "team.py": (
            "from acme_agents import Agent\n"
            "\n"
            "agent = Agent(model=\"openai/gpt-4o-mini\")\n"
            "agent.run(\"plan the week\")\n"
        ),
        "other.py": (
            "from acme_agents import Agent\n"
            "\n"
            "Agent(model=\"house-model-7\").run(\"plan\")\n"
        ),
    }))
    assert {(p, line, s.kind) for (p, line), s in sites.items()} == {("team.py", 3, "binding"), ("team.py", 4, "request")}


def test_an_everyday_verb_on_a_library_object_is_no_guess(tmp_path):
    """`evaluate` runs JavaScript on a browser page, `answer` acknowledges a chat callback: requests on a
    holder proven by its model argument, but no guess on an object built without one."""
    _, unresolved = _analyse(make(tmp_path, {
        "browse.py": (
            "from acme_browser import Browser\n"
            "from openai import OpenAI\n"
            "\n"
            "client = OpenAI()\n"
            "\n"
            "\n"
            "def title():\n"
            "    page = Browser(headless=True).new_page()\n"
            "    return page.evaluate(\"document.title\")\n"
        ),
    }))
    assert not [u for u in unresolved if u.kind == "framework?"]


def test_a_free_unofficial_client_is_no_paid_request(tmp_path):
    # g4f's OpenAI-shaped client reaches free web front ends (frameworks.toml free_packages): no guessed
    # holder, no request; the same shape from an unknown package still is a guess (the look-alike)
    sites, _ = _analyse(make(tmp_path, {
        "free_chat.py": (
            "from g4f.client import Client\n"
            "\n"
            "\n"
            "def reply(messages):\n"
            "    client = Client()\n"
            "    return client.chat.completions.create(model=\"gpt-4o-mini\", messages=messages)\n"
        ),
        "paid_chat.py": (
            "from acme_gateway import Client\n"
            "from openai import OpenAI\n"
            "\n"
            "\n"
            "def reply(messages):\n"
            "    client = Client(model=\"gpt-4o-mini\")\n"
            "    return client.chat(messages=messages)\n"
        ),
    }))
    assert not [where for where in sites if where[0] == "free_chat.py"]
    assert ("paid_chat.py", 6) in sites and ("paid_chat.py", 7) in sites
    assert {"g4f", "bardapi"} <= build_sdk_catalog().libraries.free_packages
