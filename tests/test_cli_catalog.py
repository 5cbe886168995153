"""`tokenlint models` and `tokenlint catalog refresh`. Refresh reads small fake site-packages trees
built in tmp_path (never the network, never the real packages): a LiteLLM cost map, the Anthropic
SDK's deprecated-models table and the OpenAI SDK's model Literal list."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tokenlint.catalog import load_model_catalog

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TODAY = "2026-12-01"




# ------------------------------------------------------------------ tokenlint models


def test_models_text_lists_the_builtin_catalog(tmp_path, run):
    res = run(tmp_path, "models")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "provider", "kind", "points_to"]
    row = next(line for line in lines if line.startswith("claude-sonnet-4-5 "))
    assert row.split()[1:4] == ["anthropic", "alias", "claude-sonnet-4-5-20250929"]
    assert "2026-11-30" in row and "3/0.3/15" in row
    assert len(lines) - 1 == len(load_model_catalog().models)


def test_models_filters_by_provider_and_kind(tmp_path, run):
    res = run(tmp_path, "models", "--provider", "anthropic", "--kind", "alias")
    rows = res.stdout.splitlines()[1:]
    assert rows and all(r.split()[1:3] == ["anthropic", "alias"] for r in rows)
    assert run(tmp_path, "models", "--provider", "nobody").stdout.splitlines()[1:] == []


def test_models_json_has_every_field(tmp_path, run):
    res = run(tmp_path, "models", "--format", "json", "--provider", "openai")
    data = json.loads(res.stdout)
    gpt4o = next(m for m in data if m["id"] == "gpt-4o")
    assert set(gpt4o) >= {"id", "provider", "kind", "points_to", "tier", "retires", "successor", "prices",
                          "cache_min_tokens", "checked", "source"}
    assert gpt4o["kind"] == "alias" and gpt4o["points_to"] == "gpt-4o-2024-08-06"
    assert gpt4o["prices"] == {"input": 2.5, "cached_input": 1.25, "output": 10.0, "batch_discount": 0.5}
    assert all(m["provider"] == "openai" for m in data)


def test_models_bad_kind_is_a_usage_error(tmp_path, run):
    res = run(tmp_path, "models", "--kind", "vintage")
    assert res.exit_code == 2


def test_models_uses_the_configured_catalog(tmp_path, run):
    (tmp_path / "cat.toml").write_text(
        '[[model]]\nid = "acme-large"\nprovider = "acme"\nkind = "router"\nsource = "team wiki"\n'
        'checked = "2026-11-01"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nmodel-catalog = "cat.toml"\n', encoding="utf-8")
    res = run(tmp_path, "models", "--format", "json")
    assert [m["id"] for m in json.loads(res.stdout)] == ["acme-large"]


def test_models_missing_configured_catalog_exits_2(tmp_path, run):
    (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nmodel-catalog = "nope.toml"\n', encoding="utf-8")
    res = run(tmp_path, "models")
    assert res.exit_code == 2 and "nope.toml" in res.stderr


# ------------------------------------------------------------------ fake installed packages

LITELLM = {
    "sample_spec": {"input_cost_per_token": "the cost", "litellm_provider": "one of ..."},
    # a known alias: new prices, a batch price, a cache minimum and a deprecation date
    "gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.2e-05,
               "cache_read_input_token_cost": 1.5e-06, "input_cost_per_token_batches": 1.5e-06,
               "prompt_cache_min_tokens": 1024.0, "deprecation_date": "2027-02-01"},
    # a dated snapshot the catalog knows without prices: filled
    "gpt-4o-2024-11-20": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-06,
                          "output_cost_per_token": 1e-05},
    # an Anthropic date that disagrees with the Anthropic SDK: the SDK wins
    "claude-mythos-preview": {"litellm_provider": "anthropic", "deprecation_date": "2026-06-09"},
    # prefixed key of the Gemini API; the Vertex copy of the same id is ignored
    "gemini/gemini-3.8-flash": {"litellm_provider": "gemini", "input_cost_per_token": 8e-07,
                                "output_cost_per_token": 4e-06},
    "gemini-3.8-flash": {"litellm_provider": "vertex_ai-language-models", "input_cost_per_token": 9e-06},
    "azure/gpt-4o": {"litellm_provider": "azure", "input_cost_per_token": 1.0},
    # unknown to the catalog: reported, not added
    "gpt-9-hyper": {"litellm_provider": "openai", "input_cost_per_token": 1e-05},
    # malformed: reported, never a crash
    "gpt-4.1": {"litellm_provider": "openai", "input_cost_per_token": "cheap", "deprecation_date": "soon"},
    "o3": "not an object",
}

ANTHROPIC = '''raise SystemExit("this file must be read, never imported")
from typing import Dict

DEPRECATED_MODELS: Dict[str, str] = {
    "claude-mythos-preview": "June 30th, 2026",
    "claude-opus-4-5": "February 1st, 2027",
    "claude-haiku-4-5-20251001": "March 3rd, 2027",
    "claude-nouveau": "May 1st, 2027",
    "claude-opus-4-1": "someday",
}
'''

OPENAI_IDS = ["gpt-4o", "gpt-4o-2024-08-06", "gpt-7-ultra-2027-06-01", "gpt-5.9", "gpt-5.9-2027-03-01",
              "gpt-audio-mini"]
OPENAI = ('raise SystemExit("this file must be read, never imported")\n'
          "from typing_extensions import Literal, TypeAlias\n\n"
          "ChatModel: TypeAlias = Literal[\n" + "".join(f'    "{i}",\n' for i in OPENAI_IDS) + "]\n")


def site_packages(root: Path, litellm: str | None = "1.200.0", anthropic: str | None = "2.20.0",
                  openai: str | None = "3.60.0", cost_map: object = None) -> Path:
    sp = root / "site-packages"
    sp.mkdir(parents=True)
    if litellm:
        (sp / "litellm").mkdir()
        (sp / f"litellm-{litellm}.dist-info").mkdir()
        text = cost_map if isinstance(cost_map, str) else json.dumps(cost_map or LITELLM)
        (sp / "litellm" / "model_prices_and_context_window_backup.json").write_text(text, encoding="utf-8")
    if anthropic:
        (sp / "anthropic" / "_data").mkdir(parents=True)
        (sp / f"anthropic-{anthropic}.dist-info").mkdir()
        (sp / "anthropic" / "_data" / "deprecated_models.py").write_text(ANTHROPIC, encoding="utf-8")
    if openai:
        (sp / "openai" / "types" / "shared").mkdir(parents=True)
        (sp / f"openai-{openai}.dist-info").mkdir()
        (sp / "openai_agents-0.9.0.dist-info").mkdir()  # a look-alike name: not openai's version
        (sp / "openai" / "types" / "shared" / "chat_model.py").write_text(OPENAI, encoding="utf-8")
    return sp


def refresh(run, tmp_path: Path, sp: Path, *extra: str):
    out = tmp_path / "catalog.toml"
    res = run(tmp_path, "catalog", "refresh", "--site-packages", str(sp), "--output", str(out), "--today", TODAY,
              *extra)
    data = tomllib.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    models = {m["id"]: m for m in data["model"]} if data else {}
    return res, data, models


def builtin() -> dict:
    with open(Path(__file__).resolve().parent.parent / "tokenlint" / "catalog" / "models.toml", "rb") as fh:
        data = tomllib.load(fh)
    return {m["id"]: m for m in data["model"]}


# ------------------------------------------------------------------ tokenlint catalog refresh


def test_refresh_merges_newer_package_data(tmp_path, run):
    res, data, models = refresh(run, tmp_path, site_packages(tmp_path))
    assert res.exit_code == 0, res.stderr
    gpt4o = models["gpt-4o"]
    assert (gpt4o["price_input"], gpt4o["price_output"], gpt4o["price_cached_input"]) == (3.0, 12.0, 1.5)
    assert gpt4o["batch_discount"] == 0.5 and gpt4o["cache_min_tokens"] == 1024
    assert gpt4o["retires"] == "2027-02-01" and gpt4o["retired"] is False
    # the built-in source is kept, the package's is added, and the entry is dated today
    old = builtin()["gpt-4o"]["source"]
    assert gpt4o["source"].startswith(old + "; ")
    assert "litellm 1.200.0 litellm/model_prices_and_context_window_backup.json" in gpt4o["source"]
    assert gpt4o["checked"] == TODAY
    # prefixed Gemini API key used; the Vertex and Azure copies are not
    assert models["gemini-3.8-flash"]["price_input"] == 0.8
    # untouched entries keep their date and source
    assert models["claude-opus-5"] == builtin()["claude-opus-5"]
    assert data["meta"]["packages"]["litellm"] == "1.200.0"


def test_refresh_anthropic_table_beats_litellm_and_sets_retired(tmp_path, run):
    res, _data, models = refresh(run, tmp_path, site_packages(tmp_path))
    assert models["claude-mythos-preview"]["retires"] == "2026-06-30"
    assert models["claude-mythos-preview"]["retired"] is True
    assert models["claude-opus-4-5"]["retires"] == "2027-02-01"
    assert models["claude-haiku-4-5-20251001"]["retires"] == "2027-03-03"
    assert models["claude-haiku-4-5-20251001"]["retired"] is False
    assert "anthropic 2.20.0 anthropic/_data/deprecated_models.py" in models["claude-opus-4-5"]["source"]
    assert "claude-nouveau" not in models  # no pattern places an undated new name: unknown
    assert "anthropic: 1 model ids unknown" in res.stderr
    assert "anthropic: 1 malformed entries skipped: claude-opus-4-1" in res.stderr


def test_refresh_openai_list_adds_snapshots_and_aliases(tmp_path, run):
    res, _data, models = refresh(run, tmp_path, site_packages(tmp_path))
    assert models["gpt-7-ultra-2027-06-01"]["kind"] == "snapshot"
    assert models["gpt-5.9"]["kind"] == "alias" and models["gpt-5.9"]["points_to"] == "gpt-5.9-2027-03-01"
    assert models["gpt-5.9"]["source"] == "openai 3.60.0 openai/types/shared/chat_model.py"
    assert models["gpt-5.9"]["checked"] == TODAY
    assert "gpt-audio-mini" not in models
    assert "openai: 1 model ids unknown" in res.stderr
    # the curated alias target is not replaced by a guess (gpt-4o has one dated sibling in this list)
    assert models["gpt-4o"]["points_to"] == builtin()["gpt-4o"]["points_to"]


def test_refresh_reports_unknown_and_malformed_litellm_entries(tmp_path, run):
    res, _data, models = refresh(run, tmp_path, site_packages(tmp_path), "--show-unknown")
    assert "gpt-9-hyper" not in models
    assert "  unknown: gpt-9-hyper" in res.stderr
    line = next(x for x in res.stderr.splitlines() if x.startswith("litellm:") and "malformed" in x)
    assert "gpt-4.1" in line and "o3" in line and "sample_spec" not in line
    assert models["gpt-4.1"]["price_input"] == builtin()["gpt-4.1"]["price_input"]


def test_same_or_older_package_only_fills_gaps(tmp_path, run):
    sp = site_packages(tmp_path, litellm="1.110.2")  # the version the built-in catalog was built from
    res, _data, models = refresh(run, tmp_path, sp)
    assert models["gpt-4o"]["price_input"] == builtin()["gpt-4o"]["price_input"]
    assert models["gpt-4o"]["retires"] == builtin()["gpt-4o"]["retires"]
    assert models["gpt-4o-2024-11-20"]["price_input"] == 2.5  # missing before: filled
    assert "catalog values kept" in res.stderr
    older = tmp_path / "older"
    older.mkdir()
    res, _data, models = refresh(run, older, site_packages(older, litellm="1.90.0"))
    assert "litellm 1.90.0 is older than the 1.110.2" in res.stderr
    assert models["gpt-4o"]["price_input"] == builtin()["gpt-4o"]["price_input"]


def test_missing_packages_are_skipped_with_one_line_each(tmp_path, run):
    sp = site_packages(tmp_path, litellm=None, anthropic=None, openai=None)
    res, data, models = refresh(run, tmp_path, sp)
    assert res.exit_code == 0
    notes = [x for x in res.stderr.splitlines() if x.startswith("tokenlint: note:")]
    assert len(notes) == 3
    assert {n.split(":")[2].strip() for n in notes} == {"openai", "anthropic", "litellm"}
    assert models == builtin()


def test_unreadable_cost_map_is_a_note_not_a_crash(tmp_path, run):
    res, _data, models = refresh(run, tmp_path, site_packages(tmp_path, cost_map="{not json"))
    assert res.exit_code == 0
    assert "litellm: cannot read" in res.stderr
    assert models["gpt-4o"]["price_input"] == builtin()["gpt-4o"]["price_input"]


def test_from_litellm_path_without_a_version_only_fills(tmp_path, run):
    sp = site_packages(tmp_path, litellm=None)
    cost = tmp_path / "prices.json"
    cost.write_text(json.dumps(LITELLM), encoding="utf-8")
    res, data, models = refresh(run, tmp_path, sp, "--from-litellm", str(cost))
    assert res.exit_code == 0
    assert models["gpt-4o"]["price_input"] == builtin()["gpt-4o"]["price_input"]
    assert models["gpt-4o-2024-11-20"]["source"].endswith(f"; litellm unknown-version {cost.as_posix()}")
    assert f"litellm unknown-version {cost.as_posix()}" in data["meta"]["refreshed_from"]


@pytest.mark.parametrize("args, needle", [
    (["--today", "yesterday"], "--today"),
    (["--from-litellm", "missing.json"], "--from-litellm"),
])
def test_refresh_usage_errors_exit_2(tmp_path, run, args, needle):
    sp = site_packages(tmp_path)
    res = run(tmp_path, "catalog", "refresh", "--site-packages", str(sp), "--output", "out.toml", *args)
    assert res.exit_code == 2 and needle in res.stderr
    assert not (tmp_path / "out.toml").exists()


def test_refresh_output_is_a_catalog_the_engine_uses(tmp_path, run):
    res, _data, _models = refresh(run, tmp_path, site_packages(tmp_path))
    out = tmp_path / "catalog.toml"
    cat = load_model_catalog(str(out))
    assert cat.lookup("gpt-5.9").points_to == "gpt-5.9-2027-03-01"
    assert cat.kind_of("mistral-large-latest") == "floating"  # patterns are kept
    (tmp_path / "pyproject.toml").write_text(f'[tool.tokenlint]\nmodel-catalog = "{out.name}"\n', encoding="utf-8")
    listed = json.loads(run(tmp_path, "models", "--format", "json", "--provider", "openai").stdout)
    assert "gpt-7-ultra-2027-06-01" in {m["id"] for m in listed}


def test_refresh_again_from_its_own_output_changes_nothing(tmp_path, run):
    sp = site_packages(tmp_path)
    refresh(run, tmp_path, sp)
    first = (tmp_path / "catalog.toml").read_text(encoding="utf-8")
    (tmp_path / "base.toml").write_text(first, encoding="utf-8")
    res, _data, _models = refresh(run, tmp_path, sp, "--base", str(tmp_path / "base.toml"))
    assert "0 added, 0 values set" in res.stderr
    assert (tmp_path / "catalog.toml").read_text(encoding="utf-8") == first
