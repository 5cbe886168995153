"""Caps and linear time: repository bytes cannot make the gate run for minutes or eat the runner's memory.

Each input below took from 30 s to hours on the regexes it targets (super-linear backtracking);
each call runs in a fresh interpreter under a small timeout, since a regex match in progress holds
the interpreter and cannot be interrupted from inside it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.security.clones import attack_and_clean, gate

UNTAGGED = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    "def ask(q):\n"
    "    return client.chat.completions.create(model='gpt-4o-2024-08-06', messages=[{'role': 'user', 'content': q}])\n"
)

SECONDS = 20  # generous on a loaded 2-core machine; the old code took minutes on every input here


def finishes(code: str, seconds: float = SECONDS) -> str:
    """Run `code` in a fresh interpreter and return what it prints; fail if it runs over `seconds`."""
    try:
        done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {seconds} s: super-linear on repository bytes")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# ------------------------------------------------------------------ regexes on file bytes


def test_from_import_regex_is_linear_on_dots_and_unclosed_parentheses():
    out = finishes("""
        from tokenlint.prefilter import FROM_IMPORT
        dots = b"from " + b"." * 200_000 + b"x\\n"            # 7 s at 20 KB, quadratic
        parens = b"from a import (\\n" * 20_000                # each scanned to the end of the file
        print(len(list(FROM_IMPORT.finditer(dots))), len(list(FROM_IMPORT.finditer(parens))))
    """)
    assert out == "0 20000"


def test_from_import_regex_still_reads_imports():
    from tokenlint.prefilter import FROM_IMPORT

    raw = b"from . import a\nfrom ..pkg.mod import (b,\n  c)\nfrom x import y as z  # note\n"
    got = [(len(m.group(1)), m.group(2), m.group(3).strip()) for m in FROM_IMPORT.finditer(raw)]
    assert got == [(1, b"", b"a"), (2, b"pkg.mod", b"(b,\n  c)"), (0, b"x", b"y as z")]


class _Module:
    def __init__(self, dotted: str, relpath: str, raw: bytes = b"") -> None:
        self.dotted, self.relpath, self.raw = dotted, relpath, raw


def test_import_matcher_is_linear_on_many_imports_per_line():
    out = finishes("""
        from tokenlint.prefilter import ImportMatcher
        class M:
            def __init__(self, dotted, relpath, raw=b""):
                self.dotted, self.relpath, self.raw = dotted, relpath, raw
        matcher = ImportMatcher([M("app.llm", "app/llm.py")], {M("app", "app/__init__.py"): frozenset({"ask"})})
        attacks = [b"from . import x " * 18_000,               # one line: each import scanned the rest of it
                   b"from app import x " * 18_000,
                   b"from . import (\\n" * 18_000,               # no closing parenthesis
                   b"from " + b"." * 200_000 + b"x\\n"]
        print([matcher.imports(M("", "app/x.py", raw)) for raw in attacks])
    """)
    assert out == "[False, False, False, False]"


@pytest.mark.parametrize("raw, rel", [
    (b"from app import (\n    llm,\n)\n", "app/x.py"),
    (b"from app import ask\n", "app/x.py"),
    (b"from . import \\\n    llm\n", "app/x.py"),
    (b"from .llm import ask\n", "app/x.py"),
    (b"from ..app.llm import ask\n", "app/sub/x.py"),
    (b"from . import important, llm\n", "app/x.py"),
    (b"import app.llm as l\n", "b/x.py"),
], ids=["parenthesised", "package-name", "continued", "relative", "relative-dotted", "after-keyword-prefix",
        "import-as"])
def test_import_matcher_still_finds_imports(raw, rel):
    from tokenlint.prefilter import ImportMatcher

    matcher = ImportMatcher([_Module("app.llm", "app/llm.py")], {_Module("app", "app/__init__.py"): frozenset({"ask"})})
    assert matcher.imports(_Module("", rel, raw))


@pytest.mark.parametrize("raw", [b"from . import x\n", b"from . import x\nimport llm_tools\n",
                                 b"from app import settings\n"])
def test_import_matcher_still_rejects_other_imports(raw):
    from tokenlint.prefilter import ImportMatcher

    matcher = ImportMatcher([_Module("app.llm", "app/llm.py")], {_Module("app", "app/__init__.py"): frozenset({"ask"})})
    assert not matcher.imports(_Module("", "app/x.py", raw))


@pytest.mark.parametrize("raw, rel, expected", [
    (b"import app\n", "b/x.py", True),                          # the re-exporting package itself
    (b"import app.tools\n", "b/x.py", False),                   # another module of it
    (b"from app import *\n", "b/x.py", True),
    (b"from app import (\n    settings,\n    ask as a,\n)\n", "b/x.py", True),
    (b"from app import settings\nask = 1\n", "b/x.py", False),  # the name outside the import list
    (b"from app.llm.sub import x\n", "b/x.py", True),            # below the module
    (b"from app.llmx import x\n", "b/x.py", False),
    (b"from .app import ask\n", "x.py", True),                  # the package, relative, from its folder
    (b"from .app import settings\n", "x.py", False),
    (b"from . import app\n", "x.py", True),
    (b"from .llm import ask\n", "other/x.py", False),           # relative, from outside the folder
    (b"from .llm import ask\n", "app/deep/x.py", True),         # relative, from below it
], ids=["bare-package", "other-submodule", "star", "parenthesised-alias", "name-elsewhere", "below-module",
        "longer-name", "relative-package", "relative-package-other-name", "relative-package-listed",
        "relative-outside", "relative-below"])
def test_import_matcher_forms(raw, rel, expected):
    from tokenlint.prefilter import ImportMatcher

    matcher = ImportMatcher([_Module("app.llm", "app/llm.py")], {_Module("app", "app/__init__.py"): frozenset({"ask"})})
    assert matcher.imports(_Module("", rel, raw)) is expected


def test_import_matcher_rounds_share_heads_but_not_stale_bytes():
    """The matchers of one run share each file's import heads; new bytes under the same path are read anew."""
    from tokenlint.prefilter import ImportMatcher

    heads: dict = {}
    first = ImportMatcher([_Module("app.llm", "app/llm.py")], heads=heads)
    assert not first.imports(_Module("", "b/x.py", b"from app.tools import x\n"))
    second = ImportMatcher([_Module("app.tools", "app/tools.py")], heads=heads)
    assert second.imports(_Module("", "b/x.py", b"from app.tools import x\n"))
    assert not second.imports(_Module("", "b/x.py", b"from app.other import x\n"))


