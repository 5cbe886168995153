"""A usage row without cache figures says nothing about caching: its cache hit rate is unknown, not 0%,
and no low-cache flag, cache finding's dollars or saving is drawn from it; the report says the data is
absent. Rows that do carry a cache figure (even 0) are judged as before."""

from __future__ import annotations

import json

from test_spend_readers import FOCUS_HEADER, _litellm_row, read, write
from test_spend_report import W2, finding, rec, report, row, site

from tokenlint.spend.weekly import dollars_at_stake


def test_a_feature_whose_rows_carry_no_cache_figure_has_no_hit_rate_flag_or_saving() -> None:
    records = [rec(W2, None, feature="faq", input=900_000, cache_known=False)]
    data, code = report(records, [site("s1", "faq")], [finding("TKL301", "s1", 3)])
    r = row(data, "faq")
    assert r["cache_hit"] is None and not r["cache_low"] and r["cache_saving"] is None
    assert r["cache_data"] is False
    assert data["summary"]["low_cache"] == [] and data["summary"]["savings"] == []
    assert data["summary"]["cache_absent"] == ["faq"]
    assert not any(k[2] == "TKL301" for k in dollars_at_stake(data, code))


def test_a_zero_cache_figure_is_still_a_zero_hit_rate() -> None:
    records = [rec(W2, None, feature="faq", input=900_000, cache_read=0)]
    data, _ = report(records, [site("s1", "faq")], [finding("TKL301", "s1", 3)])
    r = row(data, "faq")
    assert r["cache_hit"] == 0 and r["cache_low"] and r["cache_saving"]
    assert data["summary"]["cache_absent"] == []


def test_a_focus_export_of_input_charges_only_says_nothing_about_caching(tmp_path) -> None:
    text = FOCUS_HEADER + (
        '3.0,3.0,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,3,1M Tokens,AI and Machine Learning,'
        'Amazon Bedrock,AWS,Input Tokens,"{""ModelId"": ""claude-sonnet-5"", ""TokenDirection"": ""Input""}",'
        '"{""feature"": ""reports""}"\n'
        '2.4,2.4,USD,2026-11-24T00:00:00Z,2026-11-25T00:00:00Z,Usage,8000000,Tokens,AI and Machine Learning,'
        'Amazon Bedrock,AWS,Cache Read Input Tokens,"{""ModelId"": ""claude-sonnet-5"", ""TokenDirection"": '
        '""Input"", ""TokenCacheAction"": ""Read""}","{""feature"": ""reports""}"\n')
    _, (inp, cached) = read(write(tmp_path, "focus.csv", text))
    assert inp.input == 3_000_000 and inp.cache_known is False
    assert cached.cache_read == 8_000_000 and cached.cache_known is True


def test_a_litellm_row_without_a_usage_object_has_unknown_cache(tmp_path) -> None:
    rows = [_litellm_row(request_tags='["feature:faq"]'),
            _litellm_row(request_tags='["feature:faq"]', metadata={}),
            _litellm_row(request_tags='["feature:faq"]',
                         metadata=json.dumps({"usage_object": {"prompt_tokens": 2095, "completion_tokens": 503}})),
            _litellm_row(request_tags='["feature:faq"]',
                         metadata=json.dumps({"usage_object": {"prompt_tokens": 2095, "cache_read_input_tokens": 0}}))]
    _, recs = read(write(tmp_path, "logs.json", json.dumps(rows)))
    assert [r.cache_known for r in recs] == [True, False, False, True]
