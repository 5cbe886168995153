"""The output does not depend on Python's string hashing: `inventory --format json` is byte-identical
under different `PYTHONHASHSEED` values. A set of strings iterates in an order that changes with the
seed, so any answer that took the first match from one (which SDK a file imports that has a request's
method) flipped from run to run; CI gates comparing inventories saw phantom changes.
The projects below are small shapes of our own, each one an answer that used to flip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from projects import write

# a request on a receiver of unknown type in a file importing two SDKs that both have the method
# (only their error classes): either may serve it, and the inventory lists both, whatever the seed
TWO_SDKS = {
    "app/__init__.py": "",
    "app/ask.py": ("from cerebras.cloud.sdk import BadRequestError as CerebrasError\n"
                   "from openai import BadRequestError as OpenAIError\n"
                   "\n"
                   "\n"
                   "def ask(client, model, messages):\n"
                   "    try:\n"
                   "        return client.chat.completions.create(model=model, messages=messages)\n"
                   "    except (CerebrasError, OpenAIError):\n"
                   "        return None\n"),
}

SEEDS = ("0", "1", "2", "3", "4", "5")


def _write(root: Path, files: dict[str, str]) -> Path:
    write(root, files)
    return root


def _inventory(root: Path, seed: str, jobs: str = "1") -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    got = subprocess.run([sys.executable, "-m", "tokenlint", "inventory", "--no-cache", "-j", jobs,
                          "--format", "json", "."], cwd=str(root), env=env, capture_output=True, text=True,
                         timeout=600)
    assert got.returncode == 0, got.stderr
    return got.stdout


@pytest.fixture(scope="module")
def two_sdks(tmp_path_factory) -> tuple[Path, str]:
    root = _write(tmp_path_factory.mktemp("two_sdks"), TWO_SDKS)
    return root, _inventory(root, SEEDS[0])


def test_a_request_on_an_unknown_receiver_lists_every_imported_sdk_with_the_method(two_sdks) -> None:
    _, out = two_sdks
    sites = json.loads(out)["call_sites"]
    assert [(s["path"], s["line"], s["provider"], s["providers"], s["sdk"], s["confidence"]) for s in sites] == [
        ("app/ask.py", 7, "multi", ["cerebras", "openai"], "cerebras", "inferred")]


@pytest.mark.parametrize("seed", SEEDS[1:])
def test_the_inventory_is_the_same_under_every_hash_seed(two_sdks, seed: str) -> None:
    root, want = two_sdks
    assert _inventory(root, seed) == want


def test_one_sdk_imported_names_that_sdk_alone(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app/__init__.py": "",
                             "app/ask.py": TWO_SDKS["app/ask.py"].replace(
                                 "from cerebras.cloud.sdk import BadRequestError as CerebrasError\n",
                                 "CerebrasError = ValueError\n")})
    sites = json.loads(_inventory(root, "7"))["call_sites"]
    assert [(s["provider"], s["providers"]) for s in sites] == [("openai", ["openai"])]


# a fix adding a line after a last line with no ending, in a file with as many CRLF as LF endings: the
# added line break is the ending written first, not the one a set of endings happened to yield first
_ENDINGS = ("from tokenlint.fixes import keep_line_endings as k\n"
            "print(repr(k('a\\r\\nb\\nc', 'a\\nb\\nc\\nd')), repr(k('a\\nb\\r\\nc', 'a\\nb\\nc\\nd')))\n")


def test_a_tie_between_line_endings_goes_to_the_one_written_first() -> None:
    got = set()
    for seed in SEEDS:
        run = subprocess.run([sys.executable, "-c", _ENDINGS], env={**os.environ, "PYTHONHASHSEED": seed},
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        got.add(run.stdout)
    assert got == {"'a\\r\\nb\\nc\\r\\nd' 'a\\nb\\r\\nc\\nd'\n"}
