"""Tags on framework requests (catalog/sinks.toml [[convention]]): where LangChain and LlamaIndex carry
a tag, which sinks read it there, and TKL101's fix writing a request's own config."""

from __future__ import annotations

import ast
import json

import pytest

from projects import make
from tokenlint.config import load_config
from tokenlint.engine import analyse

HEAD = (
    "from langchain_core.prompts import ChatPromptTemplate\n"
    "from langchain_core.runnables import RunnableConfig\n"
    "from langchain_openai import ChatOpenAI\n"
    "\n"
    "llm = ChatOpenAI(model=\"gpt-4.1\")\n"
    "chain = ChatPromptTemplate.from_messages([(\"user\", \"{q}\")]) | llm\n"
)


def requests_of(tmp_path, body: str, sinks: tuple[str, ...] = ("langfuse",), head: str = HEAD):
    cfg = "[tool.tokenlint]\nattribution = [" + ", ".join(f'"{s}"' for s in sinks) + "]\n"
    root = make(tmp_path / "p", {"app.py": head + body}, cfg)
    result = analyse([root], load_config(root / "pyproject.toml"), root=root)
    findings = {f.row: f.message for f in result.findings if f.code == "TKL101"}
    return {s.function: (s.feature, s.tag_via, findings.get(s.line)) for s in result.sites if s.kind == "request"}


def test_per_call_config_in_every_form_tags_the_request(tmp_path):
    got = requests_of(tmp_path, (
        "CFG = RunnableConfig(metadata={\"feature\": \"module-config\"})\n"
        "\n"
        "\n"
        "def config_for(name):\n"
        "    return {\"metadata\": {\"feature\": name}}\n"
        "\n"
        "\n"
        "class Bot:\n"
        "    def __init__(self):\n"
        "        self.config = {\"tags\": [\"feature:bot\"]}\n"
        "\n"
        "    def attr(self, q):\n"
        "        return chain.invoke({\"q\": q}, config=self.config)\n"
        "\n"
        "\n"
        "def keyword(q):\n"
        "    return chain.invoke({\"q\": q}, config={\"tags\": [\"feature:kw\"]})\n"
        "\n"
        "\n"
        "def positional(q):\n"
        "    return chain.invoke({\"q\": q}, {\"metadata\": {\"feature\": \"pos\"}})\n"
        "\n"
        "\n"
        "def variable(q):\n"
        "    cfg = RunnableConfig(metadata={\"feature\": \"var\"})\n"
        "    return chain.stream({\"q\": q}, cfg)\n"
        "\n"
        "\n"
        "def constant(q):\n"
        "    return chain.invoke({\"q\": q}, config=CFG)\n"
        "\n"
        "\n"
        "def helper(q):\n"
        "    return chain.invoke({\"q\": q}, config=config_for(\"from-helper\"))\n"
        "\n"
        "\n"
        "def with_config(q):\n"
        "    return chain.with_config({\"metadata\": {\"feature\": \"wc\"}}).invoke({\"q\": q})\n"
        "\n"
        "\n"
        "def langfuse_tags(q):\n"
        "    return chain.invoke({\"q\": q}, config={\"metadata\": {\"langfuse_tags\": [\"feature:lf\"]}})\n"
    ))
    assert {k: v[0] for k, v in got.items()} == {
        "attr": "bot", "keyword": "kw", "positional": "pos", "variable": "var", "constant": "module-config",
        "helper": "from-helper", "with_config": "wc", "langfuse_tags": "lf"}
    assert got["positional"][1] == "config.metadata.feature" and got["langfuse_tags"][1] == "config.metadata.langfuse_tags"
    assert not [v for v in got.values() if v[2]]  # langfuse reads every one of them: no finding


