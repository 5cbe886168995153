"""--fix on a file written with Python 3.12 type parameters (PEP 695), read by an older Python.

The analysis reads such a file through `typeparams.lower_type_params`; a fix is written only when the
fixed text parses with LibCST (which reads the 3.12 grammar) and its lowered text compiles: a fix never
writes a file that no longer parses, and a real syntax error is still refused."""

from __future__ import annotations

import ast

import libcst

from projects import make

from tokenlint.fixes import check_parses
from tokenlint.typeparams import lower_type_params

GENERIC = '''\
from openai import OpenAI

client = OpenAI()
type Pair[T] = tuple[T, T]


class Box[T: (str, bytes)]:
    def ask(self, text: T):
        return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''


def _fix(run, root):  # type: ignore[no-untyped-def]
    """`check --fix` of TKL101 (an unsafe fix) on the project at `root`."""
    return run(root, "check", "--no-cache", "--select", "TKL101", "--fix", "--unsafe-fixes", ".")


def test_a_generic_file_is_fixed_and_still_parses(tmp_path, run):
    root = make(tmp_path / "p", {"gen.py": GENERIC})
    r = _fix(run, root)
    assert r.exit_code == 0, r.stdout + r.stderr
    fixed = (root / "gen.py").read_text(encoding="utf-8")
    assert fixed != GENERIC and "class Box[T: (str, bytes)]:" in fixed and "type Pair[T]" in fixed
    libcst.parse_module(fixed)
    ast.parse(lower_type_params(fixed))
    again = _fix(run, root)
    assert again.exit_code == 0 and (root / "gen.py").read_text(encoding="utf-8") == fixed


def test_check_parses_accepts_type_parameters_and_refuses_real_errors():
    assert check_parses("class Box[T]:\n    def get[U](self, u: U) -> U:\n        return u\n") is None
    assert check_parses("type Alias = list[int]\n") is None
    assert check_parses("class Box[T]:\n    return = 1\n") is not None
    assert check_parses("class Box[T:\n    pass\n") is not None
    assert check_parses("def f(:\n    pass\n") is not None


def test_lowering_leaves_strings_and_comments_alone():
    text = 'x = "class A[T]: pass"  # def f[T](): type X = 1\nclass B[T]:\n    y = "[T]"\n'
    lowered = lower_type_params(text)
    assert lowered is not None
    assert lowered.splitlines()[0] == text.splitlines()[0]
    assert lowered.splitlines()[2] == text.splitlines()[2]
    assert lowered.splitlines()[1] == "class B   :"


FSTRINGS = '''\
from openai import OpenAI

client = OpenAI()


def ask(row):
    text = f"{row["name"]}: {"\\n".join(row["lines"])}"
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
'''


def test_a_pep701_file_is_fixed_written_as_it_was_and_still_parses(tmp_path, run):
    from tokenlint.fstrings import lower_fstrings

    root = make(tmp_path / "p", {"fmt.py": FSTRINGS})
    r = _fix(run, root)
    assert r.exit_code == 0, r.stdout + r.stderr
    fixed = (root / "fmt.py").read_text(encoding="utf-8")
    # the fix went in, and the f-string is kept as the user wrote it (the lowering is only for reading)
    assert fixed != FSTRINGS and 'f"{row["name"]}: {"\\n".join(row["lines"])}"' in fixed
    libcst.parse_module(fixed)
    assert check_parses(fixed) is None
    ast.parse(lower_fstrings(fixed))  # the lowered text compiles on any Python this runs on
    again = _fix(run, root)
    assert again.exit_code == 0 and (root / "fmt.py").read_text(encoding="utf-8") == fixed


def test_a_fix_that_breaks_a_pep701_file_is_refused():
    # valid 3.12 before; an unclosed bracket after: no lowering can save it
    assert check_parses(FSTRINGS.replace('row["lines"])}"', 'row["lines"]}"')) is not None


def test_a_pep701_file_with_cr_line_ends_is_fixed_or_left_with_a_reason(tmp_path, run):
    # old Mac line ends: the lowering reads lines as Python does, never past the end of one
    src = FSTRINGS.replace('f"{row["name"]}: {"\\n".join(row["lines"])}"',
                           'f"""{row[\n"name"]}: {"\\n".join(row["lines"])}"""').replace("\n", "\r")
    root = make(tmp_path / "p", {"fmt.py": src})
    (root / "fmt.py").write_bytes(src.encode("utf-8"))
    r = _fix(run, root)
    assert "Traceback" not in r.stderr and r.exit_code == 0, r.stderr
    fixed = (root / "fmt.py").read_bytes().decode("utf-8")
    assert "\n" not in fixed and check_parses(fixed) is None
