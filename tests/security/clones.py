"""Attacks as CI meets them: a repository the pull request's author controls, cloned to a fresh path.

The threat model: the author controls every file in the checkout, not the runner, the installed
tokenlint or its command line. Each attack test builds the clean tree and the tree with the attack,
clones both to new paths (as CI checks a PR out), runs the installed console script in each with a
runner-owned home and cache folder, and compares what the gate reports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence, Union

from tests.projects import write

Files = Mapping[str, Union[str, bytes]]

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "pr-author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "pr-author", "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return done.stdout


# A small project with untagged calls, as attack tests commit it: every attack starts from it.
UNTAGGED_APP: Files = {
    "pyproject.toml": "[tool.tokenlint]\n",
    "app/__init__.py": "",
    "app/llm.py": (
        "from openai import OpenAI\n"
        "client = OpenAI()\n"
        "def ask(q):\n"
        "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': q}])\n"
    ),
}


def repository(where: Path, files: Files) -> Path:
    """A git repository holding exactly `files`, committed (force-added: ignore rules do not stop an author)."""
    where.mkdir(parents=True)
    git(where, "init", "-q", "-b", "main")
    write(where, files)
    git(where, "add", "-f", "-A")
    git(where, "commit", "-q", "-m", "tree")
    return where


def commit(repo: Path, files: Files, message: str = "change") -> None:
    write(repo, files)
    git(repo, "add", "-f", "-A")
    git(repo, "commit", "-q", "-m", message)


def clone(repo: Path, dest: Path) -> Path:
    git(repo.parent, "clone", "-q", str(repo), str(dest))
    return dest


def console_script() -> str:
    """The installed `tokenlint` command (never `python -m` from the checkout, which is itself an attack)."""
    beside = Path(sys.executable).parent / "tokenlint"
    found = str(beside) if beside.exists() else shutil.which("tokenlint")
    if not found:
        raise RuntimeError("the tokenlint console script is not installed")
    return found


@dataclass
class Run:
    code: int
    out: str
    err: str


def gate(checkout: Path, runner_home: Path, *args: str, timeout: float = 120,
         command: Sequence[str] = ()) -> Run:
    """Run the installed tokenlint in `checkout` as a CI runner would: its own home and cache folder.
    `command`: how to start tokenlint instead of the console script (e.g. `python -P -m tokenlint`)."""
    runner_home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENLINT", "XDG_"))}
    env.update({"HOME": str(runner_home), "XDG_CACHE_HOME": str(runner_home / ".cache"),
                "CI": "true", "NO_COLOR": "1"})
    done = subprocess.run([*(command or [console_script()]), *args], cwd=checkout, env=env, capture_output=True,
                          text=True, timeout=timeout)
    return Run(done.returncode, done.stdout, done.stderr)


def attack_and_clean(tmp: Path, clean: Files, attack: Files) -> tuple[Path, Path]:
    """Fresh clones of the clean tree and of the same tree with the attack committed on top."""
    clean_repo = repository(tmp / "clean-origin", clean)
    attacked_repo = repository(tmp / "attacked-origin", clean)
    commit(attacked_repo, attack, "attack")
    return clone(clean_repo, tmp / "ci" / "clean"), clone(attacked_repo, tmp / "ci" / "attacked")
