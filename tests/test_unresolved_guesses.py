"""Issue 12 item 2, "fail open, with evidence": calls the resolver could not place are listed under
"not resolved" as guesses for a reader to check (`framework?`, `facade?`, `http?`), only with evidence,
never as call sites, and at most a few per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import line_of

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve import unresolved

APP = Path(__file__).resolve().parent.parent / "fixtures" / "unresolved_guesses"


def _line(rel: str, text: str) -> int:
    return line_of(APP / rel, text)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return analyse([APP], Config(), root=APP, unresolved=True)


def _guesses(result, kind: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return sorted((u.path, u.line) for u in result.unresolved if u.kind == kind)


def test_a_framework_request_on_an_untyped_receiver_in_an_llm_file_is_listed(result) -> None:  # type: ignore[no-untyped-def]
    # (`LumenWave(...)` was a guess too: its evidence makes it an inferred binding now,
    # tests/test_promoted_guesses.py)
    assert _guesses(result, "framework?") == [
        ("app/chains.py", _line("app/chains.py", "chain.invoke(")),
        ("app/chains.py", _line("app/chains.py", "pipeline.astream(")),
    ]
    detail = next(u.detail for u in result.unresolved if u.kind == "framework?")
    assert ".invoke(...)" in detail and "`chain`" in detail


def test_look_alike_framework_requests_are_not_listed(result) -> None:  # type: ignore[no-untyped-def]
    listed = {(u.path, u.line) for u in result.unresolved}
    # a generic name (`cursor.execute`), a standard-library object's `run`, a project object's own `run`
    # and a receiver whose name says it is a prompt template
    for text in ("cursor.execute(", "Thread(target=job).run()", "Counter().run()", "prompt_template.invoke("):
        assert ("app/chains.py", _line("app/chains.py", text)) not in listed
    # a file with no LLM import and no site: `m.step()`, `task.run(...)` are ordinary methods
    assert "app/plain.py" in {f.path for f in result.files}
    assert not [u for u in result.unresolved if u.path == "app/plain.py"]


def test_a_class_of_a_package_of_model_classes_the_catalog_does_not_know_is_an_inferred_binding(result) -> None:  # type: ignore[no-untyped-def]
    site = next(s for s in result.sites if s.path == "app/models.py" and s.line == _line("app/models.py", "LumenWave(model="))
    assert site.kind == "binding" and site.confidence == "inferred" and "llama_index.llms" in (site.reason or "")
    lines = {u.line for u in result.unresolved if u.path == "app/models.py"} | \
        {s.line for s in result.sites if s.path == "app/models.py" and s.confidence == "inferred"}
    # a data class of a model package (`ChatMessage`), its test double, a class of a package of loaders,
    # a catalogued model
    for text in ("ChatMessage(role=", "MockEmbedding(embed_dim", "TextLoader(path)", 'ChatOpenAI(model="gpt-4o-mini")'):
        assert _line("app/models.py", text) not in lines


def test_a_method_a_spending_base_class_declares_is_listed_on_an_untyped_receiver(result) -> None:  # type: ignore[no-untyped-def]
    assert _guesses(result, "facade?") == [("app/handlers.py", _line("app/handlers.py", "engine.reply(")),
                                           ("app/handlers.py", _line("app/handlers.py", "llm.run("))]
    detail = next(u.detail for u in result.unresolved if u.kind == "facade?")
    assert "Engine declares it" in detail


def test_a_method_of_a_base_whose_subclasses_spend_nothing_is_not_listed(result) -> None:  # type: ignore[no-untyped-def]
    lines = {u.line for u in result.unresolved if u.path == "app/handlers.py"}
    assert _line("app/handlers.py", "store.keep(") not in lines
    assert _line("app/handlers.py", "thing.shout(") not in lines
    assert _line("app/handlers.py", "worker.run(") not in lines  # a common name, a receiver not named after a model


def test_an_llm_shaped_body_to_an_unknown_url_is_listed(result) -> None:  # type: ignore[no-untyped-def]
    assert _guesses(result, "http?") == [("app/gateway.py", _line("app/gateway.py", "requests.post(CHAT_URL"))]
    lines = {u.line for u in result.unresolved if u.path == "app/gateway.py"}
    assert _line("app/gateway.py", 'os.environ["HOOK_URL"]') not in lines  # a webhook's body
    assert _line("app/gateway.py", "archive.example.org") not in lines  # a URL known in full


def test_guesses_are_never_call_sites(result) -> None:  # type: ignore[no-untyped-def]
    assert sorted((s.path, s.line) for s in result.sites) == [
        ("app/chains.py", _line("app/chains.py", "ChatOpenAI(model=")),
        ("app/engines.py", _line("app/engines.py", "chat.completions.create(")),
        ("app/gateway.py", _line("app/gateway.py", "embeddings.create(")),
        ("app/models.py", _line("app/models.py", 'ChatOpenAI(model="gpt-4o-mini")')),
        ("app/models.py", _line("app/models.py", "LumenWave(model=")),  # promoted: a package's model class
    ]
    assert {(s.path, s.line) for s in result.sites if s.confidence == "inferred"} == {
        ("app/models.py", _line("app/models.py", "LumenWave(model="))}
    assert analyse([APP], Config(), root=APP).unresolved == []  # `check` never does the work


def test_the_list_is_capped_per_file_and_the_rest_counted(tmp_path: Path) -> None:
    n = unresolved.MAX_GUESSES + 3
    body = "".join(f"    r{i} = chain.invoke({{'q': {i}}})\n" for i in range(n))
    (tmp_path / "many.py").write_text("from langchain_openai import ChatOpenAI\n\nLLM = ChatOpenAI(model='gpt-4o')\n\n\n"
                                      "def ask(chain):\n" + body, encoding="utf-8")
    got = [u for u in analyse([tmp_path], Config(), root=tmp_path, unresolved=True).unresolved if u.kind == "framework?"]
    assert len(got) == unresolved.MAX_GUESSES + 1
    assert got[-1].detail.startswith("and 3 more calls")


def test_the_listed_request_names_come_from_the_catalog() -> None:
    from tokenlint.catalog import build_sdk_catalog

    cat = build_sdk_catalog()
    names = cat.listed_requests
    assert {"invoke", "ainvoke", "kickoff", "initiate_chat"} <= names
    assert not {"__call__", "execute", "forward", "create"} & names  # generic: [unresolved] generic_requests
    assert names - {"initiate_chat", "a_initiate_chat", "generate_reply", "a_generate_reply"} <= \
        {m for f in cat.frameworks.values() for m in f.requests}


def test_a_chat_shaped_body_to_a_known_service_that_runs_no_model_is_not_listed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "hooks.py").write_text(
        "import requests\n\n\n"
        "def file_issue(repo, text, url):\n"
        "    body = {'model': 'x', 'messages': [{'role': 'user', 'content': text}]}\n"
        "    requests.post(f'https://api.github.com/repos/{repo}/issues', json=body)\n"
        "    requests.post(url, json={'model': 'x', 'prompt': text, 'options': {'temperature': 0}})\n",
        encoding="utf-8")
    got = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    listed = [(u.line, u.kind) for u in got.unresolved]
    sites = [s.line for s in got.sites]
    assert 6 not in sites and (6, "http?") not in listed
    assert 7 in sites or (7, "http?") in listed  # the same shape to a URL from a parameter is not dropped


def test_a_class_a_family_of_model_classes_leaves_out_on_purpose_is_not_an_unknown_model(tmp_path: Path) -> None:
    """LangChain's `VLLM` runs the model in process: the family skips it, and the list does not call it
    a model class the catalog does not know."""
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "app.py").write_text("from langchain_community.llms import VLLM\n\nllm = VLLM(model='x')\n",
                                     encoding="utf-8")
    got = analyse([tmp_path], Config(), root=tmp_path, unresolved=True)
    assert [u for u in got.unresolved if u.line == 3] == []
    assert [s for s in got.sites if s.line == 3] == []