def test_percent_format_regex_is_linear():
    out = finishes("""
        from tokenlint.resolve.pieces import PERCENT_FIELD
        zeros = "%" + "0" * 200_000 + "!"    # flags and width traded zeros: 3.7 s at 8 KB
        keys = "%(" * 100_000                # each unclosed key scanned to the end
        print(len(PERCENT_FIELD.findall(zeros)), len(PERCENT_FIELD.findall(keys)))
    """)
    assert out == "0 0"


def test_percent_format_regex_still_reads_fields():
    from tokenlint.resolve.pieces import PERCENT_FIELD

    got = [m.groups() for m in PERCENT_FIELD.finditer("%(name)s %05d %-10.3f %% %0*d")]
    assert got == [("name", "s"), (None, "d"), (None, "f"), (None, "%"), (None, "d")]


# ------------------------------------------------------------------ ignore patterns


def test_gitignore_patterns_run_in_linear_time():
    out = finishes("""
        from tokenlint.ignorespec import Spec
        stars = Spec(["a*a*a*a*a*a*b"]).check("a" * 5_000 + ".py")
        deep = Spec(["**/a/**/a/**/a/**/b"]).check("a/" * 1_000 + "x.py")
        excluded = Spec(["**/a/**/a/**/a/**/x.py"]).check("a/" * 1_000 + "x.py")
        print(stars, deep, excluded)
    """)
    assert out == "None None True"


_CASES = ["a*a*b", "**/a/**/b", "*a*", "x/**", "a**b/", "**/a/*/b/", "[!a]*.py", "!keep/**/x*y*z.py",
          "a/**/b/**/c", "*.py", "build/", "/top*/**"]
_NAMES = ["a", "b", "ab", "aab", "x", "keep", "xyz.py", "xaybz.py", "top1", "c", "q.py", "build"]


