"""TKL302 on framework prompt templates (issue 16): a LangChain / LlamaIndex template field filled
with the time or a fresh id at `chain.invoke({...})`, `prompt.format(...)` or `.partial(...)`
makes the cached prefix change on every call when the field comes before the long static text.
Look-alikes stay silent: the field after the static text, a stable value, short static text, a
partial computed once at import."""

from __future__ import annotations

import datetime as dt

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = '''import time
import uuid
from datetime import datetime

from langchain_anthropic import ChatAnthropic
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

POLICY = "Follow the support policy carefully. " * 120
SHORT = "Follow the support policy carefully. " * 5
llm = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=64)
'''


def run(tmp_path, body: str):  # type: ignore[no-untyped-def]
    project(tmp_path, {"app.py": HEAD + body})
    cfg = Config().with_overrides(select=("TKL302",))
    found = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 5)).findings
    first = HEAD.count("\n") + 1
    return [(f.row - first + 1, f.message) for f in sorted(found, key=lambda f: f.row)]


def test_volatile_values_in_template_fields_before_the_static_text(tmp_path):
    got = run(tmp_path, '''
chain = ChatPromptTemplate.from_messages([("system", "Today is {date}. " + POLICY), ("human", "{q}")]) | llm
late = ChatPromptTemplate.from_messages([("system", POLICY + " Today is {date}."), ("human", "{q}")]) | llm
brief = ChatPromptTemplate.from_messages([("system", "Today is {date}. " + SHORT), ("human", "{q}")]) | llm
text = PromptTemplate.from_template("Request {rid}. " + POLICY + " Question: {q}")
dated = ChatPromptTemplate.from_messages([("system", "Now: {now}. " + POLICY), ("human", "{q}")]).partial(
    now=lambda: datetime.now().strftime("%H:%M")) | llm
frozen = ChatPromptTemplate.from_messages([("system", "Now: {now}. " + POLICY), ("human", "{q}")]).partial(
    now=datetime.now().isoformat()) | llm


def invoked(q):
    return chain.invoke({"date": datetime.now().isoformat(), "q": q})


def through_a_variable(q):
    inputs = {"date": time.time(), "q": q}
    return chain.invoke(inputs)


def formatted(q):
    return llm.invoke(text.format(rid=uuid.uuid4(), q=q))


def partial_callable(q):
    return dated.invoke({"q": q})


def field_after_the_static_text(q):
    return late.invoke({"date": datetime.now().isoformat(), "q": q})


def stable_value(q, user):
    return chain.invoke({"date": user.signup_date, "q": q})


def short_static_text(q):
    return brief.invoke({"date": datetime.now().isoformat(), "q": q})


def partial_once_at_import(q):
    return frozen.invoke({"q": q})


def volatile_question_only(q):
    return chain.invoke({"date": "2026-12-05", "q": f"{q} at {datetime.now()}"})
''')
    # the callable partial where it is written (7), then the invoke dict, the variable, the format call
    assert [r for r, _ in got] == [7, 13, 17, 22]
    assert "datetime.now()" in got[0][1] and "`{now}`" in got[0][1]
    assert "datetime.now().isoformat()" in got[1][1] and "`{date}`" in got[1][1]
    assert "time.time()" in got[2][1]
    assert "uuid.uuid4()" in got[3][1] and "`{rid}`" in got[3][1]


def test_llamaindex_template_formatted_for_complete(tmp_path):
    project(tmp_path, {"app.py": '''from datetime import datetime

from llama_index.core import PromptTemplate
from llama_index.llms.anthropic import Anthropic

POLICY = "Follow the support policy carefully. " * 120
llm = Anthropic(model="claude-sonnet-4-5")
tmpl = PromptTemplate("Today is {date}. " + POLICY + " Question: {q}")
late = PromptTemplate(POLICY + " Today is {date}. Question: {q}")


def ask(q):
    return llm.complete(tmpl.format(date=datetime.now().isoformat(), q=q))


def fine(q):
    return llm.complete(late.format(date=datetime.now().isoformat(), q=q))


def plain_string(q):
    return llm.complete("Today is {date}. {q}".format(date=datetime.now(), q=q))
'''})
    cfg = Config().with_overrides(select=("TKL301", "TKL302"))
    found = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 5)).findings
    # TKL301 reads the template the request formats; TKL302 the value its first field gets
    assert sorted((f.code, f.row) for f in found) == [("TKL301", 8), ("TKL302", 13)]
