"""Config and root come from the project, not from the first path: nested files cannot reconfigure a run.

The attacks commit a `pyproject.toml` in a sub-folder: one without tokenlint settings (it used to
become the project root when a file under it was named first, as pre-commit and flake8 do, so the
root config and the other modules' clients were lost), one with `[tool.tokenlint] ignore = ["TKL"]`
(it used to reconfigure the whole run), one setting project-wide keys, and one above the checkout.
Each gate run on the attacked clone must report what `--no-cache` reports on the clean clone; only
the files under a nested `[tool.tokenlint]` may follow it (documented, as ruff's nested configs).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.clones import Files, attack_and_clean, clone, gate, repository

UNTAGGED_VIA = (  # the client comes from another module: resolving it needs the whole project
    "from app.llm import client\n"
    "def answer(q):\n"
    "    return client.chat.completions.create(model=MODEL, messages=[{'role': 'user', 'content': q}])\n"
)
CLEAN: Files = {
    "pyproject.toml": '[tool.tokenlint]\nper-file-ignores = { "scripts/*" = ["TKL101"] }\n',
    "app/__init__.py": "",
    "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
    "app/sub/__init__.py": "",
    "app/sub/views.py": UNTAGGED_VIA,
    "app/top.py": UNTAGGED_VIA,
    "scripts/__init__.py": "",
    "scripts/once.py": UNTAGGED_VIA,
}
# pre-commit's order puts the nested folder's file first here; `--all-files` names every file
NAMED = ("app/sub/views.py", "app/__init__.py", "app/llm.py", "app/sub/__init__.py", "app/top.py",
         "scripts/__init__.py", "scripts/once.py")
TODAY = ("--today", "2026-06-01")


def _lines(out: str) -> list[str]:
    return sorted(line for line in out.splitlines() if " TKL" in line)


def _flake8(checkout: Path, runner_home: Path, *args: str) -> tuple[int, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENLINT", "XDG_"))}
    env.update({"HOME": str(runner_home), "XDG_CACHE_HOME": str(runner_home / ".cache")})
    done = subprocess.run([sys.executable, "-m", "flake8", "--select", "TKL", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, sorted(line.replace("./", "", 1) for line in done.stdout.splitlines())


def _runs(clean: Path, attacked: Path, runner: Path):
    """(what the clean clone reports with --no-cache, what the attacked clone's gate reports) per mode."""
    modes = {
        "folder": (("check", *TODAY, "."), ("check", "--no-cache", *TODAY, ".")),
        "named": (("check", *TODAY, *NAMED), ("check", "--no-cache", *TODAY, *NAMED)),
        "named-nested-only": (("check", *TODAY, "app/sub/views.py", "app/top.py"),
                              ("check", "--no-cache", *TODAY, "app/sub/views.py", "app/top.py")),
    }
    for mode, (gate_args, clean_args) in modes.items():
        want, got = gate(clean, runner, *clean_args), gate(attacked, runner, *gate_args)
        assert "Traceback" not in got.err, got.err
        yield mode, (want.code, _lines(want.out)), (got.code, _lines(got.out))
    yield "flake8", _flake8(clean, runner, "."), _flake8(attacked, runner, ".")
    yield "flake8-named", _flake8(clean, runner, *NAMED), _flake8(attacked, runner, *NAMED)


def test_clean_tree_reports_the_cross_module_calls(tmp_path):
    clean = clone(repository(tmp_path / "origin", CLEAN), tmp_path / "ci" / "clean")
    got = gate(clean, tmp_path / "runner", "check", "--no-cache", *TODAY, ".")
    files = {line.split(":")[0] for line in _lines(got.out)}
    assert files == {"app/sub/views.py", "app/top.py"}  # scripts/ is per-file-ignored by the root config


@pytest.mark.parametrize("nested", ['[project]\nname = "sub"\n', "[tool.black]\nline-length = 100\n", "",
                                    "not = [valid toml\n"], ids=["project", "other-tool", "empty", "invalid"])
def test_a_nested_pyproject_without_tokenlint_settings_changes_nothing(tmp_path, nested):
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"app/sub/pyproject.toml": nested,
                                                         "scripts/pyproject.toml": nested})
    for mode, want, got in _runs(clean, attacked, tmp_path / "runner"):
        assert got == want, mode
        assert any("app/sub/views.py" in line for line in got[1]), mode