def test_look_alikes_are_not_tags(tmp_path):
    got = requests_of(tmp_path, (
        "class Other:\n"
        "    def __init__(self):\n"
        "        self.config = {\"tags\": [\"feature:other\"]}\n"
        "\n"
        "\n"
        "class Bot:\n"
        "    def attr(self, q):\n"
        "        return chain.invoke({\"q\": q}, config=self.config)\n"
        "\n"
        "\n"
        "def in_the_input(q):\n"
        "    return chain.invoke({\"metadata\": {\"feature\": \"input\"}, \"q\": q})\n"
        "\n"
        "\n"
        "def no_tag_returned():\n"
        "    return {\"run_name\": \"x\"}\n"
        "\n"
        "\n"
        "def helper(q):\n"
        "    return chain.invoke({\"q\": q}, config=no_tag_returned())\n"
        "\n"
        "\n"
        "def other_keys(q):\n"
        "    return chain.invoke({\"q\": q}, config={\"metadata\": {\"user\": \"feature:u\"}})\n"
    ))
    assert {k: v[0] for k, v in got.items()} == {"attr": None, "in_the_input": None, "helper": None, "other_keys": None}
    assert all("has no 'feature' attribution tag" in v[2] for v in got.values())


def test_langchain_run_metadata_is_read_by_callbacks_not_by_gateways(tmp_path):
    body = ("def ask(q):\n"
            "    return chain.invoke({\"q\": q}, config={\"metadata\": {\"feature\": \"faq\"}})\n")
    assert requests_of(tmp_path / "a", body, ("langsmith",))["ask"][2] is None
    assert "reaches no configured attribution sink" in requests_of(tmp_path / "b", body, ("helicone",))["ask"][2]
    # a constructor's `metadata` is run metadata too: LiteLLM never sees it (even in its own
    # `metadata.tags` shape), LangSmith does
    head = "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(metadata={\"tags\": [\"feature:x\"]})\n"
    body = "def ask(q):\n    return llm.invoke(q)\n"
    assert "reaches no configured" in requests_of(tmp_path / "c", body, ("litellm",), head)["ask"][2]
    head = head.replace('{"tags": ["feature:x"]}', '{"feature": "x"}')
    assert requests_of(tmp_path / "d", body, ("langsmith",), head)["ask"] == ("x", "metadata.feature", None)


def test_chatlitellm_model_kwargs_metadata_reaches_litellm_only(tmp_path):
    head = ("from langchain_litellm import ChatLiteLLM\n\n"
            "llm = ChatLiteLLM(model=\"gpt-4o\", model_kwargs={\"metadata\": {\"tags\": [\"feature:faq\"]}})\n")
    body = "def ask(q):\n    return llm.invoke(q)\n"
    assert requests_of(tmp_path / "a", body, ("litellm",), head) == {"ask": ("faq", "model_kwargs.metadata.tags", None)}
    assert "reaches no configured" in requests_of(tmp_path / "b", body, ("langfuse",), head)["ask"][2]


def test_with_blocks_tag_the_requests_inside_them(tmp_path):
    head = ("from langfuse import propagate_attributes\n"
            "from llama_index.core.instrumentation.dispatcher import instrument_tags\n"
            "from llama_index.llms.openai import OpenAI\n"
            "from langchain_openai import ChatOpenAI\n"
            "\n"
            "llm = OpenAI(model=\"gpt-4.1\")\n"
            "chat = ChatOpenAI(model=\"gpt-4.1\")\n")
    got = requests_of(tmp_path, (
        "def li(q):\n"
        "    with instrument_tags({\"feature\": \"li\"}):\n"
        "        return llm.complete(q)\n"
        "\n"
        "\n"
        "def lf(q):\n"
        "    with open(\"x\") as fh, propagate_attributes(metadata={\"feature\": \"lf\"}):\n"
        "        return chat.invoke(fh.read() + q)\n"
        "\n"
        "\n"
        "def before(q):\n"
        "    with instrument_tags({\"feature\": \"gone\"}):\n"
        "        pass\n"
        "    return llm.complete(q)\n"
        "\n"
        "\n"
        "def other(q):\n"
        "    with open(q) as fh:\n"
        "        return llm.complete(fh.read())\n"
    ), ("langfuse",), head)
    assert got["li"][:2] == ("li", "instrument_tags.feature")
    assert "reaches no configured attribution sink" in got["li"][2]  # only LlamaIndex's own event handlers read it
    assert got["lf"] == ("lf", "propagate_attributes.metadata.feature", None)
    assert got["before"][0] is None and got["other"][0] is None


