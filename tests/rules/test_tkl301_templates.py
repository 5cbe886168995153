"""TKL301 on prompts kept in files (issue 16, item 1): Jinja2 templates from a FileSystemLoader,
`Path(...).read_text()` and `open(...).read()` text with `.format` fields are read as data; `{{ x }}`
and `{x}` are the dynamic parts. A missing, binary, huge or broken template makes the prompt unknown
(no finding, no crash), and a file is read at most once per run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve import templates

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = '''from pathlib import Path

from anthropic import Anthropic
from jinja2 import Environment, FileSystemLoader

client = Anthropic()
env = Environment(loader=FileSystemLoader(Path(__file__).parent / "prompts"))
PLAIN = (Path(__file__).parent / "prompts" / "plain.txt").read_text()


def ask(system, q):
    return client.messages.create(model="claude-sonnet-5", max_tokens=64, system=system,
                                  messages=[{"role": "user", "content": q}])


def jinja(user):
    system = env.get_template("late.j2").render(user=user)
    return ask(system, "q")


def formatted(user):
    return ask(PLAIN.format(user=user), "q")


def opened(user):
    with open("prompts/plain.txt") as fh:
        text = fh.read()
    return ask(text.format(user=user), "q")


def static_first(user):
    return ask(env.get_template("early.j2").render(user=user), "q")


def unknown(user):
    for name in ("broken.j2", "nope.j2", "huge.j2"):
        ask(env.get_template(name).render(user=user), "q")
    ask(Path("prompts/binary.txt").read_text().format(user=user), "q")
    return ask(env.get_template("control.j2").render(user=user), "q")
'''

FILES = {
    "prompts/late.j2": "Hello {{ user }}.\n" + POLICY + "{# a comment #}",
    "prompts/plain.txt": "You answer for {user}.\n" + POLICY,
    "prompts/early.j2": POLICY + "\nThe user is {{ user }}.",
    "prompts/broken.j2": "Hello {{ user \n" + POLICY,
    "prompts/control.j2": "{% include 'header.j2' %}Hello {{ user }}.\n" + POLICY,
}


def make(root: Path) -> None:
    project(root, {"app.py": APP, **FILES})
    (root / "prompts" / "binary.txt").write_bytes(b"\x00\x01{user}" + POLICY.encode())
    (root / "prompts" / "huge.j2").write_text("{{ user }}" + "x" * (templates.MAX_BYTES + 1))


def findings(root: Path):
    return analyse([root], Config().with_overrides(select=("TKL301",)), root=root,
                   today=dt.date(2026, 12, 4)).findings


def test_templates_read_as_data_decide_static_and_dynamic(tmp_path):
    make(tmp_path)
    got = sorted((f.row, f.column, f.message) for f in findings(tmp_path))
    assert [(r, c) for r, c, _ in got] == [(18, 16), (22, 16), (28, 16)]
    assert all("ask()" in m for _, _, m in got)
    assert ["~1,110 tokens" in m and "claude-sonnet-5 is 1,024" in m for _, _, m in got] == [True] * 3


def test_a_file_is_read_once_per_run(tmp_path, monkeypatch):
    make(tmp_path)
    templates._CACHE.clear()
    reads: list[str] = []
    real = Path.read_bytes

    def counting(self):  # type: ignore[no-untyped-def]
        if "prompts" in self.parts:
            reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    findings(tmp_path)
    assert reads.count("plain.txt") == 1 and "huge.j2" not in reads and "nope.j2" not in reads


def test_jinja_parts():
    assert templates.jinja_parts("a{{ x }}bc{% if y %}d{% endif %}{# c #}e") == [
        ("static", 1), ("dynamic", 0), ("static", 2), ("unknown", 0), ("static", 1), ("unknown", 0), ("static", 1)]
    assert templates.jinja_parts("a {{ x ") is None
    assert templates.jinja_parts("") == []


def test_no_file_outside_the_project_is_read(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Hi {user}.\n" + POLICY)
    root = tmp_path / "proj"
    project(root, {"app.py": APP.replace('(Path(__file__).parent / "prompts" / "plain.txt")',
                                         '(Path(__file__).parent / ".." / "secret.txt")'), **FILES})
    rows = [f.row for f in findings(root)]
    assert 22 not in rows


def cached(root: Path, cache: Path, paths=None):
    got = analyse(paths or [root], Config().with_overrides(select=("TKL301",)), root=root,
                  today=dt.date(2026, 12, 4), cache_dir=cache)
    return sorted(f.row for f in got.findings)


def test_editing_a_template_is_seen_by_cached_runs(tmp_path):
    """A result cache keyed on Python files alone would replay a finding about a template that has
    since been fixed: every cached result carries the templates it read, and is reused only while
    they are the same (the run record, the per-file entries and an incremental run alike)."""
    root, cache = tmp_path / "proj", tmp_path / "cache"
    make(root)
    (root / "other.py").write_text("x = 1\n")
    first = cached(root, cache)
    assert 22 in first and 28 in first
    assert cached(root, cache) == first  # replayed
    plain = root / "prompts" / "plain.txt"
    plain.write_text(POLICY + "\nYou answer for {user}.")  # static text first now: nothing to report
    assert cached(root, cache) == [r for r in first if r not in (22, 28)]
    plain.write_text("You answer for {user}.\n" + POLICY)
    (root / "other.py").write_text("x = 2\n")  # an incremental run: one Python file changed as well
    assert cached(root, cache) == first
    named = [root / "app.py"]  # a named-file run: per-file cache entries only
    assert cached(root, cache, named) == first
    plain.unlink()
    assert 22 not in cached(root, cache, named)
    assert cached(root, cache) == cached(root, None)
