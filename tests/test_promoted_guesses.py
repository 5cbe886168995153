"""Issue 12 item 2, "fail open, with evidence; withhold only on negative evidence": the guesses of the
"not resolved" list whose evidence proved right on the tune corpus (/work/study/s11-guesses.md) are
inferred call sites, each with its evidence in `reason`; the look-alikes stay guesses or are dropped on
negative evidence (a retriever, a graph, a `super()` delegation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import line_of

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = Path(__file__).resolve().parent.parent / "fixtures" / "promoted_guesses"


def _line(rel: str, text: str) -> int:
    return line_of(APP / rel, text)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return analyse([APP], Config(), root=APP, unresolved=True)


def _sites(result, rel: str) -> dict[int, object]:  # type: ignore[no-untyped-def]
    return {s.line: s for s in result.sites if s.path == rel}


def _listed(result, rel: str) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {u.line: u.kind for u in result.unresolved if u.path == rel}


@pytest.mark.parametrize("text", ['"via": "factory"', "draft_chain.ainvoke(", "agent.astream_events(",
                                  "self.agent_executor.ainvoke(", "parallel_runner.invoke("])
def test_a_runnable_request_on_a_receiver_named_for_a_chain_agent_or_runner_is_an_inferred_request(result, text) -> None:  # type: ignore[no-untyped-def]
    site = _sites(result, "app/runners.py").get(_line("app/runners.py", text))
    assert site is not None and site.kind == "request" and site.confidence == "inferred"
    assert site.sdk == "langchain" and "named like a langchain object" in (site.reason or "")
    assert site.as_dict()["reason"] == site.reason


def test_look_alike_runnable_calls_are_no_sites(result) -> None:  # type: ignore[no-untyped-def]
    sites, listed = _sites(result, "app/runners.py"), _listed(result, "app/runners.py")
    for text in ("graph.invoke(state)", "retriever.invoke(question)"):  # negative evidence: not even a guess
        assert _line("app/runners.py", text) not in sites and _line("app/runners.py", text) not in listed
    for text in ("agent.step()", "pipeline.stream("):  # no Runnable method, or a name of none of them: guesses
        assert _line("app/runners.py", text) not in sites
        assert listed.get(_line("app/runners.py", text)) == "framework?"
    assert _line("app/runners.py", "chain.invoke()") not in sites  # no input: another API's shape
    # a parameter (its callers decide), a pipe read here with no model, an agent built on a test double
    for text in ("    # a parameter: what it holds", "chain = PROMPT | str.upper", "agent = make_agent(FakeChatModel"):
        assert _line("app/runners.py", text) + 1 not in sites
    assert listed.get(_line("app/runners.py", "    # a parameter: what it holds") + 1) == "framework?"


@pytest.mark.parametrize("text, api", [("Quillstone(model=", "llm"), ("QuillstoneEmbedding(model_name=", "embeddings_model")])
def test_a_class_of_a_package_of_model_classes_the_catalog_does_not_list_is_an_inferred_binding(result, text, api) -> None:  # type: ignore[no-untyped-def]
    site = _sites(result, "app/models.py").get(_line("app/models.py", text))
    assert site is not None and site.kind == "binding" and site.confidence == "inferred"
    assert (site.sdk, site.api, site.provider) == ("llama_index", api, "unknown")
    assert "llama_index." in (site.reason or "") and "model the catalog does not list" in site.reason
    assert _line("app/models.py", text) not in _listed(result, "app/models.py")


def test_the_model_argument_of_such_a_binding_is_read_as_its_neighbours_are(result) -> None:  # type: ignore[no-untyped-def]
    site = _sites(result, "app/models.py")[_line("app/models.py", "QuillstoneEmbedding(model_name=")]
    assert site.model.value == "qs-embed-2"


def test_data_classes_test_doubles_retrievers_and_other_packages_classes_are_no_bindings(result) -> None:  # type: ignore[no-untyped-def]
    sites, listed = _sites(result, "app/models.py"), _listed(result, "app/models.py")
    for text in ("QuillstoneRetriever(index=", "ChatMessage(role=", "MockEmbedding(embed_dim", "SentenceSplitter(chunk",
                 "QuillstoneStreamDelta(content="):
        assert _line("app/models.py", text) not in sites and _line("app/models.py", text) not in listed


def test_a_super_call_in_an_override_is_no_facade_guess(result) -> None:  # type: ignore[no-untyped-def]
    listed = _listed(result, "app/engines.py")
    assert _line("app/engines.py", "super().speak(") not in listed
    assert listed.get(_line("app/engines.py", "speaker.speak(text)")) == "facade?"  # the untyped parameter still is


def test_check_finds_the_promoted_sites_too() -> None:
    """The promotion is the resolver's, not the inventory's list: `check` (no unresolved list) sees them."""
    got = analyse([APP], Config(), root=APP)
    lines = {(s.path, s.line) for s in got.sites}
    assert ("app/runners.py", _line("app/runners.py", "draft_chain.ainvoke(")) in lines
    assert ("app/models.py", _line("app/models.py", "Quillstone(model=")) in lines


def test_a_runnable_name_in_a_module_importing_no_llm_library_is_no_site(result) -> None:  # type: ignore[no-untyped-def]
    line = _line("app/executor.py", "self.agent.invoke(")
    assert line not in _sites(result, "app/executor.py") and line not in _listed(result, "app/executor.py")
