"""TKL301 / TKL302 read the first message of a message list that is not written as one list: a
concatenation whose left-most part is a literal list (`[system] + history`, as real chat loops send
the history behind the system prompt) and a project function that builds the list and returns it
(`self.build_messages(q)`). Look-alikes stay silent: the history first, a static system prompt
that carries the dynamic part at its end, text below the cache minimum, a builder with two
`return`s, and a time in the user message rather than the system prompt. Lines marked `# 301` /
`# 302` are where a finding must be, and nowhere else."""

from __future__ import annotations

import datetime as dt

from ruletools import marked, project
from ruletools import prompt_findings as findings

from tokenlint.config import Config
from tokenlint.engine import analyse

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = f'''import datetime

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI

client = OpenAI()
llm = ChatOpenAI(model="gpt-4o")
POLICY = "{POLICY}"


def concatenated(user, history):
    messages = [{{"role": "system", "content": f"You help {{user}}.\\n{{POLICY}}"}}] + history  # 301
    return client.chat.completions.create(model="gpt-4o", messages=messages)


def concatenated_inline(user, history):
    return client.chat.completions.create(
        model="gpt-4o",
        messages=[{{"role": "system", "content": f"{{POLICY}}\\nNow: {{datetime.datetime.now()}}"}}] + history)  # 302


def framework(user, history):
    return llm.invoke([SystemMessage(content=f"You help {{user}}.\\n{{POLICY}}")] + history)  # 301


class Bot:
    def build(self, question):
        messages = [{{"role": "system", "content": f"Ticket {{question}}.\\n" + POLICY}}]  # 301
        messages.append({{"role": "user", "content": question}})
        return messages

    def answer(self, question):
        return client.chat.completions.create(model="gpt-4o", messages=self.build(question))


# ---------------------------------------------------------------- look-alikes: no finding


def static_first(user, history):
    messages = [{{"role": "system", "content": POLICY + f"\\nYou help {{user}}."}}] + history
    return client.chat.completions.create(model="gpt-4o", messages=messages)


def short(user, history):
    return client.chat.completions.create(
        model="gpt-4o", messages=[{{"role": "system", "content": f"You help {{user}}. Be brief."}}] + history)


def history_first(user, history):
    messages = history + [{{"role": "system", "content": f"You help {{user}}.\\n{{POLICY}}"}}]
    return client.chat.completions.create(model="gpt-4o", messages=messages)


def starred(user, history):
    return llm.invoke([*history, SystemMessage(content=f"You help {{user}}.\\n{{POLICY}}")])


def two_returns(user, flag):
    if flag:
        return [{{"role": "system", "content": f"You help {{user}}.\\n{{POLICY}}"}}]
    return [{{"role": "system", "content": POLICY}}]


def branching(user, flag):
    return client.chat.completions.create(model="gpt-4o", messages=two_returns(user, flag))


def time_in_user_message(history):
    messages = [{{"role": "system", "content": POLICY}},
                {{"role": "user", "content": f"Now: {{datetime.datetime.now()}}"}}] + history
    return client.chat.completions.create(model="gpt-4o", messages=messages)
'''


def test_first_message_of_concatenated_and_built_lists(tmp_path):
    project(tmp_path, {"app.py": APP})
    got = findings(tmp_path)
    assert sorted((f.code[3:], f.row) for f in got) == marked(APP)
    assert all("~1,110 tokens" in f.message and ("`user`" in f.message or "`question`" in f.message)
               for f in got if f.code == "TKL301")
    assert ["datetime.datetime.now()" in f.message for f in got if f.code == "TKL302"] == [True]


def test_the_system_prompt_of_a_concatenated_list_is_recorded(tmp_path):
    """The inventory's call-site record names the system message it found in the list's head."""
    project(tmp_path, {"app.py": APP})
    sites = {s.function: s for s in analyse([tmp_path], Config(), root=tmp_path, today=dt.date(2026, 12, 5)).sites
             if s.kind == "direct"}
    assert sites["concatenated"].system is not None and sites["concatenated"].system.kind == "fstring"
    assert sites["answer"].system is not None and sites["answer"].system.where == "messages[role=system]"
    assert sites["history_first"].system is None and sites["branching"].system is None
