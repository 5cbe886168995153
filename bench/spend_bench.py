"""Benchmark `tokenlint spend`: generated usage exports joined to the demo app and reported.

    python bench/spend_bench.py generate [--rows 1000000]   # a LiteLLM spend-log CSV and a FOCUS CSV
    python bench/spend_bench.py run [--repeat 3]            # time join + report on each, JSON and HTML

Files go to $TOKENLINT_BENCH_DIR (default: <tmp>/tokenlint-bench/spend). Each run is a fresh
`tokenlint spend` process against a saved inventory of fixtures/demo_app (so only reading, joining
and reporting are measured); wall time is the median of --repeat runs, peak memory the child's max
RSS (os.wait4). Nothing is asserted: the numbers are for the notes (targets: <= 15 s, <= 300 MB).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "fixtures" / "demo_app"
OUT = Path(os.environ.get("TOKENLINT_BENCH_DIR", Path(tempfile.gettempdir()) / "tokenlint-bench")) / "spend"
BIN = Path(sys.executable).parent

# (model, provider, feature tag or None, call-site tag or None, $ per 1k prompt, $ per 1k completion)
TRAFFIC = [
    ("gpt-4o-2024-08-06", "openai", "ticket-triage", None, 0.0025, 0.01),
    ("gpt-4o-2024-08-06", "openai", "escalation-check", None, 0.0025, 0.01),
    ("gpt-4o", "openai", "macro-autocomplete", None, 0.0025, 0.01),
    ("claude-sonnet-5", "anthropic", None, "254a089d9e14", 0.002, 0.01),
    ("claude-haiku-4-5", "anthropic", None, "e9eb9c50ff26", 0.001, 0.005),
    ("claude-haiku-4-5", "anthropic", None, None, 0.001, 0.005),
    ("gemini/gemini-3.8-flash", "gemini", "kb-search", None, 0.00075, 0.00375),
    ("bedrock/global.anthropic.claude-sonnet-5", "bedrock", "weekly-report", None, 0.002, 0.01),
    ("claude-haiku-4-5", "anthropic", "ticket-router", None, 0.001, 0.005),
]
START = dt.datetime(2026, 10, 5, tzinfo=dt.timezone.utc)  # eight ISO weeks: 2026-W41 .. W48
SPAN = 8 * 7 * 86400


def gen_litellm(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens", "completion_tokens",
                    "startTime", "endTime", "model", "model_group", "custom_llm_provider", "user", "team_id",
                    "request_tags", "metadata", "cache_hit", "status"])
        for i in range(rows):
            model, provider, feature, site, pin, pout = TRAFFIC[rnd.randrange(len(TRAFFIC))]
            prompt, completion = rnd.randint(200, 30000), rnd.randint(20, 2000)
            cached = rnd.randint(0, prompt // 2) if rnd.random() < 0.6 else 0
            t = START + dt.timedelta(seconds=rnd.randrange(SPAN))
            tags = ([f"feature:{feature}"] if feature else []) + ([f"tokenlint_site:{site}"] if site else []) + ["env:prod"]
            meta = {"user_api_key_alias": "svc", "usage_object": {"prompt_tokens": prompt, "completion_tokens": completion,
                                                                  "prompt_tokens_details": {"cached_tokens": cached}}}
            spend = round(prompt / 1000 * pin + completion / 1000 * pout, 6)
            w.writerow([f"chatcmpl-{i:08d}", "acompletion", f"{rnd.getrandbits(64):016x}", spend, prompt + completion,
                        prompt, completion, t.isoformat().replace("+00:00", "Z"),
                        (t + dt.timedelta(seconds=2)).isoformat().replace("+00:00", "Z"), model, model, provider, "",
                        "support", json.dumps(tags), json.dumps(meta), "None", "success"])


FOCUS_COLUMNS = ["AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
                 "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
                 "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit",
                 "EffectiveCost", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory",
                 "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "ResourceId",
                 "ServiceCategory", "ServiceName", "SkuId", "SkuMeter", "SkuPriceDetails", "SubAccountId", "Tags"]


def gen_focus(path: Path, rows: int, seed: int = 2) -> None:
    rnd = random.Random(seed)
    features = ["ticket-triage", "weekly-report", "kb-search", "old-feature", None]
    meters = [("Input Tokens", "Input", "Uncached", 2.0), ("Output Tokens", "Output", "Uncached", 10.0),
              ("Cache Read Input Tokens", "Input", "Read", 0.2), ("Cache Write Input Tokens", "Input", "Write", 2.5)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(FOCUS_COLUMNS)
        for i in range(rows):
            day = START + dt.timedelta(days=rnd.randrange(56), hours=rnd.randrange(24))
            end = day + dt.timedelta(hours=1)
            if rnd.random() < 0.1:  # the rest of the cloud bill
                qty, unit, meter, details, service, category, cost = 1, "Hours", "BoxUsage", "", "Amazon EC2", "Compute", 0.1
                tags = {"team": "platform"}
            else:
                meter, direction, action, price = meters[rnd.randrange(len(meters))]
                qty = rnd.randint(1000, 5_000_000)
                cost = round(qty / 1e6 * price, 8)
                unit, service, category = "Tokens", "Amazon Bedrock", "AI and Machine Learning"
                details = json.dumps({"ModelId": "anthropic.claude-sonnet-4-5-20250929-v1:0",
                                      "TokenDirection": direction, "TokenCacheAction": action})
                f = features[rnd.randrange(len(features))]
                tags = {"feature": f} if f else {}
            w.writerow(["", cost, "111122223333", "Acme", "USD", "2026-12-01T00:00:00Z", "2026-11-01T00:00:00Z", "Usage",
                        "", f"{meter} for Claude Sonnet 4.5", "Usage-Based", end.isoformat(), day.isoformat(), qty, unit,
                        cost, "AWS", cost, "", "Standard", qty, unit, "AWS", "AWS", "us-east-1",
                        f"arn:aws:bedrock:us-east-1:111122223333:resource/{i % 50}", category, service,
                        f"sku-{meter[:4]}", meter, details, "444455556666", json.dumps(tags)])


def generate(rows: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fn in (("litellm-spend-logs.csv", gen_litellm), ("focus.csv", gen_focus)):
        t0 = time.perf_counter()
        fn(OUT / name, rows)
        size = (OUT / name).stat().st_size / 2**20
        print(f"wrote {OUT / name}: {rows:,} rows, {size:,.0f} MiB in {time.perf_counter() - t0:.0f} s")


def timed(cmd: list[str]) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS KiB, exit code, CPU seconds): CPU time tells apart a slow program
    from a busy machine (the wall time of a shared 2-core box moves with its load)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return (time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime)


def floor(path: Path) -> float:
    """CPU seconds of the I/O floor: Python's csv module reading every row, nothing else."""
    code = "import csv,sys\nwith open(sys.argv[1], newline='') as f:\n    sum(1 for _ in csv.reader(f))"
    return timed([sys.executable, "-c", code, str(path)])[3]


