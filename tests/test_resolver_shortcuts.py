"""The resolver's cheap checks ahead of costly work, each answering as the work it skips would: a
function's statements read for a `def` before its whole tree is walked (`facades.nested_calls`), the
files naming a word found once per word and shared by every question naming it (`callers.naming_files`),
and a file's bytes read for a call or argument naming a function before the file is parsed for its
callers (`passed._use_pattern`), and a module's text read for a method called on a name before a function
is walked for the methods called on its names (`interfaces._may_call_on`)."""

from __future__ import annotations

import ast
import time

import pytest
from projects import make

from tokenlint.prefilter import word_line, word_runs
from tokenlint.project import Project
from tokenlint.resolve import callers
from tokenlint.resolve.facades import _defines_functions, nested_calls
from tokenlint.resolve.passed import _use_pattern
from tokenlint.resolve.templates import READS

# a function with a `def` somewhere among its statements: in each kind of block that holds statements
DEFINING = {
    "body": "def f():\n    def g():\n        pass\n    return g()\n",
    "async": "async def f():\n    async def g():\n        pass\n    await g()\n",
    "if-else": "def f(x):\n    if x:\n        pass\n    else:\n        def g():\n            pass\n",
    "for-else": "def f(xs):\n    for x in xs:\n        pass\n    else:\n        def g():\n            pass\n",
    "while": "def f():\n    while True:\n        def g():\n            pass\n",
    "with": "def f():\n    with open('x') as h:\n        def g():\n            pass\n",
    "except": "def f():\n    try:\n        pass\n    except ValueError:\n        def g():\n            pass\n",
    "finally": "def f():\n    try:\n        pass\n    finally:\n        def g():\n            pass\n",
    "match": "def f(x):\n    match x:\n        case 1:\n            def g():\n                pass\n",
    "class-method": "def f():\n    class C:\n        def g(self):\n            pass\n    return C\n",
    "deep": "def f():\n    if a:\n        for b in c:\n            try:\n                with d:\n                    def g():\n                        pass\n"
            "            except E:\n                pass\n",
}
# a function without one: lambdas, comprehensions, calls and classes without methods are expressions or no def
PLAIN = {
    "calls": "def f(x):\n    y = [g(i) for i in x]\n    return h(y)\n",
    "lambda": "def f(x):\n    k = lambda v: v + 1\n    return sorted(x, key=lambda v: -v)\n",
    "class-attrs": "def f():\n    class C:\n        x = 1\n    return C\n",
    "blocks": "def f(x):\n    if x:\n        for i in x:\n            with g() as h:\n                try:\n                    pass\n"
              "                except E:\n                    pass\n",
    "string": "def f():\n    return 'def g(): pass'\n",
}


def _walk_defines(fnode: ast.AST) -> bool:
    """The answer `ast.walk` gives: any function definition inside `fnode` but itself."""
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is not fnode for n in ast.walk(fnode))


@pytest.mark.parametrize("source", DEFINING.values(), ids=DEFINING.keys())
def test_a_def_in_any_block_of_a_function_is_found(source: str) -> None:
    fnode = ast.parse(source).body[0]
    assert _walk_defines(fnode)
    assert _defines_functions(fnode)


@pytest.mark.parametrize("source", PLAIN.values(), ids=PLAIN.keys())
def test_a_function_defining_nothing_has_no_nested_calls(source: str) -> None:
    fnode = ast.parse(source).body[0]
    assert not _walk_defines(fnode)
    assert not _defines_functions(fnode)
    assert nested_calls(fnode) == []


def test_a_lambda_defines_nothing() -> None:
    lam = ast.parse("f = lambda x: (lambda y: y)(x)").body[0].value  # type: ignore[attr-defined]
    assert not _defines_functions(lam)
    assert nested_calls(lam) == []


def test_nested_calls_still_reads_the_closures_a_function_calls() -> None:
    fnode = ast.parse(DEFINING["body"]).body[0]
    assert [d.name for d in nested_calls(fnode)] == ["g"]  # type: ignore[attr-defined]


