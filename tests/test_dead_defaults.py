"""A parameter's model default that never runs is no finding: every call of the function in the
project passes that argument. Kept whenever a call may leave it out (`**kwargs`, a missing
argument), the function is used any other way (a callback, `__all__`), or nothing calls it."""

from __future__ import annotations

import datetime as dt

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

CHAT = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def converse(messages, model='gpt-4o', temperature=0.2):\n"
    "    return client.chat.completions.create(model=model, messages=messages, temperature=temperature)\n"
    "class Embedder:\n"
    "    def __init__(self, key, model_name='gpt-4o'):\n"
    "        self.model_name = model_name\n"
    "    @staticmethod\n"
    "    def clean(q):\n"
    "        return q.strip()\n"
    "    @classmethod\n"
    "    def default(cls):\n"
    "        return cls('k')\n"
    "    @classmethod\n"
    "    def tidy(cls, q):\n"
    "        return cls.clean(q)\n"
    "    def ask(self, q):\n"
    "        return client.chat.completions.create(model=self.model_name, messages=[q])\n"
)


def _rows(tmp_path, caller: str, extra: dict | None = None):
    files = {"app/__init__.py": "", "app/chat.py": CHAT, "app/routes.py": caller, **(extra or {})}
    root = make(tmp_path / "proj", files)
    result = analyse([root], Config(select=("TKL203",)), root=root, today=dt.date(2026, 12, 5))
    return sorted((f.path, f.row) for f in result.findings if f.code == "TKL203")


PASSES = (
    "from app.chat import Embedder, converse\n"
    "def answer(settings, messages):\n"
    "    converse(messages, model=settings.model)\n"
    "    converse(messages, settings.fast_model, temperature=0)\n"
    "    Embedder(settings.key, settings.embed_model).ask('hi')\n"
)


def test_a_default_every_caller_overrides_is_not_reported(tmp_path):
    assert _rows(tmp_path, PASSES) == []


def test_one_call_leaving_the_argument_out_keeps_the_default(tmp_path):
    caller = PASSES + "    converse(messages)\n" + "    Embedder(settings.key, **{})\n"
    assert _rows(tmp_path, caller) == [("app/chat.py", 3), ("app/chat.py", 6)]


def test_a_callback_or_an_export_keeps_the_default(tmp_path):
    caller = PASSES + "    run(converse)\n"
    assert _rows(tmp_path, caller) == [("app/chat.py", 3)]
    exported = {"app/api.py": "from app.chat import Embedder\n__all__ = ['Embedder']\n"}
    assert _rows(tmp_path / "b", PASSES, exported) == [("app/chat.py", 6)]


def test_a_function_nothing_calls_keeps_the_default(tmp_path):
    assert _rows(tmp_path, "def unrelated():\n    return 1\n") == [("app/chat.py", 3), ("app/chat.py", 6)]


def test_an_argument_given_beside_kwargs_or_before_args_is_passed(tmp_path):
    # `**kwargs` cannot carry an argument also given by keyword (a TypeError), nor `*args` one given before it
    caller = ("from app.chat import Embedder, converse\n"
              "def answer(settings, messages, *rest, **extra):\n"
              "    converse(messages, model=settings.model, **extra)\n"
              "    converse(messages, settings.model, *rest)\n"
              "    Embedder(settings.key, model_name=settings.embed_model, **extra)\n")
    assert _rows(tmp_path, caller) == []
    # the argument's place reached only through `*rest`: may be left out
    assert _rows(tmp_path / "b", caller + "    converse(messages, *rest)\n") == [("app/chat.py", 3)]


def test_a_test_file_or_an_annotation_is_no_use_of_the_function(tmp_path):
    # a test builds the class with its default against doubles; an annotation names the class as a type
    tests = {"tests/__init__.py": "",
             "tests/test_chat.py": ("from app.chat import Embedder, converse\n"
                                    "def test_embedder():\n"
                                    "    e = object.__new__(Embedder)\n"
                                    "    assert Embedder('k').model_name\n"
                                    "    assert callable(converse)\n")}
    typed = PASSES + "def build(settings) -> Embedder:\n    e: Embedder = Embedder(settings.key, settings.m)\n    return e\n"
    assert _rows(tmp_path, typed, tests) == []
    # a function only the tests call is still the project's library code: its default stays
    lonely = "def unrelated():\n    return 1\n"
    assert _rows(tmp_path / "b", lonely, tests) == [("app/chat.py", 3), ("app/chat.py", 6)]


def test_a_static_member_read_on_the_class_builds_no_instance_a_classmethod_may(tmp_path):
    caller = PASSES + "    Embedder.clean(' hi ')\n    Embedder.tidy(' hi ')\n"
    assert _rows(tmp_path, caller) == []
    assert _rows(tmp_path / "b", PASSES + "    Embedder.default()\n") == [("app/chat.py", 6)]


