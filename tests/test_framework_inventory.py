"""Framework models in reports: bindings listed with their requests, TKL101 at requests and its
LangChain fix, facades across modules, `inventory compare` / `merge` on the new kinds, bad input."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = {
    "app/__init__.py": "",
    "app/llm.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "unused = ChatOpenAI(model=\"gpt-4.1\")\n"
    ),
    "app/faq.py": (
        "from app.llm import llm\n"
        "\n"
        "\n"
        "def answer(q):\n"
        "    return llm.invoke(q, config={\"metadata\": {\"feature\": \"faq\"}})\n"
        "\n"
        "\n"
        "def summary(q):\n"
        "    return llm.invoke(q)\n"
    ),
}


def inventory_json(run, root: Path) -> dict:
    r = run(root, "inventory", "--no-cache", "--format", "json", ".")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_requests_point_to_their_binding_and_bindings_list_their_requests(tmp_path, run):
    root = make(tmp_path, APP)
    data = inventory_json(run, root)
    by_line = {(s["path"], s["line"]): s for s in data["call_sites"]}
    binding, unused = by_line[("app/llm.py", 3)], by_line[("app/llm.py", 4)]
    assert binding["kind"] == unused["kind"] == "binding" and binding["constructor"] == "ChatOpenAI"
    faq, summary = by_line[("app/faq.py", 5)], by_line[("app/faq.py", 9)]
    assert faq["kind"] == summary["kind"] == "request"
    assert faq["binding"] == summary["binding"] == binding["id"]
    assert faq["feature"] == "faq" and summary["bucket"] == "untagged"
    entry = {b["id"]: b for b in data["bindings"]}
    assert sorted(entry[binding["id"]]["requests"]) == sorted([faq["id"], summary["id"]])
    assert entry[unused["id"]]["requests"] == []  # never used: still listed
    sm = data["summary"]
    assert (sm["bindings"], sm["request"], sm["untagged"], sm["features"]) == (2, 2, 1, 1)
    assert all(f["call_sites"] == 1 for f in data["features"])  # bindings are in no feature


def test_text_inventory_groups_bindings_with_their_requests(tmp_path, run):
    root = make(tmp_path, APP)
    lines = run(root, "inventory", "--no-cache", ".").stdout.splitlines()
    assert lines[1].startswith("2 call sites (0 direct, 2 on framework models, 0 through wrappers) in 2 of 3 files")
    assert lines[1].endswith("; 2 model bindings")
    assert "  ChatOpenAI at app/llm.py:3 <module> -- 2 requests in 1 feature, 1 untagged; openai gpt-4.1-mini" \
        " (floating) [literal]" in lines
    assert any(ln.startswith("  ChatOpenAI at app/llm.py:4 <module> -- 0 requests;") for ln in lines)
    assert any(ln.startswith("  app/faq.py:9 summary  openai chat_model") and "(on ChatOpenAI at app/llm.py:3)" in ln
               for ln in lines)
    md = run(root, "inventory", "--no-cache", "--format", "markdown", ".").stdout
    assert "## Model bindings" in md and "| ChatOpenAI | app/llm.py:3 &lt;module&gt; |" in md.replace("<", "&lt;") \
        or "| ChatOpenAI | app/llm.py:3" in md


def test_tkl101_reports_requests_not_bindings_and_leaves_a_shared_model_unfixed(tmp_path, run):
    root = make(tmp_path, APP)
    r = run(root, "check", "--no-cache", "--select", "TKL101", "--format", "json", ".")
    found = sorted((f["filename"].rsplit("/", 1)[-1], f["location"]["row"], f["message"]) for f in json.loads(r.stdout))
    assert [(name, row) for name, row, _ in found] == [("faq.py", 5), ("faq.py", 9)]  # requests, not bindings
    assert "reaches no configured attribution sink" in found[0][2]  # config metadata: Helicone reads headers
    assert "has no 'feature' attribution tag" in found[1][2]
    before = (root / "app" / "faq.py").read_text(encoding="utf-8")
    run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")
    # the model serves other requests: a tag on it would name their spend too; per-call `config`
    # metadata reaches no header sink: no fix
    assert (root / "app" / "faq.py").read_text(encoding="utf-8") == before


def test_tkl101_fix_tags_the_model_that_serves_only_this_request(tmp_path, run):
    root = make(tmp_path, {"bot.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "shared = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "\n"
        "\n"
        "def reply(q):\n"
        "    llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "    return llm.invoke(q)\n"
        "\n"
        "\n"
        "def both(q):\n"
        "    return shared.invoke(q), shared.invoke(q + \"?\")\n"
    )})
    run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")
    text = (root / "bot.py").read_text(encoding="utf-8")
    assert re.search(r'llm = ChatOpenAI\(\s*model="gpt-4.1-mini",\s*default_headers=\{"Helicone-Property-Feature": "bot-reply"\}',
                     text)  # split one argument per line when it grows too long, as black would
    assert 'shared = ChatOpenAI(model="gpt-4.1-mini")\n' in text  # two requests on it: untouched
    assert "config=" not in text
    compile(text, "bot.py", "exec")
    again = run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")
    assert (root / "bot.py").read_text(encoding="utf-8") == text, again.stdout


def test_tag_on_binding_or_with_config_covers_requests(tmp_path):
    root = make(tmp_path, {"m.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "tagged = ChatOpenAI(model=\"gpt-4.1\", tags=[\"feature:search\"])\n"
        "base = ChatOpenAI(model=\"gpt-4.1\")\n"
        "configured = base.with_config(metadata={\"feature\": \"triage\"})\n"
        "\n"
        "\n"
        "def go(q):\n"
        "    tagged.invoke(q)\n"
        "    configured.invoke(q)\n"
        "    base.invoke(q)\n"
    )})
    result = analyse([root], Config(), root=root)
    feats = {s.line: s.feature for s in result.sites if s.kind == "request"}
    assert feats == {9: "search", 10: "triage", 11: None}
    assert [f.row for f in result.findings if f.code == "TKL101"] == [11]


def test_batch_candidate_sees_requests_in_offline_loops(tmp_path):
    root = make(tmp_path, {"scripts/backfill.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "\n"
        "if __name__ == \"__main__\":\n"
        "    for doc in open(\"docs.txt\"):\n"
        "        llm.invoke(doc)\n"
    )})
    result = analyse([root], Config(), root=root)
    assert [(f.code, f.row) for f in result.findings if f.code == "TKL401"] == [("TKL401", 7)]


def test_facade_callers_across_modules(tmp_path):
    root = make(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/base.py": (
            "from abc import ABC, abstractmethod\n"
            "\n"
            "\n"
            "class Provider(ABC):\n"
            "    @abstractmethod\n"
            "    def text_chat(self, prompt): ...\n"
        ),
        "pkg/openai_provider.py": (
            "import openai\n"
            "from pkg.base import Provider\n"
            "\n"
            "\n"
            "class OpenAIProvider(Provider):\n"
            "    def text_chat(self, prompt):\n"
            "        return self._query(prompt)\n"
            "\n"
            "    def _query(self, prompt):\n"
            "        return openai.OpenAI().responses.create(model=\"gpt-4.1\", input=prompt)\n"
        ),
        "pkg/claude_provider.py": (
            "import anthropic\n"
            "from pkg.base import Provider\n"
            "\n"
            "\n"
            "class ClaudeProvider(Provider):\n"
            "    def text_chat(self, prompt):\n"
            "        return anthropic.Anthropic().messages.create(model=\"claude-haiku-4-5\", max_tokens=9,\n"
            "                                                     messages=[{\"role\": \"user\", \"content\": prompt}])\n"
        ),
        "pkg/caption.py": (
            "from pkg.base import Provider\n"
            "\n"
            "\n"
            "def caption(provider: Provider, image):\n"
            "    return provider.text_chat(f\"Describe {image}\")\n"
        ),
        "pkg/untyped.py": (
            "def summarise(registry, text):\n"
            "    return registry.get().text_chat(text)\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    facades = {(s.path, s.line): s for s in result.sites if s.kind == "facade"}
    assert set(facades) == {("pkg/caption.py", 5), ("pkg/untyped.py", 2)}
    typed = facades[("pkg/caption.py", 5)]
    assert (typed.provider, typed.confidence, typed.wrapper) == ("multi", "resolved", "pkg.base.Provider.text_chat")
    assert sorted(typed.alternatives) == ["anthropic claude-haiku-4-5", "openai gpt-4.1"]
    assert facades[("pkg/untyped.py", 2)].confidence == "inferred"
    assert not [f for f in result.findings if f.code == "TKL101" and f.path.endswith(("caption.py", "untyped.py"))]


def test_compare_and_merge_understand_bindings_and_requests(tmp_path, run):
    root = make(tmp_path / "proj", APP)
    assert run(root, "inventory", "--no-cache", "--format", "json", "-o", str(tmp_path / "old.json"), ".").exit_code == 0
    (root / "app" / "llm.py").write_text(
        "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(model=\"gpt-4.1-mini\")\n", encoding="utf-8")
    assert run(root, "inventory", "--no-cache", "--format", "json", "-o", str(tmp_path / "new.json"), ".").exit_code == 0
    r = run(tmp_path, "inventory", "compare", "old.json", "new.json")
    assert r.stdout.splitlines()[0] == "call sites 2 -> 2, untagged 1 -> 1, features 1 -> 1"
    assert r.stdout.splitlines()[1].startswith("removed model binding: app/llm.py:4 <module>  openai chat_model")
    r = run(tmp_path, "inventory", "merge", "--format", "json", "a=old.json", "b=new.json")
    merged = json.loads(r.stdout)
    assert merged["summary"]["bindings"] == 3 and merged["summary"]["request"] == 4
    assert [f["call_sites"] for f in merged["features"]] == [2, 2]  # faq, untagged: no binding counted


def test_bad_runnables_resolve_within_a_work_cap(tmp_path):
    deep = " | ".join(["llm"] * 400)
    root = make(tmp_path, {"bad.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "llm = ChatOpenAI()\n"
        "a = llm\n"
        "a = a | a\n"
        "a.invoke(1)\n"
        f"deep = {deep}\n"
        "deep.invoke(1)\n"
        "chain = llm\n"
        "for _ in range(3):\n"
        "    chain = chain | chain.with_fallbacks([chain])\n"
        "chain.invoke(1)\n"
        "fallbacks = llm.with_fallbacks([llm] * 50 + [ChatOpenAI(model=str(i)) for i in range(9)])\n"
        "fallbacks.invoke(1)\n"
    )})
    start = time.monotonic()
    result = analyse([root], Config(), root=root)
    assert time.monotonic() - start < 20
    assert not [f.error for f in result.files if f.error]
    assert all(len(s.bindings) <= 8 for s in result.sites)


MANY = {**APP, "app/bot.py": "from app.llm import llm\n\n\n" + "".join(
    f"def reply{i}(q):\n    return llm.invoke(q, config={{\"tags\": [\"feature:bot\"]}})\n\n\n" for i in range(5))}


def test_bindings_list_their_requests_by_feature_in_every_format(tmp_path, run):
    root = make(tmp_path, MANY)
    data = inventory_json(run, root)
    binding = next(b for b in data["bindings"] if b["line"] == 3)
    ids = {s["id"]: s for s in data["call_sites"]}
    groups = {(g["bucket"], g["feature"]): [(ids[i]["path"], ids[i]["line"]) for i in g["requests"]]
              for g in binding["by_feature"]}
    assert groups == {("tagged", "bot"): [("app/bot.py", 5 + 4 * i) for i in range(5)],
                      ("tagged", "faq"): [("app/faq.py", 5)], ("untagged", None): [("app/faq.py", 9)]}
    assert sorted(i for g in binding["by_feature"] for i in g["requests"]) == sorted(binding["requests"])
    assert data["summary"]["by_provider"] == {"openai": 7}  # the 7 requests; the 2 bindings are no calls
    text = run(root, "inventory", "--no-cache", ".").stdout.splitlines()
    at = text.index("  ChatOpenAI at app/llm.py:3 <module> -- 7 requests in 2 features, 1 untagged; openai "
                    "gpt-4.1-mini (floating) [literal]")
    assert text[at + 1:at + 4] == [
        "      bot: app/bot.py:5 reply0, app/bot.py:9 reply1, app/bot.py:13 reply2, +2 more",
        "      faq: app/faq.py:5 answer", "      (untagged): app/faq.py:9 summary"]
    assert text[at + 4].startswith("  ChatOpenAI at app/llm.py:4 <module> -- 0 requests;")
    assert "providers: openai 7" in text
    md = run(root, "inventory", "--no-cache", "--format", "markdown", ".").stdout
    assert "| 7 | bot 5, faq 1, (untagged) 1 |" in md
    out = tmp_path / "audit"
    assert run(root, "audit", "-o", str(out), ".").exit_code == 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| 7 | bot 5, faq 1, (untagged) 1 |" in report and "| 0 |  |" in report


def test_compare_names_a_binding_whose_model_changed_and_merge_keeps_the_links(tmp_path, run):
    root = make(tmp_path / "proj", MANY)
    assert run(root, "inventory", "--no-cache", "--format", "json", "-o", str(tmp_path / "old.json"), ".").exit_code == 0
    llm = root / "app" / "llm.py"
    llm.write_text(llm.read_text(encoding="utf-8").replace("gpt-4.1-mini", "gpt-4.1-nano"), encoding="utf-8")
    assert run(root, "inventory", "--no-cache", "--format", "json", "-o", str(tmp_path / "new.json"), ".").exit_code == 0
    lines = run(tmp_path, "inventory", "compare", "old.json", "new.json").stdout.splitlines()
    assert "model binding changed model: app/llm.py:3 <module> ChatOpenAI: gpt-4.1-mini (openai) -> gpt-4.1-nano " \
           "(openai); 7 requests in 2 features" in lines
    c = json.loads(run(tmp_path, "inventory", "compare", "--format", "json", "old.json", "new.json").stdout)
    assert [(r["binding"]["line"], r["before"]["model"], r["after"]["model"], r["requests"]) for r in c["rebound"]] == \
        [(3, "gpt-4.1-mini", "gpt-4.1-nano", 7)]
    md = run(tmp_path, "inventory", "compare", "--format", "markdown", "old.json", "new.json").stdout
    assert "**1** model binding changed model" in md and "| 7 requests in 2 features |" in md
    same = json.loads(run(tmp_path, "inventory", "compare", "--format", "json", "new.json", "new.json").stdout)
    assert "rebound" not in same  # nothing changed: the document is as it always was
    merged = json.loads(run(tmp_path, "inventory", "merge", "--format", "json", "a=old.json", "b=new.json").stdout)
    by = {(b["repository"], b["line"]): b for b in merged["bindings"]}
    sites = {(s["repository"], s["id"]): s for s in merged["call_sites"]}
    assert [len(by[(r, 3)]["requests"]) for r in "ab"] == [7, 7] and by[("b", 3)]["model"] == "gpt-4.1-nano"
    assert all(sites[("b", i)]["binding"] == by[("b", 3)]["id"] for i in by[("b", 3)]["requests"])
    assert merged["summary"]["by_provider"] == {"openai": 14}
    text = run(tmp_path, "inventory", "merge", "a=old.json", "b=new.json").stdout
    assert text.splitlines()[0].endswith("14 call sites in 6 of 8 files; 2 features; 2 untagged; 4 model bindings")
    assert "  b: ChatOpenAI at app/llm.py:3 -- 7 requests in 2 features; openai gpt-4.1-nano" in text


def test_any_framework_builder_handed_a_model_runs_it(tmp_path):
    """Chains, agents and graphs the catalog does not list by name (`create_react_agent`,
    `SQLDatabaseChain.from_llm`, `initialize_agent`, a builder imported from a re-export) run the model
    they are handed; a builder handed no model (a prompt, a parser, a retriever) builds nothing that
    spends, and a vector store's methods embed only (no chat request)."""
    root = make(tmp_path, {"m.py": (
        "from langchain_openai import ChatOpenAI, OpenAIEmbeddings\n"
        "from langchain.agents import AgentExecutor, create_react_agent, initialize_agent\n"
        "from langchain.chains import load_summarize_chain\n"
        "from langchain_experimental.sql import SQLDatabaseChain\n"
        "from langchain_core.prompts import ChatPromptTemplate\n"
        "from langchain_core.output_parsers import StrOutputParser\n"
        "from langchain_community.vectorstores import FAISS\n"
        "\n"
        "llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "\n"
        "\n"
        "def agent(tools, prompt, q):\n"
        "    ex = AgentExecutor(agent=create_react_agent(llm, tools, prompt), tools=tools)\n"
        "    return ex.invoke({\"input\": q})\n"                                   # 14
        "\n"
        "\n"
        "def summary(docs, db, tools, q):\n"
        "    load_summarize_chain(llm, chain_type=\"map_reduce\").run(docs)\n"    # 18
        "    SQLDatabaseChain.from_llm(llm, db).invoke(q)\n"                       # 19
        "    initialize_agent(tools, llm).run(q)\n"                                # 20
        "\n"
        "\n"
        "def no_model(docs, q):\n"
        "    ChatPromptTemplate.from_messages([(\"user\", \"{q}\")]).invoke({\"q\": q})\n"
        "    StrOutputParser().invoke(q)\n"
        "    store = FAISS.from_texts(docs, OpenAIEmbeddings())\n"
        "    store.similarity_search(q)\n"
        "    return store.as_retriever().invoke(q)\n"
    )})
    result = analyse([root], Config(), root=root)
    requests = sorted((s.line, s.provider, s.model.value) for s in result.sites if s.kind == "request")
    # the vector store's build, search and retriever embed through its embeddings object (no chat model:
    # tests/test_framework_vectorstores.py)
    assert requests == [(14, "openai", "gpt-4.1-mini"), (18, "openai", "gpt-4.1-mini"),
                        (19, "openai", "gpt-4.1-mini"), (20, "openai", "gpt-4.1-mini"),
                        (26, "openai", "text-embedding-ada-002"), (27, "openai", "text-embedding-ada-002"),
                        (28, "openai", "text-embedding-ada-002")]


