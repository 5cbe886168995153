"""The three uses, with the real tools: flake8, pre-commit, a SARIF schema validator, git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

LLM = textwrap.dedent('''\
    from openai import OpenAI

    client = OpenAI()


    def ask(question):
        return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": question}])
''')
CLEAN = LLM.replace('question}])', 'question}], extra_headers={"Helicone-Property-Feature": "faq"})')


def tokenlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tokenlint", *args], cwd=str(cwd), capture_output=True, text=True,
                          timeout=300)


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=str(cwd), check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture(autouse=True)
def only_tkl101(tmp_path):
    """These tests are about the integrations, shown with TKL101; the other rules have their own tests."""
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\nselect = ['TKL101']\nattribution = ['helicone']\n", encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    git("init", "-q", "-b", "main", cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n[tool.tokenlint]\nselect = ['TKL101']\nattribution = ['helicone']\n",
                                             encoding="utf-8")
    return tmp_path


# ------------------------------------------------------------------ flake8


def test_flake8_reports_what_check_reports(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\nselect = ['TKL101']\nattribution = ['helicone']\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(LLM, encoding="utf-8")
    (tmp_path / "ok.py").write_text(CLEAN, encoding="utf-8")
    f8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "TKL", "app.py", "ok.py"], cwd=str(tmp_path),
                        capture_output=True, text=True, timeout=120)
    tl = tokenlint("check", "-q", "app.py", "ok.py", cwd=tmp_path)
    assert f8.stdout.strip(), f8.stderr
    assert f8.stdout.splitlines() == tl.stdout.splitlines()


def test_flake8_noqa_extend_ignore_and_per_file_ignores(tmp_path):
    (tmp_path / "a.py").write_text(LLM.replace("}])\n", "}])  # noqa: TKL101\n"), encoding="utf-8")
    (tmp_path / "b.py").write_text(LLM, encoding="utf-8")
    (tmp_path / "c.py").write_text(LLM, encoding="utf-8")

    def f8(*extra: str) -> list[str]:
        out = subprocess.run([sys.executable, "-m", "flake8", "--select", "TKL", *extra, "a.py", "b.py", "c.py"],
                             cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
        return sorted(line.split(":")[0] for line in out.stdout.splitlines())

    assert f8() == ["b.py", "c.py"]
    assert f8("--extend-ignore", "TKL101") == []
    assert f8("--per-file-ignores", "c.py:TKL101") == ["b.py"]


def test_flake8_resolves_a_client_from_another_module(tmp_path):
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "llm.py").write_text("from anthropic import Anthropic\nclient = Anthropic()\n", encoding="utf-8")
    (pkg / "views.py").write_text(
        "from app.llm import client\n\n\ndef reply(text):\n"
        "    return client.messages.create(model='claude-sonnet-5', max_tokens=9, messages=[])\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\nselect = ['TKL101']\nattribution = ['helicone']\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "flake8", "--select", "TKL", "app/views.py"], cwd=str(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert out.stdout.startswith("app/views.py:5:12: TKL101 LLM call to anthropic messages")


# ------------------------------------------------------------------ SARIF and the other formats


def test_sarif_validates_against_the_official_schema(tmp_path, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    (tmp_path / "app.py").write_text(LLM, encoding="utf-8")
    (tmp_path / "broken.py").write_text("import openai\ndef f(:\n", encoding="utf-8")
    r = tokenlint("check", "--format", "sarif", ".", cwd=tmp_path)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = doc["runs"][0]
    results = run["results"]
    assert {x["ruleId"] for x in results} == {"TKL000", "TKL101"}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["TKL101"]["helpUri"].endswith("rules/TKL101.md")
    assert "## Why is this bad?" in rules["TKL101"]["help"]["markdown"]
    tkl101 = next(x for x in results if x["ruleId"] == "TKL101")
    assert tkl101["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert len(tkl101["partialFingerprints"]["tokenlint/v1"]) == 32


def test_fingerprints_survive_moved_lines(tmp_path):
    (tmp_path / "app.py").write_text(LLM, encoding="utf-8")
    first = json.loads(tokenlint("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    (tmp_path / "app.py").write_text("import os\n\n\nX = os.sep\n" + LLM, encoding="utf-8")
    second = json.loads(tokenlint("check", "--format", "sarif", ".", cwd=tmp_path).stdout)

    def fps(doc):
        return [(x["partialFingerprints"]["tokenlint/v1"], x["locations"][0]["physicalLocation"]["region"]["startLine"])
                for x in doc["runs"][0]["results"]]

    (a, line_a), = fps(first)
    (b, line_b), = fps(second)
    assert a == b and line_b == line_a + 4


def test_github_gitlab_junit_formats(tmp_path):
    (tmp_path / "app.py").write_text(LLM, encoding="utf-8")
    (tmp_path / "ok.py").write_text(CLEAN, encoding="utf-8")
    gh = tokenlint("check", "--format", "github", ".", cwd=tmp_path).stdout.splitlines()
    assert gh == [f"::warning file=app.py,line=7,col=12,endLine=7,endColumn={len(LLM.splitlines()[6]) + 1},"
                  "title=TKL101 untagged-llm-call::TKL101 LLM call to openai chat.completions has no 'feature' "
                  "attribution tag"]
    gl = json.loads(tokenlint("check", "--format", "gitlab", ".", cwd=tmp_path).stdout)
    assert gl[0]["check_name"] == "TKL101" and gl[0]["location"] == {"path": "app.py", "lines": {"begin": 7, "end": 7}}
    import xml.etree.ElementTree as ET

    ju = ET.fromstring(tokenlint("check", "--format", "junit", ".", cwd=tmp_path).stdout)
    suite = ju.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    assert [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None] == ["app.py"]


def test_statistics(tmp_path):
    (tmp_path / "app.py").write_text(LLM + LLM.replace("def ask", "def ask2").split("\n\n\n", 1)[1], encoding="utf-8")
    r = tokenlint("check", "--statistics", ".", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["2", "TKL101", "untagged-llm-call"]
    # every TKL101 fix is unsafe: no "[*]" (fixable with --fix), the command that does fix them, a total
    assert lines[0].endswith("untagged-llm-call  2 fixable with --fix --unsafe-fixes")
    assert lines[1:] == ["    2  findings in 1 file"]


# ------------------------------------------------------------------ baseline and diff base


def test_baseline_fails_only_on_new_findings(repo):
    (repo / "app.py").write_text(LLM, encoding="utf-8")
    r = tokenlint("check", "--write-baseline", "baseline.json", ".", cwd=repo)
    assert r.returncode == 0
    assert tokenlint("check", "--baseline", "baseline.json", ".", cwd=repo).returncode == 0
    # an unrelated edit moves the old finding: still accepted
    (repo / "app.py").write_text("import os\n\nHOME = os.sep\n" + LLM, encoding="utf-8")
    assert tokenlint("check", "--baseline", "baseline.json", ".", cwd=repo).returncode == 0
    # a new untagged call fails, and only it is reported
    (repo / "new.py").write_text(LLM.replace("def ask", "def other"), encoding="utf-8")
    r = tokenlint("check", "-q", "--baseline", "baseline.json", ".", cwd=repo)
    assert r.returncode == 1
    assert [line.split(":")[0] for line in r.stdout.splitlines()] == ["new.py"]


@pytest.mark.parametrize("content,why", [(None, "not found"), ("{not json", "not JSON"),
                                         ('{"tokenlint_baseline": 99, "findings": []}', "version"),
                                         ('{"findings": []}', "not a tokenlint baseline")])
def test_bad_baseline_is_a_one_line_error_and_never_overwritten(repo, content, why):
    (repo / "app.py").write_text(LLM, encoding="utf-8")
    if content is not None:
        (repo / "b.json").write_text(content, encoding="utf-8")
    r = tokenlint("check", "--baseline", "b.json", ".", cwd=repo)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and why in r.stderr and "b.json" in r.stderr
    if content is not None:
        assert (repo / "b.json").read_text(encoding="utf-8") == content


def test_diff_base_reports_only_lines_the_branch_touched(repo):
    (repo / "old.py").write_text(LLM, encoding="utf-8")
    (repo / "edited.py").write_text(CLEAN + "\n\ndef keep():\n    return 1\n", encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "base", cwd=repo)
    git("checkout", "-qb", "feature", cwd=repo)
    # change one line of edited.py into an untagged call, add a new file; old.py's finding predates the branch
    (repo / "edited.py").write_text(LLM + "\n\ndef keep():\n    return 1\n", encoding="utf-8")
    git("commit", "-qam", "edit", cwd=repo)
    (repo / "brand_new.py").write_text(LLM, encoding="utf-8")  # untracked: every line is new
    r = tokenlint("check", "-q", "--diff-base", "main", ".", cwd=repo)
    assert r.returncode == 1
    assert sorted(line.split(":")[0] for line in r.stdout.splitlines()) == ["brand_new.py", "edited.py"]
    assert tokenlint("check", "-q", ".", cwd=repo).stdout.count("old.py") == 1


def test_diff_base_errors(tmp_path, repo):
    (tmp_path / "x").mkdir()
    outside = tmp_path / "x"
    (outside / "a.py").write_text(LLM, encoding="utf-8")
    # not a git repository (the tmp root is one: use a folder outside it)
    elsewhere = Path(os.path.realpath("/tmp")) / f"tkl-nogit-{os.getpid()}"
    elsewhere.mkdir(exist_ok=True)
    try:
        (elsewhere / "a.py").write_text(LLM, encoding="utf-8")
        r = tokenlint("check", "--diff-base", "main", ".", cwd=elsewhere)
        assert r.returncode == 2 and "not inside a git repository" in r.stderr
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)
    (repo / "a.py").write_text(LLM, encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "x", cwd=repo)
    r = tokenlint("check", "--diff-base", "no-such-ref", ".", cwd=repo)
    assert r.returncode == 2 and "unknown git ref 'no-such-ref'" in r.stderr and len(r.stderr.splitlines()) == 1


# ------------------------------------------------------------------ pre-commit


@pytest.mark.slow
def test_pre_commit_hook_fails_on_a_bad_file_and_passes_on_a_clean_one(repo, tmp_path_factory):
    if shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists():
        pytest.skip("pre-commit is not installed")
    pc = str(Path(sys.executable).parent / "pre-commit") if (Path(sys.executable).parent / "pre-commit").exists() \
        else "pre-commit"
    # a snapshot of this checkout as a git repo the hook can be installed from
    src = tmp_path_factory.mktemp("hookrepo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "tokenlint", src / "tokenlint", ignore=shutil.ignore_patterns("__pycache__"))
    git("init", "-q", cwd=src)
    git("add", "-A", cwd=src)
    git("commit", "-qm", "snapshot", cwd=src)
    rev = git("rev-parse", "HEAD", cwd=src).strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {src}\n  rev: {rev}\n  hooks:\n  - id: tokenlint\n", encoding="utf-8")
    pkg = repo / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "llm.py").write_text("from openai import OpenAI\nclient = OpenAI()\n", encoding="utf-8")
    (pkg / "views.py").write_text(
        "from app.llm import client\n\n\ndef ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[])\n", encoding="utf-8")
    git("add", "-A", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pchome"))}
    bad = subprocess.run([pc, "run", "--files", "app/views.py"], cwd=str(repo), capture_output=True, text=True,
                         env=env, timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "app/views.py:5:12: TKL101" in bad.stdout  # resolved through app/llm.py, read as context
    assert "llm.py:" not in bad.stdout.replace("app/llm.py", "")
    (pkg / "views.py").write_text(
        "from app.llm import client\n\n\ndef ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[],\n"
        "                                          extra_headers={'Helicone-Property-Feature': 'faq'})\n", encoding="utf-8")
    git("add", "-A", cwd=repo)
    good = subprocess.run([pc, "run", "--files", "app/views.py"], cwd=str(repo), capture_output=True, text=True,
                          env=env, timeout=600)
    assert good.returncode == 0, good.stdout + good.stderr