def _project(tmp_path, files: dict[str, str]) -> Project:
    root = make(tmp_path, files)
    project = Project(root, [root / rel for rel in files])
    for ms in project.by_path.values():
        ms.read()
    return project


FILES = {
    "app/llm.py": "def ask(q):\n    return q\n",
    "app/use.py": "from app.llm import ask\n\nprint(ask('x'))\n",
    "app/other.py": "def asking():\n    return 'ask_me'\n",
    "tests/test_llm.py": "from app.llm import ask\n\n\ndef test_ask():\n    assert ask('x')\n",
}


def _questions(project: Project) -> list:
    """The answers to the questions `passed` and `callers` ask about a word: in production code, in
    the tests, anywhere, and over a cap."""
    answers = [callers.naming_files(project, "ask", 10, False), callers.naming_files(project, "ask", 10, True),
               callers.naming_files(project, "ask", 10), callers.naming_files(project, "ask", 2),
               callers.naming_files(project, "ask", 2, False)]
    return [None if a is None else [ms.relpath for ms in a] for a in answers]


EXPECTED = [["app/llm.py", "app/use.py"], ["tests/test_llm.py"], ["app/llm.py", "app/use.py", "tests/test_llm.py"],
            None, ["app/llm.py", "app/use.py"]]  # `asking`, `ask_me`: other words; None: over the cap


def test_the_first_questions_scan_the_files_they_ask_about(tmp_path) -> None:
    project = _project(tmp_path, FILES)
    READS.clear()
    got = callers.naming_files(project, "ask", 10, True)
    assert [ms.relpath for ms in got] == ["tests/test_llm.py"]
    assert project.__dict__["_naming_scanned"] == 1  # the files asked about (the tests), not the whole project
    # only the files answered are data of the result, and the search (a new file naming `ask` changes it)
    assert sorted(READS) == sorted([str(got[0].path), callers.NAMES_KEY + "tests:10:ask"])
    assert READS[callers.NAMES_KEY + "tests:10:ask"] == callers.names_digest(project, callers.NAMES_KEY + "tests:10:ask")
    assert _questions(project) == EXPECTED


def test_the_word_index_answers_as_the_scans_do(tmp_path, monkeypatch) -> None:
    """Once the files have been scanned `INDEX_AFTER` times over, the index answers: the same files."""
    monkeypatch.setattr(callers, "INDEX_AFTER", 0)
    project = _project(tmp_path, FILES)
    assert callers.naming_files(project, "ask", 10) is not None  # scanned: the next questions use the index
    assert _questions(project) == EXPECTED
    assert "_word_index" in project.__dict__


def _kept_words(project: Project) -> None:
    """Each file's word runs kept as the prefilter keeps them on its scan (`SdkPattern.search_module`)."""
    for ms in project.by_path.values():
        ms.words = (ms.raw, word_line(word_runs(ms.raw)))


def test_the_word_runs_the_prefilter_kept_answer_as_the_scans_do(tmp_path) -> None:
    project = _project(tmp_path, FILES)
    _kept_words(project)
    assert _questions(project) == EXPECTED


# a word as the scan's pattern finds it and not: after digits, dots, quotes, non-ASCII letters, at the
# start and end of the file, inside longer words and dotted names
WORDISH = {
    "a.py": "x = 2ask\n", "b.py": "ask", "c.py": "x.ask()", "d.py": "'ask'", "e.py": "caf\u00e9ask = 1\n",
    "f.py": "ask\u00e9 = 1\n", "g.py": "_ask = ask_\n", "h.py": "# ask2 and 3_ask\n", "i.py": "x = 0xask\n",
    "j.py": "ask.x = 1\n", "k.py": "\u00e9 = 'caf\u00e9'\n", "l.py": "Settings.llm = 1\n",
}


@pytest.mark.parametrize("name", ["ask", "_ask", "ask_", "ask2", "3_ask", "x", "caf\u00e9", "caf\u00e9ask",
                                  "Settings.llm", "llm", "0xask"])
