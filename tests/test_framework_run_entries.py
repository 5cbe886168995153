"""Run entries of agent frameworks as request sites: the call that runs a crew, a team or an agent is where the
application spends, even when the models it runs are added to it after construction."""

from __future__ import annotations

from projects import analysed_sites, line_of

CREW_APP = (
    "from langchain_openai import ChatOpenAI\n"
    "from motleycrew import MotleyCrew\n"
    "from motleycrew.agents.langchain import ReActToolCallingMotleyAgent\n"
    "from motleycrew.tasks import SimpleTask\n"
    "\n"
    "crew = MotleyCrew()\n"
    "writer = ReActToolCallingMotleyAgent(llm=ChatOpenAI(model='gpt-4o'), tools=[])  # binding\n"
    "SimpleTask(crew=crew, name='draft', description='Write a haiku', agent=writer)\n"
    "crew.run()  # crew-run\n"
    "crew.get_extra_tools(writer)  # other\n"
)


def test_a_motleycrew_crews_run_is_a_request(tmp_path) -> None:
    """The tasks (and their agents) are added to the crew after it is built: `crew.run()` runs them, a
    request with the model left dynamic; another method of the crew is no site."""
    sites = analysed_sites(tmp_path, {"app.py": CREW_APP})
    got = {s.line: s for s in sites if s.path == "app.py"}
    run = got.get(line_of(tmp_path / "app.py", "# crew-run"))
    assert run is not None and run.kind == "request" and run.sdk == "motleycrew" and run.model.kind == "dynamic"
    assert line_of(tmp_path / "app.py", "# other") not in got
    assert got[line_of(tmp_path / "app.py", "# binding")].kind == "binding"


PYDANTIC_AI_APP = (
    "from dataclasses import dataclass\n"
    "\n"
    "from pydantic_ai import Agent\n"
    "\n"
    "\n"
    "@dataclass\n"
    "class Found:\n"
    "    price: int\n"
    "\n"
    "\n"
    "class Missing:\n"
    "    pass\n"
    "\n"
    "\n"
    "search = Agent[None, Found | Missing]('openai:gpt-4o', output_type=Found | Missing)  # binding\n"
    "\n"
    "\n"
    "async def find():\n"
    "    return await search.run('cheapest flight to Oslo')  # run\n"
)


def test_an_agent_parametrized_with_a_union_output_is_the_agent_class(tmp_path) -> None:
    """`Agent[Deps, Found | Missing](...)` builds an `Agent` as `Agent[Deps, str](...)` does: its binding and
    its run (a request on that model) are found."""
    sites = analysed_sites(tmp_path, {"app.py": PYDANTIC_AI_APP})
    got = {s.line: s for s in sites if s.path == "app.py"}
    assert got[line_of(tmp_path / "app.py", "# binding")].kind == "binding"
    run = got.get(line_of(tmp_path / "app.py", "# run"))
    assert run is not None and run.kind == "request" and run.provider == "openai" and run.model.value == "gpt-4o"
