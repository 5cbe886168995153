"""TKL301 dynamic-before-static-prompt beyond the fixtures: the message, wrappers, scripts, and
the cases where a finding has no fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenlint.config import load_config
from tokenlint.engine import analyse

TODAY = dt.date(2026, 11, 29)
RULES = "R" * 250
HEAD = f"from openai import OpenAI\n\nfrom app.prompts import SHARED\n\nclient = OpenAI()\nRULES = {RULES!r}\n\n\n"


def findings(root: Path, files: dict[str, str], pyproject: str = "[tool.tokenlint]\n"):
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    cfg = load_config(root / "pyproject.toml").with_overrides(select=("TKL301",), min_static_chars=200)
    return [f for f in analyse([root], cfg, root=root, today=TODAY).findings if f.code == "TKL301"]


def chat(content: str) -> str:
    return f"    client.chat.completions.create(model='m', messages=[{{'role': 'user', 'content': {content}}}])\n"


def test_the_message_counts_the_static_characters_after_the_dynamic_part(tmp_path):
    src = HEAD + "def ask(doc):\n" + chat('f"{doc}\\n\\n{RULES}"')
    (f,) = findings(tmp_path, {"app/views.py": src})
    assert "~63 tokens" in f.message and "configured threshold is 200 characters" in f.message  # 252 characters
    assert f.fix is not None and f.fix.applicability == "unsafe"


def test_no_fix_when_reordering_would_still_put_dynamic_text_first(tmp_path):
    # the last placeholder is followed by two characters only: moving them changes nothing
    src = HEAD + "def ask(a, b):\n" + chat('f"{a}\\n{RULES}\\n{b}\\nok"')
    (f,) = findings(tmp_path, {"app/views.py": src})
    assert f.fix is None


def test_no_fix_for_format_templates_and_block_lists(tmp_path):
    src = (HEAD + "TEMPLATE = '{doc}\\n\\n' + RULES\n\n\ndef ask(doc, url):\n" + chat("TEMPLATE.format(doc=doc)")
           + "    client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': ["
           "{'type': 'image_url', 'image_url': {'url': url}}, {'type': 'text', 'text': RULES}]}])\n")
    got = findings(tmp_path, {"app/views.py": src})
    assert [f.row for f in got] == [13, 14]
    assert [f.fix for f in got] == [None, None]


def test_an_unknown_value_before_the_dynamic_part_keeps_it_silent(tmp_path):
    # SHARED is imported: it may be long static text already, so the order may be right
    src = HEAD + "def ask(doc):\n" + chat('f"{SHARED}\\n{doc}\\n{RULES}"')
    assert findings(tmp_path, {"app/views.py": src}) == []


def test_a_wrapper_is_reported_once_at_its_inner_call(tmp_path):
    # a wrapper site carries the prompt of the call inside it: reported there, not at each caller
    src = (HEAD + "def complete(doc):\n" + chat('f"{doc}\\n\\n{RULES}"') + "\n\n"
           "def summarise(doc):\n    complete(doc)\n    complete('x')\n")
    assert [f.row for f in findings(tmp_path, {"app/views.py": src})] == [10]


def test_a_script_loop_variable_is_dynamic_and_an_import_time_value_is_not(tmp_path):
    src = ("import sys\n\nfrom openai import OpenAI\n\nclient = OpenAI()\n" f"RULES = {RULES!r}\n"
           "HEADER = sys.argv[1]\n\n"
           "for doc in sys.stdin:\n" + chat('f"{doc}\\n\\n{RULES}"')  # line 10, in the loop
           + chat('f"{HEADER}\\n\\n{RULES}"').lstrip())  # line 11, at module level
    got = findings(tmp_path, {"scripts/run.py": src})
    assert [f.row for f in got] == [10]


def test_the_fix_only_reorders_the_text_and_keeps_comments(tmp_path):
    import ast

    from tokenlint.engine import fix

    prompts = ['f"{x}\'s notes:\\n\\n{RULES}"', 'f"{x:>{w}} {{braces}} {RULES}\\n"', 'f"\\N{BULLET} {x}\\t{RULES}"',
               '(f"Hi {x}"  # greeting\n        f", here are the rules: {RULES}"  # rules\n    )',
               'f"""\n{x}\n{RULES}\n"""', 'f"{d[\'k\']}. " + RULES']
    src = HEAD + "".join(f"def ask{i}(x, w, d):\n    p = {p}\n" + chat("p") + "\n\n" for i, p in enumerate(prompts))
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(src, encoding="utf-8")
    cfg = load_config(tmp_path / "pyproject.toml").with_overrides(select=("TKL301",), min_static_chars=200)
    run = fix([tmp_path / "app.py"], cfg, unsafe=True, today=TODAY, root=tmp_path)
    new = run.fixed[tmp_path / "app.py"].decode()
    assert "# greeting" in new and "# rules" in new

    def values(text: str) -> list[str]:
        env = {"RULES": RULES, "x": "X", "w": 4, "d": {"k": "K"}}
        return [eval(compile(ast.Expression(f.body[0].value), "p", "eval"), env)  # noqa: S307
                for f in ast.parse(text).body if isinstance(f, ast.FunctionDef)]

    for before, after in zip(values(src), values(new)):
        assert after.find(RULES) < max(after.find("X"), after.find("K")), after  # static text first
        assert sorted(before) == sorted(after)
    assert not [f for f in analyse([tmp_path / "app.py"], cfg, root=tmp_path, today=TODAY,
                                   overlay={tmp_path / "app.py": new.encode()}).findings if f.code == "TKL301"]