def test_a_nested_ignore_all_silences_only_its_own_folder(tmp_path):
    nested = '[tool.tokenlint]\nignore = ["TKL"]\n'
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"app/sub/pyproject.toml": nested})
    for mode, want, got in _runs(clean, attacked, tmp_path / "runner"):
        outside = [line for line in want[1] if "app/sub/" not in line]
        assert outside, mode
        assert got[1] == outside, mode  # documented: the nested config governs app/sub/ only
        assert got[0] == want[0] == 1, mode


@pytest.mark.parametrize("nested", ['[tool.tokenlint\nignore = ["TKL"]\n', '[tool.tokenlint]\nignore = "TKL"\nbogus = 1\n',
                                    '[tool.tokenlint]\nignore = ["TKL"]\n' + "#" * (1024 * 1024 + 1) + "\n"],
                         ids=["invalid-toml", "unknown-key", "too-large"])
def test_a_broken_nested_config_is_not_applied_and_the_run_goes_on(tmp_path, nested):
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"app/sub/pyproject.toml": nested})
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", *TODAY, ".")
    got = gate(attacked, runner, "check", *TODAY, ".")
    assert (got.code, _lines(got.out)) == (want.code, _lines(want.out))
    warnings = [line for line in got.err.splitlines() if line.startswith("tokenlint: warning:")]
    assert len(warnings) == 1 and "app/sub/pyproject.toml" in warnings[0] and "not applied" in warnings[0]


def test_a_nested_config_cannot_reconfigure_the_project(tmp_path):
    """Keys that shape the whole analysis are read from the root config only (with a warning)."""
    nested = ('[tool.tokenlint]\nfeature-key = "anything"\ncache-dir = "../elsewhere"\n'
              '[[tool.tokenlint.sdk]]\nprovider = "x"\nclients = ["nothing.Here"]\n')
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"app/pyproject.toml": nested})
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", *TODAY, ".")
    got = gate(attacked, runner, "check", *TODAY, ".")
    assert (got.code, _lines(got.out)) == (want.code, _lines(want.out))
    assert "warning" in got.err and all(f"'{k}'" in got.err for k in ("feature-key", "sdk", "cache-dir"))


def test_a_nested_config_repeating_the_root_project_keys_is_not_warned_about(tmp_path, monkeypatch):
    from tokenlint.hierarchy import load_project

    repo = repository(tmp_path / "repo", {**CLEAN, "pyproject.toml": '[tool.tokenlint]\nfeature-key = "team"\n',
                                          "app/pyproject.toml": '[tool.tokenlint]\nfeature-key = "team"\nignore = ["TKL2"]\n',
                                          "lib/pyproject.toml": '[tool.tokenlint]\nfeature-key = "other"\n'})
    monkeypatch.chdir(repo)
    cfg = load_project()
    assert [folder for folder, _ in cfg.nested] == ["app", "lib"]
    assert len(cfg.notes) == 1 and "lib/pyproject.toml" in cfg.notes[0] and "'feature-key'" in cfg.notes[0]


def test_a_nested_config_reconfigured_nothing_outside_even_with_select(tmp_path):
    nested = '[tool.tokenlint]\nselect = ["TKL4"]\nper-file-ignores = { "*" = ["TKL"] }\nexclude = ["*"]\n'
    clean, attacked = attack_and_clean(tmp_path, CLEAN, {"app/sub/pyproject.toml": nested})
    for mode, want, got in _runs(clean, attacked, tmp_path / "runner"):
        assert got[1] == [line for line in want[1] if "app/sub/" not in line], mode


