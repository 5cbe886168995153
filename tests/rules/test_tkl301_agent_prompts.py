"""TKL301 / TKL302 read the system prompt an agent builder is handed (`create_agent(model, tools,
system_prompt=...)`, langgraph's `create_react_agent(..., prompt=...)`, also through a `**kwargs`
dict; catalog `agent_prompts`): the agent puts it before the messages of every request it makes, so
a request on the agent is judged on it. Look-alikes stay silent: the dynamic part after the static
text, a callable prompt (not text), a short prompt, and a project function that happens to be
called `create_agent`. Lines marked `# 301` / `# 302` are where a finding must be, and nowhere else."""

from __future__ import annotations

import datetime as dt

from ruletools import marked, project
from ruletools import prompt_findings as findings

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = f'''import datetime

from langchain.agents import create_agent
from langchain_core.messages import SystemMessage
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent

llm = ChatOpenAI(model="gpt-4o")
POLICY = "{POLICY}"


def agent_for(user):
    agent = create_agent(llm, [], system_prompt=f"You help {{user}}.\\n{{POLICY}}")  # 301
    return agent.invoke({{"messages": [{{"role": "user", "content": "hi"}}]}})


def react_for(user):
    agent = create_react_agent(llm, [], prompt=f"{{POLICY}}\\nNow: {{datetime.datetime.now()}}")  # 302
    return agent.invoke({{"messages": [("user", "hi")]}})


def message_prompt(user):
    agent = create_agent(llm, [], system_prompt=SystemMessage(content=f"You help {{user}}.\\n{{POLICY}}"))  # 301
    return agent.invoke({{"messages": []}})


def packed(user):
    kwargs = {{"model": llm, "tools": [], "system_prompt": f"Agent {{user}}.\\n" + POLICY}}  # 301
    agent = create_agent(**kwargs)
    return agent.invoke({{"messages": []}})


# ---------------------------------------------------------------- look-alikes: no finding


def static_first(user):
    agent = create_agent(llm, [], system_prompt=POLICY + f"\\nYou help {{user}}.")
    return agent.invoke({{"messages": []}})


def make_prompt(state):
    return [{{"role": "system", "content": POLICY}}] + state["messages"]


def callable_prompt(user):
    agent = create_react_agent(llm, [], prompt=make_prompt)
    return agent.invoke({{"messages": []}})


def short(user):
    agent = create_agent(llm, [], system_prompt=f"You help {{user}}. Be brief.")
    return agent.invoke({{"messages": []}})
'''

LOOKALIKE = f'''from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o")


def create_agent(model, tools, system_prompt=""):
    return model


def mine(user):
    agent = create_agent(llm, [], system_prompt=f"You help {{user}}.\\n" + "{POLICY}")
    return agent.invoke("hi")
'''


def test_agent_builder_system_prompts(tmp_path):
    project(tmp_path, {"app.py": APP, "own.py": LOOKALIKE})
    got = findings(tmp_path)
    assert sorted((f.code[3:], f.row) for f in got if f.path == "app.py") == marked(APP)
    assert [f for f in got if f.path == "own.py"] == []
    assert all("~1,110 tokens" in f.message for f in got if f.code == "TKL301")
    assert ["datetime.datetime.now()" in f.message for f in got if f.code == "TKL302"] == [True]


def test_the_request_records_its_agents_system_prompt(tmp_path):
    project(tmp_path, {"app.py": APP})
    sites = {s.function: s for s in analyse([tmp_path], Config(), root=tmp_path, today=dt.date(2026, 12, 5)).sites
             if s.kind == "request"}
    assert sites["agent_for"].system is not None and sites["agent_for"].system.where == "system_prompt"
    assert sites["react_for"].system is not None and sites["react_for"].system.where == "prompt"
    assert sites["packed"].system is not None


SPLIT = f'''from langchain.agents import create_agent
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o")


class Client:
    def _ensure(self, user_id):
        self.agent = create_agent(llm, [], system_prompt=f"Agent {{user_id}}.\\n" + "{POLICY}")

    def stream(self, user_id, question):
        self._ensure(user_id)
        return self.agent.invoke({{"messages": [("user", question)]}})


def caller():
    return Client().stream("u", "q")
'''


def test_a_prompt_written_in_another_method_forwards_no_parameter(tmp_path):
    """The agent's prompt is built in `_ensure`: its `user_id` is that method's, so `stream` does not
    forward its own `user_id` into the prompt (only `question`, the request's input); the finding
    stays on the prompt, not on the wrapper call."""
    project(tmp_path, {"app.py": SPLIT})
    result = analyse([tmp_path], Config().with_overrides(select=("TKL301",)), root=tmp_path,
                     today=dt.date(2026, 12, 5))
    requests = [s for s in result.sites if s.kind == "request"]
    # `question` is the request's input (its caller writes it: a wrapper row), `user_id` is not forwarded
    assert [s.function for s in requests] == ["stream"] and requests[0].forwards == frozenset({"question"})
    assert [s.function for s in result.sites if s.kind == "wrapper"] == ["caller"]
    assert [f.row for f in result.findings] == [9]