FIXABLE = (
    "def keyword(q):\n"
    "    return chain.invoke({\"q\": q}, config={\"run_name\": \"kw\", \"metadata\": {\"user\": \"u\"}})\n"
    "\n"
    "\n"
    "def positional(q):\n"
    "    return chain.invoke({\"q\": q}, {\"run_name\": \"pos\"})\n"
    "\n"
    "\n"
    "def config_object(q):\n"
    "    return llm.batch([q], RunnableConfig(run_name=\"obj\"))\n"
    "\n"
    "\n"
    "def bare(q):\n"
    "    return chain.stream({\"q\": q})\n"
)
UNFIXABLE = (
    "def hidden(q, cfg):\n"
    "    return chain.invoke({\"q\": q}, cfg)\n"
    "\n"
    "\n"
    "def configs(qs):\n"
    "    return chain.batch(qs, [{\"run_name\": \"a\"}, {\"run_name\": \"b\"}])\n"
    "\n"
    "\n"
    "def starred(args):\n"
    "    return chain.invoke(*args)\n"
)


def fix_project(tmp_path, run, body: str, sink: str = "langfuse"):
    root = make(tmp_path, {"app.py": HEAD + body}, f'[tool.tokenlint]\nattribution = ["{sink}"]\n')
    r = run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")
    return root, (root / "app.py").read_text(encoding="utf-8"), r


def test_fix_writes_the_request_config_keeping_the_authors(tmp_path, run):
    root, text, _ = fix_project(tmp_path, run, FIXABLE)
    compile(text, "app.py", "exec")
    calls = {n.func.attr: n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute) and n.func.attr in ("invoke", "batch", "stream")}
    assert 'config={"run_name": "kw", "metadata": {"user": "u", "feature": "app-keyword"}}' in text
    assert '{"q": q}, {"run_name": "pos", "metadata": {"feature": "app-positional"}}' in text  # no second config=
    assert 'RunnableConfig(run_name="obj", metadata={"feature": "app-config-object"})' in text
    assert ast.literal_eval(calls["stream"].keywords[0].value) == {"metadata": {"feature": "app-bare"}}
    again = run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")
    assert (root / "app.py").read_text(encoding="utf-8") == text and again.exit_code == 0, again.stdout


def test_no_fix_where_the_config_cannot_be_seen_or_is_a_list(tmp_path, run):
    _, text, r = fix_project(tmp_path, run, UNFIXABLE)
    assert text == HEAD + UNFIXABLE and r.exit_code == 1


@pytest.mark.parametrize("sink", ["helicone", "litellm"])
def test_header_sinks_never_get_a_config_fix(tmp_path, run, sink):
    _, text, _ = fix_project(tmp_path, run, FIXABLE, sink)
    assert "feature" not in text.replace(HEAD, "")  # a callback's metadata reaches no gateway; the model is shared


def test_the_json_inventory_says_where_the_tag_is(tmp_path, run):
    root = make(tmp_path, {"app.py": HEAD + "def ask(q):\n    return chain.invoke({\"q\": q}, {\"tags\": [\"feature:faq\"]})\n"},
                '[tool.tokenlint]\nattribution = ["langsmith"]\n')
    data = json.loads(run(root, "inventory", "--no-cache", "--format", "json", ".").stdout)
    req = next(s for s in data["call_sites"] if s["kind"] == "request")
    assert (req["feature"], req["bucket"]) == ("faq", "tagged")
    assert data["attribution"]["sinks"] == ["langsmith"]


def test_headers_and_bodies_on_framework_models_reach_the_gateways(tmp_path):
    llama = ("from llama_index.llms.openai import OpenAI\n\n"
             "llm = OpenAI(model=\"gpt-4.1\", default_headers={\"Helicone-Property-Feature\": \"faq\"})\n")
    body = "def ask(q):\n    return llm.complete(q)\n"
    assert requests_of(tmp_path / "a", body, ("helicone",), llama)["ask"][2] is None
    assert "reaches no configured" in requests_of(tmp_path / "b", body, ("litellm",), llama)["ask"][2]
    proxy = ("from langchain_openai import ChatOpenAI\n\n"
             "llm = ChatOpenAI(model=\"gpt-4.1\", extra_body={\"metadata\": {\"tags\": [\"feature:faq\"]}})\n")
    body = "def ask(q):\n    return llm.invoke(q)\n"
    assert requests_of(tmp_path / "c", body, ("litellm",), proxy)["ask"] == ("faq", "extra_body.metadata.tags", None)
    assert "reaches no configured" in requests_of(tmp_path / "d", body, ("langfuse",), proxy)["ask"][2]
