"""Objects chosen at run time among project classes that share no interface: a factory whose branches
return `OpenaiGenerator(...)` or a local `HFGenerator(...)` (no project base above both), the class
also fetched by a literal name from a module imported by a literal name (`getattr(importlib.
import_module("app.generator"), "OpenaiGenerator")(config)`). The object is any of them (a union,
`interfaces.chosen_instance`); a method call on it is a facade over what the members' methods reach,
"inferred", and no site when none reaches a request."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import line_of, make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.project import Project
from tokenlint.prefilter import ImportMatcher

_API = '''from openai import OpenAI


class OpenaiGenerator:
    def __init__(self, config):
        self.client = OpenAI()
        self.model = config["model"]

    def generate(self, prompts):
        # the prompts go out one by one from a comprehension: no parameter reaches the request as it is
        return [self._one(p) for p in list(prompts)]

    def _one(self, p):
        return self.client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": "hi"}])
'''

_LOCAL = '''class HFGenerator:
    def __init__(self, config):
        self.path = config["path"]

    def generate(self, prompts):
        return [p.upper() for p in prompts]
'''

_ECHO = '''class EchoGenerator:
    def __init__(self, config):
        self.config = config

    def generate(self, prompts):
        return list(prompts)
'''

_BRANCHES = '''from app.generator.api import OpenaiGenerator
from app.generator.local import HFGenerator


def get_generator(config):
    if config["framework"] == "openai":
        return OpenaiGenerator(config)
    elif config["framework"] == "hf":
        return HFGenerator(config)
    raise NotImplementedError(config["framework"])
'''

# the classes fetched by literal names from a module imported by a literal name: the factory's module
# imports nothing of the generators' modules by an import statement
_BY_NAME = '''import importlib


def get_generator(config):
    if config["framework"] == "openai":
        return getattr(importlib.import_module("app.generator"), "OpenaiGenerator")(config)
    return getattr(importlib.import_module("app.generator"), "HFGenerator")(config)
'''

_PIPELINE = '''from app.utils import get_generator


class Pipeline:
    def __init__(self, config, generator=None):
        if generator is None:
            generator = get_generator(config)
        self.generator = generator

    def run(self, questions):
        return self.generator.generate(questions)


def answer(config, questions):
    gen = get_generator(config)
    return gen.generate(questions)
'''


def _project(tmp_path: Path, factory: str, extra: dict | None = None) -> Path:
    files = {"app/__init__.py": "",
             "app/generator/__init__.py": "from app.generator.api import *\nfrom app.generator.local import *\n",
             "app/generator/api.py": _API, "app/generator/local.py": _LOCAL,
             "app/utils.py": factory, "app/pipeline.py": _PIPELINE}
    files.update(extra or {})
    return make(tmp_path, files)


def _sites(root: Path, path: str) -> list:
    return sorted((s for s in analyse([root], Config(), root=root).sites if s.path == path), key=lambda s: s.line)


def test_a_factory_of_unrelated_classes_gives_facades_on_its_objects(tmp_path: Path) -> None:
    root = _project(tmp_path, _BRANCHES)
    got = _sites(root, "app/pipeline.py")
    p = root / "app/pipeline.py"
    assert [s.line for s in got] == [line_of(p, "return self.generator.generate"), line_of(p, "return gen.generate")]
    for s in got:
        assert (s.kind, s.provider, s.confidence) == ("facade", "openai", "inferred")
        assert s.wrapper == "app.generator.api.OpenaiGenerator.generate"


def test_classes_fetched_by_literal_names_from_a_module_imported_by_name(tmp_path: Path) -> None:
    root = _project(tmp_path, _BY_NAME)
    got = _sites(root, "app/pipeline.py")
    assert [(s.kind, s.provider) for s in got] == [("facade", "openai"), ("facade", "openai")]


def test_no_member_reaching_a_request_gives_no_site(tmp_path: Path) -> None:
    factory = _BRANCHES.replace("app.generator.api import OpenaiGenerator", "app.generator.echo import EchoGenerator") \
        .replace("OpenaiGenerator(config)", "EchoGenerator(config)")
    root = _project(tmp_path, factory, {"app/generator/echo.py": _ECHO})
    assert _sites(root, "app/pipeline.py") == []


def test_the_method_of_a_member_that_sends_nothing_is_no_site_by_itself(tmp_path: Path) -> None:
    caller = "from app.generator.local import HFGenerator\n\n\ndef local(config, qs):\n" \
             "    return HFGenerator(config).generate(qs)\n"
    root = _project(tmp_path, _BRANCHES, {"app/local_only.py": caller})
    assert _sites(root, "app/local_only.py") == []


def test_a_literal_dynamic_import_counts_as_an_import_for_the_prefilter(tmp_path: Path) -> None:
    root = make(tmp_path, {"app/__init__.py": "", "app/llm.py": "x = 1\n",
                           "app/a.py": 'import importlib\nm = importlib.import_module("app.llm")\n',
                           "app/b.py": 'm = __import__( "app.llm.sub" )\n',
                           "app/c.py": 'import importlib\nm = importlib.import_module("app.other")\n',
                           "app/d.py": 'import importlib\nm = importlib.import_module(name)\n'})
    project = Project(root, sorted(root.rglob("*.py")))
    matcher = ImportMatcher([project.by_rel("app/llm.py")], project=project)
    got = {}
    for rel in ("app/a.py", "app/b.py", "app/c.py", "app/d.py"):
        ms = project.by_rel(rel)
        ms.raw = (root / rel).read_bytes()
        got[rel] = matcher.imports(ms)
    assert got == {"app/a.py": True, "app/b.py": True, "app/c.py": False, "app/d.py": False}


_HELPER = '''from openai import OpenAI


def classify(text):
    return OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''

_ROUTERS = '''from app.helper import classify


class SmartRouter:
    def route(self, queries):
        return [classify("which route?") for _q in queries]

    def _route(self, queries):
        return self.route(queries)


class PlainRouter:
    def route(self, queries):
        return [0 for _q in queries]

    def _route(self, queries):
        return self.route(queries)


def get_router(smart):
    if smart:
        return SmartRouter()
    return PlainRouter()


def pick(smart, queries):
    router = get_router(smart)
    return router.route(queries), router._route(queries)
'''


def test_members_reaching_requests_only_through_other_code_give_no_facade(tmp_path: Path) -> None:
    # the smart router's request is the project's helper's (no argument of the call reaches it): a use
    # of a model, not a choice of one; the private method is plumbing either way
    root = make(tmp_path, {"app/__init__.py": "", "app/helper.py": _HELPER, "app/routers.py": _ROUTERS})
    got = [s for s in analyse([root], Config(), root=root).sites if s.path == "app/routers.py"]
    # (the helper's call inside SmartRouter.route is a wrapper site of its own)
    assert [(s.kind, s.function) for s in got] == [("wrapper", "route")]


_BY_CONFIG = '''import app.generator as generators


def get_generator(config):
    return getattr(generators, config["class_name"])(config)
'''


@pytest.mark.parametrize("init", [
    "from app.generator.api import OpenaiGenerator\nfrom app.generator.local import HFGenerator\n",
    "from .api import *\nfrom .local import *\n",
])
def test_a_class_chosen_by_a_configured_name_from_a_package_that_gathers_them(tmp_path: Path, init: str) -> None:
    # the package's `__init__` defines no class: the classes it imports from its own modules are the family
    root = _project(tmp_path, _BY_CONFIG, {"app/generator/__init__.py": init})
    got = _sites(root, "app/pipeline.py")
    assert [(s.kind, s.provider, s.confidence) for s in got] == [("facade", "openai", "inferred")] * 2


def test_a_class_a_package_imports_from_outside_it_is_not_of_its_family(tmp_path: Path) -> None:
    outside = {"app/generator/__init__.py": "from app.generator.local import HFGenerator\nfrom app.remote import OpenaiGenerator\n",
               "app/remote.py": _API}
    root = _project(tmp_path, _BY_CONFIG, outside)
    assert _sites(root, "app/pipeline.py") == []


_ENGINES = '''from openai import OpenAI


class ApiEngine:
    def __init__(self, client):
        self.client = client

    def deploy(self, prompt):
        return self.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])


class LocalEngine:
    def __init__(self, client):
        self.client = client

    def deploy(self, prompt):
        return prompt.upper()


class Runner:
    def __init__(self, kind):
        self.kind = kind
        self.engine = None

    def run(self, prompt):
        client = OpenAI()
        if self.kind == "api":
            self.engine = ApiEngine(client)
            self.engine.deploy(prompt)
        elif self.kind == "local":
            self.engine = LocalEngine(client)
            self.engine.deploy(prompt)

    def again(self, prompt):
        return self.engine.deploy(prompt)


def pick(kind, prompt):
    if kind == "api":
        engine = ApiEngine(OpenAI())
    else:
        engine = LocalEngine(OpenAI())
    first = engine.deploy(prompt)
    engine = LocalEngine(OpenAI())
    for _ in range(3):
        engine.deploy(prompt)
        engine = ApiEngine(OpenAI())
    return first
'''


def test_a_call_right_after_its_object_is_assigned_is_on_that_object_only(tmp_path: Path) -> None:
    # in each branch the attribute was just assigned one engine: the local one's call is no site, the
    # API one's is that class's method (no facade over the union); a call in another method, after
    # both branches, or in a loop assigning it again after the call, still reads the union
    root = make(tmp_path, {"app/__init__.py": "", "app/engines.py": _ENGINES})
    p = root / "app/engines.py"
    got = {s.line: s for s in _sites(root, "app/engines.py")}
    assert line_of(p, "self.engine = LocalEngine(client)") + 1 not in got
    assert got[line_of(p, "return self.engine.deploy(prompt)")].kind == "facade"
    assert got[line_of(p, "first = engine.deploy(prompt)")].kind == "facade"
    assert got[line_of(p, "        engine.deploy(prompt)")].kind == "facade"
    api = got.get(line_of(p, "self.engine = ApiEngine(client)") + 1)
    assert api is None or api.confidence != "inferred"


_STAGES = '''from abc import ABC, abstractmethod

import anthropic
from openai import OpenAI


class BaseEngine(ABC):
    @abstractmethod
    def translate(self, text):
        ...


class OpenAIEngine(BaseEngine):
    def __init__(self, model):
        self.client = OpenAI()
        self.model = model

    def translate(self, text):
        return self.client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": text}])


class ClaudeEngine(BaseEngine):
    def __init__(self, model):
        self.client = anthropic.Anthropic()
        self.model = model

    def translate(self, text):
        return self.client.messages.create(model=self.model, max_tokens=100, messages=[{"role": "user", "content": text}])


class DocTranslator:
    def __init__(self, engine):
        self.engine = engine

    def translate(self, docs):
        for d in docs:
            d.text = self.engine.translate(d.text)


class BatchDocTranslator:
    def __init__(self, engine):
        self.engine = engine

    def translate(self, docs):
        return [self.engine.translate(d.text) for d in docs]


class Job:
    def __init__(self, engine, batch):
        if batch:
            self.translator = BatchDocTranslator(engine)
        else:
            self.translator = DocTranslator(engine)

    def run(self, docs):
        self.translator.translate(docs)
'''


def test_a_union_of_objects_built_by_name_is_not_read_by_the_method_name(tmp_path: Path) -> None:
    # both stages use the engine they are handed: no member sends a request of its own, and every
    # class the name may hold is known: the method's name (`translate`, the engines' interface's)
    # guesses nothing
    root = make(tmp_path, {"app/__init__.py": "", "app/stages.py": _STAGES})
    p = root / "app/stages.py"
    assert line_of(p, "self.translator.translate(docs)") not in {s.line for s in _sites(root, "app/stages.py")}


_BUILDERS = '''from openai import OpenAI


class Chat:
    def __init__(self):
        self.client = OpenAI()

    def complete(self, text):
        return self.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])


class Summarizer:
    def __init__(self):
        self.client = OpenAI()

    def summarize(self, text):
        return self.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])


class LocalBuilder:
    def __init__(self):
        self.chat = Chat()

    def build(self, query):
        return self.chat.complete(query)


class GlobalBuilder:
    def __init__(self):
        self.summarizer = Summarizer()

    def build(self, query):
        return self.summarizer.summarize("every community")


class Search:
    def __init__(self, kind):
        if kind == "local":
            self.builder = LocalBuilder()
        else:
            self.builder = GlobalBuilder()

    def run(self, query):
        return self.builder.build("what changed?")
'''


def test_objects_built_by_name_reaching_requests_only_through_objects_they_hold_give_no_facade(tmp_path: Path) -> None:
    # each builder hands its work to a model object it holds (another class's request, a wrapper of its
    # own): the choice between them is of a context builder, not of a model
    root = make(tmp_path, {"app/__init__.py": "", "app/search.py": _BUILDERS})
    p = root / "app/search.py"
    got = {s.line: s.kind for s in _sites(root, "app/search.py")}
    assert got[line_of(p, "return self.chat.complete(query)")] == "wrapper"
    assert line_of(p, 'return self.builder.build("what changed?")') not in got


# the engines of `_STAGES` (a base and two providers), loaded bare or wrapped in an observer
_OBSERVED = _STAGES.split("\n\n\nclass DocTranslator")[0] + '''


class ObservedEngine:
    def __init__(self, engine):
        self.engine = engine

    def translate(self, text):
        return self.engine.translate(text)


def load_engine(kind, name, observed=True):
    if kind == "openai":
        engine = OpenAIEngine(name)
    else:
        engine = ClaudeEngine(name)
    if observed:
        return ObservedEngine(engine)
    return engine


class Agent:
    def __init__(self, kind):
        self.engine = load_engine(kind, "any")

    def answer(self):
        return self.engine.translate("hi")
'''


def test_a_union_holding_an_interface_over_models_stays_a_facade(tmp_path: Path) -> None:
    # the observer holds any engine and the base dispatches to its providers: the member is itself the
    # choice of a model, whatever the observer reaches through the object it holds
    root = make(tmp_path, {"app/__init__.py": "", "app/models.py": _OBSERVED})
    p = root / "app/models.py"
    got = {s.line: s for s in _sites(root, "app/models.py")}
    assert got[line_of(p, 'return self.engine.translate("hi")')].kind == "facade"


AGENTS = '''from anthropic import Anthropic
from openai import OpenAI


def run_oai(messages, model):
    return OpenAI().chat.completions.create(model=model, messages=messages)


class ClaudeActor:
    def __init__(self, model):
        self.model = model
        self.client = Anthropic()

    def __call__(self, *, messages):
        return self.client.messages.create(model=self.model, max_tokens=512, messages=messages)


class VisionAgent:
    def __init__(self, model):
        self.model = model

    def __call__(self, messages, screen=None):
        return run_oai(messages, self.model)
'''

CALLED = '''from app.agents import ClaudeActor, VisionAgent


def sampling_loop(model, messages):
    if model == "claude":
        actor = ClaudeActor(model="claude-sonnet-4-5")
    else:
        actor = VisionAgent(model="gpt-4o")
    while True:
        out = actor(messages=messages)  # called
        if not out:
            return messages
'''


def test_calling_an_object_chosen_on_branches_runs_the_call_method_of_each_class(tmp_path):
    # neither the last assignment (VisionAgent) nor nothing: a facade over both classes' requests
    root = make(tmp_path, {"app/__init__.py": "", "app/agents.py": AGENTS, "app/loop.py": CALLED})
    [site] = [s for s in analyse([root], Config(), root=root).sites if s.path == "app/loop.py"]
    assert (site.line, site.kind, site.provider, site.providers) == (10, "facade", "multi", ("anthropic", "openai"))
