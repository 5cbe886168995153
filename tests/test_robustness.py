"""Robustness: whatever a repository holds, tokenlint reports it and goes on; `--fix` never mangles a
file, and keeps what it does not fix byte for byte.

Two halves:
- generated programs: random valid modules (hypothesmith) and random modules that call LLM SDKs in
  random surroundings, layouts, line endings and encodings (the `llm_program` strategy here), so
  every fix path runs, not only the no-op one;
- hostile and odd files, one test each: syntax errors, null bytes, undecodable bytes, BOM, CRLF /
  CR / mixed line endings, tabs, a 10 MB file, deep nesting, newer syntax, empty files, folders
  named x.py, symlink loops and links out of the tree, pipes, unreadable and read-only files, a file
  deleted during the run.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from projects import make

import tokenlint.engine as engine
from tokenlint.config import Config
from tokenlint.engine import analyse, fix
from tokenlint.fixes import check_parses
from tokenlint.project import _parse_type_params
from tokenlint.fstrings import parse_fstrings
from tokenlint.report import ci, inventory
from tokenlint.report import findings as report_findings

REPO = Path(__file__).resolve().parent.parent
RULE_FIXTURES = REPO / "fixtures" / "rules"
TODAY = dt.date(2026, 11, 29)
GENERATED = settings(max_examples=100, deadline=None, database=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))

HEADER = "from openai import OpenAI\n\nclient = OpenAI()\n"
UNTAGGED_CALL = 'client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])\n'
UNTAGGED = HEADER + UNTAGGED_CALL


# ------------------------------------------------------------------ helpers






def tokenlint_proc(cwd: Path, *args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """`python -m tokenlint ARGS` as a real process (for hangs, signals, permissions). On a hang, the
    whole process group is killed, worker processes included, and the test fails."""
    cmd = [sys.executable, "-m", "tokenlint", *args]
    with subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kw) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"tokenlint {' '.join(args)} did not finish in {timeout} s")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr)


def json_findings(stdout: str) -> list[dict]:
    return json.loads(stdout) if stdout.strip() else []


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their own endings, as Python reads them (\\r\\n, \\r or \\n)."""
    return re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", data)


def endings(data: bytes) -> set[bytes]:
    return {m.group() for m in re.finditer(rb"\r\n|\r|\n", data)}


def assert_valid_python(text: str) -> None:
    compile(text, "<fixed>", "exec", dont_inherit=True)
    libcst.parse_module(text)


SINKS = ("helicone", "litellm", "bedrock", "vertex")  # every kind of tag TKL101's fix writes


def run_everything(paths: list[Path], root: Path) -> engine.RunResult:
    """check (every rule, no prefilter) and inventory, through every renderer: none may raise."""
    cfg = Config(root=root, attribution=SINKS)
    result = analyse(paths, cfg, root=root, prefilter=False, today=TODAY)
    found = result.findings
    report_findings.text(found, unsafe=True)
    json.loads(report_findings.as_json(found))
    json.loads(ci.sarif(found, result.lines_of))
    inv = analyse(paths, cfg, rules=[], root=root, prefilter=False, today=TODAY)
    data = inventory.build(inv.sites, root, len(inv.files))
    for render in inventory.RENDERERS.values():
        render(data)
    return result


# ------------------------------------------------------------------ generated programs: hypothesmith


