"""Conformance of TKL101's fixes with the real SDKs, offline.

For every (sink, SDK) convention the fix writes (catalog/sinks.toml [[write]]), tokenlint fixes a
small module, the test executes the *fixed* module with the SDK's client class swapped for one on a
mock transport (httpx / httpx2 `MockTransport`, a botocore event hook, a LiteLLM mock response),
runs the fixed call, and asserts that the SDK raised nothing and that the tag sits exactly where
the sink reads it (header name, JSON path, LiteLLM's request_tags). No network: every transport
answers locally. A test skips only when its SDK is not installed (`pip install -e '.[conformance]'`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from tokenlint.attribution import load_sinks
from tokenlint.config import load_config
from tokenlint.engine import fix

TODAY = dt.date(2026, 12, 4)
FEATURE = "conf-ask"  # the fix names it after the module (conf.py) and the function (ask)

OPENAI_CHAT = {"id": "c1", "object": "chat.completion", "created": 0, "model": "gpt-4o-2024-08-06",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
ANTHROPIC_MESSAGE = {"id": "m1", "type": "message", "role": "assistant", "model": "claude-sonnet-5",
                     "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                     "usage": {"input_tokens": 1, "output_tokens": 1}}
GENAI_RESPONSE = {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}}]}
CONVERSE_RESPONSE = {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                     "stopReason": "end_turn", "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
                     "metrics": {"latencyMs": 1}}


@dataclass
class Captured:
    headers: dict[str, str]
    body: Any


def _mock(httpx_module, answer: dict, seen: list[Captured]):  # type: ignore[no-untyped-def]
    def handler(request):  # type: ignore[no-untyped-def]
        body = json.loads(request.content) if request.content else None
        seen.append(Captured({k.lower(): v for k, v in request.headers.items()}, body))
        return httpx_module.Response(200, json=answer)

    return httpx_module.Client(transport=httpx_module.MockTransport(handler))


# ------------------------------------------------------------------ the SDK set-ups


def openai_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    openai = pytest.importorskip("openai")
    httpx2 = pytest.importorskip("httpx2")
    monkeypatch.setattr(openai, "OpenAI", functools.partial(openai.OpenAI, api_key="sk-test",
                                                             http_client=_mock(httpx2, OPENAI_CHAT, seen)))


def anthropic_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    anthropic = pytest.importorskip("anthropic")
    httpx2 = pytest.importorskip("httpx2")
    monkeypatch.setattr(anthropic, "Anthropic", functools.partial(anthropic.Anthropic, api_key="sk-ant-test",
                                                                   http_client=_mock(httpx2, ANTHROPIC_MESSAGE, seen)))


def groq_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    groq = pytest.importorskip("groq")
    httpx = pytest.importorskip("httpx")
    monkeypatch.setattr(groq, "Groq", functools.partial(groq.Groq, api_key="gsk-test",
                                                         http_client=_mock(httpx, OPENAI_CHAT, seen)))


def mistral_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    client_mod = pytest.importorskip("mistralai.client")
    httpx2 = pytest.importorskip("httpx2")
    monkeypatch.setattr(client_mod, "Mistral", functools.partial(client_mod.Mistral, api_key="m-test",
                                                                  client=_mock(httpx2, OPENAI_CHAT, seen)))


def langchain_openai_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    lc = pytest.importorskip("langchain_openai")
    httpx2 = pytest.importorskip("httpx2")
    monkeypatch.setattr(lc, "ChatOpenAI", functools.partial(lc.ChatOpenAI, api_key="sk-test",
                                                             http_client=_mock(httpx2, OPENAI_CHAT, seen)))


def langchain_anthropic_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    lc = pytest.importorskip("langchain_anthropic")
    chat_models = pytest.importorskip("langchain_anthropic.chat_models")
    httpx2 = pytest.importorskip("httpx2")
    client = _mock(httpx2, ANTHROPIC_MESSAGE, seen)
    monkeypatch.setattr(chat_models, "_get_default_httpx_client", lambda **_kw: client)
    monkeypatch.setattr(lc, "ChatAnthropic", functools.partial(lc.ChatAnthropic, api_key="sk-ant-test"))


def bedrock_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    boto3 = pytest.importorskip("boto3")
    stub_mod = pytest.importorskip("botocore.stub")
    real = boto3.client

    def client(service, *a, **kw):  # type: ignore[no-untyped-def]
        c = real(service, *a, region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x", **kw)

        def capture(params, **_kw):  # type: ignore[no-untyped-def]
            # the serialized request (after botocore validated the parameters against the service model)
            seen.append(Captured({k.lower(): v for k, v in params["headers"].items()},
                                 json.loads(params["body"]) if params["body"] else None))

        c.meta.events.register_first("before-call.*.*", capture)  # a service-named pattern never fires (botocore 1.44)
        stubber = stub_mod.Stubber(c)
        stubber.add_response("converse", CONVERSE_RESPONSE)
        stubber.activate()
        return c

    monkeypatch.setattr(boto3, "client", client)


def genai_vertex_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    genai = pytest.importorskip("google.genai")
    types = pytest.importorskip("google.genai.types")
    oauth2 = pytest.importorskip("google.oauth2.credentials")
    httpx = pytest.importorskip("httpx")
    monkeypatch.setattr(genai, "Client", functools.partial(
        genai.Client, credentials=oauth2.Credentials(token="test-token"),
        http_options=types.HttpOptions(httpx_client=_mock(httpx, GENAI_RESPONSE, seen))))


_LITELLM_SPY: list = []  # one logger for the session: LiteLLM keeps the callbacks it first set up


def litellm_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    litellm = pytest.importorskip("litellm")
    from litellm.integrations.custom_logger import CustomLogger

    class Spy(CustomLogger):  # what LiteLLM's spend logging receives: standard_logging_object.request_tags
        seen: list = []

        def log_success_event(self, kwargs, response_obj, start_time, end_time):  # type: ignore[no-untyped-def]
            slo = kwargs.get("standard_logging_object") or {}
            self.seen.append(Captured({}, {"request_tags": slo.get("request_tags")}))

    if not _LITELLM_SPY:
        _LITELLM_SPY.append(Spy())
    spy = _LITELLM_SPY[0]
    monkeypatch.setattr(spy, "seen", seen, raising=False)  # this test's list
    monkeypatch.setattr(litellm, "callbacks", [spy])
    monkeypatch.setattr(litellm, "completion", functools.partial(litellm.completion, mock_response="ok"))


# ------------------------------------------------------------------ where each sink reads the tag


def header(name: str, parse: Callable[[str], Any] = lambda v: v, want: Any = FEATURE):  # type: ignore[no-untyped-def]
    def check(c: Captured) -> None:
        assert parse(c.headers[name.lower()]) == want, c.headers
    return check


def litellm_header(c: Captured) -> None:
    tags = [t.strip() for t in c.headers["x-litellm-tags"].split(",")]  # as the proxy splits it
    assert f"feature:{FEATURE}" in tags


def body_path(*path: str):  # type: ignore[no-untyped-def]
    def check(c: Captured) -> None:
        v = c.body
        for p in path:
            v = v[p]
        assert v == FEATURE, c.body
    return check


def request_tags(c: Captured) -> None:
    assert c.body["request_tags"] == [f"feature:{FEATURE}"]


OPENAI_MOD = ('from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask():\n'
              '    return client.chat.completions.create(model="gpt-4o-2024-08-06", '
              'messages=[{"role": "user", "content": "hi"}])\n')
ANTHROPIC_MOD = ('from anthropic import Anthropic\n\nclient = Anthropic()\n\n\ndef ask():\n'
                 '    return client.messages.create(model="claude-sonnet-5", max_tokens=16, '
                 'messages=[{"role": "user", "content": "hi"}], metadata={"user_id": "u-1"})\n')
GROQ_MOD = ('from groq import Groq\n\nclient = Groq()\n\n\ndef ask():\n'
            '    return client.chat.completions.create(model="llama-3.3-70b-versatile", '
            'messages=[{"role": "user", "content": "hi"}])\n')
MISTRAL_MOD = ('from mistralai.client import Mistral\n\nclient = Mistral()\n\n\ndef ask():\n'
               '    return client.chat.complete(model="mistral-small-2506", '
               'messages=[{"role": "user", "content": "hi"}])\n')
LC_OPENAI_MOD = ('from langchain_openai import ChatOpenAI\n\n\ndef ask():\n'
                 '    llm = ChatOpenAI(model="gpt-4o-2024-08-06")\n    return llm.invoke("hi")\n')
LC_ANTHROPIC_MOD = ('from langchain_anthropic import ChatAnthropic\n\n\ndef ask():\n'
                    '    llm = ChatAnthropic(model="claude-sonnet-5")\n    return llm.invoke("hi")\n')
BEDROCK_MOD = ('import boto3\n\nclient = boto3.client("bedrock-runtime")\n\n\ndef ask():\n'
               '    return client.converse(modelId="anthropic.claude-opus-5", '
               'messages=[{"role": "user", "content": [{"text": "hi"}]}])\n')
VERTEX_MOD = ('from google import genai\n\nclient = genai.Client(vertexai=True, project="acme", location="us-central1")'
              '\n\n\ndef ask():\n'
              '    return client.models.generate_content(model="gemini-3.8-flash", contents="hi", '
              'config={"temperature": 0})\n')
LITELLM_MOD = ('import litellm\n\n\ndef ask():\n'
               '    return litellm.completion(model="openai/gpt-4o-2024-08-06", '
               'messages=[{"role": "user", "content": "hi"}])\n')
LC_LITELLM_MOD = ('from langchain_litellm import ChatLiteLLM\n\n\ndef ask():\n'
                  '    llm = ChatLiteLLM(model="openai/gpt-4o-2024-08-06")\n    return llm.invoke("hi")\n')


def langchain_litellm_setup(monkeypatch, seen):  # type: ignore[no-untyped-def]
    pytest.importorskip("langchain_litellm")  # ChatLiteLLM calls litellm.completion: LiteLLM's own spy applies
    litellm_setup(monkeypatch, seen)

HEADER_SDKS = [("openai", OPENAI_MOD, openai_setup), ("anthropic", ANTHROPIC_MOD, anthropic_setup),
               ("groq", GROQ_MOD, groq_setup), ("mistralai", MISTRAL_MOD, mistral_setup),
               ("langchain-openai", LC_OPENAI_MOD, langchain_openai_setup),
               ("langchain-anthropic", LC_ANTHROPIC_MOD, langchain_anthropic_setup)]
PORTKEY_SDKS = HEADER_SDKS[:3]

CASES = (
    [("helicone", n, m, s, header("Helicone-Property-Feature")) for n, m, s in HEADER_SDKS]
    + [("header:X-Team-Feature", n, m, s, header("X-Team-Feature")) for n, m, s in HEADER_SDKS]
    + [("litellm", n, m, s, litellm_header) for n, m, s in HEADER_SDKS]
    + [("portkey", n, m, s, header("x-portkey-metadata", lambda v: json.loads(v)["feature"])) for n, m, s in PORTKEY_SDKS]
    + [("litellm", "litellm", LITELLM_MOD, litellm_setup, request_tags),
       ("litellm", "langchain-litellm", LC_LITELLM_MOD, langchain_litellm_setup, request_tags),
       ("bedrock", "boto3", BEDROCK_MOD, bedrock_setup, body_path("requestMetadata", "feature")),
       ("vertex", "google-genai", VERTEX_MOD, genai_vertex_setup, body_path("labels", "feature"))]
)


def fixed_module(tmp_path: Path, sink: str, module: str) -> str:
    """tokenlint's own fix of `module` (as conf.py) with `attribution = [sink]`."""
    (tmp_path / "pyproject.toml").write_text(f'[tool.tokenlint]\nattribution = ["{sink}"]\n', encoding="utf-8")
    src = tmp_path / "conf.py"
    src.write_text(module, encoding="utf-8")
    cfg = load_config(tmp_path / "pyproject.toml").with_overrides(select=("TKL101",))
    run = fix([src], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert src in run.fixed, f"no fix for {sink}"
    return run.fixed[src].decode("utf-8")


@pytest.mark.parametrize("sink,sdk,module,setup,check", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_fixed_call_is_accepted_by_the_sdk_and_puts_the_tag_where_the_sink_reads_it(
        tmp_path, monkeypatch, sink, sdk, module, setup, check):
    seen: list[Captured] = []
    setup(monkeypatch, seen)
    for var in ("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "GROQ_BASE_URL", "GOOGLE_GENAI_USE_VERTEXAI"):
        monkeypatch.delenv(var, raising=False)
    text = fixed_module(tmp_path, sink, module)
    assert text != module
    namespace: dict[str, Any] = {"__name__": "conf"}
    exec(compile(text, str(tmp_path / "conf.py"), "exec"), namespace)  # the fixed module, as written
    namespace["ask"]()  # raises if the SDK rejects the request
    deadline = time.monotonic() + 20
    while not seen and time.monotonic() < deadline:  # LiteLLM logs success on a worker thread
        time.sleep(0.05)
    assert seen, "no request was captured"
    check(seen[-1])


# ------------------------------------------------------------------ a framework request's own config
# LangChain hands a request's `config` tags and metadata to the callbacks and tracers of the run and,
# inheritably, of the model run inside the chain: that is where LangSmith (a tracer posting each run's
# extra.metadata) and Langfuse's LangChain CallbackHandler (on_chat_model_start's `metadata`) read it.

LC_CHAIN_MOD = ('from langchain_core.prompts import ChatPromptTemplate\n'
                'from langchain_openai import ChatOpenAI\n\n'
                'llm = ChatOpenAI(model="gpt-4o-2024-08-06")\n'
                'chain = ChatPromptTemplate.from_messages([("user", "{q}")]) | llm\n\n\n'
                'def ask():\n    return chain.invoke({"q": "hi"}, {"run_name": "ask"})\n')
REQUEST_CASES = [("langfuse", "langchain"), ("langsmith", "langchain")]


@pytest.mark.parametrize("sink,sdk", REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES])
def test_a_fixed_langchain_request_is_sent_and_its_config_reaches_the_callbacks(tmp_path, monkeypatch, sink, sdk):
    core = pytest.importorskip("langchain_core.callbacks")
    context = pytest.importorskip("langchain_core.tracers.context")
    from contextvars import ContextVar

    seen: list[Captured] = []
    langchain_openai_setup(monkeypatch, seen)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    text = fixed_module(tmp_path, sink, LC_CHAIN_MOD)
    assert '{"run_name": "ask", "metadata": {"feature": "conf-ask"}}' in text  # the author's config is kept

    class Handler(core.BaseCallbackHandler):  # what a callback handler such as Langfuse's receives
        starts: list = []

        def on_chat_model_start(self, serialized, messages, *, run_id, parent_run_id=None, tags=None,  # type: ignore[no-untyped-def]
                                metadata=None, **kw):
            self.starts.append((parent_run_id, metadata or {}))

    handler_var: ContextVar = ContextVar(f"tokenlint_conformance_{sink}", default=None)
    context.register_configure_hook(handler_var, True)
    handler = Handler()
    token = handler_var.set(handler)
    namespace: dict[str, Any] = {"__name__": "conf"}
    try:
        with context.collect_runs() as collected:  # a tracer, as LangSmith's LangChainTracer is one
            exec(compile(text, str(tmp_path / "conf.py"), "exec"), namespace)
            namespace["ask"]()
    finally:
        handler_var.reset(token)
    assert seen and seen[-1].body["messages"][0]["content"] == "hi"  # the request was sent
    assert "metadata" not in seen[-1].body  # and the tag stayed out of the provider's request
    # the model's run inside the chain carries the feature, for a callback handler and for a tracer
    assert [m.get("feature") for parent, m in handler.starts if parent is not None] == [FEATURE]
    llm_runs = [r for root in collected.traced_runs for r in root.child_runs if r.run_type == "llm"]
    assert [r.extra["metadata"]["feature"] for r in llm_runs] == [FEATURE]


SDK_OF_CASE = {"boto3": "bedrock-runtime", "langchain-openai": "langchain", "langchain-anthropic": "langchain",
               "langchain-litellm": "langchain"}
# the keyword each case's fix writes (the case's module proves that write)
KWARG_OF_CASE = {"mistralai": "http_headers", "langchain-openai": "default_headers", "langchain-anthropic": "default_headers",
                 "langchain-litellm": "model_kwargs", "litellm": "metadata", "boto3": "requestMetadata",
                 "google-genai": "config"}


def test_every_written_convention_has_a_conformance_case():
    covered = {(sink.split(":")[0], SDK_OF_CASE.get(sdk, sdk), KWARG_OF_CASE.get(sdk, "extra_headers"))
               for sink, sdk, *_ in CASES} | {(s, sdk, "config") for s, sdk in REQUEST_CASES}
    for w in load_sinks().writes:
        for sdk in w.sdks:
            assert (w.sink, sdk, w.kwarg) in covered, \
                f"{w.sink} x {sdk} ({w.kwarg}=) is written by the fix but has no conformance case"



def test_the_demo_apps_fixes_write_only_conventions_tested_here(tmp_path):
    """The demo app (configured with sinks) fixed with --unsafe-fixes: every TKL101 fix is a
    (sink, SDK) convention whose fixed call a case above sends through the real SDK."""
    from tokenlint.engine import analyse

    demo = Path(__file__).parent.parent / "fixtures" / "demo_app"
    cfg = load_config(start=demo).with_overrides(select=("TKL101",))
    result = analyse([demo], cfg, root=demo, today=TODAY)
    assert result.attribution.names(), "the demo app names its attribution sinks"
    sites = {s.id: s for s in result.sites}
    covered = {(sink, SDK_OF_CASE.get(sdk, sdk)) for sink, sdk, *_ in CASES} | set(REQUEST_CASES)
    fixed = [f for f in result.findings if f.fix is not None and f.fix.message.startswith("Tag the call")]
    assert len(fixed) >= 5
    for f in fixed:
        sink = f.fix.message.rsplit(" for ", 1)[1]
        assert (sink, sites[f.site_id].sdk) in covered, (f.path, f.row, sink)
