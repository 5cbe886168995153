"""TKL305's fix on a LiteLLM request sends what LiteLLM accepts: the fixed fixture's call, run through
the installed litellm with a mock HTTP transport (no network), reaches Anthropic with the system
prompt as a text block marked cache_control."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # the bundled price map: no fetch
litellm = pytest.importorskip("litellm")
httpx = pytest.importorskip("httpx")

FIXED = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "TKL305_litellm.fixed.py"

REPLY = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
         "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn", "stop_sequence": None,
         "usage": {"input_tokens": 10, "output_tokens": 1}}


def test_the_fixed_litellm_call_sends_a_cached_system_block(monkeypatch):
    from litellm.llms.custom_httpx.http_handler import HTTPHandler

    sent: list[dict] = []

    def answer(request):  # the Anthropic endpoint, mocked
        sent.append({"url": str(request.url), "body": json.loads(request.content)})
        return httpx.Response(200, json=REPLY)

    client = HTTPHandler(client=httpx.Client(transport=httpx.MockTransport(answer)))
    monkeypatch.setattr(litellm, "completion", functools.partial(litellm.completion, client=client, api_key="test"))
    namespace: dict = {}
    exec(compile(FIXED.read_text(encoding="utf-8"), str(FIXED), "exec"), namespace)  # our own fixture
    namespace["bare_claude"]("Clause 4.2: the supplier may end the contract with 30 days' notice.")
    assert len(sent) == 1 and sent[0]["url"].endswith("/v1/messages")
    system = sent[0]["body"]["system"]
    assert system == [{"type": "text", "text": namespace["REVIEWER"], "cache_control": {"type": "ephemeral"}}]