def test_a_function_handed_to_a_runner_with_its_arguments_is_called_with_them(tmp_path):
    # `pool.submit(f, a, b)`, `loop.run_in_executor(None, f, a, b)`, `asyncio.to_thread(f, a, b)` call `f(a, b)`
    caller = ("import asyncio\n"
              "from concurrent.futures import ThreadPoolExecutor\n"
              "from app.chat import converse\n"
              "def answer(settings, batches):\n"
              "    with ThreadPoolExecutor() as pool:\n"
              "        futures = [pool.submit(converse, b, settings.model) for b in batches]\n"
              "    return futures\n"
              "async def later(loop, settings, messages):\n"
              "    await loop.run_in_executor(None, converse, messages, settings.model)\n"
              "    await asyncio.to_thread(converse, messages, model=settings.model)\n")
    assert _rows(tmp_path, caller) == [("app/chat.py", 6)]
    # handed without the argument, or bound by `partial` without it: the default may run
    left_out = caller + "    await asyncio.to_thread(converse, messages)\n"
    assert _rows(tmp_path / "b", left_out) == [("app/chat.py", 3), ("app/chat.py", 6)]
    partial = caller.replace("import asyncio\n", "import asyncio, functools\n") + \
        "    run = functools.partial(converse, temperature=0)\n"
    assert _rows(tmp_path / "c", partial) == [("app/chat.py", 3), ("app/chat.py", 6)]


SPREAD = (
    "from app.chat import converse\n"
    "def answer(messages, model='gpt-4o-mini', **extra):\n"
    "    kwargs = dict(model=model, **extra)\n"
    "    return converse(messages, **kwargs)\n"
)


def test_a_dict_built_once_with_the_key_written_passes_it(tmp_path):
    # the default that runs is the caller's own (`model='gpt-4o-mini'`, retiring too): reported there
    assert _rows(tmp_path, SPREAD) == [("app/chat.py", 6), ("app/routes.py", 2)]
    literal = SPREAD.replace("dict(model=model, **extra)", "{'model': model, **extra}")
    assert _rows(tmp_path / "b", literal) == [("app/chat.py", 6), ("app/routes.py", 2)]


def test_a_dict_that_may_lose_or_change_the_key_passes_nothing_known(tmp_path):
    popped = SPREAD.replace("    return", "    if extra.get('fast'):\n        kwargs.pop('model')\n    return")
    assert _rows(tmp_path, popped) == [("app/chat.py", 3), ("app/chat.py", 6)]
    rebound = SPREAD.replace("    return", "    kwargs = dict(extra)\n    return")
    assert _rows(tmp_path / "b", rebound) == [("app/chat.py", 3), ("app/chat.py", 6)]


TABLE = (
    "from app.chat import converse\n"
    "def summarise(messages, model='gpt-4o'):\n"
    "    return converse(messages, model=model)\n"
    "def outline(messages, model='gpt-4o'):\n"
    "    return converse(messages, model=model)\n"
    "def answer(kind, messages, settings):\n"
    "    writers = {'summary': summarise, 'outline': outline}\n"
    "    return writers[kind](messages, settings.model)\n"
)


def test_a_function_called_only_through_a_table_of_functions_passes_what_the_table_call_passes(tmp_path):
    # `writers[kind](messages, settings.model)` is a call of each entry: the defaults never run
    assert [r for r in _rows(tmp_path, TABLE) if r[0] == "app/routes.py"] == []


def test_a_table_call_leaving_the_argument_out_or_a_table_read_otherwise_keeps_the_defaults(tmp_path):
    left_out = TABLE.replace("writers[kind](messages, settings.model)", "writers[kind](messages)")
    assert [r for r in _rows(tmp_path, left_out) if r[0] == "app/routes.py"] == [("app/routes.py", 2), ("app/routes.py", 4)]
    handed = TABLE.replace("    return writers[kind](messages, settings.model)\n",
                           "    pick = writers.get(kind)\n    return writers[kind](messages, settings.model)\n")
    assert [r for r in _rows(tmp_path / "b", handed) if r[0] == "app/routes.py"] == [("app/routes.py", 2), ("app/routes.py", 4)]


def test_a_table_declared_global_or_nonlocal_is_read_elsewhere_and_keeps_the_defaults(tmp_path):
    # `global writers` makes the table the module's: another function's `writers[k](messages)` may run
    # the defaults, so the function's own table calls do not make them dead
    shared = TABLE.replace("    writers = {", "    global writers\n    writers = {") + \
        "def quick(messages, k):\n    return writers[k](messages)\n"
    assert [r for r in _rows(tmp_path, shared) if r[0] == "app/routes.py"] == [("app/routes.py", 2), ("app/routes.py", 4)]
    inner = ("from app.chat import converse\n"
             "def build():\n"
             "    writers = {}\n"
             "    def summarise(messages, model='gpt-4o'):\n"
             "        return converse(messages, model=model)\n"
             "    def answer(kind, messages, settings):\n"
             "        nonlocal writers\n"
             "        writers = {'summary': summarise}\n"
             "        return writers[kind](messages, settings.model)\n"
             "    def quick(messages, k):\n"
             "        return writers[k](messages)\n"
             "    return answer, quick\n")
    assert [r for r in _rows(tmp_path / "b", inner) if r[0] == "app/routes.py"] == [("app/routes.py", 4)]
