"""Code under `if TYPE_CHECKING:` runs only in a type checker: its calls are no call sites (a typed
stub exercising an SDK's signature sends nothing), while its imports still type the real code."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

STUB = '''\
import typing
from typing import TYPE_CHECKING

from anthropic import Anthropic

if TYPE_CHECKING:
    from openai import OpenAI

    def _(obj) -> None:
        Anthropic().messages.create(model="claude-3-haiku-20240307", max_tokens=10, messages=obj)

if typing.TYPE_CHECKING:
    Anthropic().messages.create(model="claude-3-haiku-20240307", max_tokens=10, messages=[])
else:
    Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[])


def real(client: "OpenAI", q):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
'''


def test_calls_under_type_checking_are_not_sites_and_its_imports_still_type(tmp_path):
    root = make(tmp_path, {"app/stub.py": STUB})
    res = analyse([root], Config(root=root), rules=[], root=root, prefilter=False)
    assert sorted((s.line, s.provider) for s in res.sites) == [(15, "anthropic"), (19, "openai")]
