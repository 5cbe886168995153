"""An HTTP request function handed as a value (`requests.post` passed to `asyncio.to_thread`,
`loop.run_in_executor`, a `functools.partial` run there, or a project helper forwarding a callable
with `*args`) is a request at the handing call, with the URL and body from the arguments bound to it.
A request function stored, returned in a partial that nobody runs here, or handed with a URL or
method that is no LLM request, is not."""

from __future__ import annotations

from pathlib import Path

from tokenlint.config import Config
from tokenlint.engine import analyse

HEAD = ("import asyncio\nimport functools\nfrom functools import partial\nimport httpx\nimport requests\n"
        "BASE = 'https://api.openai.com/v1'\n")


def _sites(tmp_path: Path, src: str):
    p = tmp_path / "app.py"
    p.write_text(HEAD + src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.function, s.provider, s.api, s.is_async) for s in result.sites]


def test_a_request_function_handed_to_a_standard_runner_is_a_request(tmp_path: Path) -> None:
    src = ("async def to_thread(p):\n"
           "    return await asyncio.to_thread(httpx.post, BASE + '/chat/completions', json=p)\n"
           "async def executor(p):\n"
           "    loop = asyncio.get_running_loop()\n"
           "    return await loop.run_in_executor(None, requests.post, BASE + '/audio/speech')\n"
           "async def partial_in_executor(p):\n"
           "    loop = asyncio.get_running_loop()\n"
           "    return await loop.run_in_executor(None, functools.partial(requests.post, BASE + '/embeddings', json=p))\n"
           "async def session(p):\n"
           "    s = requests.Session()\n"
           "    return await asyncio.to_thread(s.post, BASE + '/chat/completions', json=p)\n")
    assert _sites(tmp_path, src) == [("to_thread", "openai", "chat.completions", True),
                                     ("executor", "openai", "audio.speech", True),
                                     ("partial_in_executor", "openai", "embeddings", True),
                                     ("session", "openai", "chat.completions", True)]


def test_a_project_helper_forwarding_a_callable_with_its_arguments_runs_the_request(tmp_path: Path) -> None:
    src = ("async def run_sync(func, *args, **kwargs):\n"
           "    loop = asyncio.get_running_loop()\n"
           "    return await loop.run_in_executor(None, partial(func, *args, **kwargs))\n"
           "def call_now(fn, *a, **k):\n"
           "    return fn(*a, **k)\n"
           "class Provider:\n"
           "    async def _run(self, func, *args, **kwargs):\n"
           "        return await asyncio.to_thread(func, *args, **kwargs)\n"
           "    async def speak(self, text):\n"
           "        return await self._run(requests.post, BASE + '/audio/speech', json={'input': text})\n"
           "async def chat(p):\n"
           "    return await run_sync(requests.post, BASE + '/chat/completions', json=p, timeout=30)\n"
           "def embed(p):\n"
           "    return call_now(requests.post, BASE + '/embeddings', json=p)\n")
    assert _sites(tmp_path, src) == [("speak", "openai", "audio.speech", True),
                                     ("chat", "openai", "chat.completions", True),
                                     ("embed", "openai", "embeddings", False)]


def test_look_alikes_of_a_handed_request_are_not_requests(tmp_path: Path) -> None:
    src = ("def keep(func, *args):\n"
           "    return [func, args]\n"  # stores the callable, never calls it
           "def no_spread(func, url):\n"
           "    return func(url)\n"  # calls it, but not with the arguments handed with it
           "def stored(p):\n"
           "    return keep(requests.post, BASE + '/chat/completions', p)\n"
           "def unspread(p):\n"
           "    return no_spread(requests.post, BASE + '/chat/completions')\n"
           "async def webhook(p):\n"
           "    return await asyncio.to_thread(requests.post, 'https://hooks.example.com/x', json=p)\n"
           "async def a_get(p):\n"
           "    return await asyncio.to_thread(requests.get, BASE + '/models')\n"
           "def only_partial(p):\n"
           "    return partial(requests.post, BASE + '/chat/completions', json=p)\n")
    assert _sites(tmp_path, src) == []