def test_a_project_model_class_on_a_framework_base_is_a_binding_when_it_reaches_an_api(tmp_path):
    """`class ZhipuEmbeddings(Embeddings)` calling an SDK in its methods is a model class of the project:
    its construction chooses the model (its field or `__init__` default when none is passed) and
    `embed_query` / `invoke` on its objects are requests with the provider its methods reach. A subclass
    that computes locally (no paid API in its methods) is neither."""
    root = make(tmp_path, {"m.py": (
        "from langchain_core.embeddings import Embeddings\n"
        "from langchain_core.language_models import SimpleChatModel\n"
        "from openai import OpenAI\n"
        "import litellm\n"
        "\n"
        "\n"
        "class ApiEmbeddings(Embeddings):\n"
        "    def __init__(self, model=\"text-embedding-3-small\"):\n"
        "        self.client = OpenAI()\n"
        "        self.model = model\n"
        "\n"
        "    def embed_documents(self, texts):\n"
        "        return self.client.embeddings.create(model=self.model, input=texts).data\n"   # 13
        "\n"
        "    def embed_query(self, text):\n"
        "        return self.embed_documents([text])[0]\n"
        "\n"
        "\n"
        "class Chat(SimpleChatModel):\n"
        "    model_name: str = \"gpt-4.1-mini\"\n"
        "\n"
        "    def _call(self, messages, stop=None, **kw):\n"
        "        return litellm.completion(model=self.model_name, messages=messages)\n"          # 23
        "\n"
        "\n"
        "class LocalEmbeddings(Embeddings):\n"
        "    def embed_documents(self, texts):\n"
        "        return [[float(len(t))] for t in texts]\n"
        "\n"
        "    def embed_query(self, text):\n"
        "        return self.embed_documents([text])[0]\n"
        "\n"
        "\n"
        "def go(q):\n"
        "    ApiEmbeddings(model=\"text-embedding-3-large\").embed_query(q)\n"                  # 35
        "    Chat().invoke(q)\n"                                                             # 36
        "    LocalEmbeddings().embed_query(q)\n"
    )})
    result = analyse([root], Config(), root=root)
    got = sorted((s.line, s.kind, s.provider, s.model.value) for s in result.sites if s.kind in ("binding", "request"))
    assert got == [(35, "binding", "openai", "text-embedding-3-large"), (35, "request", "openai", "text-embedding-3-large"),
                   (36, "binding", "litellm", "gpt-4.1-mini"), (36, "request", "litellm", "gpt-4.1-mini")]


