"""Framework surfaces added on 2026-12-07 (post23a), each checked against the package's own source: OpenAI
Swarm's run loop and its Agent binding, ragas' model factories and test-set generator, dspy's typed
predictors and LlamaIndex rerankers' postprocess_nodes; beside look-alikes that send nothing."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _chosen, _silent, _sites  # the census tests' fixture helpers


def _requests(sites) -> set[tuple]:
    """(line, provider, model value) of each request site."""
    return {(s.line, s.provider, s.model.value) for s in sites if s.kind != "binding"}


def test_swarm_run_is_a_request_on_the_agent_it_is_handed(tmp_path: Path) -> None:
    src = '''\
from swarm import Swarm, Agent
from swarm.repl import run_demo_loop

client = Swarm()
plain = Agent(name="Plain")
named = Agent(name="Named", model="gpt-4o-mini")


class Crew:
    def __init__(self, model):
        self.model = model

    def run(self, agent, messages):
        return [agent, messages]


def ask(q):
    return client.run(plain, [q])


def ask_named(q):
    return client.run(agent=named, messages=[q], stream=True)


def own(q):
    return Crew(model="gpt-4o").run(named, [q])


def main():
    run_demo_loop(named)
'''
    sites = _sites(tmp_path, src)
    assert _requests(sites) == {(18, "openai", None), (22, "openai", "gpt-4o-mini"), (30, "openai", "gpt-4o-mini")}
    assert _chosen(sites, 6, 22) == ("swarm", "openai", "gpt-4o-mini")
    # an Agent built without a model chooses none (it runs Swarm's default), and a project class's `run` is no request
    assert _silent(sites, 5, 26)


def test_a_project_module_named_swarm_is_the_projects_own(tmp_path: Path) -> None:
    (tmp_path / "swarm.py").write_text("class Swarm:\n    def run(self, agent, messages):\n        return messages\n"
                                       "class Agent:\n    def __init__(self, name, model):\n        self.model = model\n",
                                       encoding="utf-8")
    src = '''\
from swarm import Swarm, Agent
a = Agent("x", model="gpt-4o")
def go(q):
    return Swarm().run(a, [q])
'''
    assert not _sites(tmp_path, src)
