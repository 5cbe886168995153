"""TKL302 on prompts built away from the request: a per-request value (the time, a fresh id) that a
project function, a `.format` field or a helper puts into the head of the cached prefix -- the
system prompt, or the first message of a request that has no system prompt, when at least the
model's cache minimum of static text follows it. Look-alikes stay silent: the value after the
static text, a first message too short to cache, a value computed once at import, a date in a
later user message. A clock call in a function is a per-call part of the prompt, left to TKL302
(TKL301 does not report the same part twice)."""

from __future__ import annotations

from pathlib import Path

from tests.rules.ruletools import marked, project, prompt_findings

SCHEMA = "- every field of the draft follows the documented JSON shape exactly.\n" * 70  # ~4,800 chars

PROMPTS = f'''from datetime import datetime, timezone

HEADER = """You draft automations as JSON.
Current UTC time: {{now}}
Workspace: {{workspace}}
"""

SCHEMA = """{SCHEMA}"""

FOOTER = """
User intent:
{{intent}}
"""


def build_draft_prompt(workspace, intent):
    return (
        HEADER.format(now=datetime.now(timezone.utc).isoformat(), workspace=workspace)  # 302
        + SCHEMA
        + FOOTER.format(intent=intent)
    )


def build_trailing_prompt(intent):
    return SCHEMA + FOOTER.format(intent=intent) + f"Sent at {{datetime.now()}}"


def build_short_prompt(intent):
    return f"Now: {{datetime.now()}}. Answer briefly: {{intent}}"


def today():
    return datetime.now().strftime("%Y-%m-%d %H:%M")


SUPERVISOR = SCHEMA + "Today is {{today}}."
FROZEN = HEADER.format(now=today(), workspace="w") + SCHEMA
'''

REQUESTS = '''import uuid

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI

from app.prompts import (FROZEN, SCHEMA, SUPERVISOR, build_draft_prompt, build_short_prompt,
                         build_trailing_prompt, today)

llm = ChatOpenAI(model="gpt-4o")
client = OpenAI()


async def draft(workspace, intent):
    prompt = build_draft_prompt(workspace, intent)
    return await llm.ainvoke([HumanMessage(content=prompt)])


async def supervise(history):
    system = SUPERVISOR.format(today=today())  # 302
    return await llm.ainvoke([{"role": "system", "content": system}] + history)


def traced(question):
    run = uuid.uuid4()
    return client.chat.completions.create(model="gpt-4o", max_tokens=200, messages=[
        {"role": "user", "content": f"Run {run}.\\n{SCHEMA}\\n{question}"}])  # 302


def trailing(intent):
    return llm.invoke([HumanMessage(content=build_trailing_prompt(intent))])


def short(intent):
    return llm.invoke([HumanMessage(content=build_short_prompt(intent))])


def frozen(history):
    return llm.invoke([SystemMessage(content=FROZEN)] + history)


def later_message(question):
    return client.chat.completions.create(model="gpt-4o", max_tokens=200, messages=[
        {"role": "user", "content": SCHEMA},
        {"role": "user", "content": f"Today is {today()}. {question}"}])
'''


def build(tmp_path: Path) -> Path:
    return project(tmp_path, {"app/__init__.py": "", "app/prompts.py": PROMPTS, "app/requests.py": REQUESTS})


def test_a_volatile_value_in_the_head_of_a_prompt_built_elsewhere_is_reported_where_it_enters(tmp_path):
    root = build(tmp_path)
    got = prompt_findings(root)
    expected = [("app/prompts.py", n) for _m, n in marked(PROMPTS)] + [
        ("app/requests.py", n) for _m, n in marked(REQUESTS)]
    assert sorted((f.path, f.row) for f in got if f.code == "TKL302") == sorted(expected)
    assert not [f for f in got if f.code == "TKL301"]  # the clock is TKL302's finding, not also TKL301's


def test_the_message_says_where_the_value_is_and_how_much_static_text_follows(tmp_path):
    root = build(tmp_path)
    messages = {f.row: f.message for f in prompt_findings(root) if f.code == "TKL302"}
    first = messages[marked(PROMPTS)[0][1]]
    assert first.startswith("Per-request value datetime.now(timezone.utc).isoformat() in the first message (before ~")
    assert messages[marked(REQUESTS)[0][1]].startswith("Per-request value today() in the system prompt")


def test_a_value_kept_in_a_variable_is_reported_where_it_enters_the_prompt(tmp_path):
    root = build(tmp_path)
    messages = [f.message for f in prompt_findings(root) if f.code == "TKL302" and f.path == "app/requests.py"]
    assert any(m.startswith("Per-request value run (from uuid.uuid4()) in the first message") for m in messages)


HELPED = ("from anthropic import Anthropic\n\nfrom app.helpers import today_str\n\nclaude = Anthropic()\n"
          "RULES = 'Follow the house style.'\n\n\n"
          "def ask(q):\n"
          "    return claude.messages.create(model='claude-sonnet-5', max_tokens=5,\n"
          "        system=RULES + ' Today is ' + today_str(),  # 302\n"
          "        messages=[{'role': 'user', 'content': q}])\n")


def test_a_helper_that_formats_the_time_itself_is_reported_at_each_call_once(tmp_path):
    helper = ("from datetime import datetime\n\n\ndef today_str():\n    now = datetime.now()\n"
              "    return f\"{now:%a} {now:%b} {now.day}, {now:%H}:{now:%M}\"\n")
    root = project(tmp_path, {"app/__init__.py": "", "app/helpers.py": helper, "app/requests.py": HELPED})
    got = [(f.path, f.row) for f in prompt_findings(root) if f.code == "TKL302"]
    assert got == [("app/requests.py", marked(HELPED)[0][1])]


def test_a_helper_that_gives_the_date_to_the_day_is_no_per_request_value(tmp_path):
    # the date changes once a day, a cache entry lives minutes to an hour: one cache write a day
    helper = ("from datetime import datetime\n\n\ndef today_str():\n    now = datetime.now()\n"
              "    return f\"{now:%a} {now:%b} {now.day}, {now:%Y}\"\n")
    root = project(tmp_path, {"app/__init__.py": "", "app/helpers.py": helper, "app/requests.py": HELPED})
    assert not [f for f in prompt_findings(root) if f.code in ("TKL301", "TKL302")]


WRAPPED = '''from datetime import datetime

from anthropic import Anthropic

claude = Anthropic()
RULES = "Follow the house style in every answer. " * 20


def complete(system, question):
    return claude.messages.create(model="claude-sonnet-5", max_tokens=300, system=system,
                                  messages=[{"role": "user", "content": question}])


def relay(system, question):
    return complete(system, question)


def stamped(question):
    return complete(f"Now: {datetime.now():%H:%M}\\n{RULES}", question)  # 302


def relayed(question):
    return relay(f"Request at {datetime.now()}. {RULES}", question)  # 302


def dated_question(question):
    return complete(RULES, f"{question}\\n(asked {datetime.now()})")


def frozen(question):
    return complete(RULES, question)
'''


def test_a_volatile_value_a_caller_passes_for_a_wrapper_s_system_prompt_is_reported_at_the_caller(tmp_path):
    root = project(tmp_path, {"app/__init__.py": "", "app/wrapped.py": WRAPPED})
    got = [(f.path, f.row) for f in prompt_findings(root) if f.code == "TKL302"]
    assert got == [("app/wrapped.py", n) for _m, n in marked(WRAPPED)]  # once each, through two wrappers
