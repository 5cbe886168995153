"""Output that cannot inject: strings the pull request's author chose (file names, model names, tags)
cannot forge CI log commands, rewrite a terminal, crash a writer, notify people or hide a finding.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.projects import make
from tests.security.clones import attack_and_clean, gate

CALL = ('from openai import OpenAI\nclient = OpenAI()\n'
        'def ask(q):\n    return client.chat.completions.create(model={model}, messages=[{{"role": "user", "content": q}}])\n')
HOSTILE_NAME = "evil\n::error file=a.py,line=1::forged \x1b[2J\u202e.py"
HOSTILE_MODEL = '"gpt-4o\\n::error::forged-model\\x1b[31m"'
NON_UTF8 = b"caf\xe9.py"


def _hostile_project(root: Path) -> Path:
    make(root, {HOSTILE_NAME: CALL.format(model=HOSTILE_MODEL), "app.py": CALL.format(model='"gpt-4o-2024-08-06"')})
    (root / os.fsdecode(NON_UTF8)).write_text(CALL.format(model=HOSTILE_MODEL))
    return root


def _assert_inert(text: str, what: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("::error"), f"{what}: a forged workflow command: {line!r}"
    for ch in ("\x1b", "\u202e", "\udce9"):
        assert ch not in text, f"{what}: {ch!r} reached the output"


def _strings(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)


CHECK_FORMATS = ["text", "json", "sarif", "github", "gitlab", "junit"]


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_formats_escape_names_and_strings(tmp_path, cli, fmt):
    root = _hostile_project(tmp_path / "p")
    out = tmp_path / f"out.{fmt}"
    r = cli(root, "check", "--no-cache", "--format", fmt, "--output", str(out), ".")
    assert r.exit_code == 1, r.output
    text = out.read_text(encoding="utf-8")  # written, and valid UTF-8 despite the non-UTF-8 name
    _assert_inert(text, fmt)
    if fmt == "github":  # our own annotations are the only commands: one per finding, on its own line
        assert all(line.startswith("::warning file=") for line in text.splitlines())
    if fmt in ("json", "sarif", "gitlab"):
        doc = json.loads(text)
        for s in _strings(doc["runs"][0]["results"] if fmt == "sarif" else doc):  # (not our rule docs)
            assert "\n" not in s and "\x1b" not in s and not any("\ud800" <= c <= "\udfff" for c in s), s
    if fmt == "text":
        assert "caf\\xe9.py:4:12: TKL101" in text  # the undecodable byte, shown
        assert "evil\\n::error file=a.py,line=1::forged" in text


def test_text_output_on_stdout_cannot_start_a_workflow_command(tmp_path, cli):
    root = _hostile_project(tmp_path / "p")
    r = cli(root, "check", "--no-cache", ".")
    assert r.exit_code == 1
    _assert_inert(r.stdout, "stdout")
    assert "gpt-4o\\n::error::forged-model" in r.stdout


def test_sarif_uris_are_percent_encoded(tmp_path, cli):
    root = make(tmp_path / "p", {"we ird#1?%.py": CALL.format(model='"gpt-4o-2024-08-06"')})
    (root / os.fsdecode(NON_UTF8)).write_text(CALL.format(model='"gpt-4o-2024-08-06"'))
    r = cli(root, "check", "--no-cache", "--format", "sarif", ".")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in json.loads(r.stdout)["runs"][0]["results"] for loc in res["locations"]}
    assert uris == {"we%20ird%231%3F%25.py", "caf%E9.py"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_inventory_formats_escape_names_and_strings(tmp_path, cli, fmt):
    root = _hostile_project(tmp_path / "p")
    out = tmp_path / f"inv.{fmt}"
    r = cli(root, "inventory", "--no-cache", "--format", fmt, "--output", str(out), ".")
    assert r.exit_code == 0, r.output
    _assert_inert(out.read_text(encoding="utf-8"), fmt)


def test_inventory_stderr_lines_are_sanitised(tmp_path, cli):
    root = make(tmp_path / "p", {"bad\n::error::forged.py": "import openai\ndef f(:\n"})
    r = cli(root, "inventory", "--no-cache", ".")
    assert "bad\\n::error::forged.py:2:7: TKL000" in r.stderr
    _assert_inert(r.stderr, "stderr")


def test_audit_writes_non_utf8_and_hostile_names(tmp_path, cli):
    root = _hostile_project(tmp_path / "p")
    r = cli(root, "audit", "--output", str(tmp_path / "report"), ".")
    assert r.exit_code == 0, r.output
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    for text in (md, page):
        _assert_inert(text, "audit")
    assert "../p/caf%E9.py#L4" in md and 'href="../p/caf%E9.py#L4"' in page


def test_markdown_comment_cannot_mention_or_autolink(tmp_path, cli):
    tagged = ('from openai import OpenAI\nclient = OpenAI()\n'
              'def ask(q):\n    return client.chat.completions.create(model="gpt-4o-2024-08-06", '
              'messages=[{{"role": "user", "content": q}}], metadata={{"feature": "{tag}"}})\n')
    old = make(tmp_path / "old", {"app.py": tagged.format(tag="faq")})
    new = make(tmp_path / "new", {"app.py": tagged.format(tag="faq"),
                                  "b.py": tagged.format(tag="@octocat https://evil.example/x www.evil.example")})
    for tree in (old, new):
        assert cli(tree, "inventory", "--no-cache", "--format", "json", "--output", str(tree / "inv.json"), ".").exit_code == 0
    r = cli(tmp_path, "inventory", "compare", str(old / "inv.json"), str(new / "inv.json"), "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert "octocat" in r.stdout and "evil" in r.stdout  # still shown...
    assert "@octocat" not in r.stdout and "://" not in r.stdout.replace("&#8203;://", "")  # ...but inert
    assert "www.evil" not in r.stdout


# ------------------------------------------------------------------ noqa and baseline


def test_noqa_inside_a_string_suppresses_nothing(tmp_path):
    """The attack: `# noqa` hidden in a string on the flagged line. The gate reports what the clean tree does."""
    call = CALL.format(model='"gpt-4o-2024-08-06"')
    hidden = call.replace('"content": q}', '"content": q + " # noqa"}')
    clean, attacked = attack_and_clean(tmp_path, {"pyproject.toml": "[tool.tokenlint]\n", "app/llm.py": call},
                                       {"app/llm.py": hidden})
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", "--format", "json", ".")
    got = gate(attacked, runner, "check", "--no-cache", "--format", "json", ".")
    assert want.code == 1
    assert [(f["code"], f["location"]) for f in json.loads(got.out)] == \
        [(f["code"], f["location"]) for f in json.loads(want.out)]


def test_noqa_in_a_comment_still_suppresses(tmp_path, cli):
    call = CALL.format(model='"gpt-4o-2024-08-06"')
    root = make(tmp_path, {"a.py": call.rstrip("\n") + "  # noqa: TKL101\n",
                           "b.py": call.rstrip("\n") + "  # NOQA\n",
                           "c.py": call.rstrip("\n") + "  # noqa: TKL2\n"})
    r = cli(root, "check", "--no-cache", "--select", "TKL101", ".")
    assert [line.split(":")[0] for line in r.stdout.splitlines() if "TKL101" in line] == ["c.py"]


def test_a_baseline_entry_hides_only_the_code_and_path_it_names(tmp_path, cli):
    root = make(tmp_path, {"app.py": CALL.format(model='"gpt-4o-2024-08-06"')})
    base = tmp_path / "baseline.json"
    assert cli(root, "check", "--no-cache", "--select", "TKL101", "--write-baseline", str(base), ".").exit_code == 0
    assert cli(root, "check", "--no-cache", "--select", "TKL101", "--baseline", str(base), ".").exit_code == 0
    doc = json.loads(base.read_text())
    for field, value in (("path", "docs/old_example.py"), ("code", "TKL999")):
        forged = {**doc, "findings": [{**e, field: value} for e in doc["findings"]]}
        base.write_text(json.dumps(forged))
        r = cli(root, "check", "--no-cache", "--select", "TKL101", "--baseline", str(base), ".")
        assert r.exit_code == 1 and "app.py:4:12: TKL101" in r.stdout, field
    base.write_text(json.dumps({**doc, "findings": [{"fingerprint": e["fingerprint"]} for e in doc["findings"]]}))
    r = cli(root, "check", "--no-cache", "--baseline", str(base), ".")
    assert r.exit_code == 2 and "'code' and a 'path'" in r.stderr


# ------------------------------------------------------------------ the escaping itself


def test_inline_escapes_every_line_break_and_control():
    from tokenlint.report.safe import inline

    assert inline("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert inline("x\u2028y\u0085z\x1b[0m\u202e\ufeff\uffff") == "x\ufffdy\ufffdz\ufffd[0m\ufffd\ufffd\ufffd"
    assert inline(os.fsdecode(b"caf\xe9.py")) == "caf\\xe9.py"
    assert inline("plain/path.py") == "plain/path.py"
    inline("\udcff\ud800").encode("utf-8")  # always encodable


def test_error_lines_quote_paths_inert(tmp_path, cli):
    folder = tmp_path / "pkg\n::error::forged"
    make(folder, {"a.py": "x = 1\n"}, pyproject="[tool.tokenlint]\nselect = 3\n")
    r = cli(folder, "check", "--no-cache", ".")
    assert r.exit_code == 2 and "tokenlint: error:" in r.stderr and "pkg\\n::error::forged" in r.stderr
    _assert_inert(r.stderr, "stderr")
