"""Exit codes for empty runs: a gate that checked nothing says so, and says why; `--strict` fails it."""

from __future__ import annotations

from tests.projects import make

CALL = ('from openai import OpenAI\nclient = OpenAI()\n'
        'def ask(q):\n    return client.chat.completions.create(model="gpt-4o-2024-08-06", '
        'messages=[{"role": "user", "content": q}])\n')
WARNING = "tokenlint: warning: 0 files checked"


def test_a_folder_without_python_warns_and_strict_exits_2(tmp_path, cli):
    root = make(tmp_path, {"notes.txt": "hi\n", "web/app.js": "x\n"})
    r = cli(root, "check", "--no-cache", ".")
    assert r.exit_code == 0
    assert WARNING in r.stderr and "3 not Python" in r.stderr  # notes.txt, app.js, pyproject.toml
    assert "No files checked (3 not Python)." in r.stdout and "All checks passed" not in r.stdout
    r = cli(root, "check", "--no-cache", "--strict", "--format", "sarif", ".")
    assert r.exit_code == 2 and WARNING in r.stderr and r.stdout.startswith("{")


def test_the_warning_names_each_reason(tmp_path, cli):
    root = make(tmp_path, {"gen/a.py": CALL, "skip.py": CALL, ".venv/lib/x.py": CALL, "build/out.py": CALL,
                           "README.md": "x\n", ".gitignore": "skip.py\n"},
                pyproject='[tool.tokenlint]\nexclude = ["gen/"]\n')
    r = cli(root, "check", "--no-cache", "--strict", ".")
    assert r.exit_code == 2
    line = next(x for x in r.stderr.splitlines() if x.startswith(WARNING))
    for reason in ("1 excluded by the configuration", "1 ignored by .gitignore",
                   "2 in skipped folders", "3 not Python"):
        assert reason in line, line


def test_force_exclude_of_every_named_file_is_an_empty_run(tmp_path, cli):
    root = make(tmp_path, {"gen/a.py": CALL}, pyproject='[tool.tokenlint]\nexclude = ["gen/"]\n')
    r = cli(root, "check", "--no-cache", "--force-exclude", "--strict", "gen/a.py")
    assert r.exit_code == 2 and "1 excluded by the configuration" in r.stderr
    assert cli(root, "check", "--no-cache", "--force-exclude", "gen/a.py").exit_code == 0


def test_runs_that_check_files_do_not_warn(tmp_path, cli):
    root = make(tmp_path, {"app.py": CALL, "util.py": "x = 1\n"})
    r = cli(root, "check", "--no-cache", "--strict", ".")
    assert r.exit_code == 1 and WARNING not in r.stderr
    r = cli(root, "check", "--no-cache", "--strict", "util.py")
    assert r.exit_code == 0 and WARNING not in r.stderr and "All checks passed (1 file checked)." in r.stdout


def test_a_missing_path_is_still_an_error(tmp_path, cli):
    r = cli(tmp_path, "check", "--no-cache", "nowhere")
    assert r.exit_code == 2 and "nowhere: no such file or directory" in r.stderr


def test_the_summary_counts_files_over_the_size_cap(tmp_path, cli):
    root = make(tmp_path, {"app.py": CALL, "data.py": "x = 1\n" * 100},
                pyproject="[tool.tokenlint]\nmax-file-size = 400\n")
    r = cli(root, "check", "--no-cache", ".")
    assert r.exit_code == 1
    assert "data.py:1:1: TKL000 file too large: 600 bytes (max-file-size is 400)" in r.stdout
    assert "(1 file over max-file-size, reported as TKL000 and not analysed.)" in r.stdout


def test_an_empty_folder_named_like_a_module_is_said_to_be_empty_not_skipped(tmp_path, cli):
    """`dir.py/` empty, with no project around it: the run makes its cache inside it, and that folder is
    tokenlint's own, not a skipped folder of the user's (the first run, the second, and without cache)."""
    (tmp_path / "dir.py").mkdir()
    for args in (["dir.py"], ["dir.py"], ["--no-cache", "dir.py"]):
        r = cli(tmp_path, "check", *args)
        assert r.exit_code == 0, r.output
        assert "No files checked (1 empty folder)." in r.stdout, (args, r.stdout)
        assert "skipped folders" not in r.stdout + r.stderr
    assert any((tmp_path / "dir.py").iterdir())  # the cache the first runs made is there
