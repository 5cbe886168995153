"""Per-rule example files: fixtures/rules/TKLnnn*.py mark with `# expect: TKLnnn` (optionally
`TKLnnn:col`) every line where that rule must report, and nothing else may be reported by it.
A `TKLnnn*.fixed.py` beside it holds the exact text after `--fix --unsafe-fixes --select TKLnnn`;
the fixed text must compile, parse with LibCST, leave no fixable TKLnnn finding, and a second
fix must change nothing. Files whose name contains `nofix` must come back byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import libcst
import pytest

from tokenlint.config import Config
from tokenlint.engine import analyse, fix
from tokenlint.rules import BY_CODE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
EXPECT = re.compile(r"#.*?\bexpect:\s*(?P<items>TKL\d{3}(?::\d+)?(?:[ ,]+TKL\d{3}(?::\d+)?)*)")
TODAY = dt.date(2026, 11, 29)


def cases():
    for p in sorted(FIXTURES.glob("TKL*.py")):
        if p.name.endswith(".fixed.py"):
            continue
        yield p


def code_of(path: Path) -> str:
    return path.name[:6]


def expected(path: Path, code: str) -> set[tuple[int, int | None]]:
    out = set()
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = EXPECT.search(line)
        if not m:
            continue
        for item in re.split(r"[ ,]+", m.group("items")):
            c, _, col = item.partition(":")
            if c == code:
                out.add((i, int(col) if col else None))
    return out


def config_for(path: Path) -> Config:
    """A fixture may carry its own [tool.tokenlint] in a sibling `<name>.toml`."""
    from tokenlint.config import load_config

    toml = path.with_suffix(".toml")
    if toml.is_file():
        return load_config(toml, explicit=True)
    return Config()


def _copy(path: Path, tmp_path: Path) -> Path:
    dest = tmp_path / path.name
    shutil.copy(path, dest)
    return dest


@pytest.mark.parametrize("path", list(cases()), ids=lambda p: p.name)
def test_rule_reports_exactly_the_marked_lines(path, tmp_path):
    code = code_of(path)
    assert code in BY_CODE, f"{path.name}: no rule {code}"
    src = _copy(path, tmp_path)
    result = analyse([src], config_for(path).with_overrides(select=(code,)), root=tmp_path, today=TODAY)
    got = [(f.row, f.column) for f in result.findings if f.code == code]
    want = expected(path, code)
    assert want or "clean" in path.name, f"{path.name} marks no expected finding"
    assert sorted({r for r, _ in got}) == sorted({r for r, _ in want}), f"{path.name}: lines differ"
    for row, col in want:
        if col is not None:
            assert (row, col) in got, f"{path.name}:{row}: expected column {col}, got {got}"


@pytest.mark.parametrize("path", list(cases()), ids=lambda p: p.name)
def test_fix_output_is_exact_valid_and_idempotent(path, tmp_path):
    code = code_of(path)
    fixed_path = path.with_name(path.name[:-3] + ".fixed.py")
    cfg = config_for(path).with_overrides(select=(code,))
    src = _copy(path, tmp_path)
    run = fix([src], cfg, unsafe=True, today=TODAY, root=tmp_path)
    original = path.read_text(encoding="utf-8")
    new = run.fixed[src].decode("utf-8") if src in run.fixed else original
    assert not [f.error for f in run.files if f.error]
    if not fixed_path.is_file():
        assert new == original, f"{path.name}: fixed but has no .fixed.py"
        return
    assert new == fixed_path.read_text(encoding="utf-8")
    compile(new, str(fixed_path), "exec")
    libcst.parse_module(new)
    # silent afterwards (no fixable finding of this rule), and a second fix changes nothing
    src.write_text(new, encoding="utf-8")
    again = fix([src], cfg, unsafe=True, today=TODAY, root=tmp_path)
    assert src not in again.fixed
    assert not [f for f in again.result.findings if f.code == code and f.fix is not None]


@pytest.mark.parametrize("path", [p for p in cases() if p.with_name(p.name[:-3] + ".fixed.py").is_file()],
                         ids=lambda p: p.name)
def test_unsafe_fixes_need_the_flag(path, tmp_path):
    code = code_of(path)
    rule = BY_CODE[code]
    src = _copy(path, tmp_path)
    run = fix([src], config_for(path).with_overrides(select=(code,)), unsafe=False, today=TODAY, root=tmp_path)
    if rule.fix_safety == "unsafe":
        assert src not in run.fixed
    else:
        assert src in run.fixed


@pytest.mark.parametrize("path", list(cases()), ids=lambda p: p.name)
def test_safe_fixes_keep_every_comment(path, tmp_path):
    code = code_of(path)
    src = _copy(path, tmp_path)
    run = fix([src], config_for(path).with_overrides(select=(code,)), unsafe=False, today=TODAY, root=tmp_path)
    if src not in run.fixed:
        return
    before = [t for t in re.findall(r"#[^\n]*", path.read_text(encoding="utf-8"))]
    after = run.fixed[src].decode("utf-8")
    for comment in before:
        assert comment in after