def test_a_graph_run_in_another_module_is_no_request_unless_a_node_holds_a_model(tmp_path, run):
    """A LangGraph graph of node functions, built in one module and run from a route in another: the
    node's model call is the request, the route's `graph.ainvoke` is none (it would count the spend
    twice), and TKL101 reports the node only. A graph whose node is a chain holding the model is a
    request where it runs, carrying that model."""
    root = make(tmp_path, {
        "app/__init__.py": "",
        "app/graphs.py": (
            "from langchain_openai import ChatOpenAI\n"
            "from langgraph.graph import StateGraph\n"
            "\n"
            "llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
            "\n"
            "\n"
            "def answer(state):\n"
            "    return {\"messages\": [llm.invoke(state[\"messages\"])]}\n"          # 8
            "\n"
            "\n"
            "builder = StateGraph(dict)\n"
            "builder.add_node(\"answer\", answer)\n"
            "chat_graph = builder.compile()\n"
            "\n"
            "chain_builder = StateGraph(dict)\n"
            "chain_builder.add_node(\"chat\", (lambda s: s[\"messages\"]) | llm)\n"
            "chain_graph = chain_builder.compile()\n"
        ),
        "app/routes.py": (
            "from app.graphs import chain_graph, chat_graph\n"
            "\n"
            "\n"
            "async def chat(messages):\n"
            "    return await chat_graph.ainvoke({\"messages\": messages})\n"        # 5
            "\n"
            "\n"
            "def quick(messages):\n"
            "    return chain_graph.invoke({\"messages\": messages})\n"             # 9
        ),
    })
    result = analyse([root], Config(), root=root)
    requests = sorted((s.path, s.line, s.api, s.model.value) for s in result.sites if s.kind == "request")
    assert requests == [("app/graphs.py", 8, "chat_model", "gpt-4.1-mini"),
                        ("app/routes.py", 9, "graph", "gpt-4.1-mini")]
    r = run(root, "check", "--no-cache", "--select", "TKL101", "--format", "json", ".")
    places = sorted((f["filename"].replace("\\", "/").rsplit("/", 2)[-2:][-1], f["location"]["row"])
                    for f in json.loads(r.stdout))
    assert places == [("graphs.py", 8), ("routes.py", 9)]


