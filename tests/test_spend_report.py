"""The join and the weekly report: billing never added to gateway logs, spikes, cache, batch, orphans,
and `tokenlint spend` / `check --usage` on the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from projects import make
from tokenlint.catalog import load_model_catalog
from tokenlint.config import Config
from tokenlint.engine import sdk_catalog
from tokenlint.spend.join import Code, Ledger, shift, week_of
from tokenlint.spend.pricing import Pricer
from tokenlint.spend.record import UsageRecord
from tokenlint.spend.weekly import Settings, build, dollars_at_stake

DEMO = Path(__file__).parent.parent / "fixtures" / "demo_app"
CATALOG = load_model_catalog()
BATCH = sdk_catalog(Config()).batch
W1, W2 = dt.date(2026, 11, 16), dt.date(2026, 11, 23)  # 2026-W47, 2026-W48


def site(sid: str, feature: str | None, model: str = "claude-haiku-4-5", path: str = "app.py", line: int = 1,
         provider: str = "anthropic") -> dict:
    return {"id": sid, "path": path, "line": line, "function": "f", "class": None, "feature": feature,
            "provider": provider, "model": {"value": model}, "spends": True}


def finding(code: str, sid: str, line: int = 1) -> dict:
    return {"code": code, "name": code.lower(), "message": f"{code} here", "filename": "app.py",
            "location": {"row": line, "column": 1}, "site_id": sid}


def rec(day: dt.date, cost: str | None, kind: str = "attribution", feature: str | None = None, site: str | None = None,
        provider: str = "anthropic", model: str = "claude-haiku-4-5", **tokens: int) -> UsageRecord:
    r = UsageRecord(source="litellm" if kind == "attribution" else "anthropic-cost", kind=kind, day=day,
                    provider=provider, model_raw=model, feature=feature, site=site,
                    cost=Decimal(cost) if cost is not None else None, requests=1, **tokens)
    Pricer(CATALOG, BATCH).fill(r)
    return r


def report(records, sites=(), findings=(), tiers=None, **settings):
    ledger = Ledger()
    ledger.add(records)
    code = Code.build(list(sites), list(findings))
    data = build(ledger, code, CATALOG, Pricer(CATALOG, BATCH), BATCH, tiers or {},
                 Settings(today=dt.date(2026, 12, 4), **settings), [])
    return data, code


def row(data, label):
    return next(r for r in data["features"] if r["label"] == label)


def test_iso_weeks():
    assert week_of(dt.date(2026, 11, 23)) == "2026-W48" and week_of(dt.date(2027, 1, 1)) == "2026-W53"
    assert shift("2026-W01", -1) == "2025-W52"


def test_billing_total_is_never_added_to_gateway_spend_the_gap_is_untagged():
    data, _ = report([rec(W2, "100", kind="billing"), rec(W2, "70", feature="faq"), rec(W2, "5")],
                     sites=[site("s1", "faq")])
    sm = data["summary"]
    assert sm["total"] == Decimal("100") and sm["untagged"] == Decimal("30")
    assert sm["untagged_share"] == Decimal("0.3")
    (gap,) = data["untagged"]["by_provider"]
    assert (gap["total_from"], gap["attributed"], gap["over"]) == ("billing", Decimal("70"), 0)


def test_gateway_attributing_more_than_billing_is_reported_not_negative():
    data, _ = report([rec(W2, "50", kind="billing"), rec(W2, "60", feature="faq")], sites=[site("s1", "faq")])
    (gap,) = data["untagged"]["by_provider"]
    assert gap["untagged"] == 0 and gap["over"] == Decimal("10")


@pytest.mark.parametrize("before, after, spike", [
    ("20", "80", True),     # 4x, +$60
    ("30", "85", False),    # 2.8x
    ("10", "45", False),    # 4.5x but only +$35
    ("0", "60", True),      # new spend of $60
])
def test_spike_needs_both_the_ratio_and_the_dollar_floor(before, after, spike):
    data, _ = report([rec(W1, before, feature="faq"), rec(W2, after, feature="faq")], sites=[site("s1", "faq")])
    assert row(data, "faq")["spike"] is spike and (data["summary"]["spikes"] == ["faq"]) is spike


def test_spike_thresholds_come_from_the_settings():
    records = [rec(W1, "10", feature="faq"), rec(W2, "25", feature="faq")]
    assert not row(report(records, [site("s1", "faq")])[0], "faq")["spike"]
    data, _ = report(records, [site("s1", "faq")], spike_ratio=Decimal(2), spike_min=Decimal(10))
    assert row(data, "faq")["spike"]


def test_low_cache_hit_rate_lists_the_cache_findings_at_the_features_sites_and_prices_a_saving():
    records = [rec(W2, None, feature="faq", input=900_000, cache_read=100_000)]
    data, _ = report(records, [site("s1", "faq")], [finding("TKL301", "s1", 3), finding("TKL101", "s1")])
    r = row(data, "faq")
    assert r["cache_hit"] == Decimal("0.1") and r["cache_low"]
    assert [f["code"] for f in r["cache_causes"]] == ["TKL301"]
    # claude-haiku-4-5: input $1, cache read $0.1 per 1M; half of 900k uncached tokens read from the cache
    assert r["cache_saving"] == Decimal("0.405")
    assert data["summary"]["savings"][0]["what"] == "prompt caching"


def test_batch_eligible_spend_at_a_batch_candidate_times_the_discount():
    records = [rec(W2, "40", site="s1"), rec(W2, "6", site="s1", model="claude-sonnet-5")]
    data, code = report(records, [site("s1", None)], [finding("TKL401", "s1", 7)])
    r = data["features"][0]
    assert r["label"] == "app.py:1 f (no feature tag)" and r["batch_eligible"] == Decimal("46")  # all from the site
    assert r["batch_forgone"] == Decimal("23.0")
    assert dollars_at_stake(data, code)[("app.py", 7, "TKL401")] == Decimal("23.0")


def test_batch_eligible_spend_of_a_feature_counts_the_models_of_its_batch_candidates_only():
    records = [rec(W2, "40", feature="jobs"), rec(W2, "6", feature="jobs", model="claude-sonnet-5"),
               rec(W2, "10", feature="jobs", batch=True)]
    sites = [site("s1", "jobs"), site("s2", "jobs", model="claude-sonnet-5", line=9)]
    data, _ = report(records, sites, [finding("TKL401", "s1", 7)])
    r = row(data, "jobs")
    assert r["batch_eligible"] == Decimal("40") and r["batch_forgone"] == Decimal("20.0")  # sent in batch: not again


def test_orphan_tags_and_features_without_spend():
    data, _ = report([rec(W2, "3", feature="old-name"), rec(W2, "1", site="deadbeef0000")],
                     sites=[site("s1", "faq"), site("s2", "search")])
    assert [o["tag"] for o in data["orphans"]] == ["old-name"]
    assert [o["tag"] for o in data["orphan_sites"]] == ["deadbeef0000"]
    assert [x["feature"] for x in data["no_spend"]] == ["faq", "search"]


def test_features_without_spend_are_not_claimed_when_no_export_carries_tags():
    data, _ = report([rec(W2, "3", kind="billing")], sites=[site("s1", "faq")])
    assert data["no_spend"] == [] and data["tags_in_spend"] is False


def test_premium_share_against_the_features_tier_policy():
    records = [rec(W2, "30", feature="autocomplete", model="claude-sonnet-5"),
               rec(W2, "10", feature="autocomplete", model="claude-haiku-4-5")]
    data, _ = report(records, [site("s1", "autocomplete")], tiers={"autocomplete": ("small",)})
    r = row(data, "autocomplete")
    assert r["premium_share"] == Decimal("0.75")
    assert [m["outside_policy"] for m in r["models"]] == [True, False]


def test_untagged_spend_per_model_points_at_untagged_sites_using_it():
    data, _ = report([rec(W2, "9", model="claude-haiku-4-5-20251001")],
                     sites=[site("s1", None, model="claude-haiku-4-5"), site("s2", None, model="gpt-4o")],
                     findings=[finding("TKL101", "s1")])
    (m,) = data["untagged"]["by_model"]
    assert [s["id"] for s in m["candidates"]] == ["s1"] and [f["code"] for f in m["findings"]] == ["TKL101"]


def test_unpriced_spend_is_counted_apart_never_as_zero_dollars():
    data, _ = report([rec(W2, None, feature="faq", model="acme-9", input=10)], sites=[site("s1", "faq")])
    assert row(data, "faq")["unpriced_records"] == 1


def test_floating_models_with_spend_name_the_findings_at_sites_using_them():
    data, _ = report([rec(W2, "5", feature="faq", model="claude-haiku-4-5")],
                     sites=[site("s1", "faq", model="claude-haiku-4-5")], findings=[finding("TKL201", "s1")])
    (m,) = data["models"]
    assert m["model"] == "claude-haiku-4-5" and "alias" in m["status"] and m["findings"][0]["code"] == "TKL201"


# ------------------------------------------------------------------ the command line

DEMO_ARGS = ("spend", str(DEMO), "-u", str(DEMO / "usage" / "litellm-spend-logs.csv"),
             "-u", str(DEMO / "usage" / "openai-usage.json"), "--today", "2026-12-04")


def test_demo_report_exercises_every_section(run, tmp_path):
    r = run(tmp_path, *DEMO_ARGS, "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["week"] == "2026-W48" and data["summary"]["spikes"] == ["ticket-triage"]
    by = {x["label"]: x for x in data["features"]}
    assert by["escalation-check"]["cache_low"] and by["escalation-check"]["cache_causes"][0]["code"] == "TKL303"
    assert Decimal(by["scripts/backfill_summaries.py:30 backfill (no feature tag)"]["batch_forgone"]) > 0
    assert [o["tag"] for o in data["orphans"]] == ["ticket-router"]
    assert Decimal(data["summary"]["untagged"]) > 0 and data["models"] and data["no_spend"]
    assert any(x["outside_policy"] for x in by["macro-autocomplete"]["models"])
    assert isinstance(data["summary"]["total"], str)  # exact decimal strings, never floats
    assert [s["what"] for s in data["summary"]["savings"]][:2] == ["prompt caching", "batch API"]


def test_fail_on_conditions_give_exit_1_and_say_which(run, tmp_path):
    r = run(tmp_path, *DEMO_ARGS, "--fail-on", "spike,untagged-share>0.5")
    assert r.exit_code == 1 and "--fail-on spike: ticket-triage" in r.stderr and "untagged share" not in r.stderr
    r = run(tmp_path, *DEMO_ARGS, "--fail-on", "untagged-share>0.5")
    assert r.exit_code == 0 and "--fail-on" not in r.stderr
    r = run(tmp_path, *DEMO_ARGS, "--fail-on", "cache-hit<0.2")
    assert r.exit_code == 1 and "escalation-check" in r.stderr


@pytest.mark.parametrize("args, message", [
    (("--fail-on", "spike>2"), "--fail-on: 'spike>2': expected spike"),
    (("--fail-on", "cost>3"), "--fail-on: 'cost>3'"),
    (("--week", "2026-48"), "--week: '2026-48' is not an ISO week"),
    (("--since", "yesterday"), "--since: 'yesterday' is not a date"),
])
def test_bad_options_are_one_line_errors(run, tmp_path, args, message):
    r = run(tmp_path, *DEMO_ARGS, *args)
    assert r.exit_code == 2 and r.stderr.startswith(f"tokenlint: error: {message}") and r.stderr.count("\n") == 1


def test_no_readable_usage_file_exits_2_naming_each_file(run, tmp_path):
    make(tmp_path, {"app.py": "x = 1\n", "notes.txt": "hello\n"})
    r = run(tmp_path, "spend", ".", "-u", "notes.txt", "-u", "missing.json")
    assert r.exit_code == 2
    assert "tokenlint: notes.txt: not a usage export" in r.stderr and "tokenlint: missing.json: no such file" in r.stderr
    assert r.stderr.rstrip().endswith("tokenlint: error: no usage file could be read") and "Traceback" not in r.stderr


def test_a_bad_file_next_to_a_good_one_still_gives_the_report(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schemaType": "ModelInvocationLog", "modelId": "x", "timestamp": "nope"}\n', encoding="utf-8")
    r = run(tmp_path, *DEMO_ARGS, "-u", str(bad))
    assert r.exit_code == 0 and "bad.jsonl:1: bad timestamp (" in r.stderr and "Top movers" in r.stdout


def test_html_is_self_contained_and_escapes_usage_strings(run, tmp_path):
    logs = tmp_path / "logs.jsonl"
    logs.write_text(json.dumps({"startTime": "2026-11-24T00:00:00Z", "model": "gpt-4o", "spend": 1,
                                "prompt_tokens": 1, "completion_tokens": 1,
                                "request_tags": ['feature:<script>alert(1)</script>']}) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    out.mkdir()
    r = run(tmp_path, *DEMO_ARGS, "-u", str(logs), "--format", "html", "-o", str(out))
    assert r.exit_code == 0
    page = (out / "spend.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)" in page
    assert "Content-Security-Policy" in page and "<svg" in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert re.search(r'href="[^"]*helpdesk/triage\.py#L42"', page)


def test_markdown_links_every_row_to_path_and_line(run, tmp_path):
    r = run(tmp_path, *DEMO_ARGS, "--format", "markdown")
    assert "## Summary" in r.stdout and "(../" not in r.stdout.split("## Summary")[0]
    assert re.search(r"\[helpdesk/triage\.py:71\]\([^)]*helpdesk/triage\.py#L71\)", r.stdout)


def test_saved_inventory_joins_without_analysing(run, tmp_path):
    inv = tmp_path / "inv.json"
    assert run(tmp_path, "inventory", str(DEMO), "--format", "json", "-o", str(inv)).exit_code == 0
    r = run(tmp_path, "spend", "--inventory", str(inv), "--config", str(DEMO / "pyproject.toml"), *DEMO_ARGS[2:],
            "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["summary"]["spikes"] == ["ticket-triage"]
    assert all(not x["cache_causes"] for x in data["features"])  # no findings without the code


def test_check_prices_findings_and_sorts_them_by_dollars(run, tmp_path):
    r = run(tmp_path, "check", str(DEMO), "--no-cache", "-u", str(DEMO / "usage" / "openai-usage.json"),
            "-u", str(DEMO / "usage" / "litellm-spend-logs.csv"), "--sort", "dollars")
    assert r.exit_code == 1
    lines = [x for x in r.stdout.splitlines() if ": TKL" in x]
    priced = [Decimal(m.group(1).replace(",", "")) for x in lines if (m := re.search(r"\[\$([\d,.]+)/week", x))]
    assert len(priced) >= 5 and priced == sorted(priced, reverse=True)
    assert "TKL303" in next(x for x in lines if "triage.py:71" in x) and "/week at stake]" in lines[0]
    r = run(tmp_path, "check", str(DEMO), "--sort", "dollars")
    assert r.exit_code == 2 and "--sort dollars needs --usage" in r.stderr


def test_audit_with_usage_adds_the_weekly_dollars_column(run, tmp_path):
    r = run(tmp_path, "audit", str(DEMO), "-o", str(tmp_path / "a"), "-u", str(DEMO / "usage" / "openai-usage.json"))
    assert r.exit_code == 0
    md = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "| where | rule | message | $ / week |" in md and "findings with spend at stake" in md


def test_spend_config_errors_name_the_key(run, tmp_path):
    make(tmp_path, {"app.py": "x = 1\n"}, pyproject='[tool.tokenlint.spend]\nspike-ratio = "lots"\n')
    r = run(tmp_path, "spend", ".", "-u", "x.json")
    assert r.exit_code == 2 and "'spend.spike-ratio' must be a number" in r.stderr


def test_configured_fail_on_and_accounts(run, tmp_path):
    usage = tmp_path / "u.jsonl"
    usage.write_text(json.dumps({"object": "page", "data": [{"start_time": 1795392000, "results": [
        {"object": "organization.usage.completions.result", "input_tokens": 1000000, "input_cached_tokens": 0,
         "output_tokens": 0, "num_model_requests": 1, "project_id": "proj_1", "model": "gpt-4o"}]}]}) + "\n",
        encoding="utf-8")
    make(tmp_path, {"app.py": "x = 1\n"},
         pyproject='[tool.tokenlint.spend]\nfail-on = ["untagged-share>0.5"]\n[tool.tokenlint.spend.accounts]\n')
    r = run(tmp_path, "spend", ".", "-u", str(usage))
    assert r.exit_code == 1 and "untagged share 1.00 > 0.5" in r.stderr
    make(tmp_path, {"app.py": "x = 1\n"}, pyproject='[tool.tokenlint.spend]\nfail-on = ["untagged-share>0.5"]\n'
                                                    '[tool.tokenlint.spend.accounts]\nproj_1 = "faq"\n')
    r = run(tmp_path, "spend", ".", "-u", str(usage), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["orphans"][0]["tag"] == "faq"


def test_the_readme_set_up_command_is_the_one_ci_runs():
    repo = Path(__file__).parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    first = next(line for line in readme.splitlines() if line.startswith("python3 -m venv .venv") and "pip install ." in line)
    assert "tokenlint spend fixtures/demo_app -u fixtures/demo_app/usage/" in first
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8").replace("pip install -q ", "pip install ")
    assert first + " || test $? -eq 1" in ci


def test_audit_sort_by_path_keeps_the_file_order_and_dollars_needs_usage(run, tmp_path):
    r = run(tmp_path, "audit", str(DEMO), "-o", str(tmp_path / "a"), "-u", str(DEMO / "usage" / "openai-usage.json"),
            "--sort", "path")
    assert r.exit_code == 0
    table = (tmp_path / "a" / "report.md").read_text(encoding="utf-8").split("| where | rule | message | $ / week |")[1]
    paths = re.findall(r"^\| \[([^\]:]+):(\d+)", table, re.M)
    assert paths == sorted(paths, key=lambda x: (x[0], int(x[1]))) and len(paths) > 10
    r = run(tmp_path, "audit", str(DEMO), "-o", str(tmp_path / "b"), "--sort", "dollars")
    assert r.exit_code == 2 and "--sort dollars needs --usage" in r.stderr


def test_sources_count_records_per_cost_basis(run, tmp_path):
    data = json.loads(run(tmp_path, *DEMO_ARGS, "--format", "json").stdout)
    by = {Path(f["path"]).name: f["cost_basis"] for f in data["files"]}
    assert by == {"litellm-spend-logs.csv": {"reported": 41}, "openai-usage.json": {"computed": 20}}  # embeddings: input price only


def test_a_cost_export_and_a_usage_export_of_the_same_provider_week_are_not_added():
    cost = rec(W2, "10", kind="billing", feature="faq")
    usage = rec(W2, None, kind="billing", feature="faq", input=1_000_000, cache_read=1_000_000)  # priced: computed
    assert usage.basis == "computed" and usage.cost > 0
    data, _ = report([cost, usage], sites=[site("s1", "faq")])
    r = row(data, "faq")
    assert data["summary"]["total"] == Decimal("10") and r["spend"] == Decimal("10")
    assert r["cache_hit"] == Decimal("0.5")  # the tokens still come from the usage export


def test_a_model_with_an_input_price_only_is_priced_while_it_has_no_output_tokens():
    embedded = rec(W2, None, provider="openai", model="text-embedding-3-small", input=2_000_000)
    assert (embedded.basis, embedded.cost) == ("computed", Decimal("0.04"))  # $0.02 per 1M input tokens
    odd = rec(W2, None, provider="openai", model="text-embedding-3-small", input=1_000, output=10)
    assert odd.basis == "unknown" and odd.cost is None  # an output price the catalog lacks is not zero


# ------------------------------------------------------------------ the text report's layout (ux15)


def test_the_cache_chart_shows_the_figure_the_cache_table_shows():
    from tokenlint.report.spend import render

    records = [rec(W2, None, feature="faq", input=971_000, cache_read=29_000),
               rec(W2, None, feature="search", input=1_000, cache_read=2_000)]
    data, _ = report(records, [site("s1", "faq"), site("s2", "search", line=5)])
    text = render(data, "text", Path("."), Path("."))
    chart = text.split("Cache hit rate per feature")[1].split("\n\n")[0]
    faq = next(line for line in chart.splitlines() if line.startswith("faq "))
    search = next(line for line in chart.splitlines() if line.startswith("search "))
    assert faq.split()[1] == "2.9" and search.split()[1] == "67"  # as the table's 2.9% and 67%, never 2 and 66
    table = text.split("Cache hit rate per feature")[1].split("\n\n")[1]
    assert "2.9%" in table and "67%" in table


def test_a_label_longer_than_sixty_characters_keeps_the_columns_after_it_aligned():
    from tokenlint.report.audit import Bars, Table, as_text

    long = "scripts/backfill_summaries.py:30 backfill (no feature tag) (batch API)"
    assert len(long) > 60
    text = as_text([Bars("Savings", "saving", [("short", Decimal("7.28")), (long, Decimal("0.4"))], unit="USD",
                         money=True),
                    Table(["file", "rows", "problems"], [["a.csv", 3, "—"], ["/x/" + "y" * 70 + ".json", 41, "e" * 90]],
                          frozenset({1}))])
    lines = [line for line in text.splitlines() if line.startswith(("short", long, "a.csv", "/x/"))]
    assert len(lines) == 4
    bars, table = lines[:2], lines[2:]
    assert bars[0].index("$7.28") + len("$7.28") == bars[1].index("$0.400") + len("$0.400")  # right-aligned money
    assert bars[0].index("#") == bars[1].index("#")
    assert table[0].index("3  ") + 1 == table[1].index("41  ") + 2 and table[0].index("—") == table[1].index("e")
