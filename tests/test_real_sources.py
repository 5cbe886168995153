"""Real sources: tokenlint over large pure-Python code bases already on this machine, as a whole
project each (every file parsed, no prefilter, two workers).

The corpus, whichever of these exist: the benchmark's downloaded packages (/tmp/tokenlint-bench/src),
the LLM application sources gathered for the resolver study (/tmp/realcode/src), the installed
packages of this environment (click, libcst, hypothesis, pathspec, flake8, pyflakes, pytest,
jsonschema, pygments, pre-commit, pip, setuptools) and the standard library.

For each: no crash anywhere (check, inventory and every renderer, --fix in memory); no TKL000 on a
file that `compile()` accepts; every fix compiles and parses with LibCST.
"""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import libcst
import pytest

from tokenlint.config import Config
from tokenlint.engine import analyse, fix
from tokenlint.report import ci, inventory
from tokenlint.report import findings as report_findings

pytestmark = pytest.mark.slow

DOWNLOADED = (Path("/tmp/tokenlint-bench/src"), Path("/tmp/realcode/src"))
INSTALLED = ("click", "libcst", "hypothesis", "pathspec", "flake8", "pyflakes", "_pytest", "jsonschema", "pygments",
             "pre_commit", "pip", "setuptools")


def corpus() -> list[Path]:
    dirs: list[Path] = []
    for base in DOWNLOADED:
        if base.is_dir():
            dirs += sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    site = Path(sysconfig.get_paths()["purelib"])
    dirs += [site / name for name in INSTALLED if (site / name).is_dir()]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if stdlib.is_dir():
        dirs.append(stdlib)
    return dirs


CORPUS = corpus()


def _compiles(path: Path) -> bool:
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError):
        return False


@pytest.mark.parametrize("top", CORPUS, ids=lambda p: p.name)
def test_real_package_is_analysed_without_crash_or_false_tkl000(top):
    # the package as its own project: no .gitignore of an enclosing checkout (a virtualenv inside
    # this repository is ignored by it), no pyproject of its own
    cfg = Config(root=top, respect_gitignore=False)
    result = analyse([top], cfg, root=top, prefilter=False, jobs=2)
    assert len(result.files) >= 3, f"{top}: nothing analysed"
    false_errors = [(f.path, f.message) for f in result.findings
                    if f.code == "TKL000" and _compiles(top / f.path)]
    assert not false_errors, false_errors
    found = result.findings
    report_findings.text(found, unsafe=True)
    json.loads(report_findings.as_json(found))
    json.loads(ci.sarif(found, result.lines_of))
    ci.junit(found, [f.path for f in result.files])
    data = inventory.build(result.sites, top, len(result.files))
    for render in inventory.RENDERERS.values():
        render(data)

    fixable = sorted({top / f.path for f in found if f.fix is not None})
    if not fixable:
        return
    run = fix(fixable, cfg, unsafe=True, root=top)
    assert not [(ff.path, ff.error) for ff in run.files if ff.error]
    for path, data in run.fixed.items():
        assert data != path.read_bytes()
        text = data.decode(run_encoding(data))
        compile(text, str(path), "exec", dont_inherit=True)
        libcst.parse_module(text)


def run_encoding(data: bytes) -> str:
    import io
    import tokenize

    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]


def test_the_corpus_is_large():
    """The corpus this machine offers: at least the installed packages and the standard library."""
    assert len(CORPUS) >= 5, CORPUS
