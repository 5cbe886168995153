"""Issues 12 item 2 and 13, "fail open where the evidence is strong": bench/guesses.py measured the "not
resolved" guesses on the 152 tune applications (s13: 154 call guesses, 24 of them labelled sites; no
evidence combination of 10 guesses or more was 0.95 precise), so every guess stays a guess. These are the
look-alikes any promotion must keep out of the call sites: a `.run(...)` on a subprocess, a thread or a
pool, `.invoke` on an AWS Lambda client, `.predict` on a scikit-learn model, `.chat(...)` on a chat
application's database record, `.complete()` on a to-do item, `tx.run(...)` on a database transaction.
A framework's request method called without the input its signature starts with (catalog
`first_params`) is not even a guess; with it, it still is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import line_of

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = Path(__file__).resolve().parent.parent / "fixtures" / "guess_lookalikes"
REL = "app/jobs.py"


def _line(text: str) -> int:
    return line_of(APP / REL, text)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return analyse([APP], Config(), root=APP, unresolved=True)


def _sites(result) -> set[int]:  # type: ignore[no-untyped-def]
    return {s.line for s in result.sites if s.path == REL}


def _listed(result) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {u.line: u.kind for u in result.unresolved if u.path == REL}


def test_the_module_makes_a_request_so_its_guesses_are_read(result) -> None:  # type: ignore[no-untyped-def]
    assert _line("client.chat.completions.create(") in _sites(result)


@pytest.mark.parametrize("text", [
    'subprocess.run(["make", "html"]', "worker.run()", "pool.run(job)", "executor.map(len, items)",
    "lambda_client.invoke(FunctionName=", "clf.predict(rows), model.predict(rows)", "thread.chat(text)",
    "task.complete()", 'tx.run("MERGE', "response_item.astream_events()",
])
def test_look_alikes_of_request_methods_are_no_call_sites(result, text) -> None:  # type: ignore[no-untyped-def]
    line = _line(text)
    assert line not in _sites(result)
    assert _listed(result).get(line) in (None, "framework?", "facade?")  # a guess at most


@pytest.mark.parametrize("text", ["lambda_client.invoke(FunctionName=", "task.complete()",
                                  "response_item.astream_events()"])
def test_a_request_method_without_its_input_is_not_a_guess(result, text) -> None:  # type: ignore[no-untyped-def]
    # boto3's `invoke(FunctionName=..., Payload=...)` passes no Runnable input; `complete()` no prompt
    assert _line(text) not in _listed(result)


def test_a_database_transaction_is_named_so(result) -> None:  # type: ignore[no-untyped-def]
    assert _line('tx.run("MERGE') not in _listed(result)


@pytest.mark.parametrize("text", ['pipeline.astream_events({"question"', "pipeline.astream_events(**kw)"])
def test_a_request_method_with_its_input_on_an_unknown_receiver_stays_a_guess(result, text) -> None:  # type: ignore[no-untyped-def]
    line = _line(text)
    assert line not in _sites(result) and _listed(result).get(line) == "framework?"
