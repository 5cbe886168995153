"""Meta-tests: every rule has a unique code and name, documented under the required headings, and
its generated page in rules/ is current. The catalog data carries a date and a source per entry."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

from tokenlint.catalog import builtin_sdk_data, load_model_catalog
from tokenlint.docs import HEADINGS, render_rule
from tokenlint.rules import RULES

PAGES = Path(__file__).resolve().parent.parent / "rules"


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for r in RULES:
        assert re.fullmatch(r"TKL[1-9]\d\d", r.code), r.code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", r.name), r.name
        assert r.fix_safety in (None, "safe", "unsafe")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_every_heading_in_order(rule):
    doc = rule.__doc__ or ""
    positions = [doc.find(f"## {h}") for h in HEADINGS]
    assert all(p >= 0 for p in positions), [h for h, p in zip(HEADINGS, positions) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_generated_page_is_current(rule):
    page = PAGES / f"{rule.code}.md"
    assert page.is_file(), f"missing {page}; run python -m tokenlint.docs"
    assert page.read_text(encoding="utf-8") == render_rule(rule), "stale page; run python -m tokenlint.docs"


def test_no_page_without_a_rule():
    assert {p.stem for p in PAGES.glob("*.md")} == {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_examples_in_docs_parse(rule):
    blocks = re.findall(r"```python\n(.*?)```", inspect.cleandoc(rule.__doc__ or ""), re.S)
    assert blocks
    for b in blocks:
        compile(b, rule.code, "exec")


def test_every_sdk_entry_has_a_source_and_a_date():
    for e in builtin_sdk_data()["sdk"]:
        assert e.get("source"), e["name"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", e.get("checked", "")), e["name"]


def test_every_model_entry_has_a_source_and_a_date():
    cat = load_model_catalog()
    assert len(cat.models) > 100
    for m in cat.models.values():
        assert m.source, m.id
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", m.checked), m.id


def test_floating_and_pinned_ids_from_the_facts():
    cat = load_model_catalog()
    assert cat.is_pinned("claude-sonnet-4-5") is False  # undated alias before the 4.6 generation
    assert cat.is_pinned("claude-sonnet-4-5-20250929") is True
    assert cat.is_pinned("claude-opus-5") is True  # dateless, pinned by design
    assert cat.is_pinned("gemini-flash-latest") is False
    assert cat.is_pinned("gpt-4o-2024-08-06") is True
    assert cat.is_pinned("global.anthropic.claude-sonnet-5") is True  # routing prefix stripped


def test_flake8_entry_point_resolves_when_declared():
    # an entry point naming a missing module would break every flake8 run of our users
    if sys.version_info >= (3, 10):
        from importlib.metadata import entry_points

        for ep in entry_points(group="flake8.extension"):
            if ep.name == "TKL":
                ep.load()
