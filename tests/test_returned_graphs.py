"""A LangGraph graph compiled by a project builder method and run by its caller (`graph = await
Builder(llm).build_graph(); await graph.ainvoke(...)`): the run is a request when the graph is a prebuilt
agent or has a model runnable as a node, and no request when its nodes are the project's own functions
(their model calls are the sites: the study's graph-run decision of round 3)."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

BUILDER = (
    "from langchain_openai import ChatOpenAI\n"
    "from langgraph.graph import StateGraph\n"
    "from langgraph.prebuilt import create_react_agent\n"
    "\n"
    "\n"
    "class Builder:\n"
    "    def __init__(self, tools):\n"
    "        self.llm = ChatOpenAI(model='gpt-4o-mini')\n"
    "        self.tools = tools\n"
    "\n"
    "    async def _build(self):\n"
    "        self.graph = create_react_agent(self.llm, self.tools)\n"
    "\n"
    "    async def build_graph(self):\n"
    "        await self._build()\n"
    "        return self.graph\n"
    "\n"
    "    async def node(self, state):\n"
    "        return {'messages': [await self.llm.ainvoke(state['messages'])]}\n"
    "\n"
    "    async def build_node_graph(self):\n"
    "        g = StateGraph(dict)\n"
    "        g.add_node('agent', self.node)\n"
    "        self.ngraph = g.compile()\n"
    "        return self.ngraph\n"
)
RUN = (
    "from app.builder import Builder\n"
    "\n"
    "\n"
    "async def main(q):\n"
    "    graph = await Builder(tools=[]).build_graph()\n"
    "    await graph.ainvoke({'messages': [q]})\n"
    "    ngraph = await Builder(tools=[]).build_node_graph()\n"
    "    await ngraph.ainvoke({'messages': [q]})\n"
)


def test_a_graph_a_project_method_builds_is_a_request_where_it_runs_only_when_prebuilt(tmp_path):
    root = make(tmp_path / "proj", {"app/__init__.py": "", "app/builder.py": BUILDER, "app/run.py": RUN})
    sites = sorted((s.path, s.line) for s in analyse([root], Config(), root=root).sites if s.kind == "request")
    assert sites == [("app/builder.py", 19), ("app/run.py", 6)]
