"""A finding's dollars are what that finding can save or puts at risk; a rule without a dollar model
(TKL202, TKL103, TKL402, ...) gets no figure "at stake", only its feature's weekly spend, labelled so."""

from __future__ import annotations

from decimal import Decimal

from test_spend_report import DEMO, W2, finding, rec, report, site

from tokenlint.spend.weekly import dollars_at_stake, finding_dollars


def test_a_rule_without_a_dollar_model_gets_the_feature_spend_not_a_stake() -> None:
    records = [rec(W2, "40", feature="faq", input=1000, cache_read=0)]
    data, code = report(records, [site("s1", "faq", line=5)],
                        [finding("TKL202", "s1", 5), finding("TKL203", "s1", 5)])
    stake, touched = finding_dollars(data, code)
    assert ("app.py", 5, "TKL202") not in stake and touched[("app.py", 5, "TKL202")] == Decimal("40")
    assert stake[("app.py", 5, "TKL203")] == Decimal("40") and ("app.py", 5, "TKL203") not in touched
    assert ("app.py", 5, "TKL202") not in dollars_at_stake(data, code)


def test_check_labels_the_feature_spend_apart_from_the_dollars_at_stake(run, tmp_path) -> None:
    r = run(tmp_path, "check", str(DEMO), "--no-cache", "-u", str(DEMO / "usage" / "openai-usage.json"),
            "-u", str(DEMO / "usage" / "litellm-spend-logs.csv"), "--sort", "dollars")
    lines = [x for x in r.stdout.splitlines() if ": TKL" in x]
    hardcoded = [x for x in lines if " TKL202 " in x]
    assert all("at stake" not in x for x in hardcoded) and any("[feature spend $" in x for x in hardcoded)
    priced = [x for x in lines if "/week at stake]" in x or "[feature spend" in x]
    first_feature = next(i for i, x in enumerate(priced) if "[feature spend" in x)
    assert all("at stake" in x for x in priced[:first_feature])  # what a finding can save ranks first
    assert all("[feature spend" in x for x in priced[first_feature:])