def test_an_attribute_declared_with_its_model_class_binds_to_what_is_built(tmp_path, run):
    """`self.llm: ChatOpenAI = ChatOpenAI(model=...)`: the declaration types the attribute, the
    constructor chooses the model; a declared attribute built elsewhere (`make()`) takes that
    constructor's model. Both requests are sites with their model (no traceback, no SDK default)."""
    make(tmp_path, {"app.py": (
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "\n"
        "def make():\n"
        "    return ChatOpenAI(model=\"gpt-4o-mini\")\n"
        "\n"
        "\n"
        "class Bot:\n"
        "    def __init__(self):\n"
        "        self.llm: ChatOpenAI = ChatOpenAI(model=\"gpt-4o\")\n"
        "        self.other: ChatOpenAI = make()\n"
        "\n"
        "    def ask(self, q):\n"
        "        return self.llm.invoke(q)\n"
        "\n"
        "    def ask2(self, q):\n"
        "        return self.other.invoke(q)\n"
    )})
    data = inventory_json(run, tmp_path)
    requests = {s["line"]: s["model"]["value"] for s in data["call_sites"] if s["kind"] == "request"}
    assert requests == {14: "gpt-4o", 17: "gpt-4o-mini"}
    bindings = sorted(s["line"] for s in data["call_sites"] if s["kind"] == "binding")
    assert bindings == [5, 10]