def test_kept_word_runs_find_the_files_the_pattern_finds(tmp_path, name: str) -> None:
    scanned = _project(tmp_path / "scanned", WORDISH)
    kept = _project(tmp_path / "kept", WORDISH)
    _kept_words(kept)
    assert all(ms.words is not None for ms in kept.by_path.values())
    got = callers.naming_files(kept, name, 50)
    assert got is not None and [ms.relpath for ms in got] == \
        [ms.relpath for ms in callers.naming_files(scanned, name, 50) or ()]


def test_word_runs_kept_from_other_bytes_are_not_read(tmp_path) -> None:
    """A file changed since the prefilter read it (a fix written, an editor's overlay): its bytes are read."""
    project = _project(tmp_path, FILES)
    _kept_words(project)
    other = project.by_rel("app/other.py")
    assert other is not None
    other.raw = b"from app.llm import ask\n"  # now it names the function; its kept runs do not
    assert "app/other.py" in [ms.relpath for ms in callers.naming_files(project, "ask", 10) or ()]
    other.words = (other.raw, b" nothing ")  # runs kept from these very bytes are what is searched
    assert "app/other.py" not in [ms.relpath for ms in callers.naming_files(project, "ask", 10) or ()]


def test_the_prefilter_keeps_the_word_runs_of_the_files_it_reads(tmp_path) -> None:
    from tokenlint.config import Config
    from tokenlint.engine import sdk_catalog
    from tokenlint.prefilter import sdk_pattern

    project = _project(tmp_path, FILES)
    pattern = sdk_pattern(sdk_catalog(Config()))
    for ms in project.by_path.values():
        assert ms.words is None
        assert pattern.search_module(ms) is pattern.search(ms.raw)
        assert ms.words is not None and ms.words[0] is ms.raw
        assert set(ms.words[1].split()) == word_runs(ms.raw)


@pytest.mark.parametrize("text", [
    b"ask('x')",
    b"client.ask (q)",
    b"functools.partial(ask, q)",
    b"await asyncio.to_thread(ask, q)",
    b"Thread(target=ask)",
    b"run(\n    ask\n)",
    b"ask  # the model's answer\n    (q)",
    b"ask \\\n(q)",
    b"ask\r\n(q)",
], ids=["call", "method", "partial", "to-thread", "keyword", "last-argument", "comment", "continuation", "crlf"])
def test_a_call_or_an_argument_naming_the_function_is_read(text: bytes) -> None:
    assert _use_pattern("ask").search(b"x = 1\n" + text + b"\n")


@pytest.mark.parametrize("text", [
    b'"""Call ask when the user asks."""',
    b"# ask the model\n",
    b"x = ask.__doc__",
    b"x = handlers[ask_more]",
    b"task(q)",
    b"asked(q)",
    b"ask_later(q)",
], ids=["prose", "comment", "attribute-of-it", "longer-word", "word-inside", "word-prefix", "other-function"])
def test_a_file_naming_the_function_only_otherwise_is_not_parsed(text: bytes) -> None:
    assert not _use_pattern("ask").search(b"x = 1\n" + text + b"\n")


def test_the_call_pattern_stays_linear_on_comment_runs() -> None:
    """A comment of many `#` and spaces after the name, with no line end: read one way only."""
    raw = b"ask " + b"# " * 20_000
    start = time.perf_counter()
    assert not _use_pattern("ask").search(raw)
    assert time.perf_counter() - start < 1.0


# the ways a method can be called on a bare name, as `interfaces._sibling_object_call` reads them
CALLED_ON = {
    "dot": "def f(ef):\n    ef.embed(x)\n    return ef(x)\n",
    "spaced": "def f(ef):\n    ef . embed(x)\n    return ef(x)\n",
    "parenthesised": "def f(ef):\n    ( ef ).embed(x)\n    return ef(x)\n",
    "continued": "def f(ef):\n    ef \\\n        .embed(x)\n    return ef(x)\n",
    "commented": "def f(ef):\n    (ef  # the embedder\n     ).embed(x)\n    return ef(x)\n",
    "next-line": "def f(ef):\n    (ef\n     .embed(x))\n    return ef(x)\n",
    "non-ascii": "def f(\uff45f):\n    \uff45f.embed(x)\n    return ef(x)\n",
}


