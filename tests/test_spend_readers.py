"""Usage-export readers: each format's fields into the common record, sniffing, and bad input.

Every sample here is written by hand for the test, in the shape the format's documentation gives."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tokenlint.catalog import load_model_catalog
from tokenlint.engine import sdk_catalog
from tokenlint.config import Config
from tokenlint.spend.formats import spend_catalog
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.read import Context, read_file

BATCH = sdk_catalog(Config()).batch


def read(path: Path, fmt: str | None = None, generic: dict | None = None, accounts: dict | None = None,
         known: frozenset = frozenset()):
    ctx = Context(export=None, feature_keys=("feature",), known_features=known, generic=generic or {})  # type: ignore[arg-type]
    report, records = read_file(path, fmt, ctx, Pricer(load_model_catalog(), BATCH), accounts or {})
    out = list(records)
    return report, out


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def usd(x: str) -> Decimal:
    return Decimal(x)


# ------------------------------------------------------------------ OpenAI

OPENAI_PAGE = {"object": "page", "has_more": False, "next_page": None, "data": [
    {"object": "bucket", "start_time": 1763942400, "end_time": 1764028800, "results": [  # 2025-11-24
        {"object": "organization.usage.completions.result", "input_tokens": 1_000_000, "input_cached_tokens": 800_000,
         "output_tokens": 100_000, "num_model_requests": 5, "project_id": "proj_a", "model": "gpt-4o-2024-08-06",
         "batch": False},
        {"object": "organization.usage.completions.result", "input_tokens": 2_000_000, "input_cached_tokens": 0,
         "output_tokens": 0, "num_model_requests": 2, "project_id": "proj_b", "model": "gpt-4o-2024-08-06",
         "batch": True}]}]}


def test_openai_usage_subtracts_cached_tokens_and_prices_from_the_catalog(tmp_path):
    report, recs = read(write(tmp_path, "u.json", json.dumps(OPENAI_PAGE, indent=2)), accounts={"proj_a": "faq"})
    assert report.format == "openai-usage" and report.kind == "billing" and not report.problems
    a, b = recs
    assert (a.input, a.cache_read, a.output, a.requests) == (200_000, 800_000, 100_000, 5)
    assert a.day == dt.date(2025, 11, 24) and a.feature == "faq" and b.feature is None
    # gpt-4o list prices: 2.5 input, 1.25 cached, 10 output per 1M tokens
    assert a.cost == usd("0.5") + usd("1.0") + usd("1.0") and a.basis == "computed"
    assert isinstance(a.cost, Decimal)
    assert b.batch is True and b.cost == usd("2.5")  # 2M input at half price


def test_openai_usage_prefers_input_uncached_tokens_and_reads_the_dashboard_csv(tmp_path):
    csv_text = ("start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,"
                "batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens\n"
                "1759622400,1759708800,2025-10-05T00:00:00+00:00,2025-10-06T00:00:00+00:00,proj_x,10.0,,key_1,"
                "gpt-4o-2024-08-06,FALSE,default,59200.0,10646.0,5760.0,53440.0\n"
                ",,,,,,,,,,,,,,\n")
    report, recs = read(write(tmp_path, "usage.csv", csv_text))
    assert report.format == "openai-usage" and report.rows == 2 and not report.problems
    (r,) = recs
    assert (r.input, r.cache_read, r.output, r.requests, r.batch) == (53440, 5760, 10646, 10, False)


def test_openai_cached_above_input_is_a_counted_bad_row(tmp_path):
    page = {"object": "page", "data": [{"start_time": 1763942400, "results": [
        {"object": "organization.usage.completions.result", "input_tokens": 10, "input_cached_tokens": 50,
         "output_tokens": 1, "num_model_requests": 1, "model": "gpt-4o"}]}]}
    report, recs = read(write(tmp_path, "u.jsonl", json.dumps(page) + "\n"))
    assert recs == [] and report.problems["cached tokens exceed input"][:2] == [1, 1]


def test_openai_costs_in_dollars_with_the_model_from_the_line_item(tmp_path):
    page = {"object": "page", "data": [{"object": "bucket", "start_time": 1763942400, "results": [
        {"object": "organization.costs.result", "amount": {"value": 0.8958740000000000, "currency": "usd"},
         "line_item": "gpt-4o-mini-2024-07-18, cached input", "project_id": "proj_a"},
        {"object": "organization.costs.result", "amount": {"value": 3.5, "currency": "eur"},
         "line_item": "gpt-4o-2024-08-06, output", "project_id": "proj_a"}]}]}
    report, recs = read(write(tmp_path, "costs.json", json.dumps(page)))
    assert report.format == "openai-costs"
    (r,) = recs
    assert r.cost == usd("0.895874") and r.basis == "reported" and r.model == "gpt-4o-mini-2024-07-18"
    assert report.problems["currency not USD"][:2] == [1, 1]


# ------------------------------------------------------------------ Anthropic

def test_anthropic_usage_buckets_are_exclusive_and_one_hour_writes_cost_twice_the_input(tmp_path):
    page = {"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z", "results": [
        {"api_key_id": "apikey_1", "workspace_id": "wrkspc_1", "model": "claude-sonnet-5", "service_tier": "standard",
         "uncached_input_tokens": 1_000_000, "cache_read_input_tokens": 1_000_000,
         "cache_creation": {"ephemeral_1h_input_tokens": 1_000_000, "ephemeral_5m_input_tokens": 1_000_000},
         "output_tokens": 1_000_000, "server_tool_use": {"web_search_requests": 10}},
        {"workspace_id": None, "model": "claude-sonnet-5", "service_tier": "batch", "uncached_input_tokens": 1_000_000,
         "cache_read_input_tokens": 0, "cache_creation": {}, "output_tokens": 0}]}], "has_more": False}
    report, recs = read(write(tmp_path, "a.json", json.dumps(page)), accounts={"wrkspc_1": "drafts"})
    assert report.format == "anthropic-usage"
    a, b = recs
    assert (a.input, a.cache_read, a.cache_write, a.cache_write_1h, a.output) == (10**6, 10**6, 2 * 10**6, 10**6, 10**6)
    assert a.feature == "drafts" and a.provider == "anthropic"
    # claude-sonnet-5: 2 input, 0.2 cache read, 5m write 1.25x = 2.5, 1h write 2x = 4, 10 output
    assert a.cost == usd("2") + usd("0.2") + usd("2.5") + usd("4") + usd("10")
    assert b.batch is True and b.cost == usd("1")


def test_anthropic_cost_report_amounts_are_cents(tmp_path):
    page = {"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z", "results": [
        {"amount": "123.78912", "context_window": "0-200k", "cost_type": "tokens", "currency": "USD",
         "description": "Claude Sonnet 4 Usage - Input Tokens", "model": "claude-sonnet-4-20250514",
         "service_tier": "standard", "token_type": "uncached_input_tokens", "workspace_id": "wrkspc_1"}]}]}
    report, recs = read(write(tmp_path, "cost.json", json.dumps(page)))
    assert report.format == "anthropic-cost"
    assert recs[0].cost == usd("1.2378912") and recs[0].basis == "reported"


# ------------------------------------------------------------------ LiteLLM

def _litellm_row(**kw):
    row = {"request_id": "chatcmpl-1", "call_type": "acompletion", "api_key": "hashed", "cache_hit": "None",
           "startTime": "2025-03-24T22:02:42.975883Z", "endTime": "2025-03-24T22:02:42.989132Z",
           "model": "claude-sonnet-5", "custom_llm_provider": "anthropic", "spend": 0.01383, "total_tokens": 2598,
           "prompt_tokens": 2095, "completion_tokens": 503, "request_tags": "[]", "status": "success",
           "metadata": json.dumps({"usage_object": {"completion_tokens": 503, "prompt_tokens": 2095,
                                                    "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 95}})}
    row.update(kw)
    return row


def test_litellm_json_array_reads_tags_cache_and_reported_spend(tmp_path):
    rows = [_litellm_row(request_tags='["feature:faq-bot", "env:prod"]'),
            _litellm_row(request_tags=["tokenlint_site:abc123def456"], metadata={}, spend=None),
            _litellm_row(request_tags="[]", custom_llm_provider="bedrock",
                         model="bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0")]
    report, recs = read(write(tmp_path, "logs.json", json.dumps(rows)))
    assert report.format == "litellm" and report.kind == "attribution" and report.rows == 3
    a, b, c = recs
    assert a.feature == "faq-bot" and a.site is None
    assert (a.input, a.cache_read, a.cache_write, a.output) == (1000, 1000, 95, 503)
    assert a.cost == usd("0.01383") and a.basis == "reported" and a.requests == 1
    assert b.site == "abc123def456" and b.feature is None and b.basis == "computed"
    assert c.provider == "aws_bedrock" and c.model == "anthropic.claude-haiku-4-5-20251001-v1:0"


def test_litellm_csv_dump_with_a_bare_tag_that_is_a_feature_of_the_code(tmp_path):
    text = ("request_id,spend,prompt_tokens,completion_tokens,startTime,model,custom_llm_provider,request_tags,metadata\n"
            'r1,0.5,100,10,2025-03-24 22:02:42,gpt-4o,openai,"[""search""]",{}\n'
            'r2,0.5,100,10,2025-03-24 22:02:42,gpt-4o,openai,"[""unrelated""]",{}\n')
    report, recs = read(write(tmp_path, "spendlogs.csv", text), known=frozenset({"search"}))
    assert report.format == "litellm"
    assert [r.feature for r in recs] == ["search", None]


# ------------------------------------------------------------------ Langfuse, Helicone, Bedrock

def test_langfuse_observations_classify_usage_keys_and_skip_spans(tmp_path):
    lines = [
        {"id": "o1", "trace_id": "t1", "type": "GENERATION", "name": "anthropic-completion",
         "start_time": "2024-05-29 13:46:19.963000", "provided_model_name": "claude-3-opus-20240229",
         "usage_details": {"input": 504, "output": 97, "cache_read_input_tokens": 123, "total": 724},
         "cost_details": {"input": 0.00756}, "total_cost": 0.01502, "tags": ["feature:invoices"],
         "metadata": {}, "trace_name": "extract"},
        {"id": "o2", "trace_id": "t1", "type": "SPAN", "start_time": "2024-05-29 13:46:19.000000", "usage_details": {}},
        {"id": "o3", "type": "GENERATION", "start_time": "2024-05-29 13:47:00", "provided_model_name": "gpt-4o",
         "usage_details": {"input": 10, "output": 5}, "metadata": {"Feature": "faq"}, "tags": []},
    ]
    report, recs = read(write(tmp_path, "obs.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n"))
    assert report.format == "langfuse" and report.rows == 3 and len(recs) == 2
    a, b = recs
    assert (a.input, a.cache_read, a.output, a.cost, a.feature) == (504, 123, 97, usd("0.01502"), "invoices")
    assert b.feature == "faq" and b.basis == "computed"


def test_helicone_properties_match_case_insensitively_and_the_csv_has_no_cache(tmp_path):
    rows = [{"response_id": "r1", "request_created_at": "2025-01-02T03:04:05Z", "request_properties": {"Feature": "faq"},
             "provider": "OPENAI", "model": "gpt-4o", "prompt_tokens": 1000, "completion_tokens": 10,
             "prompt_cache_read_tokens": 400, "prompt_cache_write_tokens": 0, "cost": 0.002}]
    report, recs = read(write(tmp_path, "h.jsonl", json.dumps(rows[0]) + "\n"))
    assert report.format == "helicone"
    (r,) = recs
    assert (r.feature, r.input, r.cache_read, r.cost, r.provider) == ("faq", 600, 400, usd("0.002"), "openai")
    csv_text = ("response_id,response_created_at,response_status,request_created_at,request_body,request_properties,"
                "request_user_id,model,prompt_tokens,completion_tokens,latency,cost\n"
                'r1,2025-01-02T03:04:06Z,200,2025-01-02T03:04:05Z,,"{""helicone-property-feature"": ""faq""}",u1,'
                "gpt-4o,100,10,300,0.001\n")
    report, recs = read(write(tmp_path, "h.csv", csv_text))
    assert report.format == "helicone" and recs[0].feature == "faq" and recs[0].cost == usd("0.001")


def test_bedrock_invocation_logs_gzipped_with_request_metadata_and_an_arn(tmp_path):
    rec = {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": "2025-03-11T00:38:02Z",
           "accountId": "123", "identity": {"arn": "arn:aws:iam::123:user/x"}, "region": "us-east-1",
           "requestId": "ff4b", "operation": "Converse",
           "modelId": "arn:aws:bedrock:us-east-1:123:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
           "input": {"inputTokenCount": 1_000_000, "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0},
           "output": {"outputTokenCount": 0}, "requestMetadata": {"feature": "reports"}}
    p = tmp_path / "log.json.gz"
    p.write_bytes(gzip.compress((json.dumps(rec) + "\n").encode()))
    report, recs = read(p)
    assert report.format == "bedrock"
    (r,) = recs
    assert r.feature == "reports" and r.provider == "aws_bedrock" and r.cost == usd("1")  # haiku 4.5: $1 / 1M input


# ------------------------------------------------------------------ FOCUS and generic

FOCUS_HEADER = ("BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,"
                "ConsumedQuantity,ConsumedUnit,ServiceCategory,ServiceName,ProviderName,SkuMeter,SkuPriceDetails,Tags\n")


def test_focus_rows_tags_units_and_the_rest_of_the_cloud_bill(tmp_path):
    text = FOCUS_HEADER + (
        '2.4,2.4,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,8000000,Tokens,AI and Machine Learning,'
        'Amazon Bedrock,AWS,Cache Read Input Tokens,"{""ModelId"": ""claude-sonnet-5"", ""TokenDirection"": '
        '""Input"", ""TokenCacheAction"": ""Read""}","{""feature"": ""reports""}"\n'
        '5.0,5.0,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,2,1M Tokens,AI and Machine Learning,'
        'Amazon Bedrock,AWS,Output Tokens,,{}\n'
        '9.0,9.0,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,24,Hours,Compute,Amazon EC2,AWS,,,{}\n'
        '1.0,1.0,EUR,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,1,Tokens,AI and Machine Learning,'
        'Azure OpenAI,Microsoft,Input Tokens,,{}\n'
        '1.5,1.5,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,3,Requests,AI and Machine Learning,'
        'Amazon Bedrock,AWS,Requests,,{}\n')
    report, recs = read(write(tmp_path, "focus.csv", text))
    assert report.format == "focus" and report.kind == "billing" and report.rows == 5
    a, b, c = recs
    assert (a.cache_read, a.cost, a.feature, a.model, a.provider) == (8_000_000, usd("2.4"), "reports",
                                                                      "claude-sonnet-5", "aws_bedrock")
    assert (b.output, b.cost) == (2_000_000, usd("5.0"))
    assert c.cost == usd("1.5") and c.input == c.output == 0
    assert report.problems["not LLM spend (skipped)"][:2] == [1, 4]
    assert report.problems["currency not USD"][:2] == [1, 5]
    assert report.problems["unit not tokens (cost kept, tokens not counted)"][:2] == [1, 6]


def test_generic_csv_through_the_configured_mapping_in_cents(tmp_path):
    text = "when,llm,team_feature,in,out,cents\n2026-11-24,gpt-4o,faq,100,10,250\n"
    mapping = {"time": "when", "model": "llm", "feature": "team_feature", "input": "in", "output": "out",
               "cost": "cents", "cost-unit": "cents"}
    report, recs = read(write(tmp_path, "mine.csv", text), generic=mapping)
    assert report.format == "generic"  # sniffed: every mapped column is in the header
    (r,) = recs
    assert (r.feature, r.input, r.output, r.cost, r.requests) == ("faq", 100, 10, usd("2.5"), 1)


# ------------------------------------------------------------------ sniffing, pricing, bad input

def test_every_export_with_keys_is_sniffed_before_generic():
    names = list(spend_catalog().exports)
    assert names[-1] == "generic" and all(spend_catalog().exports[n].sniff for n in names[:-1])
    for e in spend_catalog().exports.values():
        assert e.source and e.checked and e.obtain, e.name


def test_unknown_model_is_priced_unknown_never_zero(tmp_path):
    rows = [_litellm_row(model="acme-llm-9", custom_llm_provider="acme", spend=None, request_tags="[]")]
    report, recs = read(write(tmp_path, "logs.json", json.dumps(rows)))
    (r,) = recs
    assert r.cost is None and r.basis == "unknown"
    assert report.problems["unknown model"][:2] == [1, 1]


def test_forced_format_on_the_wrong_export_counts_every_row(tmp_path):
    p = write(tmp_path, "u.json", json.dumps(OPENAI_PAGE))
    report, recs = read(p, fmt="bedrock")
    assert recs == [] and report.problems["missing period"][0] == 1
    assert report.error == ("no row could be read as bedrock: an export of another kind? "
                            "(it looks like openai-usage: try --usage-format openai-usage)")


def test_malformed_rows_are_counted_with_the_first_row_number_and_the_rest_is_read(tmp_path):
    lines = [json.dumps(_litellm_row()), "{not json", json.dumps(_litellm_row(startTime="")),
             json.dumps(_litellm_row(prompt_tokens="many")), json.dumps(_litellm_row(spend="NaN")),
             json.dumps(_litellm_row())]
    report, recs = read(write(tmp_path, "logs.jsonl", "\n".join(lines) + "\n"))
    assert len(recs) == 2 and report.rows == 5
    assert report.problems["not valid JSON"][:2] == [1, 2]
    assert report.problems["missing period"][:2] == [1, 3]
    assert report.problems["bad number"][:2] == [2, 4]


def test_a_truncated_json_document_keeps_the_rows_before_the_cut(tmp_path):
    rows = [_litellm_row(request_id=f"r{i}") for i in range(3)]
    text = json.dumps(rows)
    report, recs = read(write(tmp_path, "logs.json", text[: len(text) - 40]))
    assert len(recs) == 2 and report.error and "truncated" in report.error and "row 2" in report.error


def test_a_damaged_json_file_is_named_as_such_not_as_another_export(tmp_path):
    report, recs = read(write(tmp_path, "usage.json", '{"data": [1,2'))
    assert recs == [] and report.error.startswith("invalid JSON (") and ": line 1, column 14)" in report.error
    assert "not a usage export" not in report.error
    # a JSON file of another shape that parses is still "not a usage export"
    assert "not a usage export" in read(write(tmp_path, "other.json", '{"data": [1, 2]}'))[0].error


def test_a_json_export_cut_before_its_first_row_says_so(tmp_path):
    page = json.dumps({"object": "page", "data": [{"object": "bucket", "start_time": 1, "results": [
        {"object": "organization.usage.completions.result", "input_tokens": 5, "model": "gpt-4o"}]}]})
    report, recs = read(write(tmp_path, "usage.json", page[:-30]))
    assert recs == [] and "before its first row" in report.error and "row 0" not in report.error


def test_a_truncated_csv_counts_its_short_last_row(tmp_path):
    text = ("request_id,spend,prompt_tokens,completion_tokens,startTime,model,custom_llm_provider,request_tags\n"
            "r1,0.5,100,10,2025-03-24T22:02:42Z,gpt-4o,openai,[]\nr2,0.5,100")
    report, recs = read(write(tmp_path, "s.csv", text))
    assert len(recs) == 1 and report.problems["wrong number of columns"][:2] == [1, 3]


def test_a_csv_whose_only_row_is_cut_is_not_a_file_with_no_rows(tmp_path):
    text = ("request_id,spend,prompt_tokens,completion_tokens,startTime,model,custom_llm_provider,request_tags\n"
            "r1,0.5,100")
    report, recs = read(write(tmp_path, "s.csv", text))
    assert recs == [] and report.problems["wrong number of columns"][:2] == [1, 2]
    assert report.error == "no row could be read: each has a problem"
    assert read(write(tmp_path, "h.csv", text.split("\n")[0] + "\n"))[0].error == "no rows"  # a header alone


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"), (b"PAR1\x00\x01\x02", "not a text file"),
    (b"name,colour\nx,blue\n", "not a usage export"), (b'{"hello": 1}\n', "not a usage export"),
])
def test_files_that_are_no_usage_export_are_one_line_errors(tmp_path, content, reason):
    p = tmp_path / "f"
    p.write_bytes(content)
    report, recs = read(p)
    assert recs == [] and reason in report.error and "\n" not in report.error


def test_a_folder_or_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    assert read(tmp_path)[0].error == "is a folder, not a usage file"
    assert read(tmp_path / "nope.csv")[0].error == "no such file"


def test_timestamps_in_other_offsets_land_on_their_utc_day(tmp_path):
    rows = [_litellm_row(startTime="2025-03-24T22:30:00-05:00"), _litellm_row(startTime=1742860800),
            _litellm_row(startTime=1742860800000)]
    _, recs = read(write(tmp_path, "logs.json", json.dumps(rows)))
    assert [r.day for r in recs] == [dt.date(2025, 3, 25)] * 3


def test_usage_values_are_never_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    rows = [_litellm_row(model=f"__import__('os').system('touch {marker}')", request_tags='["feature:x"]',
                         spend="__import__('os')")]
    report, recs = read(write(tmp_path, "logs.json", json.dumps(rows)))
    assert not marker.exists() and recs == [] and "bad number" in report.problems


@pytest.mark.parametrize("container", ["csv", "jsonl"])
def test_a_file_split_across_processes_reads_exactly_as_one_pass(tmp_path, monkeypatch, container):
    from tokenlint.spend import SpendInput, collect
    from tokenlint.spend import rows as rw

    lines = []
    for i in range(3000):
        row = {"request_id": f"r{i}", "spend": f"0.{i % 97:03d}", "prompt_tokens": 100 + i, "completion_tokens": 7,
               "startTime": f"2026-11-{1 + i % 28:02d}T10:00:00Z", "model": "gpt-4o", "custom_llm_provider": "openai",
               "request_tags": json.dumps([f"feature:f{i % 5}"]),
               # a quoted newline in a CSV cell must not be taken for the end of a row
               "metadata": '{"note": "two\nlines", "usage_object": {"cached_tokens": 3}}' if i % 7 == 0 else "{}"}
        if i == 2500:
            row["startTime"] = "not a time"
        lines.append(row)
    p = tmp_path / f"logs.{container}"
    if container == "csv":
        import csv as _csv

        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = _csv.DictWriter(fh, fieldnames=list(lines[0]))
            w.writeheader()
            w.writerows(lines)
    else:
        p.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    monkeypatch.setattr(rw, "SPLIT_MIN", 0)
    assert len(rw.split(p, container, 3)) == 3

    def run(jobs):
        a = SpendInput(usage=[p], forced_format=None, config=Config().spend, feature_key="feature", sites=[],
                       findings=[], catalog=load_model_catalog(), batch=BATCH, tiers={}, jobs=jobs)
        return collect(a)[0]

    one, three = run(1), run(3)
    assert one["files"] == three["files"] and one["files"][0]["rows"] == 3000
    quoted_newlines_before = len(range(0, 2500, 7))
    assert one["files"][0]["problems"][0]["first_row"] == (2502 + quoted_newlines_before if container == "csv" else 2501)
    assert one["totals"] == three["totals"] and one["features"] == three["features"]


KEYS = sorted({k for e in spend_catalog().exports.values() for s in e.sniff for k in s}
              | {"startTime", "timestamp", "start_time", "starting_at", "request_created_at", "ChargePeriodStart",
                 "model", "modelId", "spend", "cost", "BilledCost", "amount", "prompt_tokens", "usage_details",
                 "request_tags", "metadata", "Tags", "properties", "input", "output", "results", "data",
                 "ConsumedQuantity", "ConsumedUnit", "SkuPriceDetails", "requestMetadata", "line_item"})


def _values():
    from hypothesis import strategies as st

    leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=12),
                     st.sampled_from(["2026-11-24T00:00:00Z", "NaN", "-1", "1e400", "[]", "{}", '["feature:x"]',
                                      "gpt-4o", "USD", "Tokens"]))
    return st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
                        max_leaves=12)


def test_random_rows_never_crash_a_reader(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = list(spend_catalog().exports)
    generic = {"time": "startTime", "model": "model", "cost": "spend", "input": "prompt_tokens", "tags": "request_tags"}

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(fmt=st.sampled_from(names), rows=st.lists(st.dictionaries(st.sampled_from(KEYS), _values(), max_size=8),
                                                     min_size=1, max_size=4))
    def check(fmt, rows):
        p = tmp_path_factory.mktemp("fuzz") / "rows.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        report, recs = read(p, fmt=fmt, generic=generic)
        assert report.rows == len(rows)
        assert all(r.cost is None or r.cost.is_finite() for r in recs)

    check()