@GENERATED
@given(source=st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node()))
def test_random_valid_programs_never_crash_and_are_never_changed(source):
    try:
        compile(source, "<generated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        assume(False)
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        path = root / "generated.py"
        path.write_bytes(source.encode("utf-8"))
        result = run_everything([path], root)
        assert not [f for f in result.findings if f.code == "TKL000"], source
        run = fix([path], Config(root=root, attribution=SINKS), unsafe=True, today=TODAY, root=root)
        assert not [ff.error for ff in run.files if ff.error]
        fixable = [f for f in result.findings if f.fix is not None]
        if not fixable:
            assert run.fixed == {}, "valid code without a fixable finding must come back byte for byte"


# ------------------------------------------------------------------ generated programs: LLM calls

LONG_RULES = ("Answer the customer's question using only the documentation excerpts below. Quote the "
              "excerpt you relied on, say so plainly when the excerpts do not cover the question, and "
              "never invent product names, prices, dates or policies that do not appear in them.")

MODELS = {
    "openai": ['"gpt-4o"', '"gpt-4o-2024-08-06"', '"gpt-3.5-turbo-0301"', "MODEL", 'os.getenv("LLM_MODEL", "gpt-4o")',
               '"o1-preview"', "model"],
    "anthropic": ['"claude-3-5-sonnet-latest"', '"claude-3-opus-20240229"', '"claude-sonnet-5"', "MODEL", "model"],
    "litellm": ['"gpt-4o"', '"anthropic/claude-3-5-sonnet-latest"', '"openai/gpt-4o-2024-08-06"', "MODEL", "model"],
    "bedrock": ['"anthropic.claude-3-sonnet-20240229-v1:0"', '"anthropic.claude-opus-5"', "MODEL", "model"],
    "langchain": ['"gpt-4o"', '"gpt-4o-2024-08-06"', "MODEL", "model"],
}
MESSAGES = [
    "[]",
    '[{"role": "user", "content": q}]',
    '[{"role": "user", "content": q}, {"role": "system", "content": RULES}]',
    '[*history, {"role": "system", "content": RULES}]',
    '[{"role": "system", "content": f"Hello {name}.\\n\\n{RULES}"}, {"role": "user", "content": q}]',
    '[{"role": "system", "content": RULES + name}, {"role": "user", "content": q}]',
]
TAGS = {
    "openai": ["", 'metadata={"feature": "faq"}', 'metadata={"user": "u1"}', 'extra_headers={"X-Feature": "faq"}'],
    "anthropic": ["", 'extra_headers={"X-Feature": "faq"}', 'metadata={"user_id": "u1"}'],
    "litellm": ["", 'metadata={"tags": ["feature:faq"]}', 'metadata={"user": "u1"}'],
    "bedrock": ["", 'requestMetadata={"feature": "faq"}'],
    "langchain": [""],
}


@st.composite
def llm_call(draw, sdk: str, indent: str) -> str:
    """One SDK call as an expression, laid out in one of the ways people write calls."""
    model = draw(st.sampled_from(MODELS[sdk]))
    messages = draw(st.sampled_from(MESSAGES))
    tag = draw(st.sampled_from(TAGS[sdk]))
    if sdk == "openai":
        api = draw(st.sampled_from(["chat", "responses", "embeddings"]))
        if api == "responses":
            callee, args = "client.responses.create", [f"model={model}", "input=q"]
            if draw(st.booleans()):
                args.append(draw(st.sampled_from(["instructions=RULES", 'instructions=f"For {name}: {RULES}"'])))
        elif api == "embeddings":
            callee, args = "client.embeddings.create", [f"model={model}", "input=[q]"]
        else:
            callee, args = "client.chat.completions.create", [f"model={model}", f"messages={messages}"]
    elif sdk == "anthropic":
        callee, args = "claude.messages.create", [f"model={model}", "max_tokens=256", f"messages={messages}"]
        if draw(st.booleans()):
            args.append(draw(st.sampled_from(["system=RULES", 'system=f"You help {name}.\\n\\n{RULES}"',
                                              "system=name + RULES"])))
    elif sdk == "litellm":
        callee = draw(st.sampled_from(["litellm.completion", "litellm.acompletion"]))
        args = [model if draw(st.booleans()) else f"model={model}", f"messages={messages}"]
    elif sdk == "bedrock":
        callee = "bedrock.converse"
        args = [f"modelId={model}", 'messages=[{"role": "user", "content": [{"text": q}]}]']
    else:
        callee, args = f"ChatOpenAI(model={model}).invoke", ["q"]
    if tag:
        args.append(tag)
    args = draw(st.permutations(args)) if draw(st.booleans()) and not (sdk == "litellm" and "=" not in args[0]) \
        else args
    layout = draw(st.sampled_from(["flat", "flat-comma", "one-per-line", "one-per-line-comma", "hanging",
                                   "close-on-last", "commented"]))
    inner = indent + draw(st.sampled_from(["    ", "\t", "  "]))
    if layout == "flat":
        return f"{callee}({', '.join(args)})"
    if layout == "flat-comma":
        return f"{callee}({', '.join(args)},)"
    if layout == "hanging":
        pad = " " * (len(callee) + 1)
        return f"{callee}(" + f",\n{indent}{pad}".join(args) + ")"
    if layout == "close-on-last":
        return f"{callee}(\n" + ",\n".join(inner + a for a in args) + ")"
    if layout == "commented":
        return f"{callee}(  # the call\n" + "".join(f"{inner}{a},  # {i}\n" for i, a in enumerate(args)) + f"{indent})"
    comma = "," if layout.endswith("comma") else ""
    return f"{callee}(\n" + ",\n".join(inner + a for a in args) + f"{comma}\n{indent})"


@st.composite
def llm_program(draw) -> tuple[str, int]:
    """A module that calls LLM SDKs from random surroundings: (source with "\\n" endings, number of calls)."""
    ind = draw(st.sampled_from(["    ", "\t", "  "]))
    filler = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8))
    lines = [
        "import os",
        "import boto3",
        "import litellm",
        "from anthropic import Anthropic",
        "from langchain_openai import ChatOpenAI",
        "from openai import AsyncOpenAI, OpenAI",
        "",
        "client = OpenAI()",
        "claude = Anthropic()",
        'bedrock = boto3.client("bedrock-runtime")',
        f"RULES = {LONG_RULES!r}",
        f"MODEL = {draw(st.sampled_from(['gpt-4o', 'gpt-4o-2024-08-06', 'claude-3-5-sonnet-latest']))!r}",
        f"NOTE = {filler!r}  # {filler!r}",
        "",
    ]
    calls = 0
    for i in range(draw(st.integers(1, 4))):
        sdk = draw(st.sampled_from(sorted(MODELS)))
        where = draw(st.sampled_from(["function", "async", "method", "if", "for", "with", "try", "nested"]))
        head = f"def ask_{i}(q, history=(), name='x', model=MODEL):"
        body_indent = ind
        pre: list[str] = []
        if where == "async":
            head = "async " + head
        elif where == "method":
            lines.append(f"class Bot{i}:")
            head = ind + "def ask(self, q, history=(), name='x', model=MODEL):"
            body_indent = ind * 2
        if where in ("if", "for", "with", "try", "nested"):
            block = {"if": "if q:", "for": "for _ in range(2):", "with": "with open(os.devnull) as fh:",
                     "try": "try:", "nested": "def inner():"}[where]
            pre = [body_indent + block]
            body_indent += ind
        call = draw(llm_call(sdk, body_indent))
        wrap = draw(st.sampled_from(["stmt", "assign", "return", "paren", "lambda", "listcomp", "dict", "semicolon",
                                     "backslash"]))
        if where == "async" and "acompletion" in call and wrap != "lambda":
            call = "await " + call
        if wrap == "assign":
            stmt = f"resp = {call}"
        elif wrap == "return":
            stmt = f"return {call}"
        elif wrap == "paren":
            stmt = f"resp = (\n{body_indent}{ind}{call}\n{body_indent})"
        elif wrap == "lambda":
            stmt = f"later = lambda q=q: {call}"
        elif wrap == "listcomp":
            stmt = f"out = [{call} for q in [q, q]]"
        elif wrap == "dict":
            stmt = f'out = {{"answer": {call}}}'
        elif wrap == "semicolon":
            stmt = f"note = {filler!r}; {call}"
        elif wrap == "backslash":
            stmt = f"resp = \\\n{body_indent}{ind}{call}"
        else:
            stmt = call
        lines.append(head)
        lines.extend(pre)
        lines.append(body_indent + stmt)
        if where == "try":
            lines.append(body_indent[: -len(ind)] + "except Exception:")
            lines.append(body_indent + "raise")
        if where == "nested":
            lines.append(body_indent[: -len(ind)] + "return inner()")
        lines.append("")
        calls += 1
    return "\n".join(lines) + "\n", calls


