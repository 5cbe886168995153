"""A name users can install: every install line names pyproject's distribution, and the GitHub
Action's shell steps do what its inputs say (run here with bash, the install step stubbed)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.projects import make

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
DIST = PYPROJECT["project"]["name"]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
CALL = ('from openai import OpenAI\nclient = OpenAI()\n'
        'def ask(q):\n    return client.chat.completions.create(model="gpt-4o-2024-08-06", '
        'messages=[{"role": "user", "content": q}])\n')


def _requirement_name(req: str) -> str:
    return re.split(r"[\[<>=!~; ]", req.strip("'\""), maxsplit=1)[0].lower()


def readme_install_names(text: str) -> list[str]:
    """The distributions every `pip install` in the README's code blocks names (not local paths)."""
    names = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        for m in re.finditer(r"pip install ([^\n&|;]+)", block):
            for word in shlex.split(m.group(1)):
                if word.startswith("-") or word.startswith(".") or "/" in word:
                    continue
                names.append(_requirement_name(word))
    return names


def test_every_readme_install_line_names_the_distribution():
    names = readme_install_names((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(names) >= 3  # the inventory job, the GitHub gate and the GitLab job
    assert set(names) == {DIST}, f"README installs {sorted(set(names))}, pyproject names {DIST}"


def test_the_install_name_check_catches_a_stray_name():
    text = "```yaml\n- run: pip install tokenlint\n- run: pip install -q 'llm-tokenlint[x]>=0.1'\n```\n"
    assert readme_install_names(text) == ["tokenlint", "llm-tokenlint"]


def test_the_distribution_is_not_the_unrelated_pypi_project_and_keeps_the_command():
    assert DIST != "tokenlint"
    assert PYPROJECT["project"]["scripts"]["tokenlint"] == "tokenlint.cli:run"
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks and all(h["entry"].split()[0] == "tokenlint" and h["language"] == "python" for h in hooks)


def test_the_readme_uses_the_action_of_the_repository_pre_commit_installs_from():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    repo = re.search(r"- repo: https://github.com/([\w-]+/[\w-]+)", text).group(1)
    uses = re.findall(r"uses: ([\w-]+/[\w-]+)@", text)
    assert repo in uses


# ------------------------------------------------------------------ the composite action


def _steps() -> dict[str, dict]:
    return {s.get("id") or s["name"]: s for s in ACTION["runs"]["steps"]}


def _env(step: dict, inputs: dict[str, str]) -> dict[str, str]:
    """The step's environment with `${{ inputs.x }}` replaced as GitHub would (defaults included)."""
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values.update(inputs)
    unknown = set(inputs) - set(ACTION["inputs"])
    assert not unknown, f"not inputs of the action: {unknown}"
    return {k: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
            for k, v in step.get("env", {}).items()}


def run_step(step: dict, inputs: dict[str, str], cwd: Path, path: str, tmp: Path) -> subprocess.CompletedProcess:
    script = tmp / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENLINT", "GITHUB_"))}
    env.update(_env(step, inputs), PATH=path, RUNNER_TEMP=str(tmp), GITHUB_PATH=str(tmp / "github_path"))
    # GitHub's `shell: bash` in a composite action
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _installed_path() -> str:
    """The install step's effect, already done: this environment's console script first on PATH."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def test_no_input_is_pasted_into_a_script():
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_install_step_installs_the_distribution_into_its_own_virtualenv(tmp_path):
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    # a stand-in python: `-m venv DIR` makes DIR/bin/python, itself a stand-in that logs its arguments
    fake = bin_dir / "python"
    fake.write_text(f'#!/bin/sh\necho "$0 $*" >> {log}\nif [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; '
                    f'cp "$0" "$3/bin/python"; fi\n')
    fake.chmod(0o755)
    for version, want in (("", DIST), ("0.1.0", f"{DIST}==0.1.0")):
        log.write_text("")
        (tmp_path / "github_path").write_text("")
        done = run_step(_steps()["install"], {"version": version}, tmp_path, f"{bin_dir}:/usr/bin:/bin", tmp_path)
        assert done.returncode == 0, done.stderr
        calls = log.read_text().splitlines()
        venv = tmp_path / "llm-tokenlint"
        assert calls[0].endswith(f"-m venv {venv}")
        assert calls[1].startswith(f"{venv}/bin/python -m pip install") and calls[1].split()[-1] == want
        assert (tmp_path / "github_path").read_text().strip() == f"{venv}/bin"


@pytest.fixture
def project(tmp_path):
    return make(tmp_path / "proj", {"app.py": CALL, "clean.py": "x = 1\n"})


def test_the_check_step_annotates_writes_sarif_and_fails_on_findings(project, tmp_path):
    done = run_step(_steps()["check"], {"sarif-output": "out.sarif"}, project, _installed_path(), tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::warning file=app.py,line=4,col=12,")
    sarif = json.loads((project / "out.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"TKL101"}


def test_the_check_step_honours_baseline_format_and_args(project, tmp_path):
    subprocess.run([str(Path(sys.executable).parent / "tokenlint"), "check", "--no-cache",
                    "--write-baseline", "base.json"], cwd=project, check=True, capture_output=True)
    ok = run_step(_steps()["check"], {"baseline": "base.json", "format": "json"}, project, _installed_path(), tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout) == [], ok.stderr
    one = run_step(_steps()["check"], {"args": "clean.py --select TKL101", "format": "text"}, project,
                   _installed_path(), tmp_path)
    assert one.returncode == 0 and "All checks passed (1 file checked)." in one.stdout


def test_an_input_is_data_not_shell(project, tmp_path):
    done = run_step(_steps()["check"], {"args": "$(touch pwned) *", "format": "text"}, project, _installed_path(),
                    tmp_path)
    assert done.returncode == 2  # tokenlint was handed the words themselves: no such paths
    assert "$(touch: no such file or directory" in done.stderr
    assert not (project / "pwned").exists()


def test_the_sarif_upload_step_is_the_code_scanning_action_and_runs_only_when_asked():
    upload = _steps()["Upload SARIF"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-output }}"
    assert "always()" in upload["if"] and "inputs.upload-sarif == 'true'" in upload["if"]
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"args", "format", "baseline", "diff-base", "sarif-output", "upload-sarif",
                                     "version"}
