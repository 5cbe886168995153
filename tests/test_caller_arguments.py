"""Caller-argument inference (tokenlint/resolve/passed.py; per-expression cases in fixtures/resolver/
frameworks/caller_arguments.py and the project fixtures/resolver/resolution/callers_project): the prefilter
reads a file making a request only framework objects make, recursion between callers ends, the work
stays capped, and a cached result is recomputed when a caller's file changes."""

from __future__ import annotations

from projects import make

import tokenlint.resolve.passed as passed
from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import sdk_pattern

MODELS = (
    "from langchain_openai import ChatOpenAI\n"
    "\n"
    "chat = ChatOpenAI(model=\"gpt-4.1\")\n"
)


def test_the_prefilter_reads_a_file_making_a_request_only_framework_objects_make() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"def relay(runner, state):\n    return runner.astream_events(state, version='v2')\n")
    assert pat.search(b"async def run(agent, q):\n    return await agent.ainvoke(q)\n")
    assert not pat.search(b"def relay(runner, state):\n    return runner.stream(state)\n")  # any object streams
    assert not pat.search(b'def relay(runner):\n    """Calls runner.astream_events(state) for you."""\n')


def test_the_prefilter_reads_a_file_declaring_a_model_by_its_interface() -> None:
    """`model: BaseChatModel` then `(prompt | model).astream(...)`: the chain's method is one any
    object has, the annotation is what says a model is held; a project's own `LLMModel` is not."""
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"from langchain_core.language_models.chat_models import BaseChatModel\n\n\n"
                      b"async def call(model: BaseChatModel, prompt):\n    chain = prompt | model\n"
                      b"    async for c in chain.astream({}):\n        yield c\n")
    assert not pat.search(b"from app.models import LLMModel\n\n\ndef run(model: LLMModel, q):\n    return model.run(q)\n")


def test_the_prefilter_reads_the_interface_only_in_an_annotation() -> None:
    """A library's model class subclassing the interface (`class ChatAcme(BaseChatModel)`) or a file
    naming it in prose holds no model object handed in."""
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"from x import BaseLanguageModel\n\n\ndef make() -> BaseLanguageModel:\n    ...\n")
    assert pat.search(b"from x import BaseChatModel\n\nllm: Optional[BaseChatModel] = None\n")
    assert not pat.search(b"from x import BaseChatModel\n\n\nclass ChatAcme(BaseChatModel):\n    pass\n")


def test_the_prefilter_reads_a_chain_built_on_a_model_handed_in() -> None:
    """`prompt | self.llm_model | parser` then `.invoke(...)`: the file imports a prompt template and
    an output parser only, the model object comes from the caller."""
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"from langchain_core.prompts import PromptTemplate\n\n\ndef fix(llm_model, code):\n"
                      b"    prompt = PromptTemplate(template=T, input_variables=['code'])\n"
                      b"    return (prompt | llm_model).invoke({'code': code})\n")
    assert not pat.search(b"from langchain_core.prompts import PromptTemplate\n\n\ndef render(code):\n"
                          b"    return PromptTemplate(template=T).format(code=code)\n")
    assert not pat.search(b"from langchain_core.prompts import PromptTemplate\n\n\ndef fix(llm_model, code):\n"
                          b"    \"\"\"Build the chain; the caller runs chain.invoke(inputs).\"\"\"\n"
                          b"    return PromptTemplate(template=T) | llm_model\n")


def test_a_chain_over_an_interface_typed_parameter_is_a_site_with_the_prefilter_on(tmp_path) -> None:
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/other.py": "VALUE = 1\n",
        "app/call_llm.py": ("from langchain_core.language_models.chat_models import BaseChatModel\n"
                            "from langchain_core.language_models.llms import BaseLLM\n"
                            "from langchain_core.prompts import ChatPromptTemplate\n\n\n"
                            "async def call_llm(system: str, model: BaseChatModel | BaseLLM, message: str):\n"
                            "    prompt = ChatPromptTemplate.from_messages([(\"system\", system), (\"human\", message)])\n"
                            "    chain = prompt | model\n"
                            "    async for chunk in chain.astream({}):\n"
                            "        print(chunk)\n"),
    })
    result = analyse([root], Config(), root=root, prefilter=True)
    assert [(s.path.rsplit("/", 1)[-1], s.line) for s in result.sites if s.kind == "request"] == [("call_llm.py", 9)]


def _project(tmp_path, runner: str, callers_src: str):
    return make(tmp_path, {"app/__init__.py": "", "app/models.py": MODELS, "app/runner.py": runner,
                           "app/service.py": callers_src})


def _requests(root, rel: str):
    result = analyse([root], Config(), root=root)
    return [(s.line, s.provider, s.confidence) for s in result.sites if s.path == rel and s.kind == "request"]


def test_callers_calling_each_other_in_a_cycle_end(tmp_path) -> None:
    root = _project(tmp_path, (
        "def step(agent, n):\n"
        "    agent.invoke(n)\n"
        "    return loop(agent, n - 1) if n else None\n"
        "\n"
        "\n"
        "def loop(agent, n):\n"
        "    return step(agent, n)\n"
    ), (
        "from app.models import chat\n"
        "from app.runner import loop, step\n"
        "\n"
        "loop(chat, 3)\n"
        "step(chat, 1)\n"
    ))
    assert _requests(root, "app/runner.py") == [(2, "openai", "resolved")]