def encode_variant(source: str, newline: str, bom: bool) -> bytes:
    data = source.replace("\n", newline).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_generated_llm_programs_fix_to_valid_idempotent_code_keeping_line_endings():
    stats: Counter = Counter()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(program=llm_program(), newline=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
    def check(program, newline, bom):
        source, calls = program
        compile(source, "<generated>", "exec", dont_inherit=True)  # the strategy makes valid code
        data = encode_variant(source, newline, bom)
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            path = root / "app.py"
            path.write_bytes(data)
            result = run_everything([path], root)
            assert not [f for f in result.findings if f.code == "TKL000"], source
            assert len(result.sites) >= calls, (len(result.sites), calls, source)
            cfg = Config(root=root, attribution=SINKS)
            run = fix([path], cfg, unsafe=True, today=TODAY, root=root)
            assert not [ff.error for ff in run.files if ff.error], source
            if path not in run.fixed:
                assert not [f for f in result.findings if f.fix is not None], source
                return
            stats["fixed"] += 1
            new = run.fixed[path]
            assert new.startswith(b"\xef\xbb\xbf") == bom and not new.startswith(b"\xef\xbb\xbf" * 2)
            assert endings(new) == {newline.encode()}, (newline, new)
            text = new.decode("utf-8-sig")
            assert_valid_python(text)
            # fixing again changes nothing
            path.write_bytes(new)
            again = fix([path], cfg, unsafe=True, today=TODAY, root=root)
            assert path not in again.fixed, text
            assert not [ff.error for ff in again.files if ff.error]

    check()
    assert stats["fixed"] >= 150, stats  # the fix paths ran, not only the no-op one


# ------------------------------------------------------------------ hostile and odd files, one by one

FIXABLE = HEADER + "\n\ndef ask(q):\n    return " + UNTAGGED_CALL


def hostile_run(cli, root: Path, name: str) -> tuple[list[dict], dict, str]:
    """check, inventory and --fix --unsafe-fixes over a project holding `name` and a fixable good.py:
    (check's findings, the inventory, --fix's stderr). None of them may crash. The files are named
    (a named file is always parsed) after a first run over the folder (where a file that names no
    SDK may be skipped unparsed)."""
    r = cli(root, "check", "--format", "json", ".")
    assert r.exit_code == 1, r.output
    r = cli(root, "check", "--format", "json", name, "good.py")
    assert r.exit_code == 1, r.output
    found = json_findings(r.stdout)
    inv = cli(root, "inventory", "--format", "json", name, "good.py")
    assert inv.exit_code == 0, inv.output
    data = json.loads(inv.stdout)
    fixed = cli(root, "check", "--fix", "--unsafe-fixes", name, "good.py")
    assert fixed.exit_code in (0, 1), fixed.output
    assert "extra_headers=" in (root / "good.py").read_text(encoding="utf-8")  # the run went on and fixed it
    return [f for f in found if f["filename"] == name], data, fixed.stderr


@pytest.mark.parametrize("content, expect", [
    (b"import openai\ndef f(:\n    pass\n", "syntax error"),
    (b"import openai\nif True:\n\tx = 1\n        y = 2\n", "syntax error"),  # tabs and spaces mixed: TabError
    (b"import openai\nx = 1\x00\n", "contains a null byte"),
    (b"\x00" * 64, "contains a null byte"),
    (b'import openai\nx = "\xff\xfe"\n', "cannot decode as utf-8 at line 2"),
    (b"# -*- coding: ascii -*-\nimport openai\nx = '\xe9'\n", "cannot decode as ascii at line 3"),
    (b"# -*- coding: klingon -*-\nimport openai\n", "cannot decode"),
    (b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport openai\n", "cannot decode"),
    (b"\xef\xbb\xbf\xef\xbb\xbfimport openai\n", "syntax error"),  # a BOM twice
    (b"\xff\xfei\x00m\x00p\x00o\x00r\x00t\x00", "cannot decode"),  # UTF-16 with its BOM
    (b"import openai\nx = '''never closed\n", "syntax error"),
    (b"import openai\r\nx = (\r", "syntax error"),
], ids=["syntax-error", "tabs-and-spaces", "null-byte", "only-null-bytes", "undecodable-no-cookie",
        "undecodable-with-cookie", "unknown-cookie", "bom-and-other-cookie", "double-bom", "utf-16",
        "unterminated-string", "cr-unclosed-paren"])
def test_unreadable_as_python_is_one_clear_tkl000_and_never_touched(tmp_path, cli, content, expect):
    make(tmp_path, {"bad.py": content, "good.py": FIXABLE})
    found, inv, stderr = hostile_run(cli, tmp_path, "bad.py")
    assert [f["code"] for f in found] == ["TKL000"], found
    assert found[0]["message"].startswith(expect), found[0]["message"]
    assert "\n" not in found[0]["message"]
    assert inv["call_sites"] and all(s["path"] == "good.py" for s in inv["call_sites"])
    assert (tmp_path / "bad.py").read_bytes() == content
    assert "Traceback" not in stderr


@pytest.mark.parametrize("content", [
    b"", b"\xef\xbb\xbf", b"\n", b"\r\n\r\n", b"\r\r", b"# only a comment", b"\xef\xbb\xbf# comment\r\n",
    b"   \n\t\n", b"\x0c\n", b"x = '\xe2\x80\xa8'  # a U+2028 in a string\n", b"\\\n", b"pass;\n",
    b"# -*- coding: latin-1 -*-\n", b'"""only a docstring"""',
], ids=["empty", "bom-only", "newline", "crlf-blank-lines", "cr-blank-lines", "comment-no-newline",
        "bom-comment-crlf", "whitespace", "form-feed", "line-separator-in-string", "lone-backslash",
        "semicolon", "cookie-only", "docstring-no-newline"])
def test_empty_and_trivial_files_are_clean_and_kept_byte_for_byte(tmp_path, cli, content):
    try:
        compile(content, "x", "exec")
        valid = True
    except SyntaxError:
        valid = False
    make(tmp_path, {"odd.py": content, "good.py": FIXABLE})
    found, _, stderr = hostile_run(cli, tmp_path, "odd.py")
    assert found == [] if valid else [f["code"] for f in found] == ["TKL000"]
    assert (tmp_path / "odd.py").read_bytes() == content
    assert "odd.py" not in stderr


# ------------------------------------------------------------------ line endings, BOM, encodings, tabs


def _rule_fixture_cases() -> list[Path]:
    return [p for p in sorted(RULE_FIXTURES.glob("TKL*.py"))
            if not p.name.endswith(".fixed.py") and p.with_name(p.name[:-3] + ".fixed.py").is_file()]


def _fixture_config(path: Path) -> Config:
    from tokenlint.config import load_config

    toml = path.with_suffix(".toml")
    cfg = load_config(toml, explicit=True) if toml.is_file() else Config()
    return cfg.with_overrides(select=(path.name[:6],))


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("path", _rule_fixture_cases(), ids=lambda p: p.stem)
def test_every_rule_fix_keeps_crlf_and_cr_line_endings(tmp_path, path, newline):
    """The rule fixtures' exact fixed text, with every line ending in `newline`: a fix that inserts a
    line or moves text between lines must not bring a bare \\n into a CRLF or CR file."""
    src = tmp_path / path.name
    src.write_bytes(path.read_text(encoding="utf-8").replace("\n", newline).encode("utf-8"))
    run = fix([src], _fixture_config(path), unsafe=True, today=TODAY, root=tmp_path)
    assert not [ff.error for ff in run.files if ff.error]
    want = path.with_name(path.name[:-3] + ".fixed.py").read_text(encoding="utf-8").replace("\n", newline)
    assert run.fixed[src].decode("utf-8") == want


MIXED = [  # (line, ending): every ending kind, next to and inside the calls that get fixed
    ("from anthropic import Anthropic", "\r\n"),
    ("from openai import OpenAI", "\n"),
    ("", "\r"),
    ("client = OpenAI()  # keep", "\r\n"),
    ("claude = Anthropic()  # keep", "\r"),
    (f"RULES = {LONG_RULES!r}  # keep", "\n"),
    ("", "\r\n"),
    ("", "\n"),
    ("def ask(q, history, name):  # keep", "\r"),
    ("    client.chat.completions.create(", "\r\n"),
    ('        model="gpt-4o-2024-08-06",', "\n"),
    ('        messages=[{"role": "user", "content": q}, {"role": "system", "content": RULES}],', "\r"),
    ("    )", "\r\n"),
    ("    # keep: a comment between two calls", "\r"),
    ("    claude.messages.create(", "\n"),
    ('        model="claude-sonnet-5",  # keep', "\r\n"),
    ("        max_tokens=64,  # keep", "\r"),
    ('        system=f"You are helping {name}.\\n\\n{RULES}",', "\n"),
    ("        messages=[],", "\r\n"),
    ("    )", "\r"),
    ("    return q  # keep", "\n"),
]


def test_mixed_line_endings_untouched_lines_stay_byte_exact(tmp_path):
    data = "".join(line + end for line, end in MIXED).encode("utf-8")
    lf = "".join(line + "\n" for line, _ in MIXED)
    (tmp_path / "mixed.py").write_bytes(data)
    (tmp_path / "lf" / "mixed.py").parent.mkdir()
    (tmp_path / "lf" / "mixed.py").write_text(lf, encoding="utf-8")
    run = fix([tmp_path / "mixed.py"], Config(root=tmp_path, attribution=("helicone",)), unsafe=True, today=TODAY, root=tmp_path)
    lf_run = fix([tmp_path / "lf" / "mixed.py"], Config(root=tmp_path / "lf", attribution=("helicone",)), unsafe=True, today=TODAY,
                 root=tmp_path / "lf")
    new = run.fixed[tmp_path / "mixed.py"]
    # the same fixes as on the "\n" file: only the line endings differ
    assert re.sub(rb"\r\n?", b"\n", new) == lf_run.fixed[tmp_path / "lf" / "mixed.py"]
    # every untouched line is there with its own ending, in order
    kept = [(line + end).encode() for line, end in MIXED if "# keep" in line]
    out = split_lines(new)
    it = iter(out)
    assert all(any(k == o for o in it) for k in kept), out
    # and the lines a fix added or changed end like their neighbours, never with a new kind of ending
    assert endings(new) == {b"\r\n", b"\r", b"\n"}
    changed = [o for o in out if o not in split_lines(data)]
    assert changed and all(o.endswith((b"\r\n", b"\r", b"\n")) for o in changed)
    assert_valid_python(new.decode("utf-8"))


@pytest.mark.parametrize("bom, cookie, encoding", [
    (True, False, "utf-8"), (False, True, "latin-1"), (False, True, "cp1252"), (True, True, "utf-8"),
], ids=["utf-8-bom", "latin-1-cookie", "cp1252-cookie", "bom-and-utf-8-cookie"])
def test_fix_keeps_bom_and_encoding(tmp_path, cli, bom, cookie, encoding):
    text = (f"# -*- coding: {encoding} -*-\n" if cookie else "") + HEADER + 'LABEL = "caf\u00e9 cr\u00e8me"\n' \
        + 'LABEL; client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])\n'
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    make(tmp_path, {"app.py": data})
    r = cli(tmp_path, "check", "--fix", "--unsafe-fixes", "--format", "json", "app.py")
    assert r.exit_code in (0, 1), r.output
    new = (tmp_path / "app.py").read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") == bom and not new[3:].startswith(b"\xef\xbb\xbf")
    decoded = new[3 if bom else 0:].decode(encoding)
    assert 'LABEL = "caf\u00e9 cr\u00e8me"' in decoded and "extra_headers=" in decoded
    assert new.count("\u00e9".encode(encoding)) == data.count("\u00e9".encode(encoding))
    assert_valid_python(new.decode("utf-8-sig") if encoding == "utf-8" else decoded)


def test_tab_indented_call_is_fixed_with_tabs(tmp_path):
    src = HEADER + ("\n\nclass Bot:\n\tdef ask(self, q):\n\t\treturn client.chat.completions.create(\n"
                    '\t\t\tmodel="gpt-4o-2024-08-06",\n\t\t\tmessages=[{"role": "user", "content": q}],\n\t\t)\n')
    (tmp_path / "tabs.py").write_text(src, encoding="utf-8")
    run = fix([tmp_path / "tabs.py"], Config(root=tmp_path, attribution=("helicone",)), unsafe=True, today=TODAY, root=tmp_path)
    new = run.fixed[tmp_path / "tabs.py"].decode("utf-8")
    added = [line for line in new.splitlines() if "extra_headers=" in line]
    assert len(added) == 1 and added[0].startswith("\t\t\textra_headers=") and " " not in added[0][:3]
    assert_valid_python(new)


# ------------------------------------------------------------------ size and depth


def test_ten_megabyte_generated_file(tmp_path, cli):
    """A generated 10 MB module (a big data table with calls in between), under a raised
    max-file-size: analysed in seconds, every call found, nothing reported as unparsable."""
    parts = [HEADER, "TABLE_0 = {\n"]
    size, i, calls = 0, 0, 0
    while size < 10 * 1024 * 1024:
        if i % 1000 == 999:
            s = (f"}}\n\n\ndef ask_{i}(q):\n    return client.chat.completions.create(model=\"gpt-4o-2024-08-06\", "
                 f"messages=[{{\"role\": \"user\", \"content\": q}}])\n\n\nTABLE_{i} = {{\n")
            calls += 1
        else:
            s = f'    "key_{i}": ("value number {i}, with the padding text a data table has", {i}, {i % 13}),\n'
        parts.append(s)
        size += len(s)
        i += 1
    parts.append("}\n")
    # over the default max-file-size (2 MiB): a project that means to analyse such files raises it
    make(tmp_path, {"big.py": "".join(parts)}, pyproject="[tool.tokenlint]\nmax-file-size = 16_777_216\n")
    assert (tmp_path / "big.py").stat().st_size >= 10 * 1024 * 1024
    start = time.monotonic()
    r = cli(tmp_path, "check", "--format", "json", "--select", "TKL101", ".")
    assert r.exit_code == 1, r.output
    found = json_findings(r.stdout)
    assert [f["code"] for f in found] == ["TKL101"] * calls
    inv = cli(tmp_path, "inventory", "--format", "json", ".")
    assert len(json.loads(inv.stdout)["call_sites"]) == calls
    assert time.monotonic() - start < 90


CALL_AT_5 = "\n\ndef ask(q):\n    return " + UNTAGGED_CALL  # the call is on line 7


def _concat(n: int, item: str = '"s"') -> str:
    return " + ".join([item] * n)


DEEP = {  # name: depth -> source; each is made as deep as compile() accepts here (see `deepest`)
    "string-concatenation": lambda n: HEADER + f"PROMPT = {_concat(n)}\n" + CALL_AT_5,
    "concatenation-inside-the-call": lambda n: HEADER + "\n\ndef ask(q):\n    return "
    f'client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{{"role": "system", '
    f'"content": {_concat(n)}}}])\n',
    "fstring-concatenation": lambda n: HEADER + "PROMPT = " + _concat(n, 'f"{x}"') + "\n" + CALL_AT_5,
    "attribute-chain": lambda n: HEADER + "x = client" + ".a" * n + "\n" + CALL_AT_5,
    "method-chain": lambda n: HEADER + "x = client" + ".a()" * n + "\n" + CALL_AT_5,
    "subscript-chain": lambda n: HEADER + "x = client" + "[0]" * n + "\n" + CALL_AT_5,
    "conditional-chain": lambda n: HEADER + "x = " + " if c else ".join(["1"] * n) + "\n" + CALL_AT_5,
    "unary": lambda n: HEADER + "x = " + "-" * n + "1\n" + CALL_AT_5,
    "not": lambda n: HEADER + "x = " + "not " * n + "a\n" + CALL_AT_5,
    "lambda": lambda n: HEADER + "x = " + "lambda: " * n + "1\n" + CALL_AT_5,
    "parentheses": lambda n: HEADER + "x = " + "(" * n + "1" + ")" * n + "\n" + CALL_AT_5,
    "calls": lambda n: HEADER + "x = " + "f(" * n + "1" + ")" * n + "\n" + CALL_AT_5,
    "lists": lambda n: HEADER + "x = " + "[" * n + "]" * n + "\n" + CALL_AT_5,
    "dicts": lambda n: HEADER + "x = " + "{'k': " * n + "1" + "}" * n + "\n" + CALL_AT_5,
    "wrapper-chain": lambda n: HEADER + "def w0(q):\n    return client.chat.completions.create("
    'model="gpt-4o-2024-08-06", messages=[])\n'
    + "".join(f"def w{i + 1}(q):\n    return w{i}(q)\n" for i in range(min(n, 400))) + f"w{min(n, 400)}('x')\n",
    "nested-blocks": lambda n: HEADER + "".join("    " * i + "if x:\n" for i in range(min(n, 99)))
    + "    " * min(n, 99) + UNTAGGED_CALL,
    "nested-functions": lambda n: HEADER + "".join("    " * i + f"def f{i}(q):\n" for i in range(min(n, 99)))
    + "    " * min(n, 99) + UNTAGGED_CALL,
}


def deepest(make_source) -> str:
    """The deepest of a few sizes of `make_source(n)` that compile() accepts in this process (Python's
    own limit depends on the stack depth it is called at: about 2,900 levels at the most)."""
    for n in (*range(2975, 2500, -25), 2300, 2000, 1500, 1000, 500, 199, 99):
        try:
            src = make_source(n)
            compile(src, "<deep>", "exec")
            return src
        except (SyntaxError, RecursionError, MemoryError):
            continue
    raise AssertionError("even 99 levels do not compile")


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deeply_nested_code_that_python_compiles_is_analysed(tmp_path, cli, name):
    src = deepest(DEEP[name])  # Python itself accepts it: so must tokenlint, without TKL000
    make(tmp_path, {"deep.py": src})
    r = cli(tmp_path, "check", "--format", "json", "--select", "TKL000,TKL101", "deep.py")
    found = json_findings(r.stdout)
    assert [f["code"] for f in found] == ["TKL101"], found
    r = cli(tmp_path, "inventory", "--format", "json", "deep.py")
    assert json.loads(r.stdout)["call_sites"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_deep_files_share_the_analysis_thread_with_the_others(tmp_path, cli, jobs, monkeypatch):
    """A folder run analyses its files in one deep-stack thread (per worker): deeply nested files
    among ordinary ones are each analysed, and the ordinary ones after them still are."""
    monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 2)  # -j 2: forked workers, even for six files
    files = {f"m{i:03d}_deep.py": deepest(DEEP[name]) for i, name in enumerate(sorted(DEEP)[:3])}
    files.update({f"m{i:03d}_plain.py": HEADER + CALL_AT_5.replace("\n", "  # plain\n", 1) for i in range(3, 6)})
    make(tmp_path, files)
    r = cli(tmp_path, "check", "--format", "json", "--select", "TKL000,TKL101", "-j", jobs, ".")
    found = json_findings(r.stdout)
    assert sorted({(f["filename"], f["code"]) for f in found}) == sorted((name, "TKL101") for name in files), found


def test_a_fix_inside_a_deep_expression_is_applied(tmp_path):
    src = HEADER + f"\n\ndef ask(q):\n    return client.chat.completions.create(model=\"gpt-4o-2024-08-06\", " \
        f"messages=[{{\"role\": \"user\", \"content\": {_concat(900, 'q')}}}])\n"
    (tmp_path / "deep.py").write_text(src, encoding="utf-8")
    run = fix([tmp_path / "deep.py"], Config(root=tmp_path, select=("TKL101",), attribution=("helicone",)), unsafe=True, today=TODAY,
              root=tmp_path)
    assert not [ff.error for ff in run.files if ff.error]
    assert b"extra_headers=" in run.fixed[tmp_path / "deep.py"]


@pytest.mark.parametrize("src, reason", [
    ("x = " + "(" * 1000 + "1" + ")" * 1000 + "\n", "too many nested parentheses"),
    ("x = " + _concat(200_000, "a") + "\n", ""),
], ids=["parentheses-1000", "concatenation-200000"])
def test_deeper_than_python_accepts_is_a_clear_tkl000_not_a_crash(tmp_path, src, reason):
    make(tmp_path, {"deep.py": HEADER + src + UNTAGGED_CALL, "good.py": FIXABLE})
    proc = tokenlint_proc(tmp_path, "check", "--format", "json", ".")
    no_traceback(proc)
    found = [f for f in json_findings(proc.stdout) if f["filename"] == "deep.py"]
    codes = [f["code"] for f in found]
    assert "TKL000" in codes or "TKL101" in codes, found  # Python rejects it; tokenlint may still read it
    for f in found:
        if f["code"] == "TKL000":
            assert reason in f["message"] and ("nested" in f["message"] or "syntax" in f["message"]), f
    assert any(f["filename"] == "good.py" for f in json_findings(proc.stdout))


# ------------------------------------------------------------------ newer syntax

NEW_SYNTAX = {  # each wraps the LLM call (on the line shown) in the construct
    "match-3.10": ("match q:\n    case [x, *rest]:\n        pass\n    case {'k': v}:\n        pass\n"
                   "    case str() as s if s:\n        " + UNTAGGED_CALL, 7),
    "except-star-3.11": "try:\n    pass\nexcept* ValueError:\n    " + UNTAGGED_CALL,
    "pep695-type-alias-3.12": "type Model = str\n" + UNTAGGED_CALL,
    "pep695-generic-function-3.12": "def ask[T](q: T) -> T:\n    " + UNTAGGED_CALL,
    "pep695-generic-class-3.12": "class Bot[T: (str, bytes), *Ts, **P]:\n    def ask(self, q):\n        "
    + UNTAGGED_CALL,
    "pep701-fstring-3.12": 'x = f"{"nested " + f"{"deeper"}"}"\n' + UNTAGGED_CALL,
    "pep696-type-default-3.13": "def ask[T = str](q: T) -> T:\n    " + UNTAGGED_CALL,
    "pep758-except-3.14": "try:\n    pass\nexcept ValueError, TypeError:\n    " + UNTAGGED_CALL,
    "pep750-template-string-3.14": 'name = "x"\nprompt = t"Hello {name}"\n' + UNTAGGED_CALL,
}


@pytest.mark.parametrize("name", sorted(NEW_SYNTAX))
def test_newer_syntax_is_analysed_or_a_clear_tkl000(tmp_path, cli, name):
    body = NEW_SYNTAX[name]
    body = body[0] if isinstance(body, tuple) else body
    src = HEADER + "q = 'x'\n" + body
    call_line = src.splitlines().index(next(line for line in src.splitlines() if "completions.create" in line)) + 1
    compiles = True
    try:
        compile(src, name, "exec")
        supported = True
    except SyntaxError:
        compiles = False
        # type parameters (PEP 695/696) and PEP 701 f-strings are read on older Pythons too, lowered in place
        try:
            supported = _parse_type_params(src) is not None or parse_fstrings(src) is not None
        except SyntaxError:
            supported = False
    make(tmp_path, {"new.py": src, "good.py": FIXABLE})
    found, inv, stderr = hostile_run(cli, tmp_path, "new.py")
    if supported:  # this Python reads it: so does tokenlint, and finds the call inside
        assert [(f["code"], f["location"]["row"]) for f in found if f["code"] in ("TKL000", "TKL101")] == \
            [("TKL101", call_line)], found
        assert any(s["path"] == "new.py" for s in inv["call_sites"])
        new = (tmp_path / "new.py").read_text(encoding="utf-8")
        assert "extra_headers=" in new or "new.py: fix not applied" in stderr  # fixed, or a clear reason
        if "extra_headers=" in new and compiles:
            assert_valid_python(new)
        elif "extra_headers=" in new:  # newer grammar on an older Python: LibCST parses the fixed text
            assert check_parses(new) is None and libcst.parse_module(new)  # and its lowered text compiles
    elif not found:  # valid in a newer grammar LibCST reads but no lowering keeps in place: no finding of the
        # user's code, one clear notice naming the file and the Python it needs; the file is left alone
        notices = [line for line in stderr.splitlines() if "new.py" in line and "needs Python 3.12+" in line]
        assert len(notices) == 1, stderr
        assert (tmp_path / "new.py").read_text(encoding="utf-8") == src
    else:  # one clear, one-line TKL000 naming the problem and where it is; the file is left alone
        assert [f["code"] for f in found] == ["TKL000"], found
        assert found[0]["message"].startswith("syntax error") and 1 <= found[0]["location"]["row"] <= call_line
        assert (tmp_path / "new.py").read_text(encoding="utf-8") == src
    assert "Traceback" not in stderr


# ------------------------------------------------------------------ the file system: folders, links, pipes


def test_folder_named_like_a_python_file_is_walked_not_read(tmp_path, cli):
    make(tmp_path, {"x.py/inner.py": FIXABLE, "good.py": FIXABLE})
    (tmp_path / "empty.py").mkdir()
    for args in ([], ["x.py", "empty.py"]):
        r = cli(tmp_path, "check", "--format", "json", *(args or ["."]))
        assert r.exit_code == 1, r.output
        assert {f["filename"] for f in json_findings(r.stdout)} <= {"x.py/inner.py", "good.py"}
        assert "TKL000" not in r.stdout
    r = cli(tmp_path, "check", "--fix", "--unsafe-fixes", "x.py", "empty.py", ".")
    assert r.exit_code in (0, 1) and "fix not applied" not in r.stderr, r.output
    assert (tmp_path / "x.py").is_dir() and (tmp_path / "empty.py").is_dir()
    assert "extra_headers=" in (tmp_path / "x.py" / "inner.py").read_text(encoding="utf-8")


needs_symlinks = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "symlink"), reason="POSIX links")


