"""TKL301 / TKL302 read the system prompt an agent is built with when the agent is the model object
a run uses (openai-agents' `Agent(name, instructions=...)` run by `Runner.run`) or a composer of its
model client (autogen-agentchat's `AssistantAgent(name, model_client, system_message=...)`; Strands'
`Agent(model, system_prompt=...)` called with the question; catalog `agent_prompts`): the agent sends it first in every model request of the run. Look-alikes stay
silent: static instructions with the dynamic part (a date) at the end, callable instructions (not
text), short instructions, and a project class that happens to be called `Agent`. Lines marked
`# 301` / `# 302` are where a finding must be, and nowhere else."""

from __future__ import annotations

from ruletools import marked, project
from ruletools import prompt_findings as findings

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = f'''import datetime

from agents import Agent, Runner
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from strands import Agent as StrandsAgent

POLICY = "{POLICY}"


async def support(user, question):
    agent = Agent(name="support", model="gpt-4o", instructions=f"You help {{user}}.\\n{{POLICY}}")  # 301
    return await Runner.run(agent, question)


def make_agent(ticket):
    return Agent(name="triage", model="gpt-4o", instructions="Ticket " + ticket + ".\\n" + POLICY)  # 301


async def triage(ticket, question):
    return await Runner.run(make_agent(ticket), question)


async def stamped(question):
    agent = Agent(name="s", model="gpt-4o", instructions=f"{{datetime.datetime.now()}}\\n{{POLICY}}")  # 302
    return await Runner.run(agent, question)


async def team(user, task):
    client = OpenAIChatCompletionClient(model="gpt-4o")
    helper = AssistantAgent("helper", client, system_message=f"You help {{user}}.\\n{{POLICY}}")  # 301
    return await helper.run(task=task)


def strands_for(user, question):
    agent = StrandsAgent(model="us.anthropic.claude-sonnet-4-20250514-v1:0", system_prompt=f"For {{user}}.\\n{{POLICY}}")  # 301
    return agent(question)


# ---------------------------------------------------------------- look-alikes: no finding


async def dated_at_the_end(question):
    today = datetime.date.today().isoformat()
    agent = Agent(name="d", model="gpt-4o", instructions=POLICY + f"\\nToday is {{today}}.")
    return await Runner.run(agent, question)


def instructions_for(ctx, agent):
    return f"You help {{ctx.context.user}}.\\n{{POLICY}}"


async def callable_instructions(question):
    agent = Agent(name="c", model="gpt-4o", instructions=instructions_for)
    return await Runner.run(agent, question)


async def short(user, question):
    agent = Agent(name="b", model="gpt-4o", instructions=f"You help {{user}}. Be brief.")
    return await Runner.run(agent, question)


async def short_team(user, task):
    client = OpenAIChatCompletionClient(model="gpt-4o")
    helper = AssistantAgent("helper", client, system_message=f"You help {{user}}.")
    return await helper.run(task=task)


def strands_static_first(user, question):
    agent = StrandsAgent(model="us.anthropic.claude-sonnet-4-20250514-v1:0", system_prompt=POLICY + f"\\nFor {{user}}.")
    return agent(question)
'''

LOOKALIKE = f'''from openai import OpenAI

client = OpenAI()


class Agent:
    def __init__(self, name, instructions):
        self.name, self.instructions = name, instructions

    def run(self, question):
        return client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": question}}])


def mine(user, question):
    agent = Agent("mine", instructions=f"You help {{user}}.\\n" + "{POLICY}")
    return agent.run(question)
'''


def test_agent_constructor_instructions(tmp_path):
    project(tmp_path, {"app.py": APP, "own.py": LOOKALIKE})
    got = findings(tmp_path)
    assert sorted((f.code[3:], f.row) for f in got if f.path == "app.py") == marked(APP)
    assert [f for f in got if f.path == "own.py"] == []
    assert all("~1,110 tokens" in f.message for f in got if f.code == "TKL301")
    assert ["datetime.datetime.now()" in f.message for f in got if f.code == "TKL302"] == [True]
