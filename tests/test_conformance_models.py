"""Conformance of the model fixes (TKL201 pin, TKL203 successor) with the real SDK, offline.

tokenlint fixes a small module whose model reaches the call as a default, a fallback and one branch
of a conditional; the test executes the *fixed* module with OpenAI's client on a mock transport,
runs each call, and asserts that the SDK raised nothing, that the request carries the model the
fix wrote, and that this model is one the catalog says is served: known, same provider, not retired
and not retiring within the warning window (the fix's own constraint).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
from test_conformance import OPENAI_CHAT, Captured, _mock

from tokenlint.catalog import load_model_catalog
from tokenlint.config import Config
from tokenlint.engine import fix

TODAY = dt.date(2026, 12, 4)

MODULE = '''import os

from openai import OpenAI

client = OpenAI()


def summarise(text, model="gpt-4o"):
    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])


def classify(text, fast=False):
    return client.chat.completions.create(
        model="gpt-6.1-terra" if fast else "gpt-4o", messages=[{"role": "user", "content": text}])


def env_default(text):
    return client.chat.completions.create(
        model=os.getenv("CONF_MODEL") or "gpt-4o", messages=[{"role": "user", "content": text}])


def ask():
    return [summarise("a"), classify("b"), env_default("c")]
'''


def test_fixed_models_are_sent_by_the_sdk_and_served_per_the_catalog(tmp_path: Path, monkeypatch):
    openai = pytest.importorskip("openai")
    httpx2 = pytest.importorskip("httpx2")
    seen: list[Captured] = []
    monkeypatch.setattr(openai, "OpenAI", functools.partial(openai.OpenAI, api_key="sk-test",
                                                             http_client=_mock(httpx2, OPENAI_CHAT, seen)))
    for var in ("OPENAI_BASE_URL", "CONF_MODEL"):
        monkeypatch.delenv(var, raising=False)
    src = tmp_path / "conf.py"
    src.write_text(MODULE, encoding="utf-8")
    run = fix([src], Config().with_overrides(select=("TKL201", "TKL203")), unsafe=True, today=TODAY, root=tmp_path)
    text = run.fixed[src].decode("utf-8")
    assert '"gpt-4o"' not in text  # every copy changed: the default, the fallback and the branch
    namespace: dict[str, Any] = {"__name__": "conf"}
    exec(compile(text, str(src), "exec"), namespace)  # the fixed module, as written
    namespace["ask"]()  # raises if the SDK rejects a request
    sent = [c.body["model"] for c in seen]
    assert len(sent) == 3 and sent[1] == sent[0] == sent[2] != "gpt-4o"
    catalog = load_model_catalog()
    info = catalog.lookup(sent[0])
    assert info is not None and info.provider == "openai" and not info.retired
    retires = dt.date.fromisoformat(info.retires) if info.retires else None
    assert retires is None or (retires - TODAY).days > 90
