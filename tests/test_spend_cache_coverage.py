"""Cache data per export: a row whose export has no cache column or field says nothing about caching
(unknown, never a 0% hit or a saving), for every reader, not only LiteLLM's; a feature whose rows
partly carry cache data has its hit rate over those rows' input only, and the report says on which
share of the input it was measured."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_spend_readers import BATCH, FOCUS_HEADER, read, write
from test_spend_report import W2, finding, rec, report, row, site

from tokenlint.catalog import load_model_catalog
from tokenlint.cli import main
from tokenlint.report.spend import render
from tokenlint.spend.join import Code, Ledger
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.weekly import Settings, build


# ------------------------------------------------------------------ each reader says whether a row carries cache data

def _openai(result: dict) -> str:
    base = {"object": "organization.usage.completions.result", "input_tokens": 1000, "output_tokens": 10,
            "num_model_requests": 1, "model": "gpt-4o-2024-08-06"}
    return json.dumps({"object": "page", "data": [{"object": "bucket", "start_time": 1763942400,
                                                   "results": [{**base, **result}]}]})


def _anthropic(result: dict) -> str:
    base = {"model": "claude-sonnet-5", "uncached_input_tokens": 1000, "output_tokens": 10}
    return json.dumps({"data": [{"starting_at": "2025-08-01T00:00:00Z", "results": [{**base, **result}]}],
                       "has_more": False})


def _bedrock(inp: dict) -> str:
    return json.dumps({"schemaType": "ModelInvocationLog", "timestamp": "2025-03-11T00:38:02Z", "requestId": "r",
                       "modelId": "anthropic.claude-haiku-4-5-20251001-v1:0", "input": {"inputTokenCount": 10, **inp},
                       "output": {"outputTokenCount": 1}}) + "\n"


def _langfuse(usage: dict) -> str:
    return json.dumps({"id": "o1", "type": "GENERATION", "start_time": "2024-05-29 13:46:19",
                       "provided_model_name": "gpt-4o", "usage_details": usage, "total_cost": 0.01}) + "\n"


def _helicone(extra: dict) -> str:
    return json.dumps({"response_id": "r1", "request_created_at": "2025-01-02T03:04:05Z", "model": "gpt-4o",
                       "request_properties": {}, "prompt_tokens": 1000, "completion_tokens": 10, "cost": 0.002,
                       **extra}) + "\n"


@pytest.mark.parametrize("name, text, known", [
    ("o.json", _openai({"input_cached_tokens": 0}), True),
    ("o.json", _openai({}), False),  # embeddings, or a result without the cached figure
    ("a.json", _anthropic({"cache_read_input_tokens": 0, "cache_creation": {"ephemeral_5m_input_tokens": 0}}), True),
    ("a.json", _anthropic({"cache_read_input_tokens": 0, "starting_at": "2025-08-01T00:00:00Z"}), True),
    ("b.jsonl", _bedrock({"cacheReadInputTokenCount": 0}), True),
    ("b.jsonl", _bedrock({}), False),
    ("l.jsonl", _langfuse({"input": 10, "output": 5, "input_cached_tokens": 0}), True),
    ("l.jsonl", _langfuse({"input": 10, "output": 5}), False),
    ("h.jsonl", _helicone({"prompt_cache_read_tokens": 0, "prompt_cache_write_tokens": 0}), True),
    ("h.jsonl", _helicone({}), False),
    ("h.jsonl", _helicone({"prompt_cache_read_tokens": None}), False),
])
def test_a_row_carries_cache_data_only_when_its_export_has_the_field(tmp_path, name, text, known):
    _, recs = read(write(tmp_path, name, text))
    assert recs and all(r.cache_known is known for r in recs)


def test_cost_exports_and_the_helicone_csv_carry_no_cache_data(tmp_path):
    costs = {"object": "page", "data": [{"start_time": 1763942400, "results": [
        {"object": "organization.costs.result", "amount": {"value": 1.5, "currency": "usd"},
         "line_item": "gpt-4o-2024-08-06, cached input"}]}]}
    anthropic_cost = {"data": [{"starting_at": "2025-08-01T00:00:00Z", "results": [
        {"amount": "150", "currency": "USD", "token_type": "cache_read_input_tokens", "model": "claude-sonnet-5"}]}]}
    csv_text = ("response_id,response_created_at,response_status,request_created_at,request_body,request_properties,"
                "request_user_id,model,prompt_tokens,completion_tokens,latency,cost\n"
                "r1,2025-01-02T03:04:06Z,200,2025-01-02T03:04:05Z,,{},u1,gpt-4o,100,10,300,0.001\n")
    for name, text in (("c.json", json.dumps(costs)), ("ac.json", json.dumps(anthropic_cost)), ("h.csv", csv_text)):
        _, recs = read(write(tmp_path, name, text))
        assert recs and not any(r.cache_known for r in recs), name


# ------------------------------------------------------------------ the hit rate over the rows that carry cache data

def test_a_feature_partly_carrying_cache_data_is_measured_on_those_rows_and_says_so() -> None:
    # 400k input tokens say how much was cached (100k read, 300k uncached); 600k come from rows that do not
    records = [rec(W2, None, feature="faq", input=300_000, cache_read=100_000),
               rec(W2, None, feature="faq", input=600_000, cache_known=False)]
    data, _ = report(records, [site("s1", "faq")], [finding("TKL301", "s1", 3)])
    r = row(data, "faq")
    assert r["cache_hit"] == Decimal("0.25")  # not 100k / 1M = 10%, which would be flagged as low
    assert r["cache_coverage"] == Decimal("0.4")
    assert not r["cache_low"] and data["summary"]["savings"] == []
    text = render(data, "text", Path("."), Path("."))
    assert "25% (cache data on 40% of input tokens)" in text


def test_the_saving_counts_only_input_known_to_be_uncached() -> None:
    known = [rec(W2, None, feature="faq", input=900_000, cache_read=0)]
    partly = known + [rec(W2, None, feature="faq", input=8_100_000, cache_known=False)]
    full, _ = report(known, [site("s1", "faq")], [finding("TKL301", "s1", 3)])
    mixed, _ = report(partly, [site("s1", "faq")], [finding("TKL301", "s1", 3)])
    assert row(full, "faq")["cache_saving"] and row(mixed, "faq")["cache_saving"] == row(full, "faq")["cache_saving"]
    assert row(mixed, "faq")["cache_coverage"] == Decimal("0.1")


def test_a_feature_whose_rows_all_carry_cache_data_shows_no_coverage_note() -> None:
    data, _ = report([rec(W2, None, feature="faq", input=300_000, cache_read=100_000)], [site("s1", "faq")])
    assert row(data, "faq")["cache_coverage"] == 1
    assert "cache data on" not in render(data, "text", Path("."), Path("."))


# ------------------------------------------------------------------ a bill's cache lines sit beside its input lines

FOCUS_INPUT = ('3.0,3.0,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,3,1M Tokens,AI and Machine Learning,'
               'Amazon Bedrock,AWS,Input Tokens,"{""ModelId"": ""claude-sonnet-5"", ""TokenDirection"": ""Input""}",'
               '"{""feature"": ""reports""}"\n')
FOCUS_READ = ('2.4,2.4,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,1000000,Tokens,AI and Machine Learning,'
              'Amazon Bedrock,AWS,Cache Read Input Tokens,"{""ModelId"": ""claude-sonnet-5"", ""TokenDirection"": '
              '""Input"", ""TokenCacheAction"": ""Read""}","{""feature"": ""reports""}"\n')


def _focus_report(tmp_path, text):
    _, recs = read(write(tmp_path, "focus.csv", text))
    ledger = Ledger()
    ledger.add(recs)
    cat = load_model_catalog()
    data = build(ledger, Code.build([site("s1", "reports")], []), cat, Pricer(cat, BATCH), BATCH, {},
                 Settings(today=dt.date(2026, 12, 4)), [])
    return row(data, "reports")


def test_a_focus_input_line_beside_a_cache_line_counts_toward_the_hit_rate(tmp_path) -> None:
    r = _focus_report(tmp_path, FOCUS_HEADER + FOCUS_INPUT + FOCUS_READ)
    assert r["cache_hit"] == Decimal("0.25") and r["cache_coverage"] == 1  # 1M read of 4M input


def test_a_focus_bill_of_input_lines_only_has_no_hit_rate(tmp_path) -> None:
    r = _focus_report(tmp_path, FOCUS_HEADER + FOCUS_INPUT)
    assert r["cache_hit"] is None and r["cache_data"] is False


def test_a_focus_line_marked_uncached_is_a_cache_figure(tmp_path) -> None:
    r = _focus_report(tmp_path, FOCUS_HEADER + FOCUS_INPUT.replace('""Input""}', '""Input"", ""TokenCacheAction"": '
                                                                               '""Uncached""}'))
    assert r["cache_hit"] == 0 and r["cache_coverage"] == 1


# ------------------------------------------------------------------ the command line

def test_spend_on_a_helicone_csv_says_the_cache_data_is_absent_not_zero(tmp_path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    csv_text = ("response_id,response_created_at,response_status,request_created_at,request_body,request_properties,"
                "request_user_id,model,prompt_tokens,completion_tokens,latency,cost\n"
                'r1,2026-11-24T03:04:06Z,200,2026-11-24T03:04:05Z,,"{""feature"": ""faq""}",u1,gpt-4o,1000,10,300,0.5\n')
    (tmp_path / "h.csv").write_text(csv_text)
    r = CliRunner().invoke(main, ["spend", str(tmp_path / "app.py"), "-u", str(tmp_path / "h.csv"),
                                  "--today", "2026-12-01", "--fail-on", "cache-hit<0.2"])
    assert r.exit_code == 0, r.output
    assert "Cache data is absent" in r.stdout and "0%" not in r.stdout.split("Prompt caching")[1].split("Batch")[0]
