"""Which files a run reads: skipped folders, .gitignore (root and nested), exclude globs from config,
explicitly named files, deterministic order, symlink loops, folders whose name ends in `.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenlint.cli import main
from tokenlint.discovery import PathError, discover

UNTAGGED = ('from openai import OpenAI\n\nclient = OpenAI()\n'
            'client.chat.completions.create(model="gpt-4o", messages=[])\n')


def touch(root: Path, *rels: str, content: str = "x = 1\n") -> None:
    for rel in rels:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")


def rels(found: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found]


def found(root: Path, *paths: str, **kw) -> list[str]:
    """discover() from inside `root`, as relative posix paths; every result must be absolute."""
    out = discover([root / p for p in (paths or (".",))], root, **kw)
    assert all(p.is_absolute() for p in out)
    return rels([Path(os.path.normpath(p)) for p in out], root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\n', encoding="utf-8")
    return root


@pytest.fixture
def check(monkeypatch):
    """`tokenlint check --format json ARGS` from `cwd`: (exit code, [filename, ...], stderr)."""

    def _check(cwd: Path, *args: str):
        monkeypatch.chdir(cwd)
        r = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
        files = [f["filename"] for f in json.loads(r.stdout)] if r.stdout.strip() else []
        return r.exit_code, files, r.stderr

    return _check


# ------------------------------------------------------------------ skipped folders


def test_skips_well_known_non_source_folders(project):
    touch(project, "app/main.py", ".git/hooks/pre_commit.py", ".venv/lib/site.py", "node_modules/pkg/gen.py",
          "__pycache__/main.py", "build/lib/app/main.py", "app/__pycache__/x.py", "app/node_modules/y.py",
          "dist/z.py", ".tox/py311/t.py", "pkg.egg-info/e.py")
    assert found(project) == ["app/main.py"]


def test_a_package_named_build_or_dist_is_source_not_build_output(project):
    """`server/features/build/__init__.py` is a package of the project, and so is `app/build/` in the
    package `app` (a namespace subpackage); `build/lib/...` at the root and `tools/build/` (no
    `__init__.py` in it or beside it) are build output."""
    touch(project, "server/features/build/__init__.py", "server/features/build/api.py", "build/lib/app/main.py",
          "dist/__init__.py", "dist/cli.py", "env/__init__.py", "app/main.py", "app/__init__.py",
          "app/build/tasks.py", "tools/build/gen.py")
    assert sorted(found(project)) == ["app/__init__.py", "app/build/tasks.py", "app/main.py", "dist/__init__.py",
                              "dist/cli.py", "env/__init__.py", "server/features/build/__init__.py",
                              "server/features/build/api.py"]


def test_a_cached_walk_sees_a_build_folder_become_a_package(project, check):
    touch(project, "app/build/api.py", content=UNTAGGED)
    touch(project, "app/main.py")
    assert check(project, "--exit-zero", ".")[1] == []
    touch(project, "app/build/__init__.py")
    assert check(project, "--exit-zero", ".")[1] == ["app/build/api.py"]


def test_skips_virtualenv_by_pyvenv_cfg_and_interpreter_whatever_its_name(project):
    touch(project, "app.py", "py311/lib/python3.11/site.py", "tools/sandbox/bin/activate_this.py",
          "winenv/Lib/site.py", "not_a_venv/lib.py", "cfg_only/lib.py")
    for venv in ("py311", "tools/sandbox", "winenv", "cfg_only"):
        (project / venv / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (project / "py311" / "bin").mkdir()
    (project / "py311" / "bin" / "python").symlink_to("/nonexistent/python3")  # dangling: still a venv
    touch(project, "tools/sandbox/bin/python", "winenv/Scripts/python.exe")
    # a pyvenv.cfg without an interpreter beside it is not a virtualenv: its code is analysed
    assert found(project) == ["app.py", "cfg_only/lib.py", "not_a_venv/lib.py"]


def test_skipped_folders_are_not_analysed_by_the_cli(project, check):
    touch(project, "app.py", ".venv/x.py", "node_modules/y.py", "build/z.py", content=UNTAGGED)
    rc, files, _ = check(project, ".")
    assert rc == 1
    assert files == ["app.py"]


def test_only_py_files_are_collected(project):
    touch(project, "a.py", "b.pyi", "c.pyc", "d.txt", "e.py.bak", "Makefile")
    assert found(project) == ["a.py"]


# ------------------------------------------------------------------ .gitignore


def test_root_gitignore(project):
    touch(project, "app/main.py", "app/generated_pb2.py", "scratch/try.py", "notes.py", "keep_notes.py")
    (project / ".gitignore").write_text("# generated\n*_pb2.py\nscratch/\n/notes.py\n", encoding="utf-8")
    assert found(project) == ["keep_notes.py", "app/main.py"]


def test_root_gitignore_negation(project):
    touch(project, "gen/a.py", "gen/b.py", "gen/keep.py")
    (project / ".gitignore").write_text("gen/*.py\n!gen/keep.py\n", encoding="utf-8")
    assert found(project) == ["gen/keep.py"]


@pytest.mark.parametrize("bad", ["clips/[take 2][C-8bit].csv", "odd\\"])
def test_a_gitignore_line_git_cannot_read_drops_only_that_line(project, bad):
    # a range running backwards ([C-8]) is a regex error and a trailing backslash a pattern error:
    # git skips such a line; the rest of the file still applies, and the walk must not stop
    touch(project, "app.py", "secret.py", "out/gen.py")
    (project / ".gitignore").write_text(f"secret.py\n{bad}\nout/\n", encoding="utf-8")
    assert found(project) == ["app.py"]


def test_root_gitignore_anchored_pattern_only_matches_at_root(project):
    touch(project, "settings.py", "app/settings.py")
    (project / ".gitignore").write_text("/settings.py\n", encoding="utf-8")
    assert found(project) == ["app/settings.py"]


def test_nested_gitignore_applies_to_its_own_folder(project):
    touch(project, "a/secret.py", "a/deep/secret.py", "a/ok.py", "b/secret.py", "a/out/x.py", "out/y.py")
    (project / "a" / ".gitignore").write_text("secret.py\n/out/\n", encoding="utf-8")
    assert found(project) == ["a/ok.py", "b/secret.py", "out/y.py"]


def test_nested_gitignore_can_reinclude_a_file(project):
    touch(project, "src/gen_models.py", "src/gen_keep.py", "gen_top.py")
    (project / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    (project / "src" / ".gitignore").write_text("!gen_keep.py\n", encoding="utf-8")
    assert found(project) == ["src/gen_keep.py"]


def test_respect_gitignore_false(project):
    touch(project, "a.py", "ignored.py")
    (project / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    assert found(project) == ["a.py"]
    assert found(project, respect_gitignore=False) == ["a.py", "ignored.py"]


def test_gitignore_through_cli_and_config(project, check):
    touch(project, "app.py", "scratch.py", content=UNTAGGED)
    (project / ".gitignore").write_text("scratch.py\n", encoding="utf-8")
    assert check(project, ".")[1] == ["app.py"]
    (project / "pyproject.toml").write_text("[tool.tokenlint]\nselect = [\"TKL101\"]\nrespect-gitignore = false\n", encoding="utf-8")
    assert check(project, ".")[1] == ["app.py", "scratch.py"]


def test_gitignore_of_enclosing_repository_is_honoured(tmp_path, check):
    repo = tmp_path / "monorepo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".gitignore").write_text("generated/\n", encoding="utf-8")
    svc = repo / "services" / "search"
    touch(svc, "app.py", "generated/client.py", content=UNTAGGED)
    (svc / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\n', encoding="utf-8")
    assert check(svc, ".")[1] == ["app.py"]


# ------------------------------------------------------------------ exclude / extend-exclude


def test_exclude_globs(project):
    touch(project, "app/main.py", "tests/fixtures/a.py", "tests/test_x.py", "app/proto/m_pb2.py",
          "pkg/migrations/0001.py", "lib/migrations/0002.py")
    kept = found(project, exclude=["tests/fixtures", "*_pb2.py", "migrations/"])
    assert kept == ["app/main.py", "tests/test_x.py"]


def test_exclude_is_relative_to_project_root(project):
    touch(project, "src/gen/a.py", "gen/b.py")
    assert found(project, exclude=["/gen"]) == ["src/gen/a.py"]


def test_exclude_and_extend_exclude_from_config(project, check):
    touch(project, "app.py", "vendor/lib.py", "tests/fixtures/bad.py", "tests/test_app.py", content=UNTAGGED)
    (project / "pyproject.toml").write_text(
        '[tool.tokenlint]\nselect = ["TKL101"]\nexclude = ["vendor"]\nextend-exclude = ["tests/fixtures/"]\n',
        encoding="utf-8")
    rc, files, _ = check(project, ".")
    assert rc == 1
    assert files == ["app.py", "tests/test_app.py"]


def test_exclude_from_config_applies_when_run_from_a_subfolder(project, check):
    touch(project, "src/app.py", "src/gen/client.py", content=UNTAGGED)
    (project / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\nexclude = ["src/gen"]\n', encoding="utf-8")
    rc, files, _ = check(project / "src", ".")
    assert rc == 1
    assert [Path(f).name for f in files] == ["app.py"]


# ------------------------------------------------------------------ explicitly named files


def test_explicit_file_is_read_even_when_excluded_or_ignored(project):
    touch(project, "vendor/lib.py", "scratch.py", "build/out.py", "node_modules/n.py")
    (project / ".gitignore").write_text("scratch.py\n", encoding="utf-8")
    assert found(project, "vendor/lib.py", "scratch.py", "build/out.py", "node_modules/n.py",
                 exclude=["vendor"]) == ["vendor/lib.py", "scratch.py", "build/out.py", "node_modules/n.py"]
    # ... but not when only their folder is walked
    assert found(project, exclude=["vendor"]) == []


def test_explicit_file_without_py_suffix_is_read(project):
    touch(project, "bin/run-agent", content=UNTAGGED)
    assert found(project, "bin/run-agent") == ["bin/run-agent"]


def test_explicit_file_through_cli_even_when_excluded_and_gitignored(project, check):
    touch(project, "vendor/lib.py", "scratch.py", content=UNTAGGED)
    (project / ".gitignore").write_text("scratch.py\n", encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.tokenlint]\nselect = ["TKL101"]\nexclude = ["vendor"]\n', encoding="utf-8")
    rc, files, err = check(project, ".")
    assert (rc, files) == (0, [])
    assert err.startswith("tokenlint: warning: 0 files checked")  # an empty run says so (and why)
    rc, files, _ = check(project, "vendor/lib.py", "scratch.py")
    assert rc == 1
    assert files == ["scratch.py", "vendor/lib.py"]


def test_same_file_twice_is_read_once(project):
    touch(project, "a.py", "b.py")
    assert found(project, "a.py", ".", "a.py") == ["a.py", "b.py"]


def test_missing_path_raises_path_error(project):
    with pytest.raises(PathError, match="ghost.py"):
        discover([project / "ghost.py"], project)


# ------------------------------------------------------------------ order


def test_order_is_deterministic_and_sorted(project):
    names = ["zeta.py", "Alpha.py", "beta.py", "m/b.py", "m/a.py", "a/z.py", "a/a.py", "a/k/x.py"]
    for n in reversed(names):  # creation order must not matter
        touch(project, n)
    first = found(project)
    assert first == found(project)
    # files of one folder are in sorted order, every folder's files stay together
    assert first == ["Alpha.py", "beta.py", "zeta.py", "a/a.py", "a/z.py", "a/k/x.py", "m/a.py", "m/b.py"]


def test_cli_reports_files_in_sorted_path_order(project, check):
    for n in ["zeta.py", "b/mod.py", "a.py", "b/a/deep.py", "B.py"]:
        touch(project, n, content=UNTAGGED)
    rc, files, _ = check(project, "zeta.py", "b", ".")
    assert rc == 1
    assert files == sorted(files) == ["B.py", "a.py", "b/a/deep.py", "b/mod.py", "zeta.py"]


# ------------------------------------------------------------------ symlinks, odd names


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_symlink_loop_does_not_hang(project):
    touch(project, "app.py", "pkg/mod.py", content=UNTAGGED)
    os.symlink("..", project / "pkg" / "up")  # pkg/up -> project
    os.symlink(".", project / "pkg" / "self")  # pkg/self -> pkg
    os.symlink("loop.py", project / "loop.py")  # a file symlink pointing at itself
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "check", "--format", "json", "."], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert [f["filename"] for f in json.loads(proc.stdout)] == ["app.py", "pkg/mod.py"]
    # every real file once, none reached again through the loops
    assert found(project) == ["app.py", "pkg/mod.py"]


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_symlinked_folder_outside_the_loop_is_walked(project):
    touch(project / "shared_src", "helpers.py")
    touch(project, "app/main.py")
    os.symlink(project / "shared_src", project / "app" / "shared")
    assert found(project, "app") == ["app/main.py", "app/shared/helpers.py"]


def test_directory_named_like_a_python_file(project, check):
    touch(project, "weird.py/inner.py", content=UNTAGGED)
    touch(project, "app.py", content=UNTAGGED)
    (project / "empty.py").mkdir()
    assert found(project) == ["app.py", "weird.py/inner.py"]
    assert found(project, "weird.py") == ["weird.py/inner.py"]
    rc, files, stderr = check(project, ".")
    assert rc == 1
    assert files == ["app.py", "weird.py/inner.py"]  # no TKL000 "is a directory"
    rc, files, stderr = check(project, "empty.py")
    assert (rc, files) == (0, [])


# ------------------------------------------------------------------ the gitignore fast path

_PATTERNS = """
# a typical Python .gitignore, plus the odd forms git allows
__pycache__/
*.py[cod]
*$py.class
build/
/dist
.eggs/
*.egg-info/
lib64
!lib64/keep.py
docs/_build/
/site
**/generated/**
**/out
a/**/b.py
[Tt]emp*.py
\\#hash.py
\\!bang.py
spaces\\ in\\ name.py
cache?/
!cache1/
*.log
!important.log
logs/**/*.py
!logs/**/keep_*.py
""".splitlines()

_SEGMENTS = ["a", "b.py", "build", "dist", "lib64", "keep.py", "generated", "out", "Temp1.py", "temp.py",
             "#hash.py", "!bang.py", "spaces in name.py", "cache1", "cache2", "x.log", "important.log", "logs",
             "keep_x.py", "__pycache__", "m.pyc", "src", "docs", "_build", "site", "pkg.egg-info", "z.py"]


@given(st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=5), st.booleans())
@settings(max_examples=400, deadline=None, derandomize=True)
def test_gitignore_fast_path_agrees_with_pathspec(segments, is_dir):
    import pathspec

    from tokenlint.ignorespec import Spec

    spec = pathspec.GitIgnoreSpec.from_lines(_PATTERNS)
    rel = "/".join(segments) + ("/" if is_dir else "")
    assert Spec(_PATTERNS).check(rel) == spec.check_file(rel).include


def test_gitignore_fast_path_with_only_comments_or_negations():
    import pathspec

    from tokenlint.ignorespec import Spec

    assert Spec(["# nothing", ""]).check("a.py") is None
    neg = pathspec.GitIgnoreSpec.from_lines(["!a.py"])
    assert Spec(["!a.py"]).check("a.py") == neg.check_file("a.py").include
