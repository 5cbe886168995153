"""Project subclasses of framework model classes calling the base class's request methods on `super()`
or `self` (catalog `internal_requests` / `internal_reaches`), across modules; the per-expression cases
are fixtures/resolver/frameworks/model_subclasses.py."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse


def test_internal_reaches_name_request_methods_of_their_framework():
    """What a method runs is another request method of the same framework (a typo would silently stop
    the double-count guard), and every internal request has its async / stream flags where its name says."""
    cat = build_sdk_catalog()
    with_internals = [fw for fw in cat.frameworks.values() if fw.internal_requests]
    assert {fw.name for fw in with_internals} >= {"langchain", "openai_agents"}
    for fw in with_internals:
        known = fw.requests | fw.embed_requests | fw.internal_requests
        for method, runs in fw.internal_reaches.items():
            assert method in known, (fw.name, method)
            assert set(runs) <= fw.internal_requests, (fw.name, method, runs)
        for name in fw.internal_requests:
            bare = name.lstrip("_")
            if bare.startswith("a") and bare[1:] in {n.lstrip("_") for n in fw.internal_requests}:
                assert name in fw.is_async, (fw.name, name)
            if "stream" in bare:
                assert name in fw.stream, (fw.name, name)


def test_a_subclass_through_a_project_base_in_another_module(tmp_path):
    """`class Traced(AskMixin, Base)` where `class Base(ChatAnthropic)` and the mixin are in other modules:
    `super()._create` is Anthropic's request; `super()._generate` runs the overridden `_create` (no second
    site); the mixin's `self.ainvoke` runs `_agenerate` -> `_acreate`, which no project class overrides:
    a request of the subclass mixing it in. (A mixin's file is read when it names a framework or one of
    its marker methods, `ainvoke` here: one naming neither is not a candidate.)"""
    root = make(tmp_path, {
        "app/__init__.py": "",
        "app/base.py": (
            "from langchain_anthropic import ChatAnthropic\n"
            "\n"
            "\n"
            "class Base(ChatAnthropic):\n"
            "    retries: int = 2\n"
        ),
        "app/mixin.py": (
            "from langchain_core.messages import HumanMessage\n"
            "\n"
            "\n"
            "class AskMixin:\n"
            "    async def ask(self, text):\n"
            "        return await self.ainvoke([HumanMessage(text)])\n"
        ),
        "app/traced.py": (
            "from app.base import Base\n"
            "from app.mixin import AskMixin\n"
            "\n"
            "\n"
            "class Traced(AskMixin, Base):\n"
            "    def _create(self, payload):\n"
            "        return super()._create(payload)\n"
            "\n"
            "    def _generate(self, messages, stop=None, **kwargs):\n"
            "        return super()._generate(messages, stop=stop, **kwargs)\n"
        ),
    })
    result = analyse([root], Config(), root=root)
    got = sorted((s.path, s.line, s.kind, s.provider, s.is_async) for s in result.sites)
    assert got == [("app/mixin.py", 6, "request", "anthropic", True),
                   ("app/traced.py", 7, "request", "anthropic", False)]


CHAINS = (
    "from langchain import LLMChain, PromptTemplate\n"
    "from langchain.chat_models import ChatOpenAI\n"
    "\n"
    "PROMPT = PromptTemplate(template='Tidy {text}', input_variables=['text'])\n"
    "\n"
    "\n"
    "class TidyChain(LLMChain):\n"
    "    def __init__(self, **kwargs):\n"
    "        super().__init__(prompt=PROMPT, **kwargs)\n"
    "\n"
    "    def predict(self, text: str = '', **kwargs) -> str:\n"
    "        return super().predict(text=text, **kwargs)  # pass-through\n"
    "\n"
    "\n"
    "class TidyMixin:\n"
    "    tidy_chain: TidyChain\n"
    "\n"
    "    def tidy(self, text):\n"
    "        return self.tidy_chain.predict(text=text)  # declared\n"
    "\n"
    "    def label(self):\n"
    "        return self.tidy_chain.describe()  # own method\n"
    "\n"
    "\n"
    "class Plain(TidyChain):\n"
    "    def describe(self):\n"
    "        return 'plain'\n"
    "\n"
    "\n"
    "def main():\n"
    "    chain = TidyChain(llm=ChatOpenAI(model_name='gpt-4o-mini'))\n"
    "    print(chain.predict(text='a  b'))  # built\n"
    "    print(TidyChain(verbose=True).predict(text='x'))  # no model\n"
    "    print(Plain(llm=ChatOpenAI(model_name='gpt-4o-mini')).describe())  # describe\n"
)


def test_a_project_subclass_of_a_chain_class_holds_the_model_it_is_built_with(tmp_path):
    """`class TidyChain(LLMChain)` built with `llm=ChatOpenAI(...)`: its `predict` is a request on that model
    (round 9: a project chain over a model counts as a framework chain), and the attribute declared with it
    (`tidy_chain: TidyChain`) is a chain whose model is chosen where it is built. Its `super().predict` is
    the pass-through (no site); built handed no model it stays a project object; its own methods stay
    project code (no request)."""
    from projects import analysed_sites, line_of

    sites = analysed_sites(tmp_path, {"app/__init__.py": "", "app/chains.py": CHAINS})
    path = tmp_path / "app/chains.py"
    got = {s.line: (s.kind, s.provider, s.model.value) for s in sites if s.kind != "binding"}
    assert got[line_of(path, "# built")] == ("request", "openai", "gpt-4o-mini")
    assert got[line_of(path, "# declared")][0] == "request"
    for quiet in ("# pass-through", "# no model", "# own method", "# describe"):
        assert line_of(path, quiet) not in got, quiet


def test_a_chain_subclass_answering_a_request_method_itself_is_no_chain_request(tmp_path):
    """`class Cached(LLMChain)` whose `predict` returns its own answer without `super().predict(...)`: calling
    it asks no model (found on review); one overriding `predict` through `super()` still requests."""
    root = make(tmp_path, {"app.py": (
        "from langchain.chains import LLMChain\n"
        "from langchain.prompts import PromptTemplate\n"
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "P = PromptTemplate.from_template('{text}')\n"
        "\n"
        "\n"
        "class Cached(LLMChain):\n"
        "    def predict(self, text=''):\n"
        "        return 'cached'\n"
        "\n"
        "\n"
        "class Loud(LLMChain):\n"
        "    def predict(self, text=''):\n"
        "        return super().predict(text=text).upper()\n"
        "\n"
        "\n"
        "Cached(llm=ChatOpenAI(model='gpt-4o-mini'), prompt=P).predict(text='z')\n"
        "Loud(llm=ChatOpenAI(model='gpt-4o-mini'), prompt=P).predict(text='z')\n"
    )})
    result = analyse([root / "app.py"], Config(), root=root)
    requests = sorted(s.line for s in result.sites if s.kind == "request")
    assert 18 not in requests and 19 in requests
