"""TKL401 / TKL402 on the sites where framework code spends (issue 13, item 2): a LangChain request
and a call on a project facade in a loop are judged like an SDK call, at the request or the facade
call; look-alikes (a bounded loop, a loop the model does not end, a request served online) are not."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 12, 4)

AGENT = '''from abc import ABC, abstractmethod

from langchain_openai import ChatOpenAI
from openai import OpenAI

llm = ChatOpenAI(model="gpt-6.1-terra", max_tokens=400)


class Backend(ABC):
    @abstractmethod
    def ask(self, prompt): ...


class OpenAIBackend(Backend):
    def __init__(self):
        self.client = OpenAI()

    def ask(self, prompt):
        return self.client.chat.completions.create(model="gpt-6.1-terra", messages=[], max_tokens=300)


class Agent:
    def __init__(self, backend: Backend):
        self.backend = backend

    def run(self, messages):
        while True:
            reply = llm.bind_tools([]).invoke(messages)
            if not reply.tool_calls:
                return reply
            messages.append(reply)

    def think(self, prompt):
        while True:
            answer = self.backend.ask(prompt)
            if answer.choices[0].finish_reason == "stop":
                return answer

    def bounded(self, messages, max_steps=8):
        steps = 0
        while True:
            reply = llm.invoke(messages)
            steps += 1
            if not reply.tool_calls or steps >= max_steps:
                return reply

    def listen(self, queue):
        while True:
            llm.invoke(queue.get())
'''

JOB = '''from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI

chain = ChatPromptTemplate.from_template("Summarise: {doc}") | ChatOpenAI(model="gpt-6-luna", max_tokens=200)


def run(docs):
    for doc in docs:
        chain.invoke({"doc": doc})
'''


def found(tmp_path, files, code):
    project(tmp_path, files)
    cfg = Config().with_overrides(select=(code,))
    return sorted((f.path, f.row) for f in analyse([tmp_path], cfg, root=tmp_path, today=TODAY).findings)


def test_agent_loops_on_framework_requests_and_facades(tmp_path):
    # the LangChain request (28) and the facade call (35) in loops only the model ends; the bounded
    # loop (42) and the worker loop with no way out (49) are not reported
    assert found(tmp_path, {"agent.py": AGENT}, "TKL402") == [("agent.py", 28), ("agent.py", 35)]


def test_a_framework_request_in_an_offline_job_loop_is_a_batch_candidate(tmp_path):
    assert found(tmp_path, {"scripts/summarise.py": JOB}, "TKL401") == [("scripts/summarise.py", 9)]


def test_the_same_loop_served_online_is_not(tmp_path):
    assert found(tmp_path, {"app/service.py": JOB}, "TKL401") == []