@needs_symlinks
def test_symlink_loops_and_links_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside"
    make(outside, {"theirs.py": UNTAGGED, "pkg/mod.py": UNTAGGED})
    root = make(tmp_path / "proj", {"real.py": FIXABLE, "pkg/mod.py": FIXABLE})
    os.symlink("..", root / "pkg" / "up")  # loops back to the root
    os.symlink(".", root / "pkg" / "self")
    os.symlink("loop.py", root / "loop.py")  # a link to itself
    os.symlink("real.py", root / "alias.py")  # inside the tree
    os.symlink(outside / "theirs.py", root / "theirs.py")  # a file out of the tree
    os.symlink(outside, root / "vendored")  # a folder out of the tree
    os.symlink("/", root / "everything")  # the whole file system
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", root / "zero.py")  # never ends
    before = {p: p.read_bytes() for p in outside.rglob("*.py")}

    proc = tokenlint_proc(root, "check", "--format", "json", ".", timeout=120)
    no_traceback(proc)
    files = {f["filename"] for f in json_findings(proc.stdout)}
    assert files == {"alias.py", "pkg/mod.py", "real.py"}, files  # nothing out of the tree, nothing twice

    proc = tokenlint_proc(root, "check", "--fix", "--unsafe-fixes", ".", timeout=120)
    no_traceback(proc)
    assert {p: p.read_bytes() for p in outside.rglob("*.py")} == before  # never written through a link
    assert (root / "alias.py").is_symlink() and os.readlink(root / "alias.py") == "real.py"  # still a link
    assert "extra_headers=" in (root / "real.py").read_text(encoding="utf-8")  # its target is fixed, once
    assert "alias.py: fix not applied: a symbolic link" in proc.stderr

    inv = tokenlint_proc(root, "inventory", "--format", "json", ".", timeout=120)
    no_traceback(inv)
    assert {s["path"] for s in json.loads(inv.stdout)["call_sites"]} <= {"alias.py", "pkg/mod.py", "real.py"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipes_and_devices_named_py_never_hang(tmp_path):
    root = make(tmp_path, {"good.py": FIXABLE})
    os.mkfifo(root / "pipe.py")  # reading it would wait for a writer forever
    named = ["pipe.py"]
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", root / "zero.py")
        named.append("zero.py")
    proc = tokenlint_proc(root, "check", "--format", "json", ".", timeout=60)  # walked: skipped
    no_traceback(proc)
    assert {f["filename"] for f in json_findings(proc.stdout)} == {"good.py"}
    proc = tokenlint_proc(root, "check", "--format", "json", *named, "good.py", timeout=60)  # named: reported
    no_traceback(proc)
    bad = [f for f in json_findings(proc.stdout) if f["filename"] in named]
    assert [(f["filename"], f["code"]) for f in bad] == [(n, "TKL000") for n in named]
    assert all("not a regular file" in f["message"] for f in bad)
    proc = tokenlint_proc(root, "check", "--fix", "--unsafe-fixes", *named, "good.py", timeout=60)
    no_traceback(proc)
    assert "extra_headers=" in (root / "good.py").read_text(encoding="utf-8")


def _without_file_permission_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER from the
    bounding set, so that root obeys file modes as any user does (tests run as root in CI)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_ordinary_user() -> dict:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return {}
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root without Linux capabilities to drop")
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_without_file_permission_override,
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot drop root's file permission override here")
    return {"preexec_fn": _without_file_permission_override}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_unreadable_and_read_only_files_are_reported_never_a_crash(tmp_path):
    user = as_ordinary_user()
    root = make(tmp_path, {"ok.py": FIXABLE, "unreadable.py": FIXABLE, "readonly.py": FIXABLE,
                           "rodir/a.py": FIXABLE, "locked/b.py": FIXABLE})
    original = FIXABLE.encode()
    (root / "unreadable.py").chmod(0o000)
    (root / "readonly.py").chmod(0o444)
    (root / "rodir").chmod(0o555)  # the file is writable, its folder is not: no temporary file there
    (root / "locked").chmod(0o000)  # cannot even be listed
    try:
        check = tokenlint_proc(root, "check", "--format", "json", ".", **user)
        no_traceback(check)
        found = json_findings(check.stdout)
        for name in ("unreadable.py", "locked"):  # a file we may not read, a folder we may not list
            assert [f["message"] for f in found if f["filename"] == name] == ["cannot read: Permission denied"]
        inv = tokenlint_proc(root, "inventory", "--format", "json", ".", **user)
        no_traceback(inv)
        assert "unreadable.py" in inv.stderr and "TKL000" in inv.stderr

        fixed = tokenlint_proc(root, "check", "--fix", "--unsafe-fixes", "--format", "json", ".", **user)
        no_traceback(fixed)
        assert "extra_headers=" in (root / "ok.py").read_text(encoding="utf-8")
        for name in ("readonly.py", "rodir/a.py"):
            assert (root / name).read_bytes() == original, name  # a read-only file is never replaced
            assert f"{name}: fix not applied: cannot write: Permission denied" in fixed.stderr
            # and its findings are those it still has on disk
            assert "TKL101" in [f["code"] for f in json_findings(fixed.stdout) if f["filename"] == name]
        assert (root / "readonly.py").stat().st_mode & 0o777 == 0o444
        assert not [p for p in root.rglob("*tokenlint-tmp*")]
    finally:
        for p in (root / "unreadable.py", root / "readonly.py", root / "rodir", root / "locked"):
            p.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_unreadable_file_named_on_the_command_line_is_a_tkl000(tmp_path):
    user = as_ordinary_user()
    root = make(tmp_path, {"ok.py": FIXABLE, "unreadable.py": FIXABLE})
    (root / "unreadable.py").chmod(0o000)
    try:
        proc = tokenlint_proc(root, "check", "--format", "json", "unreadable.py", "ok.py", **user)
        assert proc.returncode == 1, proc.stderr
        assert [f["code"] for f in json_findings(proc.stdout) if f["filename"] == "unreadable.py"] == ["TKL000"]
    finally:
        (root / "unreadable.py").chmod(0o644)


def test_file_deleted_during_the_run(tmp_path, cli, monkeypatch):
    """Deleted after the files were listed: reported, and the run goes on; deleted after it was
    analysed, before its fix is written: not written back (nothing is recreated)."""
    import tokenlint.tree as tree

    make(tmp_path, {"a_gone.py": FIXABLE, "b_kept.py": FIXABLE})
    listed = tree.discover  # the walk of the project (`tokenlint.tree`) lists the files

    def discover_then_delete(*args, **kw):
        found = listed(*args, **kw)
        (tmp_path / "a_gone.py").unlink()
        return found

    monkeypatch.setattr(tree, "discover", discover_then_delete)
    r = cli(tmp_path, "check", "--format", "json", ".")
    assert r.exit_code == 1, r.output
    found = json_findings(r.stdout)
    assert [(f["filename"], f["code"], f["message"]) for f in found if f["filename"] == "a_gone.py"] == \
        [("a_gone.py", "TKL000", "file vanished during the run")]
    assert "b_kept.py" in {f["filename"] for f in found}
    monkeypatch.setattr(tree, "discover", listed)

    (tmp_path / "a_gone.py").write_text(FIXABLE, encoding="utf-8")
    run = fix([tmp_path], Config(root=tmp_path, attribution=("helicone",)), unsafe=True, today=TODAY, root=tmp_path)
    assert set(run.fixed) == {tmp_path / "a_gone.py", tmp_path / "b_kept.py"}
    (tmp_path / "a_gone.py").unlink()
    written = engine.write_fixes(run)
    assert [ff.path for ff in written] == ["b_kept.py"]
    assert not (tmp_path / "a_gone.py").exists()
    assert [ff.error for ff in run.files if ff.path == "a_gone.py"] == ["deleted during the run; not written"]
