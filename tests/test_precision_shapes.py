"""Look-alike shapes that must not become sites, beside the true sites of the same shape: receivers
known only by their name whose arguments fit another API, and factories with several `return`s."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(tmp_path, files: dict[str, str], select=None):
    root = make(tmp_path / "proj", files)
    cfg = Config() if select is None else Config(select=tuple(select))
    result = analyse([root], cfg, root=root)
    return result


def test_by_name_receiver_must_pass_the_frameworks_first_parameter(tmp_path):
    result = _sites(tmp_path, {"app.py": (
        "def local(_llm_handle, inputs, history):\n"
        "    for r in _llm_handle.stream_chat(query=inputs, history=history, top_p=0.7):\n"  # a local model's API
        "        yield r\n"
        "\n"
        "\n"
        "def llama(llm_handle, msgs):\n"
        "    return llm_handle.stream_chat(msgs)\n"  # LlamaIndex: stream_chat(messages)
        "\n"
        "\n"
        "def llama_kw(llm_handle, msgs):\n"
        "    return llm_handle.complete(prompt=msgs)\n"
        "\n"
        "\n"
        "def lc(llm, q):\n"
        "    return llm.invoke(input=q)\n"
        "\n"
        "\n"
        "def lc_other(llm, q):\n"
        "    return llm.invoke(question=q)\n"  # no input: a project object's own invoke
        "\n"
        "\n"
        "def embed(embedder, texts):\n"
        "    return embedder.embed_documents(**texts)\n"  # **kwargs may hold it
    )})
    found = {s.line: (s.sdk, s.api, s.confidence) for s in result.sites if s.kind == "request"}
    assert found == {7: ("llama_index", "llm", "inferred"), 11: ("llama_index", "llm", "inferred"),
                     15: ("langchain", "chat_model", "inferred"), 23: ("langchain", "embeddings_model", "inferred")}
    assert not [f for f in result.findings if f.row in (2, 19)]


FACTORY = (
    "from langchain_ollama import ChatOllama\n"
    "from langchain_openai import ChatOpenAI\n"
    "from langchain_anthropic import ChatAnthropic\n"
    "\n"
    "\n"
    "def get_llm(kind):\n"
    "    if kind == \"hosted\":\n"
    "        return ChatOpenAI(model=\"gpt-4.1-mini\")\n"
    "    return {other}\n"
    "\n"
    "\n"
    "def answer(q):\n"
    "    return get_llm(\"hosted\").invoke(q)\n"
    "\n"
    "\n"
    "def either(q, local):\n"
    "    llm = {other} if local else ChatOpenAI(model=\"gpt-4.1-mini\")\n"
    "    return llm.invoke(q)\n"
)


def _request(result, line):
    return next(s for s in result.sites if s.kind == "request" and s.line == line)


def test_a_factory_is_every_model_it_may_return(tmp_path):
    # a local model on one path: the request is not judged for a cap (TKL501), and lists both models
    local = _sites(tmp_path / "a", {"app.py": FACTORY.format(other="ChatOllama(model=\"llama3\")")}, select=["ALL"])
    for line in (13, 18):
        site = _request(local, line)
        assert sorted(site.alternatives) == ["ollama llama3", "openai gpt-4.1-mini"]
        assert site.output_cap is None
    assert not [f for f in local.findings if f.code == "TKL501"]


def test_a_factory_of_hosted_models_still_misses_its_cap(tmp_path):
    # the look-alike: every path a hosted model without a cap is still reported, on both requests
    hosted = _sites(tmp_path / "b", {"app.py": FACTORY.format(other="ChatOpenAI(model=\"gpt-4.1\")")}, select=["ALL"])
    assert sorted(_request(hosted, 13).alternatives) == ["openai gpt-4.1", "openai gpt-4.1-mini"]
    assert sorted(f.row for f in hosted.findings if f.code == "TKL501") == [13, 18]
    # one path capped, one not: the request may run uncapped
    capped = _sites(tmp_path / "c", {"app.py": FACTORY.format(other="ChatOpenAI(model=\"gpt-4.1\", max_tokens=300)")},
                    select=["ALL"])
    assert sorted(f.row for f in capped.findings if f.code == "TKL501") == [13, 18]
    # every path capped, or Anthropic (which always sends one): nothing to report
    for other in ("ChatAnthropic(model=\"claude-haiku-4-5\")",):
        quiet = _sites(tmp_path / "d", {"app.py": FACTORY.format(other=other).replace(
            "ChatOpenAI(model=\"gpt-4.1-mini\")", "ChatOpenAI(model=\"gpt-4.1-mini\", max_tokens=300)")},
            select=["ALL"])
        assert not [f for f in quiet.findings if f.code == "TKL501"]


def test_an_attribute_set_on_several_paths_is_every_model(tmp_path):
    src = (
        "from langchain_ollama import ChatOllama\n"
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "\n"
        "class Agent:\n"
        "    def __init__(self, local):\n"
        "        if local:\n"
        "            self.llm = {local}\n"
        "        else:\n"
        "            self.llm = ChatOpenAI(model=\"gpt-4.1-mini\")\n"
        "\n"
        "    def run(self, q):\n"
        "        return self.llm.invoke(q)\n"
    )
    local = _sites(tmp_path / "a", {"app.py": src.format(local="ChatOllama(model=\"llama3\")")}, select=["ALL"])
    assert sorted(_request(local, 13).alternatives) == ["ollama llama3", "openai gpt-4.1-mini"]
    assert not [f for f in local.findings if f.code == "TKL501"]
    hosted = _sites(tmp_path / "b", {"app.py": src.format(local="ChatOpenAI(model=\"gpt-4.1\")")}, select=["ALL"])
    assert [f.row for f in hosted.findings if f.code == "TKL501"] == [13]


SDK_FACTORY = (
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "def get_client(kind):\n"
    "    if kind == \"local\":\n"
    "        return OpenAI(base_url=\"{url}\", api_key={key})\n"
    "    return OpenAI()\n"
    "\n"
    "\n"
    "def ask(kind, q):\n"
    "    return get_client(kind).chat.completions.create(model=\"m\", messages=[{{\"role\": \"user\", \"content\": q}}])\n"
    "\n"
    "\n"
    "def only_local(q):\n"
    "    c = OpenAI(base_url=\"{url}\", api_key={key})\n"
    "    return c.chat.completions.create(model=\"m\", messages=[{{\"role\": \"user\", \"content\": q}}])\n"
    "\n"
    "\n"
    "def cloud_first(cloud, q):\n"
    "    c = OpenAI() if cloud else OpenAI(base_url=\"{url}\", api_key={key})\n"
    "    return c.chat.completions.create(model=\"m\", messages=[{{\"role\": \"user\", \"content\": q}}])\n"
)


def test_an_sdk_factory_judges_the_cap_on_every_client_it_may_return(tmp_path):
    # an OpenAI client on a local Ollama server on one path: not judged, there or alone
    local = _sites(tmp_path / "a", {"app.py": SDK_FACTORY.format(url="http://localhost:11434/v1", key='"none"')},
                   select=["ALL"])
    assert {s.line: s.output_cap for s in local.sites if s.kind == "direct"} == {11: None, 16: None, 21: None}
    assert not [f for f in local.findings if f.code == "TKL501"]
    # the look-alike: a hosted OpenAI-compatible backend on that path is still a request without a cap
    # (with a key of a hosted provider's length: a dummy key such as "none" says the server is self-hosted)
    hosted = _sites(tmp_path / "b", {"app.py": SDK_FACTORY.format(url="https://api.deepseek.com/v1",
                                                                  key='"sk-' + "0f" * 16 + '"')}, select=["ALL"])
    assert sorted(f.row for f in hosted.findings if f.code == "TKL501") == [11, 16, 21]


def test_a_facade_call_is_not_judged_for_its_implementations_default_model(tmp_path):
    """`bot.call_vision(model=m)` on a project base class whose one implementation falls back to
    'gpt-4o' (`model or cfg.get("model", "gpt-4o")`): the model rules report that default where it is
    written, once, not again at every facade call (which passes its own model)."""
    result = _sites(tmp_path, {
        "bots.py": (
            "from openai import OpenAI\n"
            "\n"
            "\n"
            "class Bot:\n"
            "    def call_vision(self, question, model=None):\n"
            "        raise NotImplementedError\n"
            "\n"
            "\n"
            "class CompatibleBot(Bot):\n"
            "    def call_vision(self, question, model=None):\n"
            "        vision_model = model or self.cfg.get('model', 'gpt-4o')\n"
            "        return OpenAI().chat.completions.create(\n"
            "            model=vision_model, messages=[{'role': 'user', 'content': question}], max_tokens=50)\n"
        ),
        "tool.py": (
            "from bots import Bot\n"
            "\n"
            "\n"
            "def look(bot: Bot, q, chosen):\n"
            "    return bot.call_vision(\n"
            "        q,\n"
            "        model=chosen,\n"
            "    )\n"
        ),
    }, select=("TKL201", "TKL203"))
    assert any(s.kind == "facade" and s.path == "tool.py" for s in result.sites)
    assert {(f.path, f.row, f.code) for f in result.findings} == {("bots.py", 11, "TKL203")}


def test_a_model_literal_in_a_lambda_is_still_judged(tmp_path):
    """A request written in a lambda (whose body is one expression, no branch) is read like any other."""
    result = _sites(tmp_path, {"app.py": (
        "from openai import OpenAI\n"
        "\n"
        "client = OpenAI()\n"
        "later = lambda q: client.chat.completions.create(model='gpt-4o', messages=[], max_tokens=5)\n"
    )}, select=("TKL202",))
    assert [(f.row, f.code) for f in result.findings] == [(4, "TKL202")]