def test_the_config_search_never_goes_above_the_repository(tmp_path):
    tree = {k: v for k, v in CLEAN.items() if k != "pyproject.toml"}
    origin = repository(tmp_path / "origin", tree)
    clean = clone(origin, tmp_path / "clean-parent" / "checkout")
    attacked = clone(origin, tmp_path / "attacked-parent" / "checkout")
    # a config the runner's workspace happens to hold above the checkout (or a parent repository's)
    (tmp_path / "attacked-parent" / "pyproject.toml").write_text('[tool.tokenlint]\nignore = ["TKL"]\n', encoding="utf-8")
    runner = tmp_path / "runner"
    for args in (("check", *TODAY, "."), ("check", *TODAY, *NAMED)):
        want = gate(clean, runner, "check", "--no-cache", *args[1:])
        got = gate(attacked, runner, *args)
        assert want.code == 1 and (got.code, _lines(got.out)) == (want.code, _lines(want.out))
    assert _flake8(attacked, runner, ".") == _flake8(clean, runner, ".")


# ------------------------------------------------------------------ the hierarchy, in process


def test_search_start_is_the_common_folder_of_the_paths(tmp_path):
    from tokenlint.hierarchy import search_start

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "c").mkdir()
    (tmp_path / "a" / "b" / "x.py").write_text("", encoding="utf-8")
    assert search_start([tmp_path / "a" / "b" / "x.py", tmp_path / "a" / "c"]) == tmp_path / "a"
    assert search_start([tmp_path / "a" / "b" / "x.py"]) == tmp_path / "a" / "b"
    assert search_start([], cwd=tmp_path) == tmp_path


def test_nested_configs_scope_selection_ignores_and_excludes(tmp_path, monkeypatch):
    from tokenlint.engine import analyse
    from tokenlint.hierarchy import load_project, scope

    tree = {**CLEAN, "app/sub/pyproject.toml": ('[tool.tokenlint]\nper-file-ignores = { "views.py" = ["TKL101"] }\n'
                                                'exclude = ["gen/"]\n'),
            "app/sub/gen/made.py": UNTAGGED_VIA, "app/gen/kept.py": UNTAGGED_VIA,
            "lib/pyproject.toml": '[tool.tokenlint]\nselect = ["TKL4"]\n', "lib/x.py": UNTAGGED_VIA}
    repo = repository(tmp_path / "repo", tree)
    monkeypatch.chdir(repo)
    cfg = load_project([Path(".")])
    assert cfg.root == repo and [folder for folder, _ in cfg.nested] == ["app/sub", "lib"]
    assert scope(cfg, "app/sub/gen/made.py")[1] == "gen/made.py"
    assert scope(cfg, "app/subway.py")[0] is cfg
    result = analyse([repo], cfg, today=None, jobs=1)
    reported = sorted({f.path for f in result.findings})
    checked = {f.path for f in result.files}
    # views.py: per-file-ignored by its folder's config (its glob relative to app/sub); gen/ under
    # app/sub excluded there, app/gen/ not; lib/ selects TKL4 only; scripts/ per-file-ignored at the root
    assert reported == ["app/gen/kept.py", "app/top.py"]
    assert "app/sub/gen/made.py" not in checked and "app/gen/kept.py" in checked and "lib/x.py" in checked


