"""TKL402 beyond the fixture: the resolver's `loop` fact (resolve/loops.py) says which `while` loop
only the model's output ends, and whether a counter or limit bounds it."""

from __future__ import annotations

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse

APP = '''from openai import OpenAI

client = OpenAI()


def cases(messages, flag, budget):
    while True:
        r = client.chat.completions.create(model="m", messages=messages)
        if r.choices[0].finish_reason == "stop":
            break
    while True:
        r = client.chat.completions.create(model="m", messages=messages)
        if r.choices[0].finish_reason == "stop" or budget.spent > budget.total:
            break
    while flag:
        r = client.chat.completions.create(model="m", messages=messages)
    while True:
        r = client.chat.completions.create(model="m", messages=messages)
        if flag.is_set():
            break
    for m in messages:
        client.chat.completions.create(model="m", messages=[m])
    while True:
        while True:
            r = client.chat.completions.create(model="m", messages=messages)
            if r.id:
                break
'''


def test_the_loop_fact(tmp_path):
    project(tmp_path, {"app.py": APP})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.line, s.loop) for s in sites] == [
        (8, "unbounded"),
        (12, "bounded"),  # a budget read on the way out
        (16, None),  # a flag set elsewhere ends it: not the model's output
        (18, None),  # the way out does not read the response
        (22, None),  # a for loop
        (25, "unbounded"),  # the innermost loop decides; its break leaves only it
    ]


PHASES = '''from openai import OpenAI

client = OpenAI()


class Workshop:
    def confirm(self, draft):
        answer = input(f"Keep this draft? {draft} [y/n] ")
        return answer.strip().lower() == "n"

    def drafting(self, topic):
        for _ in range(3):
            r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": topic}])
        again = self.confirm(r.choices[0].message.content)
        if again:
            return again
        return False

    def polishing(self, topic):
        r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": topic}])
        if "DONE" in r.choices[0].message.content:
            return False
        return True

    def run(self, topic):
        again = True
        while again:
            again = self.drafting(topic)
        again = True
        while again:
            again = self.polishing(topic)
'''


def test_a_phase_repeated_on_a_persons_answer_is_not_unbounded(tmp_path):
    """`while again: again = self.drafting(...)` where the phase returns False or what `confirm` read
    from `input()`: the person decides each further turn. A phase returning True on the model's
    answer is still an unbounded loop."""
    project(tmp_path, {"app.py": PHASES})
    sites = analyse([tmp_path], Config(), rules=[], root=tmp_path).sites
    loops = sorted((s.line, s.loop) for s in sites if s.kind == "wrapper")
    assert loops == [(28, None), (31, "unbounded")]


RETRIES = '''import time

import typer
from openai import OpenAI
from rich.prompt import Confirm

client = OpenAI()


def empty_answer_retried(messages):
    while True:
        try:
            r = client.chat.completions.create(model="m", messages=messages)
            if r.choices[0].message.content is None:
                raise ValueError("empty answer")
            return r
        except Exception:
            time.sleep(1)


# empty_answer_raised_out: the same with `except KeyError:` (RAISED_OUT below)


def probe_until_a_person_stops(settings):
    while True:
        r = client.chat.completions.create(model="m", messages=[settings.ping])
        if r.choices[0].finish_reason == "stop":
            return r
        if not typer.confirm("Retry with another key?"):
            return None
        settings.key = typer.prompt("key")


def asked_only_sometimes(settings):
    while True:
        r = client.chat.completions.create(model="m", messages=[settings.ping])
        if r.choices[0].finish_reason == "stop":
            return r
        if settings.interactive:
            continue
        if not Confirm.ask("Again?"):
            break


def asked_before_the_request(settings):
    while True:
        if not Confirm.ask("Go?"):
            break
        r = client.chat.completions.create(model="m", messages=[settings.ping])
        if r.choices[0].finish_reason == "stop":
            return r
'''


RETRIED = RETRIES[RETRIES.index("def empty_answer_retried"):RETRIES.index("# empty_answer_raised_out")]
RAISED_OUT = RETRIED.replace("empty_answer_retried", "empty_answer_raised_out").replace("except Exception:", "except KeyError:")


def test_a_retry_raised_into_its_own_handler_or_a_person_asked_each_turn_is_not_unbounded(tmp_path):
    project(tmp_path, {"app.py": RETRIES.replace("# empty_answer_raised_out: the same with `except KeyError:` (RAISED_OUT below)\n",
                                                 RAISED_OUT)})
    sites = sorted(analyse([tmp_path], Config(), rules=[], root=tmp_path).sites, key=lambda s: s.line)
    assert [(s.function, s.loop) for s in sites] == [
        ("empty_answer_retried", None),  # the `raise` on the model's answer is caught: a retry
        ("empty_answer_raised_out", "unbounded"),  # a handler for another error: the raise leaves the loop
        ("probe_until_a_person_stops", None),  # every further turn passes typer.confirm
        ("asked_only_sometimes", "unbounded"),  # a `continue` skips the question
        ("asked_before_the_request", None),  # a person starts every turn's request
    ]