def test_the_linear_machine_gives_pythons_answer_on_every_pattern():
    """The machine runs a regex the way `re` does (leftmost-first, with the folder mark pathspec
    reads): checked pattern by pattern, forced onto the machine even where `re` would be used."""
    import itertools

    import pathspec

    from tokenlint.ignorespec import DIR_MARK, Machine

    paths = ["/".join(p) + end for n in (1, 2, 3) for p in itertools.product(_NAMES[:8], repeat=n)
             for end in ("", "/")][:1500] + ["top1/a/b/c", "a/x/b/y/c/", "keep/q/xaybz.py"]
    for p in pathspec.GitIgnoreSpec.from_lines(_CASES).patterns:
        if p.regex is None:
            continue
        machine = Machine(p.regex)
        for rel in paths:
            m = p.regex.search(rel)
            want = None if m is None else bool(m.groupdict().get(DIR_MARK))
            assert machine.search(rel) == want, (p.regex.pattern, rel)


def test_a_deep_folder_under_a_one_line_gitignore_does_not_stall_the_gate(tmp_path):
    deep = "/".join(["a"] * 150)
    clean, attacked = attack_and_clean(
        tmp_path, {"pyproject.toml": "[tool.tokenlint]\n", "app/llm.py": UNTAGGED},
        {".gitignore": "**/a/**/a/**/a/**/a/**/z\n", f"{deep}/mod.py": "x = 1\n"})
    runner = tmp_path / "runner"
    want = gate(clean, runner, "check", "--no-cache", "--format", "json", ".")
    got = gate(attacked, runner, "check", "--no-cache", "--format", "json", ".", timeout=60)
    assert want.code == 1 and (got.code, got.out) == (want.code, want.out)


def test_excluding_globs_in_the_config_run_in_linear_time(tmp_path):
    from tokenlint.discovery import Excluder

    out = finishes(f"""
        from pathlib import Path
        from tokenlint.discovery import Excluder
        ex = Excluder(Path("/r"), ["**/a/**/a/**/a/**/b", "a*a*a*a*a*a*b"])
        print(ex.excluded_str("/r/" + "a/" * 1_000 + "x.py", "/r", False), ex.excluded_str("/r/" + "a" * 5000, "/r", True))
    """)
    assert out == "False False"
    assert Excluder(Path("/r"), ["gen/"]).excluded(Path("/r/gen"), True)


# ------------------------------------------------------------------ file size


def test_a_file_over_the_cap_is_tkl000_and_never_read(tmp_path, monkeypatch):
    from tokenlint.config import Config
    from tokenlint.engine import analyse
    import tokenlint.project

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "llm.py").write_text(UNTAGGED)
    big = tmp_path / "app" / "big.py"
    big.write_text("# " + "x" * 3000 + "\n" + UNTAGGED)
    reads: list[int] = []
    real_read = tokenlint.project.os.fdopen

    def counting_fdopen(fd, *a, **k):  # type: ignore[no-untyped-def]
        fh = real_read(fd, *a, **k)
        if tokenlint.project.os.fstat(fd).st_size > 3000:
            reads.append(fd)
        return fh

    monkeypatch.setattr(tokenlint.project.os, "fdopen", counting_fdopen)
    result = analyse([tmp_path], Config(max_file_size=2000, root=tmp_path), root=tmp_path)
    by_file = {f.path: [(x.code, x.message) for x in f.findings] for f in result.files}
    size = big.stat().st_size
    assert by_file["app/big.py"] == [("TKL000", f"file too large: {size:,} bytes (max-file-size is 2,000)")]
    assert [c for c, _ in by_file["app/llm.py"]].count("TKL101") == 1
    assert reads == []  # refused from its size, before a byte was read
    assert tokenlint.project.MAX_FILE_SIZE == 2 * 1024 * 1024  # the run's cap does not outlive it


def test_max_file_size_is_read_from_the_config_and_checked(tmp_path, cli):
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\nmax-file-size = 100\n")
    (tmp_path / "big.py").write_text("x = 1\n" * 40)
    r = cli(tmp_path, "check", "--no-cache", ".")
    assert r.exit_code == 1 and "big.py:1:1: TKL000 file too large: 240 bytes (max-file-size is 100)" in r.output
    (tmp_path / "pyproject.toml").write_text("[tool.tokenlint]\nmax-file-size = \"big\"\n")
    r = cli(tmp_path, "check", "--no-cache", ".")
    assert r.exit_code == 2 and "max-file-size" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------------ deep recursion


