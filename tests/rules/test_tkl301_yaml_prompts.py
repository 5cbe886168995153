"""TKL301 through prompts kept in YAML files and loaded by key (issue 16, item 1): `yaml.safe_load`
of an open file, of `Path(...).read_text()`, of a `with open(...) as f` handle, then indexed by
constant keys; `yaml.load` with an unsafe loader is still only parsed by us with the safe loader.
A broken, binary, huge, multi-document or alias-bomb file makes the prompt unknown (no finding,
no crash, no hang), and a file is parsed once per run."""

from __future__ import annotations

import datetime as dt

import yaml
from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve import templates

HEAD = '''from pathlib import Path

import yaml
from openai import OpenAI
from yaml import safe_load

oai = OpenAI()


def ask(system):
    return oai.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])
'''
LONG = "Follow the support policy carefully. " * 120
DYNAMIC_FIRST = yaml.safe_dump({"agent": {"prompt": "You help {user}. " + LONG, "late": LONG + " You help {user}."},
                                "system": "Hello {user}. " + LONG})


def run(tmp_path, body: str, files: dict):  # type: ignore[no-untyped-def]
    project(tmp_path, {"app.py": HEAD + body, **files})
    cfg = Config().with_overrides(select=("TKL301",))
    result = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 5))
    first = HEAD.count("\n") + 1
    return [f.row - first + 1 for f in sorted(result.findings, key=lambda f: f.row)], result


def test_yaml_prompt_files_by_key(tmp_path):
    rows, _ = run(tmp_path, '''
def opened(user):
    return ask(yaml.safe_load(open("prompts.yaml"))["system"].format(user=user))


def read_text(user):
    return ask(yaml.safe_load(Path("prompts.yaml").read_text())["agent"]["prompt"].format(user=user))


def handle(user):
    with open(Path(__file__).parent / "prompts.yml") as f:
        data = yaml.safe_load(f)
    return ask(data["agent"]["prompt"].format(user=user))


def imported(user):
    return ask(safe_load(open("prompts.yaml")).get("system").format(user=user))


def unsafe_loader_named(user):
    data = yaml.load(open("prompts.yaml"), Loader=yaml.Loader)
    return ask(data["agent"]["prompt"].format(user=user))


def static_first(user):
    return ask(yaml.safe_load(open("prompts.yaml"))["agent"]["late"].format(user=user))


def missing_key(user):
    return ask(yaml.safe_load(open("prompts.yaml"))["agent"]["nope"].format(user=user))


def not_yaml(user):
    return ask(toml_load(open("prompts.yaml"))["system"].format(user=user))
''', {"prompts.yaml": DYNAMIC_FIRST, "prompts.yml": DYNAMIC_FIRST})
    assert rows == [3, 7, 13, 17, 22]


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "system: 'You help {user}. " + "x" * 5000 + "'\n"
BAD_FILES = {
    "bomb.yaml": BOMB,
    "recursive.yaml": "loop: &x [*x]\nsystem: 'You help {user}. " + "x" * 5000 + "'\n",
    "broken.yaml": "system: 'You help {user}. " + "x" * 5000 + "\n  - : [\n",
    "two.yaml": "system: 'You help {user}. " + "x" * 5000 + "'\n---\nother: 1\n",
    "deep.yaml": "x: " + "[" * 50_000 + "]" * 50_000 + "\nsystem: 'You help {user}. " + "x" * 5000 + "'\n",
    "python.yaml": "boom: !!python/object/apply:os.system ['echo hi']\nsystem: 'You help {user}. " + "x" * 5000 + "'\n",
    "huge.yaml": "system: 'You help {user}. " + "x" * (templates.MAX_BYTES + 10) + "'\n",
}


def test_bad_yaml_files_make_the_prompt_unknown(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"system: 'You help {user}. \x00\x01" + b"x" * 5000 + b"'\n")
    body = "".join(f'''

def f{i}(user):
    return ask(yaml.safe_load(open("{name}"))["system"].format(user=user))
''' for i, name in enumerate([*BAD_FILES, "binary.yaml", "missing.yaml"]))
    rows, result = run(tmp_path, body, dict(BAD_FILES))
    assert rows == []
    assert [f.error for f in result.files] == [None]
    assert len(result.sites) == 1 + len(BAD_FILES) + 2  # `ask` itself, then one caller per file


def test_the_bomb_is_refused_before_it_is_built():
    assert templates._parse_yaml(BOMB) is None
    assert templates._parse_yaml("a: &a [x, y]\nb: *a\nsystem: hi\n") == {"a": ["x", "y"], "b": ["x", "y"],
                                                                         "system": "hi"}
    assert templates._parse_yaml("!!python/name:os.system\n") is None


def test_a_yaml_file_is_parsed_once(tmp_path, monkeypatch):
    calls: list[str] = []
    real = templates._parse_yaml
    monkeypatch.setattr(templates, "_parse_yaml", lambda text: calls.append(text) or real(text))
    templates.reset()
    rows, result = run(tmp_path, '''
PROMPTS = yaml.safe_load(Path("prompts.yaml").read_text())


def one(user):
    return ask(PROMPTS["system"].format(user=user))


def two(user):
    return ask(yaml.safe_load(open("prompts.yaml"))["system"].format(user=user))
''', {"prompts.yaml": DYNAMIC_FIRST})
    assert rows == [6, 10]
    assert len(calls) == 1
    assert any(path.endswith("prompts.yaml") for path in templates.READS)