def test_a_function_named_in_too_many_files_is_not_followed(tmp_path, monkeypatch) -> None:
    runner = "def go(agent, q):\n    return agent.invoke(q)\n"
    caller = "from app.models import chat\nfrom app.runner import go\n\ngo(chat, 'hi')\n"
    root = _project(tmp_path, runner, caller)
    assert _requests(root, "app/runner.py") == [(2, "openai", "resolved")]
    monkeypatch.setattr(passed, "MAX_CALLER_FILES", 1)  # runner.py and service.py both name `go`
    assert _requests(root, "app/runner.py") == []


def test_a_cached_result_is_recomputed_when_a_callers_file_changes(tmp_path) -> None:
    runner = "def go(agent, q):\n    return agent.invoke(q)\n"
    caller = "from app.models import chat\nfrom app.runner import go\n\ngo(chat, 'hi')\n"
    root = _project(tmp_path, runner, caller)
    cache = tmp_path / "cache"

    def requests():
        result = analyse([root / "app" / "runner.py"], Config(), root=root, cache_dir=cache)
        return [(s.line, s.provider) for s in result.sites if s.kind == "request"]

    assert requests() == [(2, "openai")]
    (root / "app" / "service.py").write_text(caller + "go('not a model', 'hi')\n", encoding="utf-8")
    assert requests() == []  # a string passed now: withheld, not the cached site


def test_a_chain_on_a_model_handed_in_is_a_site_with_the_prefilter_on(tmp_path) -> None:
    root = make(tmp_path / "p", {
        "app/__init__.py": "",
        "app/models.py": MODELS + "\n\ndef repair(code):\n    from app.fixer import fix\n    return fix(chat, code)\n",
        "app/fixer.py": ("from langchain_core.output_parsers import StrOutputParser\n"
                         "from langchain_core.prompts import PromptTemplate\n\n"
                         "TEMPLATE = 'Fix this code: {code}'\n\n\n"
                         "def fix(llm_model, code):\n"
                         "    prompt = PromptTemplate(template=TEMPLATE, input_variables=['code'])\n"
                         "    chain = prompt | llm_model | StrOutputParser()\n"
                         "    return chain.invoke({'code': code})\n"),
    })
    result = analyse([root], Config(), root=root, prefilter=True)
    assert ("fixer.py", 10) in [(s.path.rsplit("/", 1)[-1], s.line) for s in result.sites if s.kind == "request"]


def test_a_client_handed_on_by_a_holders_constructor_reaches_the_class_sending_through_it(tmp_path) -> None:
    """`OpenAIAudio(self.client)` whose `__init__` only hands its `client` on (`self.Transcriptions(client)`,
    a nested class, or a module-level class) to the class that stores it and sends through it: the
    parameter holds what the holder's constructions pass. A holder built with what is not a client (a
    string) withholds it (no site)."""
    from projects import analysed_sites, line_of

    source = (
        "import openai\n"
        "\n"
        "\n"
        "class Audio:\n"
        "    def __init__(self, client):\n"
        "        self.transcriptions = self.Transcriptions(client)\n"
        "        self.speech = Speech(client)\n"
        "\n"
        "    class Transcriptions:\n"
        "        def __init__(self, client):\n"
        "            self.client = client\n"
        "\n"
        "        def create(self, model, file):\n"
        "            return self.client.audio.transcriptions.create(model=model, file=file)  # nested\n"
        "\n"
        "\n"
        "class Speech:\n"
        "    def __init__(self, client):\n"
        "        self.client = client\n"
        "\n"
        "    def create(self, text):\n"
        "        return self.client.audio.speech.create(model='tts-1', voice='alloy', input=text)  # flat\n"
        "\n"
        "\n"
        "class Provider:\n"
        "    def __init__(self):\n"
        "        self.client = openai.OpenAI()\n"
        "        self.audio = Audio(self.client)\n"
        "\n"
        "\n"
        "class Named:\n"
        "    def __init__(self, client):\n"
        "        self.inner = Lookalike(client)\n"
        "\n"
        "\n"
        "class Lookalike:\n"
        "    def __init__(self, client):\n"
        "        self.client = client\n"
        "\n"
        "    def create(self, model, file):\n"
        "        return self.client.audio.transcriptions.create(model=model, file=file)  # lookalike\n"
        "\n"
        "\n"
        "NAMED = Named('not a client')\n"
    )
    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/audio.py": source})
    path = tmp_path / "app/audio.py"
    got = {s.line: s for s in sites}
    for marker in ("# nested", "# flat"):
        site = got[line_of(path, marker)]
        assert (site.kind, site.provider, site.confidence) == ("direct", "openai", "resolved"), marker
    lookalike = got.get(line_of(path, "# lookalike"))
    assert lookalike is None or lookalike.confidence != "resolved"
