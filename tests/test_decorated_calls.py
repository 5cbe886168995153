"""Functions a library decorator turns into model requests (resolve/decorated.py) on whole projects: the
decorated function defined in one module and called in another, a project decorator named like the library's,
and the catalog entries' provenance (per-call cases: fixtures/resolver/providers/decorated_calls.py)."""

from __future__ import annotations

from projects import make

from tokenlint.catalog import build_sdk_catalog, builtin_sdk_data
from tokenlint.config import Config
from tokenlint.engine import analyse


def _sites(root):
    result = analyse([root], Config(), root=root)
    assert not [f.error for f in result.files if f.error]
    return {(s.path, s.line): s for s in result.sites}


def test_a_decorated_function_called_from_another_module_is_the_request_there(tmp_path):
    sites = _sites(make(tmp_path, {
        "books/__init__.py": "",
        "books/prompts.py": (
            "from mirascope import llm\n"
            "\n"
            "\n"
            "@llm.call(\"openai/gpt-4o-mini\")\n"
            "def recommend(genre: str) -> str:\n"
            "    return f\"Recommend a {genre} book.\"\n"
        ),
        "books/api.py": (
            "from books.prompts import recommend\n"
            "\n"
            "\n"
            "def handler(genre):\n"
            "    return recommend(genre).text()\n"
        ),
    }))
    site = sites[("books/api.py", 5)]
    assert (site.kind, site.sdk, site.provider, site.model.value) == ("direct", "mirascope", "mirascope", "openai/gpt-4o-mini")
    assert set(sites) == {("books/api.py", 5)}  # the decorated definition itself is no call


def test_a_project_decorator_named_like_the_library_one_makes_no_request(tmp_path):
    sites = _sites(make(tmp_path, {
        "app/__init__.py": "",
        "app/llm.py": (
            "def call(model):\n"
            "    def wrap(fn):\n"
            "        return fn\n"
            "    return wrap\n"
        ),
        "app/main.py": (
            "from app import llm\n"
            "\n"
            "\n"
            "@llm.call(\"openai/gpt-4o\")\n"
            "def greet(name):\n"
            "    return f\"Hello {name}\"\n"
            "\n"
            "\n"
            "print(greet(\"a\"))\n"
        ),
    }))
    assert sites == {}


def test_decorator_entries_carry_a_source_and_a_date():
    data = builtin_sdk_data()
    with_decorators = [e for e in data["sdk"] if e.get("decorator")]
    assert {e["name"] for e in with_decorators} >= {"mirascope", "mirascope-v1-openai", "marvin"}
    assert all(e.get("source") and e.get("checked") for e in with_decorators)
    cat = build_sdk_catalog()
    ctype, meth, methods = cat.call_decorators.get("mirascope.llm.call")
    assert (ctype.name, meth.api, meth.model_position, methods) == ("mirascope", "chat.completions", 0, frozenset({"call", "stream"}))
    assert cat.call_decorators.get("functools.cache") is None
