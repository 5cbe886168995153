"""False findings of round 19's unseen applications, each class fixed in general, beside the true case
it must keep: erniebot's plugin chat takes no output cap (TKL501) while its chat names one
`max_output_tokens`; the one model an SDK method accepts is no choice (TKL202); a registry holding a
pipeline of chained requests is a pipeline (TKL401); an SDK method the application folder's own
dependency file rules out never runs (TKL202)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse


def _findings(root: Path, *codes: str) -> list[tuple[str, str, int]]:
    result = analyse([root], Config().with_overrides(select=codes), root=root, today=dt.date(2026, 12, 7))
    return sorted((f.code, f.path, f.row) for f in result.findings)


ERNIE = '''import erniebot


async def with_plugins(messages):
    return await erniebot.ChatCompletionWithPlugins.acreate(messages=messages, plugins=["eChart"])


def capped(messages):
    return erniebot.ChatCompletion.create(model="ernie-3.5", messages=messages, max_output_tokens=300)


def uncapped(messages):
    return erniebot.ChatCompletion.create(model="ernie-3.5", messages=messages)


def picture(prompt):
    return erniebot.Image.create(model="ernie-vilg-v2", prompt=prompt, width=512, height=512)
'''


def test_erniebot_output_caps_follow_each_method_signature(tmp_path):
    project(tmp_path, {"bot.py": ERNIE})
    sites = {s.line: s.output_cap for s in analyse([tmp_path], Config(), rules=[], root=tmp_path).sites
             if s.api == "chat.completions"}
    assert sites == {5: None, 9: "set", 13: "missing"}
    assert _findings(tmp_path, "TKL501") == [("TKL501", "bot.py", 13)]


def test_the_only_model_a_method_accepts_is_not_hardcoded(tmp_path):
    project(tmp_path, {"bot.py": ERNIE})
    assert _findings(tmp_path, "TKL202") == [("TKL202", "bot.py", 9), ("TKL202", "bot.py", 13)]


REGISTRY = '''import argparse

from openai import OpenAI

client = OpenAI()


class OneShot:
    def __init__(self, model):
        self.model = model

    def describe(self, item):
        return client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": item}])


class TwoStep:
    def __init__(self, model):
        self.model = model

    def describe(self, item):
        kind = client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": item}])
        return client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": str(kind)}])


MAKERS = {"one": OneShot, "two": TwoStep}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", default="two")
    args = parser.parse_args()
    maker = MAKERS.get(args.kind)("gpt-4o-mini")
    for item in ["a", "b"]:
        maker.describe(item)


if __name__ == "__main__":
    main()
'''


def test_a_registry_holding_a_pipeline_of_chained_requests_is_no_batch_candidate(tmp_path):
    project(tmp_path / "chained", {"gen.py": REGISTRY})
    assert _findings(tmp_path / "chained", "TKL401") == []
    single = REGISTRY.replace('MAKERS = {"one": OneShot, "two": TwoStep}', 'MAKERS = {"one": OneShot, "again": OneShot}')
    single = single.replace("class TwoStep:", "class OneShotCopy(OneShot):\n    pass\n\n\nclass TwoStep:")
    single = single.replace('"again": OneShot', '"again": OneShotCopy')
    project(tmp_path / "single", {"gen.py": single})
    assert _findings(tmp_path / "single", "TKL401") == [("TKL401", "gen.py", 38)]


LEGACY = '''import openai


def embed(text):
    return openai.Embedding.create(input=text, model="text-embedding-ada-002")
'''


def test_an_application_folder_requiring_openai_1_rules_out_the_legacy_methods(tmp_path):
    project(tmp_path / "mono", {"tool/app/emb.py": LEGACY,
                                "tool/pyproject.toml": '[project]\nname = "tool"\ndependencies = ["openai>=1.93.0"]\n'})
    assert _findings(tmp_path / "mono", "TKL202") == []
    project(tmp_path / "loose", {"tool/app/emb.py": LEGACY,
                                 "tool/pyproject.toml": '[project]\nname = "tool"\ndependencies = ["openai"]\n'})
    assert _findings(tmp_path / "loose", "TKL202") == [("TKL202", "tool/app/emb.py", 5)]


PROBE = '''from openai import OpenAI

client = OpenAI()
shared = client.embeddings.create(model="text-embedding-3-small", input=["warm"])


def test_sends_the_model():
    client.chat.completions.create(model="gpt-test", messages=[])


class TestChat:
    def test_reply(self):
        client.chat.completions.create(model="gpt-6-luna", messages=[])
'''


def test_a_model_written_in_a_test_function_is_the_tests_fixture(tmp_path):
    project(tmp_path, {"tests/test_chat.py": PROBE, "app/probe.py": PROBE})
    assert _findings(tmp_path, "TKL202") == [
        ("TKL202", "app/probe.py", 4), ("TKL202", "app/probe.py", 8), ("TKL202", "app/probe.py", 13),
        ("TKL202", "tests/test_chat.py", 4)]


AGENT = '''from openai import OpenAI

client = OpenAI()


def ask(messages):
    for attempt in range(3):
        try:
            return client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        except Exception:
            continue


def solve(task):
    messages = [{"role": "user", "content": task}]
    for step in range(10):
        reply = ask(messages)
        text = reply.choices[0].message.content
        if "ANSWER" in text:
            return text
        messages.append({"role": "assistant", "content": text})


def label(item):
    for attempt in range(3):
        prompt = "Label: " + item
        reply = ask([{"role": "user", "content": prompt}])
        if reply:
            return reply


if __name__ == "__main__":
    for task in ["a", "b"]:
        solve(task)
    for item in ["c", "d"]:
        label(item)
'''


def test_an_agent_loop_returning_its_answer_is_a_pipeline_and_a_retry_loop_one_request(tmp_path):
    # solve() hands each answer to the next request until one holds the answer: several requests per
    # task, no batch; label() rebuilds the same request on each attempt: one request per item, batchable
    project(tmp_path, {"jobs.py": AGENT})
    assert _findings(tmp_path, "TKL401") == [("TKL401", "jobs.py", 36)]


RETIRED = '''from openai import OpenAI

client = OpenAI()


def test_review():
    client.chat.completions.create(model="gpt-3.5-turbo", messages=[])


def review():
    client.chat.completions.create(model="gpt-3.5-turbo", messages=[])
'''


def test_a_retired_model_a_test_function_sends_is_the_tests_fixture(tmp_path):
    project(tmp_path, {"tests/test_review.py": RETIRED, "app/review.py": RETIRED})
    assert _findings(tmp_path, "TKL203") == [
        ("TKL203", "app/review.py", 7), ("TKL203", "app/review.py", 11), ("TKL203", "tests/test_review.py", 11)]


REPAIR = '''import json

from openai import OpenAI

client = OpenAI()


def extract(text):
    messages = [{"role": "user", "content": "JSON for: " + text}]
    for attempt in range(3):
        reply = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        out = reply.choices[0].message.content
        try:
            return json.loads(out)
        except ValueError:
            messages.append({"role": "user", "content": f"Not JSON: {out}"})


def short(text):
    messages = [{"role": "user", "content": "Title for: " + text}]
    for attempt in range(3):
        out = client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content
        if len(out) > 40:
            messages.append({"role": "user", "content": f"Too long: {out}"})
            continue
        return out


def act(task):
    messages = [{"role": "user", "content": task}]
    for step in range(10):
        msg = client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message
        if msg.tool_calls:
            messages.append({"role": "tool", "content": run_tool(msg.tool_calls[0])})
            continue
        return msg.content


if __name__ == "__main__":
    for doc in ["a", "b"]:
        extract(doc)
    for doc in ["c", "d"]:
        short(doc)
    for task in ["e", "f"]:
        act(task)
'''


def test_a_retry_repairing_its_answer_is_one_request_and_an_agent_running_tools_a_pipeline(tmp_path):
    # extract() and short() hand a failed answer back only to ask again (in the `except` of the return
    # test, or in a branch that just complains and continues): a retry, one request per item,
    # batchable; act() runs a tool on each answer before its next turn: an agent, no batch
    project(tmp_path, {"jobs.py": REPAIR})
    assert _findings(tmp_path, "TKL401") == [("TKL401", "jobs.py", 41), ("TKL401", "jobs.py", 43)]


def test_the_nearest_dependency_file_naming_the_sdk_decides_over_the_root(tmp_path):
    # the root requires openai>=1 but legacy/ pins the 0.x SDK: its openai.Embedding.create runs there;
    # a folder whose file leaves openai unconstrained (or out) runs what the root requires
    root = '[project]\nname = "mono"\ndependencies = ["openai>=1.30"]\n'
    project(tmp_path, {"legacy/emb.py": LEGACY, "legacy/requirements.txt": "openai==0.28.1\n",
                       "loose/emb.py": LEGACY, "loose/requirements.txt": "openai\nrequests>=2\n", "svc/emb.py": LEGACY},
            pyproject=root)
    assert _findings(tmp_path, "TKL202") == [("TKL202", "legacy/emb.py", 5)]


def test_erniebot_image_v1_takes_no_model_so_no_model_of_it_is_hardcoded(tmp_path):
    # ImageV1.create(text, resolution, style, *, num, ...) has no model parameter: a `model=` written
    # there chooses nothing (catalog model = []); Image.create's model is read as before
    code = ('import erniebot\n\n\ndef draw(p):\n'
            '    return erniebot.ImageV1.create(text=p, resolution="512*512", style="Base", model="ernie-vilg")\n\n\n'
            'async def adraw(p):\n'
            '    return await erniebot.ImageV1.acreate(text=p, resolution="512*512", style="Base", model="ernie-vilg")\n\n\n'
            'def draw2(p):\n    return erniebot.Image.create(model="ernie-vilg-v3", prompt=p)\n')
    project(tmp_path, {"app.py": code})
    assert _findings(tmp_path, "TKL202") == [("TKL202", "app.py", 13)]
