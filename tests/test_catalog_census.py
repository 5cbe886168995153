"""Libraries and hosted AI services the import census of the study applications found uncatalogued (spice,
gradio_client, chainlite, chonkie, rerankers, scrapegraph-py, pymilvus-model, ...): what their sites carry
beyond the `# site:` markers of their fixtures, and that every entry names its source and date."""

from __future__ import annotations

from pathlib import Path

from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import marker_patterns, sdk_pattern

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "resolver"
NEW_SDKS = ("spice", "gradio-client", "rerankers", "scrapegraph-py", "pymilvus-model", "pymilvus-model-local",
            "pymilvus-model-mistral", "chonkie", "ai21", "sambanova", "perplexity", "openrouter", "gigachat", "ell", "chunkr", "firecrawl", "magentic")


def _sites(path: Path):
    result = analyse([path], Config(), rules=[], root=path.parent)
    assert not [f.error for f in result.files if f.error]
    return {s.line: s for s in result.sites}


def _line(path: Path, needle: str) -> int:
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def test_a_value_holding_a_hosted_or_a_local_embedding_function_spends() -> None:
    path = FIXTURES / "providers" / "milvus_embedding_functions.py"
    sites = _sites(path)
    either = sites[_line(path, "self.fn.encode_queries")]
    assert either.spends and either.providers == ("jina", "local")
    assert either.model.kind == "parameter"  # read from the hosted function's construction
    assert not sites[_line(path, "local_ef.encode_documents")].spends


def test_token_counting_and_the_prompt_store_of_spice_send_nothing() -> None:
    path = FIXTURES / "providers" / "spice_sdk.py"
    sites = _sites(path)
    assert all(s.spends for s in sites.values())
    assert _line(path, "count_prompt_tokens") not in sites


def test_the_prefilter_marks_files_importing_the_new_libraries() -> None:
    pat = sdk_pattern(build_sdk_catalog())
    assert pat.search(b"from spice import Spice\n")
    assert pat.search(b"from gradio_client import Client\n")
    assert pat.search(b"from scrapegraph_py import ScrapeGraphAI\n")
    assert pat.search(b"from rerankers import Reranker\n")
    assert not pat.search(b"from myapp.search import client\nclient.rank(query)\n")


def test_a_module_s_own_paid_functions_mark_only_files_importing_that_module() -> None:
    # `alpaca_eval.evaluate` is listed under the module itself: its package is `alpaca_eval`, not an empty
    # name that every relative import would match (which let 62 more files of the benchmark corpus through)
    cat = build_sdk_catalog()
    _words, mods = marker_patterns(cat)
    assert {"alpaca_eval", "podcast_creator"} <= mods and "" not in mods
    pat = sdk_pattern(cat)
    assert pat.search(b"from alpaca_eval import evaluate\n")
    assert pat.search(b"from podcast_creator import create_podcast\n")


def test_every_new_entry_names_its_source_and_date() -> None:
    cat = build_sdk_catalog()
    for name in NEW_SDKS:
        ct = cat.client_types.get(name)
        if ct is None:  # frameworks.toml's constructor-only entries
            continue
        assert ct.source.startswith("PyPI ") and ct.checked == "2026-12-06", name