class _Text:
    def __init__(self, text: str) -> None:
        self.path, self.text = text, text

    def read(self) -> str:
        return self.text


@pytest.mark.parametrize("source", CALLED_ON.values(), ids=CALLED_ON.keys())
def test_a_method_called_on_a_name_is_never_missed(source: str) -> None:
    from tokenlint.resolve.interfaces import _may_call_on

    calls = [c for c in ast.walk(ast.parse(source)) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
             and isinstance(c.func.value, ast.Name) and c.func.value.id == "ef"]
    assert calls  # (the source does call a method on `ef`, as Python reads it)
    assert _may_call_on(_Text(source), "ef", {})


@pytest.mark.parametrize("source", ["def f(ef):\n    return ef(x)\n", "def f(ef, ref):\n    ref.embed(x)\n    return ef(x)\n",
                                    "def f(ef):\n    eff.embed(x)\n    return ef(x)\n"])
def test_a_name_only_called_needs_no_walk(source: str) -> None:
    from tokenlint.resolve.interfaces import _may_call_on

    assert not _may_call_on(_Text(source), "ef", {})


def test_a_comment_after_the_name_is_taken_for_a_possible_call() -> None:
    """A comment after the name may hide the dot on the next line: the function is walked (as on main)."""
    from tokenlint.resolve.interfaces import _may_call_on

    text = "def f(ef):\n    ef" + " ) # #" * 20_000 + "\n    return ef(x)\n"
    start = time.perf_counter()
    assert _may_call_on(_Text(text), "ef", {})
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("unit,expected", [("cb #", True), ("cb ) ", False), ("cb(x) ", False)],
                         ids=["comment-after-each", "parenthesis-after-each", "called-each"])
def test_the_called_on_check_stays_linear_on_a_long_line_naming_it_often(unit: str, expected: bool) -> None:
    """50,000 occurrences of the name on one line (a comment to the line's end after each, in the first
    case): each is read up to the next one at most (reading every comment to the line's end took ~20 s)."""
    from tokenlint.resolve.interfaces import _may_call_on

    text = "def f(cb):\n    return cb(x)\n\n\nLEGEND = '" + unit * 50_000 + "'\n"
    start = time.perf_counter()
    assert _may_call_on(_Text(text), "cb", {}) is expected
    assert time.perf_counter() - start < 2.0


EMBEDDERS = """from abc import ABC, abstractmethod

from openai import OpenAI


class EmbeddingFunction(ABC):
    @abstractmethod
    def __call__(self, texts):
        ...

    def embed_query(self, texts):
        return self.__call__(texts)


class OpenAIEmbeddings(EmbeddingFunction):
    def __call__(self, texts):
        return OpenAI().embeddings.create(model="text-embedding-3-small", input=texts).data
"""


@pytest.mark.parametrize("written", ["ef .embed_query(texts)", "ef \\\n        .embed_query(texts)",
                                     "(ef  # the embedder\n     ).embed_query(texts)"],
                         ids=["space", "continuation", "comment"])
def test_the_sibling_call_facade_is_found_past_what_stands_before_the_dot(tmp_path, written: str) -> None:
    """`ef(texts)` beside `ef.embed_query(texts)` written with something between the name and the dot:
    read as the interface's `__call__`, a facade."""
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    jobs = ("from app.embedders import EmbeddingFunction\n\n\ndef embed(config, texts):\n"
            "    ef = config.get('embedding_function')\n"
            f"    {written}\n"
            "    return ef(texts)\n")
    ast.parse(jobs)
    root = make(tmp_path, {"app/__init__.py": "", "app/embedders.py": EMBEDDERS, "app/jobs.py": jobs})
    line = jobs.splitlines().index("    return ef(texts)") + 1
    got = [s for s in analyse([root], Config(), root=root).sites if s.path == "app/jobs.py" and s.line == line]
    assert [(s.kind, s.provider) for s in got] == [("facade", "openai")]