def test_command_line_selection_overrides_every_config(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tokenlint.cli import main

    repo = repository(tmp_path / "repo", {**CLEAN, "app/sub/pyproject.toml": '[tool.tokenlint]\nselect = ["TKL4"]\n'})
    monkeypatch.chdir(repo)
    r = CliRunner().invoke(main, ["check", "--no-cache", "--select", "TKL101", "."])
    assert r.exit_code == 1
    assert sorted({line.split(":")[0] for line in _lines(r.stdout)}) == ["app/sub/views.py", "app/top.py"]
    r = CliRunner().invoke(main, ["check", "--no-cache", "--ignore", "TKL101", "."])
    assert "TKL101" not in r.stdout


def test_an_unknown_selector_in_a_nested_config_is_a_one_line_error(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from tokenlint.cli import main

    repo = repository(tmp_path / "repo", {**CLEAN, "app/sub/pyproject.toml": '[tool.tokenlint]\nignore = ["XYZ9"]\n'})
    monkeypatch.chdir(repo)
    r = CliRunner().invoke(main, ["check", "--no-cache", "."])
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and "app/sub/pyproject.toml" in r.stderr and "XYZ9" in r.stderr


def test_the_cache_follows_nested_configs_added_or_edited(tmp_path, monkeypatch):
    """Nested configs are part of the settings every cached result is keyed by: adding one (even
    untracked) or editing it is seen by the next run, never replayed from the last."""
    from click.testing import CliRunner

    from tokenlint.cli import main

    repo = repository(tmp_path / "repo", CLEAN)
    monkeypatch.chdir(repo)

    def reported() -> set[str]:
        r = CliRunner().invoke(main, ["check", *TODAY, "."])
        return {line.split(":")[0] for line in _lines(r.stdout)}

    assert reported() == {"app/sub/views.py", "app/top.py"}
    assert reported() == {"app/sub/views.py", "app/top.py"}  # replayed
    nested = repo / "app" / "sub" / "pyproject.toml"
    nested.write_text('[tool.tokenlint]\nignore = ["TKL101", "TKL202"]\n', encoding="utf-8")
    assert reported() == {"app/top.py"}
    nested.write_text('[tool.tokenlint]\nignore = ["TKL202"]\n', encoding="utf-8")
    assert reported() == {"app/sub/views.py", "app/top.py"}


def test_an_escaped_table_name_is_still_a_tokenlint_table(tmp_path):
    from tokenlint.config import has_table

    p = tmp_path / "pyproject.toml"
    p.write_text('[tool."\\u0074okenlint"]\nignore = []\n', encoding="utf-8")
    assert has_table(p)
    p.write_text('[tool.black]\nline-length = 1\n', encoding="utf-8")
    assert not has_table(p)


@pytest.mark.parametrize("nested", ['[project]\nname = "sub"\n', '[tool.tokenlint]\nignore = ["TKL"]\n'],
                         ids=["no-table", "ignore-all"])
def test_pre_commit_all_files_reports_what_the_clean_tree_reports(tmp_path, nested):
    """The real pre-commit, with the hook as `.pre-commit-hooks.yaml` runs it (named files, --force-exclude)."""
    from tests.security.clones import console_script

    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed")
    hook = (f"repos:\n- repo: local\n  hooks:\n  - id: tokenlint\n    name: tokenlint\n    language: system\n"
            f"    entry: {console_script()} check --force-exclude --no-cache {' '.join(TODAY)}\n"
            f"    types_or: [python, pyi]\n    require_serial: true\n")
    clean, attacked = attack_and_clean(tmp_path, {**CLEAN, ".pre-commit-config.yaml": hook},
                                       {"app/sub/pyproject.toml": nested})
    runner = tmp_path / "runner"

    def run(checkout: Path) -> list[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENLINT", "XDG_", "PRE_COMMIT"))}
        env.update({"HOME": str(runner), "PRE_COMMIT_HOME": str(runner / "pre-commit")})
        done = subprocess.run([str(pre_commit), "run", "--all-files"], cwd=checkout, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 1, done.stdout + done.stderr
        return _lines(done.stdout)

    want = run(clean)
    assert any("app/sub/views.py" in line for line in want)
    expected = want if "project" in nested else [line for line in want if "app/sub/" not in line]
    assert run(attacked) == expected
