"""The command line, end to end: exit codes, output formats, noqa, selection, bad input, config,
`rule` and `inventory`. Projects are built in tmp_path; most runs go through click's CliRunner,
a few through a real `python -m tokenlint` subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Union

import projects
import pytest

from tokenlint import __version__

REPO = Path(__file__).resolve().parent.parent

HEADER = "from openai import OpenAI\n\nclient = OpenAI()\n"

TAGGED = HEADER + '\nclient.chat.completions.create(model="gpt-4o", messages=[], extra_headers={"Helicone-Property-Feature": "x"})\n'

# the call starts on line 7, column 12 (after "    resp = ")
UNTAGGED = HEADER + (
    "\n"
    "\n"
    "def ask(question):\n"
    '    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])\n'
    "    return resp\n"
)
UNTAGGED_LINE, UNTAGGED_COL = 7, 12


# These tests are about the command line's plumbing, shown with TKL101; the other rules have their own.
ONLY_TKL101 = '[tool.tokenlint]\nselect = ["TKL101"]\nattribution = ["helicone"]\n'


def make(root: Path, files: dict[str, Union[str, bytes]], pyproject: str = ONLY_TKL101) -> Path:
    return projects.make(root, files, pyproject)


def codes(stdout: str) -> list[str]:
    return [json_f["code"] for json_f in json.loads(stdout)]


# ------------------------------------------------------------------ exit codes


def test_clean_project_exits_0_and_says_so(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 0, r.output
    assert "TKL" not in r.stdout
    assert "All checks passed (1 file checked)." in r.stdout


def test_untagged_call_exits_1(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 1
    assert "TKL101" in r.stdout
    assert "Found 1 finding in 1 file checked." in r.stdout


def test_no_paths_means_current_directory(tmp_path, run):
    make(tmp_path, {"pkg/app.py": UNTAGGED})
    r = run(tmp_path, "check")
    assert r.exit_code == 1
    assert r.stdout.startswith(f"pkg/app.py:{UNTAGGED_LINE}:{UNTAGGED_COL}: TKL101 ")


def test_unknown_path_exits_2_with_one_line_error(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED})
    r = run(tmp_path, "check", "does_not_exist.py")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert "does_not_exist.py" in lines[0]
    assert "Traceback" not in r.output
    assert r.stdout == ""


def test_unknown_second_path_exits_2(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "app.py", "nowhere/else.py")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "nowhere/else.py" in r.stderr
    assert "TKL101" not in r.stdout  # nothing is reported from a run that failed


def test_unknown_path_via_subprocess_has_no_traceback(tmp_path):
    make(tmp_path, {"app.py": TAGGED})
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "check", "missing_dir"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == ["tokenlint: error: missing_dir: no such file or directory"]


@pytest.mark.parametrize("opt", ["--select", "--ignore", "--extend-select"])
def test_unknown_rule_selector_exits_2(tmp_path, run, opt):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", opt, "TKL999", ".")
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1
    assert "TKL999" in r.stderr
    assert "TKL101" not in r.stdout


def test_exit_zero_reports_findings_but_exits_0(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--exit-zero", ".")
    assert r.exit_code == 0
    assert f"app.py:{UNTAGGED_LINE}:{UNTAGGED_COL}: TKL101" in r.stdout
    assert "Found 1 finding" in r.stdout


# ------------------------------------------------------------------ output formats


def test_text_line_format_has_exact_position(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--quiet", ".")
    assert r.exit_code == 1
    assert r.stdout == (f"app.py:{UNTAGGED_LINE}:{UNTAGGED_COL}: TKL101 LLM call to openai chat.completions "
                        "has no 'feature' attribution tag\n")


def test_text_column_counts_characters_not_bytes(tmp_path, run):
    src = HEADER + 'label = "héllo→"; r = client.chat.completions.create(model="gpt-4o", messages=[])\n'
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", "-q", ".")
    col = src.splitlines()[3].index("client.chat") + 1
    assert col == 23
    assert r.stdout.startswith(f"app.py:4:{col}: TKL101 ")


def test_text_paths_are_relative_and_findings_sorted(tmp_path, run):
    make(tmp_path, {"zeta.py": UNTAGGED, "alpha/mod.py": UNTAGGED, "beta.py": UNTAGGED})
    r = run(tmp_path, "check", "-q", str(tmp_path))
    assert r.exit_code == 1
    files = [line.split(":", 1)[0] for line in r.stdout.splitlines()]
    assert files == ["alpha/mod.py", "beta.py", "zeta.py"]


def test_json_output_shape(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 1
    data = json.loads(r.stdout)  # the summary line is not mixed into JSON
    assert isinstance(data, list) and len(data) == 1
    f = data[0]
    assert {"code", "message", "filename", "location", "end_location", "fix"} <= set(f)
    assert f["code"] == "TKL101"
    assert f["filename"] == "app.py"
    assert f["location"] == {"row": UNTAGGED_LINE, "column": UNTAGGED_COL}
    line = UNTAGGED.splitlines()[UNTAGGED_LINE - 1]
    assert f["end_location"] == {"row": UNTAGGED_LINE, "column": len(line) + 1}
    # the fix, in ruff's shape: unsafe, one insertion just before the closing parenthesis
    assert f["fix"]["applicability"] == "unsafe"
    (edit,) = f["fix"]["edits"]
    assert edit["location"] == edit["end_location"] == {"row": UNTAGGED_LINE, "column": len(line)}
    assert edit["content"] == ', extra_headers={"Helicone-Property-Feature": "app-ask"}'
    assert "feature" in f["message"]


def test_json_output_for_clean_project_is_empty_list(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == []


def test_json_multiline_call_end_location(tmp_path, run):
    src = HEADER + "client.chat.completions.create(\n    model=\"gpt-4o\",\n    messages=[],\n)\n"
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", "--format", "json", ".")
    (f,) = json.loads(r.stdout)
    assert f["location"] == {"row": 4, "column": 1}
    assert f["end_location"] == {"row": 7, "column": 2}


def test_check_output_file(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    out = tmp_path / "report.json"
    r = run(tmp_path, "check", "--format", "json", "--output", str(out), "app.py")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert [f["code"] for f in json.loads(out.read_text(encoding="utf-8"))] == ["TKL101"]


# ------------------------------------------------------------------ noqa


@pytest.mark.parametrize("comment, suppressed", [
    ("# noqa: TKL101", True),
    ("# noqa:TKL101", True),
    ("# noqa", True),
    ("# NOQA", True),
    ("# noqa: E501, TKL101", True),
    ("# noqa: TKL999", False),
    ("# noqa: E501", False),
    ("# a plain comment", False),
])
def test_noqa(tmp_path, run, comment, suppressed):
    src = HEADER + f'client.chat.completions.create(model="gpt-4o", messages=[])  {comment}\n'
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert codes(r.stdout) == ([] if suppressed else ["TKL101"])
    assert r.exit_code == (0 if suppressed else 1)


def test_noqa_on_last_line_of_multiline_call(tmp_path, run):
    src = HEADER + "client.chat.completions.create(\n    model=\"gpt-4o\",\n    messages=[],\n)  # noqa: TKL101\n"
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 0, r.stdout


def test_noqa_on_another_line_does_not_suppress(tmp_path, run):
    src = HEADER + "# noqa: TKL101\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n"
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert [(f["code"], f["location"]["row"]) for f in json.loads(r.stdout)] == [("TKL101", 5)]


@pytest.mark.parametrize("separator", ["\x0c\n", "# page \u2028 break\n"], ids=["form-feed", "line-separator"])
def test_noqa_after_form_feed_or_line_separator(tmp_path, run, separator):
    src = ("from openai import OpenAI\n" + separator + "client = OpenAI()\n"
           'client.chat.completions.create(model="gpt-4o", messages=[])  # noqa: TKL101\n')
    make(tmp_path, {"app.py": src})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert json.loads(r.stdout) == []
    assert r.exit_code == 0


# ------------------------------------------------------------------ --select / --ignore


def test_ignore_rule_gives_exit_0(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--ignore", "TKL101", ".")
    assert r.exit_code == 0
    assert "TKL101" not in r.stdout


@pytest.mark.parametrize("sel", ["TKL101", "TKL1", "TKL", "ALL", "tkl101", "untagged-llm-call"])
def test_select_by_code_prefix_or_name(tmp_path, run, sel):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", "--select", sel, ".")
    assert "TKL101" in codes(r.stdout)
    if sel in ("TKL", "ALL"):  # every rule: the model rules report "gpt-4o" too (retiring: TKL203, not TKL201)
        assert {"TKL202", "TKL203"} <= set(codes(r.stdout))
    else:
        assert codes(r.stdout) == ["TKL101"]
    assert r.exit_code == 1


def test_ignore_prefix_beats_select(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", "--select", "TKL", "--ignore", "TKL1", ".")
    assert r.exit_code == 1
    assert codes(r.stdout) and not [c for c in codes(r.stdout) if c.startswith("TKL1")]


def test_ignore_does_not_hide_parse_errors(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED, "broken.py": "import openai\ndef f(:\n"})
    r = run(tmp_path, "check", "--format", "json", "--ignore", "TKL101", ".")
    assert codes(r.stdout) == ["TKL000"]
    assert r.exit_code == 1


# ------------------------------------------------------------------ bad input


def test_syntax_error_is_tkl000_and_run_goes_on(tmp_path, run):
    make(tmp_path, {"a_broken.py": "import openai\ndef f(:\n    pass\n", "b_good.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(f["filename"], f["code"]) for f in data] == [("a_broken.py", "TKL000"), ("b_good.py", "TKL101")]
    broken = data[0]
    assert "syntax error" in broken["message"]
    assert broken["location"] == {"row": 2, "column": 7}
    assert data[1]["location"] == {"row": UNTAGGED_LINE, "column": UNTAGGED_COL}


def test_syntax_error_text_output(tmp_path, run):
    make(tmp_path, {"broken.py": "import openai\nx = 1\ny = (\n", "good.py": UNTAGGED})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith("broken.py:3:")
    assert "TKL000 syntax error" in lines[0]
    assert lines[1].startswith(f"good.py:{UNTAGGED_LINE}:{UNTAGGED_COL}: TKL101 ")
    assert lines[2] == "Found 2 findings in 2 files checked."
    assert r.stderr == ""


def test_summary_counts_files_with_findings_and_names_the_fix_command(tmp_path, run):
    # every TKL101 fix is unsafe: the summary must not say "more" fixes when `--fix` alone fixes none,
    # and must name the whole command (`--unsafe-fixes` alone does nothing)
    make(tmp_path, {"a.py": UNTAGGED, "b.py": TAGGED, "c.py": "x = 1\n"})
    lines = run(tmp_path, "check", ".").stdout.splitlines()
    assert lines[1:] == ["Found 1 finding in 1 of 3 files checked.",
                         "(1 fix available with `--fix --unsafe-fixes`; `--diff --unsafe-fixes` shows them first.)"]
    lines = run(tmp_path, "check", "--unsafe-fixes", ".").stdout.splitlines()
    assert lines[0].split(": ")[1].startswith("TKL101 [*] ")
    assert lines[2] == "[*] 1 fixable with `--fix --unsafe-fixes`."
    assert run(tmp_path, "check", "--fix", "--unsafe-fixes", ".").stdout.splitlines() == [
        "Fixed 1 finding.", "All checks passed (3 files checked)."]


def test_summary_says_how_many_findings_the_baseline_hides(tmp_path, run):
    make(tmp_path, {"a.py": UNTAGGED})
    assert run(tmp_path, "check", "--write-baseline", "b.json", ".").exit_code == 0
    make(tmp_path, {"new.py": UNTAGGED.replace("def ask", "def other")})
    r = run(tmp_path, "check", "--baseline", "b.json", ".")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[1:3] == ["Found 1 finding in 1 of 2 files checked.",
                                          "(1 finding in the baseline not shown.)"]


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbfx = (\"abc\", :)\n",
    "# -*- coding: latin-1 -*-\nx = (\"\u00e9\u00e9\u00e9\", :)\n".encode("latin-1"),
], ids=["utf8-bom", "latin-1-cookie"])
def test_syntax_error_column_with_bom_or_coding_cookie(tmp_path, run, content):
    make(tmp_path, {"broken.py": content})
    r = run(tmp_path, "check", "--format", "json", "broken.py")  # named: always parsed
    (f,) = json.loads(r.stdout)
    assert f["code"] == "TKL000"
    assert "syntax error" in f["message"]
    # the ':' after the 3-character string, as Python reports it for the decoded text
    assert f["location"]["column"] == 13


def test_null_byte_is_tkl000(tmp_path, run):
    make(tmp_path, {"nul.py": b"x = 1\x00\ny = 2\n", "good.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(f["filename"], f["code"]) for f in data] == [("good.py", "TKL101"), ("nul.py", "TKL000")]
    assert "null byte" in data[1]["message"]


@pytest.mark.parametrize("content, where", [
    (b'x = "\xff\xfe"\n', None),
    (b"x = 1\ny = 2\nz = '\xc3\x28'\n", "line 3"),
], ids=["first-line", "third-line"])
def test_invalid_utf8_is_tkl000(tmp_path, run, content, where):
    make(tmp_path, {"latin.py": content, "good.py": UNTAGGED})
    r = run(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [(f["filename"], f["code"]) for f in data] == [("good.py", "TKL101"), ("latin.py", "TKL000")]
    assert "decode" in data[1]["message"]
    if where:
        assert where in data[1]["message"]
    assert "Traceback" not in r.output


def test_coding_cookie_is_honoured(tmp_path, run):
    src = ("# -*- coding: latin-1 -*-\n" + HEADER
           + 'label = "\xe9t\xe9"; client.chat.completions.create(model="gpt-4o", messages=[])\n')
    make(tmp_path, {"app.py": src.encode("latin-1")})
    r = run(tmp_path, "check", "--format", "json", ".")
    (f,) = json.loads(r.stdout)
    assert f["code"] == "TKL101"
    assert f["location"] == {"row": 5, "column": 16}


def test_empty_file_has_no_finding(tmp_path, run):
    make(tmp_path, {"empty.py": ""})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 0
    assert "All checks passed (1 file checked)." in r.stdout


def test_bad_input_in_inventory_goes_to_stderr(tmp_path, run):
    make(tmp_path, {"broken.py": "from openai import OpenAI\ndef f(:\n", "good.py": UNTAGGED})
    r = run(tmp_path, "inventory", "--format", "json", ".")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["summary"]["files_with_errors"] == 1
    assert data["summary"]["files_analysed"] == 2
    assert [s["path"] for s in data["call_sites"]] == ["good.py"]
    (line,) = r.stderr.splitlines()
    assert line.startswith("broken.py:2:")
    assert "TKL000 syntax error" in line


def test_inventory_reports_parse_errors_where_check_does(tmp_path, run):
    make(tmp_path, {"broken.py": "import litellm\ny = [1, 2\n"})
    checked = run(tmp_path, "check", "-q", ".").stdout.strip()
    assert checked.startswith("broken.py:2:5: TKL000 ")
    assert run(tmp_path, "inventory", ".").stderr.strip() == checked


# ------------------------------------------------------------------ configuration


def test_unknown_config_key_exits_2_naming_key_and_file(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED}, pyproject='[tool.tokenlint]\nselectt = ["TKL"]\n')
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert "'selectt'" in line
    assert str(tmp_path / "pyproject.toml") in line
    assert r.stdout == ""


def test_config_wrong_type_exits_2_naming_key(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED}, pyproject="[tool.tokenlint]\nselect = 3\n")
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert "'select'" in line
    assert "pyproject.toml" in line


@pytest.mark.parametrize("body, key", [
    ("respect-gitignore = \"yes\"", "respect-gitignore"),
    ("feature-key = \"\"", "feature-key"),
    ("per-file-ignores = [\"x\"]", "per-file-ignores"),
    ("exclude = [1, 2]", "exclude"),
])
def test_config_other_wrong_types(tmp_path, run, body, key):
    make(tmp_path, {"app.py": TAGGED}, pyproject=f"[tool.tokenlint]\n{body}\n")
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1
    assert f"'{key}'" in r.stderr


@pytest.mark.parametrize("key, pattern", [("exclude", "odd\\"), ("extend-exclude", "[z-a]*.py")])
def test_config_exclude_pattern_that_cannot_compile_exits_2_naming_it(tmp_path, run, key, pattern):
    # a .gitignore line git cannot read is skipped; the user's own exclude list is not (it would
    # silently exclude nothing): one line naming the file, the key and the pattern
    make(tmp_path, {"app.py": TAGGED, "gen/x.py": TAGGED}, pyproject=f"[tool.tokenlint]\n{key} = ['gen/', '{pattern}']\n")
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert str(tmp_path / "pyproject.toml") in line and f"'{key}'" in line
    assert repr(pattern) in line
    assert "Traceback" not in r.output and r.stdout == ""


def test_invalid_toml_exits_2(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED}, pyproject="[tool.tokenlint\nselect = [\n")
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    assert "invalid TOML" in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize("body, where", [
    ('ignore = ["TKL9"]', "'ignore'"),
    ('per-file-ignores = { "tests/*" = ["TKL101", "TKL9"] }', "'per-file-ignores' \"tests/*\""),
])
def test_unknown_selector_in_config_exits_2_naming_file_and_key(tmp_path, run, body, where):
    make(tmp_path, {"app.py": UNTAGGED}, pyproject=f'[tool.tokenlint]\n{body}\n')
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 2
    assert r.stderr == (f"tokenlint: error: {tmp_path / 'pyproject.toml'}: unknown rule selector 'TKL9' in {where} "
                        "of [tool.tokenlint] (see `tokenlint rule --all`)\n")


def test_help_lists_commands_without_cutting_their_summaries(run, tmp_path):
    out = run(tmp_path, "--help").stdout
    commands = out.split("Commands:\n", 1)[1].splitlines()
    assert len(commands) == 8 and not any(line.endswith("...") for line in commands)
    check = run(tmp_path, "check", "--help").stdout
    assert "--diff-base REF" in check and "--today DATE" in check and "Exit codes: 0" in check
    assert "--format [text|json|sarif|github|gitlab|junit]\n" in check and "(annotations)" in check
    inventory = run(tmp_path, "inventory", "--help").stdout
    assert inventory.rstrip().endswith("-h, --help                      Show this message and exit.")


def test_rule_all_lists_rules_under_a_header(run, tmp_path):
    r = run(tmp_path, "rule", "--all")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "fix", "default"]
    assert lines[1].split() == ["TKL101", "untagged-llm-call", "unsafe", "on"]


def test_config_error_also_stops_inventory(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED}, pyproject="[tool.tokenlint]\nwhatever = true\n")
    r = run(tmp_path, "inventory", ".")
    assert r.exit_code == 2
    assert "'whatever'" in r.stderr


def test_config_option_missing_file_exits_2(tmp_path, run):
    make(tmp_path, {"app.py": TAGGED})
    r = run(tmp_path, "check", "--config", "nope.toml", ".")
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert "nope.toml" in line


def test_config_option_dedicated_file_with_top_level_keys(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED, "tokenlint.toml": 'select = ["TKL101"]\nignore = ["TKL101"]\n'})
    assert run(tmp_path, "check", ".").exit_code == 1
    r = run(tmp_path, "check", "--config", "tokenlint.toml", ".")
    assert r.exit_code == 0, r.output


def test_config_option_replaces_pyproject(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED, "ci.toml": "[tool.tokenlint]\nselect = [\"TKL101\"]\n"},
         pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nignore = ["TKL101"]\n')
    assert run(tmp_path, "check", ".").exit_code == 0
    assert run(tmp_path, "check", "--config", "ci.toml", ".").exit_code == 1


def test_config_found_from_subdirectory(tmp_path, run):
    make(tmp_path, {"pkg/app.py": UNTAGGED}, pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nignore = ["TKL"]\n')
    r = run(tmp_path / "pkg", "check", ".")
    assert r.exit_code == 0, r.output


def test_per_file_ignores(tmp_path, run):
    make(tmp_path, {"scripts/oneoff.py": UNTAGGED, "app/main.py": UNTAGGED},
         pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nper-file-ignores = { "scripts/*" = ["TKL101"] }\n')
    r = run(tmp_path, "check", "--format", "json", ".")
    assert [f["filename"] for f in json.loads(r.stdout)] == ["app/main.py"]
    assert r.exit_code == 1


def test_per_file_ignores_by_prefix_and_basename(tmp_path, run):
    make(tmp_path, {"pkg/legacy.py": UNTAGGED, "pkg/new.py": UNTAGGED},
         pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nper-file-ignores = { "legacy.py" = ["TKL1"] }\n')
    r = run(tmp_path, "check", "--format", "json", ".")
    assert [f["filename"] for f in json.loads(r.stdout)] == ["pkg/new.py"]


TEAM = HEADER + 'client.chat.completions.create(model="gpt-4o", messages=[], metadata={"team": "search"})\n'


def test_feature_key_from_config(tmp_path, run):
    make(tmp_path, {"app.py": TEAM})
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 1
    assert "no 'feature' attribution tag" in r.stdout

    (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\nfeature-key = "team"\n', encoding="utf-8")
    r = run(tmp_path, "check", ".")
    assert r.exit_code == 0, r.output

    r = run(tmp_path, "inventory", "--format", "json", ".")
    (site,) = json.loads(r.stdout)["call_sites"]
    assert site["feature"] == "search"


def test_feature_key_changes_the_message(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED}, pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nfeature-key = "team"\n')
    r = run(tmp_path, "check", "-q", ".")
    assert "has no 'team' attribution tag" in r.stdout


def test_feature_key_option_overrides_config(tmp_path, run):
    make(tmp_path, {"app.py": TEAM}, pyproject='[tool.tokenlint]\nselect = ["TKL101"]\nfeature-key = "feature"\n')
    assert run(tmp_path, "check", ".").exit_code == 1
    assert run(tmp_path, "check", "--feature-key", "team", ".").exit_code == 0


# ------------------------------------------------------------------ rule, version


def test_rule_page(tmp_path, run):
    r = run(tmp_path, "rule", "TKL101")
    assert r.exit_code == 0
    assert r.stdout.startswith("# untagged-llm-call (TKL101)\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in r.stdout


def test_rule_page_matches_checked_in_docs(tmp_path, run):
    r = run(tmp_path, "rule", "untagged-llm-call")
    assert r.exit_code == 0
    assert r.stdout == (REPO / "rules" / "TKL101.md").read_text(encoding="utf-8")



def test_unknown_rule_exits_2(tmp_path, run):
    r = run(tmp_path, "rule", "TKL999")
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1
    assert "TKL999" in r.stderr


def test_version_via_python_m():
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "--version"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"tokenlint, version {__version__}"


def test_check_via_python_m_subprocess(tmp_path):
    make(tmp_path, {"app.py": UNTAGGED, "ok.py": TAGGED})
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "check", "--format", "json", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [(f["filename"], f["location"]["row"], f["location"]["column"]) for f in data] == [
        ("app.py", UNTAGGED_LINE, UNTAGGED_COL)]


def test_python_m_ends_with_the_status_and_the_whole_output(tmp_path):
    # `python -m tokenlint` ends without freeing the heap (cli.run): what it printed is all there,
    # through a pipe too, and the status is the command's
    make(tmp_path, {f"app{i}.py": UNTAGGED for i in range(150)})
    # this checkout's tokenlint, whichever one the environment has installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                                    os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "check", "--format", "json", "--no-cache", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)) == 150
    usage = subprocess.run([sys.executable, "-m", "tokenlint", "check", "--no-such-option"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120, env=env)
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr


@pytest.mark.parametrize("code, status, printed", [(None, 0, ""), (0, 0, ""), (1, 1, ""), (2, 2, ""),
                                                   (256, 0, ""), ("bad config", 1, "bad config\n")])
def test_run_exits_as_sys_exit_would(monkeypatch, capsys, code, status, printed):
    import atexit

    import tokenlint.cli as cli

    def fake_main():
        raise SystemExit(code)

    ran: list[str] = []
    exited: list[int] = []
    # (this process's own exit handlers are not run: the fake records that they would be)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: ran.append("handlers"))
    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(os, "_exit", exited.append)
    cli.run()
    assert exited == [status]
    assert ran == ["handlers"]  # the exit handlers ran before the process ended
    assert capsys.readouterr().err == printed


# ------------------------------------------------------------------ inventory


SITE_KEYS = {"id", "path", "line", "column", "end_line", "end_column", "provider", "sdk", "api", "kind",
             "confidence", "function", "class", "model", "feature", "async", "stream", "in_loop"}

INVENTORY_APP = {
    "app/tagged.py": TAGGED,
    "app/views.py": UNTAGGED,
    "app/batch.py": HEADER + (
        "\n"
        "async def run_all(items):\n"
        "    for item in items:\n"
        '        await client.chat.completions.create(model="gpt-4o-mini", messages=[], stream=True,\n'
        '                                             extra_headers={"Helicone-Property-Feature": "batch"})\n'),
}


def test_inventory_json(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", "--format", "json", ".")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {"tokenlint_version", "root", "call_sites", "features", "summary"} <= set(data)
    assert data["tokenlint_version"] == __version__
    assert Path(data["root"]) == tmp_path.absolute()
    sites = data["call_sites"]
    assert len(sites) == 3
    for s in sites:
        assert SITE_KEYS <= set(s), SITE_KEYS - set(s)
    by_path = {s["path"]: s for s in sites}
    assert set(by_path) == {"app/tagged.py", "app/views.py", "app/batch.py"}

    views = by_path["app/views.py"]
    assert (views["line"], views["column"]) == (UNTAGGED_LINE, UNTAGGED_COL)
    assert views["provider"] == "openai" and views["api"] == "chat.completions"
    assert views["function"] == "ask" and views["class"] is None
    assert views["model"]["value"] == "gpt-4o"
    assert views["feature"] is None
    assert (views["async"], views["stream"], views["in_loop"]) == (False, False, False)

    batch = by_path["app/batch.py"]
    assert batch["feature"] == "batch"
    assert (batch["async"], batch["stream"], batch["in_loop"]) == (True, True, True)
    assert (batch["line"], batch["column"], batch["end_line"]) == (7, 15, 8)
    assert by_path["app/tagged.py"]["feature"] == "x"

    assert data["summary"]["call_sites"] == 3
    assert data["summary"]["untagged"] == 1
    assert data["summary"]["files_analysed"] == 3
    assert sorted(f["feature"] for f in data["features"] if f["feature"]) == ["batch", "x"]


def test_inventory_csv(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", "--format", "csv", ".")
    assert r.exit_code == 0
    rows = list(csv.reader(io.StringIO(r.stdout)))
    header = rows[0]
    assert header[:18] == ["id", "path", "line", "column", "end_line", "end_column", "provider", "sdk", "api",
                           "kind", "confidence", "function", "class", "model", "feature", "async", "stream",
                           "in_loop"]
    assert len(rows) == 4
    recs = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    assert recs["app/views.py"]["line"] == str(UNTAGGED_LINE)
    assert recs["app/views.py"]["model"] == "gpt-4o"
    assert recs["app/batch.py"]["async"] == "true"
    assert recs["app/batch.py"]["feature"] == "batch"


def test_inventory_markdown(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", "--format", "markdown", ".")
    assert r.exit_code == 0
    assert r.stdout.startswith("# LLM call-site inventory\n")
    assert "**3** call sites" in r.stdout
    assert "## batch" in r.stdout and "## x" in r.stdout
    assert "| app/views.py:7 ask |" in r.stdout


WRAPPED_APP = {
    "pkg/__init__.py": "",
    "pkg/llm.py": HEADER + '\n\ndef ask(q, feature):\n'
                  '    return client.chat.completions.create(model="gpt-4o", messages=[], extra_headers={"Helicone-Property-Feature": feature})\n',
    "pkg/views.py": 'from pkg.llm import ask\n\nask("hi", feature="faq")\n',
}


def test_inventory_text_names_the_wrapper_and_explains_its_notation(tmp_path, run):
    make(tmp_path, WRAPPED_APP)
    lines = run(tmp_path, "inventory", ".").stdout.splitlines()
    assert lines[1] == "2 call sites (1 direct, 1 through wrappers) in 2 of 3 files; 1 feature; 0 untagged"
    assert "  pkg/views.py:3 <module>  openai chat.completions  gpt-4o (floating) [literal]  (via wrapper ask)" \
        in lines
    legend = lines[lines.index("legend:") + 1:]
    assert [x.split()[0] for x in legend][:3] == ["(forwarded)", "(dynamic)", "via"]


def test_inventory_markdown_where_column_renders_as_written(tmp_path, run):
    # a code span shows `&lt;` literally, so the entity-escaped `<module>` must not sit in one; and
    # `__init__` outside a code span must not turn bold
    make(tmp_path, {**WRAPPED_APP, "pkg/__init__.py": HEADER + 'client.embeddings.create(model="m", input="x")\n'})
    md = run(tmp_path, "inventory", "--format", "markdown", ".").stdout
    assert "| pkg/views.py:3 &lt;module&gt; | openai |" in md
    assert "| pkg/\\_\\_init\\_\\_.py:4 &lt;module&gt; | openai |" in md
    assert "`" not in md.split("## Legend")[0]


def test_inventory_says_when_the_model_is_the_sdk_default(tmp_path, run):
    make(tmp_path, {"app.py": "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI()\n"})
    r = run(tmp_path, "inventory", ".")
    assert "  ChatOpenAI at app.py:3 <module> -- 0 requests; openai gpt-3.5-turbo (floating) [SDK default]" \
        in r.stdout.splitlines()


def test_inventory_text(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", "--format", "text", ".")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == f"tokenlint inventory of {tmp_path.absolute()}"
    assert lines[1].startswith("3 call sites (3 direct, 0 through wrappers) in 3 of 3 files; 2 features; 1 untagged")
    assert any(line.startswith("  app/views.py:7 ask  openai chat.completions") for line in lines)


def test_inventory_default_format_is_text(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    assert run(tmp_path, "inventory", ".").stdout.startswith("tokenlint inventory of ")


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "text"])
def test_inventory_output_file(tmp_path, run, fmt):
    make(tmp_path, INVENTORY_APP)
    out = tmp_path / "out" / f"inventory.{fmt}"
    out.parent.mkdir()
    r = run(tmp_path, "inventory", "--format", fmt, "--output", str(out), ".")
    assert r.exit_code == 0
    assert r.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert written == run(tmp_path, "inventory", "--format", fmt, ".").stdout
    if fmt == "json":
        assert len(json.loads(written)["call_sites"]) == 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_an_output_that_is_a_pipe_or_device_is_written_to_not_replaced(tmp_path, run):
    """`-o /dev/null` (the benchmark's) or a named pipe: the report goes into it; the path stays a
    pipe or device (renaming a file over /dev/null as root had made it a plain file machine-wide)."""
    import stat
    import threading

    make(tmp_path, INVENTORY_APP)
    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    r = run(tmp_path, "inventory", "--format", "json", "--output", str(pipe), ".")
    reader.join(30)
    assert r.exit_code == 0, r.output
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert len(json.loads(got[0])["call_sites"]) == 3


def test_inventory_output_to_missing_directory_exits_2(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", "--output", str(tmp_path / "no" / "such" / "dir" / "inv.json"), ".")
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1
    assert "cannot write" in r.stderr


def test_inventory_unknown_path_exits_2(tmp_path, run):
    make(tmp_path, INVENTORY_APP)
    r = run(tmp_path, "inventory", ".", "ghost")
    assert r.exit_code == 2
    assert "ghost" in r.stderr


def test_directory_run_parses_only_files_that_can_hold_a_call(tmp_path, run):
    """The byte prefilter: a broken file that names no LLM SDK is not parsed in a folder run
    (it cannot hold a call site), but it is when named, as pre-commit names changed files."""
    make(tmp_path, {"notes.py": "def f(:\n", "good.py": UNTAGGED})
    folder = run(tmp_path, "check", "--format", "json", ".")
    assert [f["code"] for f in json.loads(folder.stdout)] == ["TKL101"]
    named = run(tmp_path, "check", "--format", "json", "notes.py", "good.py")
    assert [f["code"] for f in json.loads(named.stdout)] == ["TKL101", "TKL000"]


def test_clean_removes_the_cache_and_only_a_tokenlint_cache(tmp_path, run):
    make(tmp_path, {"app.py": "x = 1\n"})
    r = run(tmp_path, "check", ".")
    cache = tmp_path / ".tokenlint_cache"
    assert r.exit_code == 0 and cache.is_dir()
    r = run(tmp_path, "clean")
    assert r.exit_code == 0 and "removed" in r.stdout and not cache.exists()
    assert "no cache" in run(tmp_path, "clean").stdout
    # a cache-dir pointing at a folder tokenlint did not create is never removed
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("precious", encoding="utf-8")
    r = run(tmp_path, "clean", "--cache-dir", "data")
    assert r.exit_code == 2 and "not a tokenlint cache" in r.stderr
    assert (tmp_path / "data" / "keep.txt").read_text(encoding="utf-8") == "precious"


def test_inventory_subcommand_help_is_the_subcommands(tmp_path, run):
    compare = run(tmp_path, "inventory", "compare", "--help")
    assert compare.exit_code == 0 and "Usage: tokenlint inventory compare" in compare.stdout
    merge = run(tmp_path, "inventory", "merge", "-h")
    assert merge.exit_code == 0 and "Usage: tokenlint inventory merge" in merge.stdout
    own = run(tmp_path, "inventory", "--help")
    assert own.exit_code == 0 and " inventory [OPTIONS] [PATHS]" in own.stdout and "--format" in own.stdout


def test_empty_diff_says_why(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED, "ok.py": TAGGED})
    r = run(tmp_path, "check", "--diff", ".")  # the TKL101 fix is unsafe
    assert (r.exit_code, r.stdout) == (0, "")
    assert r.stderr == "No fixes to show: 1 unsafe fix shown with --diff --unsafe-fixes.\n"
    r = run(tmp_path, "check", "--diff", "--unsafe-fixes", "ok.py")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "No fixes to show.\n")
    assert run(tmp_path, "check", "--diff", "--unsafe-fixes", ".").stdout.startswith("--- a/app.py\n")


def test_statistics_with_another_format_is_a_usage_error(tmp_path, run):
    make(tmp_path, {"app.py": UNTAGGED})
    r = run(tmp_path, "check", "--statistics", "--format", "json", ".")
    assert r.exit_code == 2
    assert r.stderr == "tokenlint: error: --statistics prints a text table; it cannot be written as --format json\n"


def test_inventory_untagged_count_explains_calls_that_spend_nothing(tmp_path, run):
    # count_tokens costs nothing: it is listed, but not counted as untagged spend
    make(tmp_path, {"app.py": "import anthropic\n\nc = anthropic.Anthropic()\n"
                              'c.messages.create(model="claude-sonnet-5", max_tokens=1, messages=[])\n'
                              'c.messages.count_tokens(model="claude-sonnet-5", messages=[])\n'})
    lines = run(tmp_path, "inventory", ".").stdout.splitlines()
    assert lines[1].endswith("; 0 features; 1 untagged that spend tokens")
    assert lines[2].startswith("attribution sinks: helicone (configured)")
    assert lines[4].startswith("(untagged): 2 call sites (1 spends no tokens); providers anthropic;")
    md = run(tmp_path, "inventory", "--format", "markdown", ".").stdout
    assert "**1** untagged that spend tokens\n" in md


@pytest.mark.parametrize("qualname, shown", [("pkg.llm.ask", "ask"), ("pkg.llm.Client.ask", "Client.ask"),
                                             ("ask", "ask"), ("pkg.Outer.Inner.ask", "Outer.Inner.ask")])
def test_inventory_shows_the_wrapper_as_its_callers_name_it(qualname, shown):
    from tokenlint.report.inventory import _short

    assert _short(qualname) == shown


def test_a_subprocess_runs_the_tokenlint_of_this_checkout(tmp_path):
    """conftest puts this checkout first on PYTHONPATH, so `python -m tokenlint` in a subprocess
    imports the code under test even where another copy is installed."""
    proc = subprocess.run([sys.executable, "-c", "import tokenlint; print(tokenlint.__file__)"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    here = Path(__file__).resolve().parent.parent
    assert Path(proc.stdout.strip()).resolve() == here / "tokenlint" / "__init__.py"


def test_inventory_says_its_untagged_count_counts_wrapper_sites_apart_from_tkl101(tmp_path, run):
    # the call inside a wrapper without a tag parameter and each call through it are untagged call
    # sites; TKL101 is reported once, at the call inside the wrapper: the header says which it counts
    make(tmp_path, {"pkg/__init__.py": "",
                    "pkg/llm.py": HEADER + '\n\ndef ask(q):\n'
                                  '    return client.chat.completions.create(model="gpt-4o", messages=[q])\n',
                    "pkg/views.py": 'from pkg.llm import ask\n\nask("hi")\nask("ho")\n'})
    header = run(tmp_path, "inventory", ".").stdout.splitlines()[1]
    assert header.endswith("; 3 untagged (call sites of every kind: 1 direct, 2 through wrappers; check's TKL101 "
                           "reports a wrapper's callers only when it takes a tag parameter, and no facade site)")
    found = [x for x in run(tmp_path, "check", ".", "--select", "TKL101").stdout.splitlines() if ": TKL101 " in x]
    assert len(found) == 1
