"""SDK request methods handed over as values: `partial(cast("Callable", acompletion), model)` binds the
model positionally (`cast` returns its value unchanged), `partial(client.text_generation,
max_new_tokens=n)` binds a request's arguments for later (its model the client's), and a project helper
wrapping a model's request method in its framework's runnables (`RunnableLambda(fn).with_retry(...)`)
returns a runnable running that model. A partial binding nothing, or a helper wrapping the method in
something else, is not a request."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path: Path, src: str) -> list[tuple[int, str, str, str]]:
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.line, s.provider, s.api, s.model.value or "") for s in result.sites]


def test_partials_of_request_methods_binding_arguments_are_requests(tmp_path: Path) -> None:
    src = ("from functools import partial\n"
           "from typing import Callable, cast\n"
           "from litellm import acompletion\n"
           "from huggingface_hub import InferenceClient\n"
           "class Selector:\n"
           "    def __init__(self, model_name='gpt-4o-mini'):\n"
           "        self._complete = partial(cast('Callable', acompletion), model_name)\n"
           "class Remote:\n"
           "    def __init__(self, url, n):\n"
           "        client = InferenceClient(model=url)\n"
           "        self.llm = partial(client.text_generation, max_new_tokens=n)\n"
           "        self.raw = partial(client.text_generation)\n")
    assert _sites(tmp_path, src) == [(7, "litellm", "completion", "gpt-4o-mini"),
                                     (11, "huggingface", "completions", "")]


def test_a_helper_wrapping_a_models_request_method_in_runnables_returns_that_model(tmp_path: Path) -> None:
    src = ("from langchain_core.language_models import BaseChatModel\n"
           "from langchain_core.runnables import RunnableLambda\n"
           "def with_retries(fn, attempts=3):\n"
           "    runnable = RunnableLambda(fn)\n"
           "    return runnable.with_retry(stop_after_attempt=attempts)\n"
           "def logged(fn):\n"
           "    return str(fn)\n"
           "class Judge:\n"
           "    def __init__(self, llm: BaseChatModel):\n"
           "        self.llm = llm\n"
           "    async def score(self, messages):\n"
           "        return await with_retries(self.llm.ainvoke).ainvoke(messages)\n"
           "    def name(self):\n"
           "        return logged(self.llm.invoke).upper()\n")
    assert [(line, api) for line, _p, api, _m in _sites(tmp_path, src)] == [(12, "chat_model")]


def test_a_pipe_step_running_a_models_request_method_is_that_models_chain(tmp_path: Path) -> None:
    """`prompt | RunnableLambda(llm.ainvoke)` and `prompt | llm.invoke`: the step runs the model's request,
    so the chain holds the model (its `invoke` is a request); a step of another method of it does not."""
    src = ("from langchain_openai import ChatOpenAI\n"
           "from langchain_core.prompts import ChatPromptTemplate\n"
           "from langchain_core.runnables import RunnableLambda\n"
           "llm = ChatOpenAI(model='gpt-4o-mini')\n"
           "prompt = ChatPromptTemplate.from_template('Summarise: {text}')\n"
           "async def summarise(text):\n"
           "    chain = prompt | RunnableLambda(llm.ainvoke)\n"
           "    return await chain.ainvoke({'text': text})\n"
           "def answer(text):\n"
           "    chain = prompt | llm.invoke\n"
           "    return chain.invoke({'text': text})\n"
           "def counted(text):\n"
           "    chain = prompt | RunnableLambda(llm.get_num_tokens)\n"
           "    return chain.invoke({'text': text})\n")
    assert [(line, model) for line, _p, _api, model in _sites(tmp_path, src)] == [
        (4, "gpt-4o-mini"), (8, "gpt-4o-mini"), (11, "gpt-4o-mini")]  # (4: the model made, for the module)


def test_a_partial_binding_no_model_takes_the_model_its_calls_pass(tmp_path: Path) -> None:
    """`create = partial(client.chat.completions.create, temperature=0)` binds no model: the calls of
    `create` pass it (`create(model="gpt-4o", ...)`), so that is the site's model, not `<missing>`; a
    partial binding its own model keeps it, and a name no call passes a model to stays missing."""
    src = ("from functools import partial\n"
           "from openai import OpenAI\n"
           "client = OpenAI()\n"
           "create = partial(client.chat.completions.create, temperature=0)\n"
           "pinned = partial(client.chat.completions.create, model='gpt-4o-mini', temperature=0)\n"
           "bare = partial(client.chat.completions.create, temperature=1)\n"
           "def ask(q):\n"
           "    return create(model='gpt-4o', messages=[{'role': 'user', 'content': q}])\n"
           "def ask_pinned(q):\n"
           "    return pinned(messages=[{'role': 'user', 'content': q}])\n"
           "def ask_bare(q, **kw):\n"
           "    return bare(messages=[{'role': 'user', 'content': q}], **kw)\n"
           "def local(q):\n"
           "    send = partial(client.chat.completions.create, max_tokens=64)\n"
           "    return send(model='o3-mini', messages=[{'role': 'user', 'content': q}])\n")
    assert [(line, model) for line, _p, _api, model in _sites(tmp_path, src)] == [
        (4, "gpt-4o"), (5, "gpt-4o-mini"), (6, ""), (14, "o3-mini")]
