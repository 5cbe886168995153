"""A lazy-import helper gives the module it is named: `lazy_loader.load("litellm")` is the litellm module, as
`importlib.import_module` is, and so is a project helper returning such a call of its parameter (under any
alias: `from lazy_loader import load as _lazy_load`). A helper returning some other call of its parameter
gives no module."""

from __future__ import annotations

from projects import analysed_sites

UTIL = '''\
from lazy_loader import load as _lazy_load


def lazy_load_dep(import_name, package_name):
    """Load an optional dependency lazily."""
    return _lazy_load(import_name)


def registry_entry(name, default=None):
    return lookup(name)
'''

LLM = '''\
import lazy_loader

from pkg.util import lazy_load_dep, registry_entry

oai = lazy_load_dep("openai", "openai")
claude = lazy_loader.load("anthropic")


async def ask(messages):
    backend = lazy_load_dep("litellm", "litellm")
    return await backend.acompletion(model="gpt-4o-mini", messages=messages)


def ask_openai(messages):
    client = oai.OpenAI()
    return client.chat.completions.create(model="gpt-4o-mini", messages=messages)


def ask_claude(messages):
    return claude.Anthropic().messages.create(model="claude-3-5-haiku-latest", max_tokens=64,
                                                 messages=messages)


def other(messages):
    backend = registry_entry("litellm")
    return backend.completion(model="gpt-4o-mini", messages=messages)
'''


def test_a_lazy_import_helper_gives_the_module_it_is_named(tmp_path):
    sites = analysed_sites(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/util.py": UTIL, "pkg/llm.py": LLM})
    got = sorted((s.line, s.sdk) for s in sites if s.path == "pkg/llm.py")
    assert got == [(11, "litellm"), (16, "openai"), (20, "anthropic")]
