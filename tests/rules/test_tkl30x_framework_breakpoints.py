"""TKL304 / TKL305 on LangChain requests (issue 16): a `ChatAnthropic` / `ChatBedrockConverse`
request whose opening system message is static text above the model's cache minimum and carries no
`cache_control` / `cachePoint` block is reported (no fix: reported only); a breakpoint placed in
the messages before the minimum is ineffective. Look-alikes stay silent: a breakpoint in the
system block, `cache_control=` on the request, a short or dynamic system prompt, a model without
explicit caching (`ChatOpenAI`), a legacy `ChatBedrock`, a system message that does not come first,
caching bound where tokenlint does not follow it."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = '''from langchain_anthropic import ChatAnthropic
from langchain_aws import ChatBedrock, ChatBedrockConverse
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI

POLICY = "Follow the support policy carefully. " * 160
SHORT = "Follow the support policy carefully. " * 5
llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=64)
converse = ChatBedrockConverse(model="anthropic.claude-sonnet-4-5-20250929-v1:0")
legacy = ChatBedrock(model_id="anthropic.claude-sonnet-4-5-20250929-v1:0")
oai = ChatOpenAI(model="gpt-4o")
'''


def run(tmp_path, body: str, head: str = HEAD):  # type: ignore[no-untyped-def]
    project(tmp_path, {"app.py": head + body})
    cfg = Config().with_overrides(select=("TKL304", "TKL305"))
    found = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 5)).findings
    first = head.count("\n") + 1
    return [(f.code, f.row - first + 1, f.message, f.fix) for f in sorted(found, key=lambda f: f.row)]


def test_missing_breakpoint_on_framework_requests(tmp_path):
    got = run(tmp_path, '''
chain = ChatPromptTemplate.from_messages([("system", POLICY), ("human", "{q}")]) | llm
dated = ChatPromptTemplate.from_messages([("system", "Today is {date}. " + POLICY), ("human", "{q}")]) | llm


def messages(q):
    return llm.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def templated(q):
    return chain.invoke({"q": q})


def bedrock(q):
    return converse.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def marked_block(q):
    system = SystemMessage(content=[{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}])
    return llm.invoke([system, HumanMessage(content=q)])


def request_keyword(q):
    return llm.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)], cache_control={"type": "ephemeral"})


def short(q):
    return llm.invoke([SystemMessage(content=SHORT), HumanMessage(content=q)])


def dynamic(q):
    return dated.invoke({"date": "x", "q": q})


def no_explicit_cache(q):
    return oai.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def legacy_bedrock(q):
    return legacy.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def system_second(q):
    return llm.invoke([HumanMessage(content=q), SystemMessage(content=POLICY)])
''')
    assert [(c, r) for c, r, _, _ in got] == [("TKL305", 2), ("TKL305", 7), ("TKL305", 15)]
    assert "cache minimum for claude-sonnet-4-5" in got[1][2]
    assert all(fix is None for *_, fix in got)


def test_caching_bound_to_the_model_is_a_breakpoint(tmp_path):
    got = run(tmp_path, '''
cached = llm.bind(cache_control={"type": "ephemeral"})
stopped = llm.bind(stop=["END"])
extras = ChatAnthropic(model="claude-sonnet-4-5", model_kwargs={"metadata": {"user_id": "u"}})


def bound(q):
    return cached.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def piped(q):
    return (ChatPromptTemplate.from_messages([("system", POLICY), ("human", "{q}")]) | cached).invoke({"q": q})


def other_binding(q):
    return stopped.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])


def model_kwargs_not_judged(q):
    return extras.invoke([SystemMessage(content=POLICY), HumanMessage(content=q)])
''')
    assert [(c, r) for c, r, _, _ in got] == [("TKL305", 16)]


def test_ineffective_breakpoint_in_framework_messages(tmp_path):
    got = run(tmp_path, '''
def early(q):
    system = SystemMessage(content=[{"type": "text", "text": SHORT, "cache_control": {"type": "ephemeral"}}])
    return llm.invoke([system, HumanMessage(content=q)])


def enough(q):
    system = SystemMessage(content=[{"type": "text", "text": POLICY, "cache_control": {"type": "ephemeral"}}])
    return llm.invoke([system, HumanMessage(content=q)])


def template_fields_are_not_text(q):
    prompt = ChatPromptTemplate.from_messages([
        ("system", [{"type": "text", "text": "{context}", "cache_control": {"type": "ephemeral"}}]),
        ("human", "{q}"),
    ])
    return (prompt | llm).invoke({"context": q, "q": q})
''')
    assert [(c, r) for c, r, _, _ in got] == [("TKL304", 3)]
    assert "below the 1024 tokens claude-sonnet-4-5 needs" in got[0][2]
