"""A context stack hands back what it enters: `client = await stack.enter_async_context(session.create_client(
"bedrock-runtime"))` is the client `async with session.create_client(...) as client` binds, whether the
stack is a local or kept on the object and the client cached on it by a helper. Another method of the
stack (`push_async_callback`) hands back nothing of the client."""

from __future__ import annotations

from projects import analysed_sites

APP = '''\
import contextlib
from typing import Any

from aiobotocore.session import get_session

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


class Runtime:
    def __init__(self):
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None

    async def _ensure(self) -> Any:
        if self._client is None:
            session = get_session()
            client = await self._stack.enter_async_context(session.create_client("bedrock-runtime"))
            self._client = client
        return self._client

    async def ask(self, messages):
        c = await self._ensure()
        return await c.converse(modelId=MODEL, messages=messages)

    async def once(self, messages):
        async with contextlib.AsyncExitStack() as stack:
            c = await stack.enter_async_context(get_session().create_client("bedrock-runtime"))
            return await c.converse(modelId=MODEL, messages=messages)

    def sync_once(self, messages, make):
        with contextlib.ExitStack() as stack:
            c = stack.enter_context(make())
            other = stack.callback(print)
            return other.converse(modelId=MODEL, messages=messages)
'''


def test_a_context_stack_hands_back_the_client_it_enters(tmp_path):
    sites = analysed_sites(tmp_path / "proj", {"app/__init__.py": "", "app/runtime.py": APP})
    assert sorted((s.line, s.provider, s.api) for s in sites) == [
        (23, "aws_bedrock", "converse"), (28, "aws_bedrock", "converse")]
