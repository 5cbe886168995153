"""The record of data files read for prompts (templates.READS) is shared between analysed files until
something new is read: a template missing at the first run, then created, must make the cached result
of the file that reads it stale, even when another file was analysed first."""

import datetime as dt

import pytest

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve import templates

POLICY = "Follow the support policy carefully. " * 120

OTHER = """from anthropic import Anthropic

def f(q):
    return Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": q}])
"""

CHAT = '''from pathlib import Path
from anthropic import Anthropic

def ask(user):
    system = (Path(__file__).parent / "prompts" / "sys.txt").read_text()
    return Anthropic().messages.create(model="claude-sonnet-4-5", max_tokens=64, system=system.format(user=user),
                                       messages=[{"role": "user", "content": "q"}])
'''


def _run(root, cache):
    got = analyse([root / "a_other.py", root / "b_chat.py"], Config().with_overrides(select=("TKL301",)), root=root,
                  today=dt.date(2026, 12, 4), cache_dir=cache, jobs=1)
    return sorted((f.path, f.row) for f in got.findings)


def test_template_created_after_a_cached_run_is_seen(tmp_path):
    root = tmp_path / "proj"
    (root / "prompts").mkdir(parents=True)
    (root / "a_other.py").write_text(OTHER)
    (root / "b_chat.py").write_text(CHAT)
    cache = tmp_path / "cache"
    assert _run(root, cache) == []  # the template does not exist yet: nothing to say
    (root / "prompts" / "sys.txt").write_text("You answer for {user}.\n" + POLICY)
    uncached = _run(root, None)
    assert uncached, "the dynamic-first template should be reported"
    assert _run(root, cache) == uncached


@pytest.mark.parametrize("change", [lambda r: r.update({"x": None}), lambda r: r.pop("x", None),
                                    lambda r: r.popitem(), lambda r: r.__delitem__("x")])
def test_reads_refuses_changes_it_would_not_count(change):
    with pytest.raises(TypeError):
        change(templates.READS)