def test_a_recursion_error_while_resolving_a_site_is_tkl000_not_a_dropped_site(tmp_path, monkeypatch):
    from tokenlint.resolve.resolver import Resolver
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    (tmp_path / "deep.py").write_text(UNTAGGED)
    (tmp_path / "fine.py").write_text(UNTAGGED.replace("ask", "ask2") + "print(len([1]))\n")
    real = Resolver._site_for

    def too_deep(self, rec):  # type: ignore[no-untyped-def]
        func = rec.node.func
        if rec.scope.module.source.relpath == "deep.py" or getattr(func, "id", "") in ("print", "len"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, rec)

    monkeypatch.setattr(Resolver, "_site_for", too_deep)
    result = analyse([tmp_path], Config(root=tmp_path), root=tmp_path, prefilter=False)
    by_file = {f.path: f for f in result.files}
    assert [(x.code, x.message) for x in by_file["deep.py"].findings] == [
        ("TKL000", "cannot analyse: expression nested too deeply")]
    # a call that cannot be a request (print, len) hitting the limit is not a site to lose
    assert [x.code for x in by_file["fine.py"].findings].count("TKL101") == 1
    assert "TKL000" not in [x.code for x in by_file["fine.py"].findings]


def test_an_internal_error_on_one_file_is_tkl000_and_the_run_goes_on(tmp_path, monkeypatch):
    """A tokenlint bug met on one file (any exception while resolving it) is reported on that file, on
    one line naming the error, and every other file is still analysed; TOKENLINT_RAISE gives the
    developer the traceback instead."""
    from tokenlint.resolve.resolver import Resolver
    from tokenlint.config import Config
    from tokenlint.engine import analyse

    (tmp_path / "bad.py").write_text(UNTAGGED)
    (tmp_path / "fine.py").write_text(UNTAGGED.replace("ask", "ask2"))
    real = Resolver._site_for

    def broken(self, rec):  # type: ignore[no-untyped-def]
        if rec.scope.module.source.relpath == "bad.py":
            raise AttributeError("'Call' object has no attribute 'lineno'\nsecond line")
        return real(self, rec)

    monkeypatch.setattr(Resolver, "_site_for", broken)
    monkeypatch.delenv("TOKENLINT_RAISE", raising=False)
    result = analyse([tmp_path], Config(root=tmp_path), root=tmp_path, prefilter=False)
    by_file = {f.path: f for f in result.files}
    assert [(x.code, x.message) for x in by_file["bad.py"].findings] == [
        ("TKL000", "cannot analyse: internal error (AttributeError: 'Call' object has no attribute 'lineno');"
                   " please report it")]
    assert "TKL101" in [x.code for x in by_file["fine.py"].findings]
    assert "TKL000" not in [x.code for x in by_file["fine.py"].findings]
    monkeypatch.setenv("TOKENLINT_RAISE", "1")
    with pytest.raises(AttributeError):
        analyse([tmp_path], Config(root=tmp_path), root=tmp_path, prefilter=False)


def test_a_recursion_error_inside_a_rule_is_tkl000_not_a_lost_finding(tmp_path, monkeypatch):
    from tokenlint.config import Config
    from tokenlint.engine import analyse
    from tokenlint.rules import ineffective_cache_breakpoint

    def too_deep(site):  # type: ignore[no-untyped-def]
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(ineffective_cache_breakpoint, "breakpoints", too_deep)
    (tmp_path / "app.py").write_text(UNTAGGED)
    result = analyse([tmp_path], Config(root=tmp_path, select=("TKL",)), root=tmp_path)
    assert [(x.code, x.message) for x in result.findings] == [
        ("TKL000", "cannot analyse: expression nested too deeply")]


def test_a_spec_with_guarded_machine_patterns_answers_as_pathspec():
    """Patterns that need the machine are tried only on paths holding their literal (`*replit*`:
    "replit"), beside a prefilter of the others; the verdicts stay pathspec's."""
    import itertools

    import pathspec

    from tokenlint.ignorespec import Spec

    lines = ["*replit*", "**/*qa*.db", "build/", "!keep/**/*.db", "*.py[cod]", "a*b*c"]
    names = ["replit", "my_replit_x", "qa.db", "xqay.db", "build", "keep", "m.pyc", "abc", "axbyc", "z"]
    paths = ["/".join(p) + end for n in (1, 2, 3) for p in itertools.product(names, repeat=n) for end in ("", "/")]
    ours, theirs = Spec(lines), pathspec.GitIgnoreSpec.from_lines(lines)
    assert ours.needles == ["replit", ".db", "a"]  # each pattern run on the machine, with its literal
    for rel in paths:
        assert ours.match(rel) == theirs.match_file(rel), rel
