"""Reported paths are the working directory's (as ruff prints them): `tokenlint check svc` from a
monorepo's root prints `svc/app.py:7:12`, so the terminal opens it, `git apply` takes the diff and
GitHub / GitLab / SARIF annotations land on the repository's file; fingerprints do not change."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tokenlint.report.where import shown_paths

LLM = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI()


    def ask(question):
        return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": question}])
''')


def _monorepo(tmp_path: Path) -> Path:
    svc = tmp_path / "services" / "svc"
    (svc / "app").mkdir(parents=True)
    (svc / "pyproject.toml").write_text("[tool.tokenlint]\nselect = ['TKL101']\nattribution = ['helicone']\n",
                                        encoding="utf-8")
    (svc / "app" / "views.py").write_text(LLM, encoding="utf-8")
    return svc


# ------------------------------------------------------------------ the mapping


def test_a_project_below_the_working_directory_is_prefixed(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert shown_paths(tmp_path / "a" / "b", cwd=tmp_path)("app/x.py") == "a/b/app/x.py"


def test_a_working_directory_inside_the_project_is_stripped(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    shown = shown_paths(tmp_path, cwd=tmp_path / "src")
    assert shown("src/pkg/x.py") == "pkg/x.py"
    assert shown("tests/test_x.py") == "tests/test_x.py"  # outside the working directory: as analysed
    assert shown("srcx/y.py") == "srcx/y.py"  # a sibling sharing the prefix's letters is not under it


def test_the_project_root_itself_or_elsewhere_keeps_the_path(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "q").mkdir()
    assert shown_paths(tmp_path / "p", cwd=tmp_path / "p")("app.py") == "app.py"
    assert shown_paths(tmp_path / "p", cwd=tmp_path / "q")("app.py") == "app.py"


# ------------------------------------------------------------------ every format of `check`


def test_text_from_the_monorepo_root_names_files_the_shell_can_open(tmp_path, run):
    _monorepo(tmp_path)
    r = run(tmp_path, "check", "--no-cache", "services/svc")
    assert r.exit_code == 1
    first = r.stdout.splitlines()[0]
    assert first.startswith("services/svc/app/views.py:7:12: TKL101 ")
    assert (tmp_path / first.split(":")[0]).is_file()


def test_text_from_inside_the_project_is_relative_to_there(tmp_path, run):
    svc = _monorepo(tmp_path)
    r = run(svc / "app", "check", "--no-cache", ".")
    assert r.stdout.startswith("views.py:7:12: TKL101 ")


def test_ci_formats_name_the_repository_file(tmp_path, run):
    _monorepo(tmp_path)
    gh = run(tmp_path, "check", "--no-cache", "--format", "github", "services/svc").stdout
    assert gh.startswith("::warning file=services/svc/app/views.py,line=7,")
    gl = json.loads(run(tmp_path, "check", "--no-cache", "--format", "gitlab", "services/svc").stdout)
    assert gl[0]["location"]["path"] == "services/svc/app/views.py"
    sarif = json.loads(run(tmp_path, "check", "--no-cache", "--format", "sarif", "services/svc").stdout)
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc["uri"] == "services/svc/app/views.py"
    junit = run(tmp_path, "check", "--no-cache", "--format", "junit", "services/svc").stdout
    assert 'name="services/svc/app/views.py"' in junit


def test_fingerprints_do_not_depend_on_the_working_directory(tmp_path, run):
    svc = _monorepo(tmp_path)

    def fingerprints(cwd: Path, target: str) -> list[str]:
        doc = json.loads(run(cwd, "check", "--no-cache", "--format", "sarif", target).stdout)
        return [x["partialFingerprints"]["tokenlint/v1"] for x in doc["runs"][0]["results"]]

    assert fingerprints(tmp_path, "services/svc") == fingerprints(svc, ".")
    gl_root = json.loads(run(tmp_path, "check", "--no-cache", "--format", "gitlab", "services/svc").stdout)
    gl_svc = json.loads(run(svc, "check", "--no-cache", "--format", "gitlab", ".").stdout)
    assert [g["fingerprint"] for g in gl_root] == [g["fingerprint"] for g in gl_svc]


def test_a_baseline_written_in_the_project_holds_from_the_monorepo_root(tmp_path, run):
    svc = _monorepo(tmp_path)
    assert run(svc, "check", "--no-cache", "--write-baseline", str(tmp_path / "base.json"), ".").exit_code == 0
    r = run(tmp_path, "check", "--no-cache", "--baseline", "base.json", "services/svc")
    assert r.exit_code == 0, r.stdout


def test_the_diff_applies_from_the_working_directory(tmp_path, run):
    _monorepo(tmp_path)
    r = run(tmp_path, "check", "--diff", "--unsafe-fixes", "services/svc")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "--- a/services/svc/app/views.py"
    assert lines[1] == "+++ b/services/svc/app/views.py"