def run(repeat: int) -> None:
    tokenlint = str(BIN / "tokenlint")
    inv = OUT / "demo-inventory.json"
    subprocess.run([tokenlint, "inventory", str(DEMO), "--format", "json", "-o", str(inv), "--no-cache"], check=True)
    print(f"{'export':<24} {'rows':>10} {'format':>7} {'wall s (median)':>16} {'CPU s':>6} {'peak MiB':>9} exit"
          "   (load average before: %.1f)" % os.getloadavg()[0])
    for name in ("litellm-spend-logs.csv", "focus.csv"):
        path = OUT / name
        if not path.exists():
            sys.exit(f"{path}: missing; run `python bench/spend_bench.py generate` first")
        with open(path, "rb") as fh:
            rows = sum(1 for _ in fh) - 1
        for fmt in ("json", "html"):
            out = OUT / f"report.{fmt}"
            cmd = [tokenlint, "spend", "--inventory", str(inv), "--config", str(DEMO / "pyproject.toml"),
                   "-u", str(path), "--format", fmt, "-o", str(out), "--today", "2026-12-04"]
            runs = [timed(cmd) for _ in range(repeat)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[3] for r in runs)
            peak = max(r[1] for r in runs) / 1024
            print(f"{name:<24} {rows:>10,} {fmt:>7} {wall:>16.1f} {cpu:>6.1f} {peak:>9.0f} {runs[0][2]}")
        print(f"{'  csv.reader floor':<24} {rows:>10,} {'':>7} {'':>16} {floor(path):>6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--rows", type=int, default=1_000_000)
    r = sub.add_parser("run")
    r.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if a.cmd == "generate":
        generate(a.rows)
    else:
        run(a.repeat)


if __name__ == "__main__":
    main()
