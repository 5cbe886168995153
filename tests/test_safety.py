"""Safety: tokenlint runs on strangers' pull requests and writes into people's source.

- never lose data: `--fix` killed mid-write (SIGINT, SIGTERM) leaves each file fully old or fully
  new, and a file changed on disk after it was analysed is not overwritten;
- never execute: a project whose import or execution would leave a marker file, run through check,
  inventory, audit and the flake8 plugin; configuration that looks like code stays data;
- no network: every command works with sockets blocked;
- escaping: prompt strings, model names, feature tags and file names carrying `</script>`, quotes,
  control characters and ANSI escapes come out inert in every output format.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Optional

import pytest
from click.testing import CliRunner
from projects import make

import tokenlint.engine as engine
from tokenlint.cli import main
from tokenlint.config import Config
from tokenlint.engine import fix

HEADER = "from openai import OpenAI\n\nclient = OpenAI()\n"
FIXABLE = HEADER + ('\n\ndef ask(q):\n    return client.chat.completions.create(model="gpt-4o-2024-08-06", '
                    'messages=[{"role": "user", "content": q}])\n')
BIN = Path(sys.executable).parent




def script(name: str) -> str:
    """An installed console script of this environment (tokenlint, flake8)."""
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.skip(f"{name} is not installed")
        return found
    return str(path)


def run(cmd: list[str], cwd: Path, env: Optional[dict[str, str]] = None,
        timeout: float = 180) -> subprocess.CompletedProcess:
    """Run to completion; on a hang kill the whole process group (worker processes too) and fail."""
    with subprocess.Popen(cmd, cwd=cwd, env=env if env is not None else env_with(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"{' '.join(cmd)} did not finish in {timeout} s")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def env_with(**extra: str) -> dict[str, str]:
    """This process's environment plus `extra`; a PYTHONPATH given goes before the inherited one."""
    env = dict(os.environ)
    if "PYTHONPATH" in extra and env.get("PYTHONPATH"):
        extra["PYTHONPATH"] += os.pathsep + env["PYTHONPATH"]
    env.update(extra)
    return env


# ------------------------------------------------------------------ never lose data

# Loaded into the --fix process: every write-mode open in the project (and every open of a bare file
# descriptor, as a temporary file is) writes half its data, logs "mid <path>", then waits for the test
# to let it go on (a line in the go file for each write so far) before it writes the rest. The test
# signals the process during one of those waits, so a non-atomic write would be caught half-done; the
# waits are paced by the test, not by a clock, so a loaded machine cannot let the run finish first.
SLOW_WRITES = textwrap.dedent('''
    import builtins, io, os, time

    _DIR, _LOG, _GO = os.environ["TL_SLOW_DIR"], os.environ["TL_SLOW_LOG"], os.environ["TL_SLOW_GO"]
    _open = io.open
    _writes = [0]

    def _wait_for_go():
        _writes[0] += 1
        deadline = time.monotonic() + 60  # never hang for good: the test fails on its own timeout
        while time.monotonic() < deadline:
            try:
                with _open(_GO, "rb") as fh:
                    if fh.read().count(b"\\n") >= _writes[0]:
                        return
            except OSError:
                pass
            time.sleep(0.005)

    def _log(line):
        fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, (line + "\\n").encode())
        os.close(fd)

    class _Slow:
        def __init__(self, fh, name):
            self._fh, self._name = fh, name
        def write(self, data):
            half = len(data) // 2
            n = self._fh.write(data[:half])
            self._fh.flush()
            _log("mid " + self._name)
            _wait_for_go()
            return n + self._fh.write(data[half:])
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self._fh.__exit__(*exc)
        def __getattr__(self, name):
            return getattr(self._fh, name)

    def _name(file):
        if isinstance(file, int):  # a temporary file's descriptor: its name, where /proc tells it
            try:
                return os.readlink(f"/proc/self/fd/{file}")
            except OSError:
                return os.path.join(_DIR, "fd.py")
        return os.path.abspath(str(file))

    def _slow_open(file, mode="r", *args, **kw):
        fh = _open(file, mode, *args, **kw)
        if any(c in mode for c in "wax+"):
            name = _name(file)
            if name.startswith(_DIR) and ".py" in os.path.basename(name):  # sources, and their temporaries
                return _Slow(fh, name)
        return fh

    io.open = builtins.open = _slow_open
''')

FILES = 12


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def _plain_signals() -> None:
    """In the child before exec: the signal state a user's shell gives tokenlint (nothing blocked, SIGINT
    and SIGTERM at their defaults), whatever the test process inherited or was left with by other tests;
    the child then starts as any `tokenlint` process does."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_DFL)


@pytest.mark.parametrize("signum, after", [
    (signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGINT, FILES // 2), (signal.SIGTERM, FILES // 2),
], ids=["sigint-first-write", "sigterm-first-write", "sigint-mid-run", "sigterm-mid-run"])
def test_interrupted_fix_leaves_every_file_fully_old_or_fully_new(tmp_path, signum, after):
    files = {f"mod_{i:02d}.py": FIXABLE.replace("ask", f"ask_{i}") + "# padding line\n" * (50 * i)
             for i in range(FILES)}
    # the fully fixed text of each file, computed in memory on a copy
    expected_root = make(tmp_path / "expected", files)
    fixed = fix([expected_root], Config(root=expected_root, attribution=("helicone",)), unsafe=True, root=expected_root)
    new = {p.name: data for p, data in fixed.fixed.items()}
    assert set(new) == set(files)

    root = make(tmp_path / "proj", files)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_WRITES, encoding="utf-8")
    log = tmp_path / "writes.log"
    go = tmp_path / "go.log"  # one line per half-done write the process may finish
    env = env_with(PYTHONPATH=str(hooks), TL_SLOW_DIR=str(root), TL_SLOW_LOG=str(log), TL_SLOW_GO=str(go))
    proc = subprocess.Popen([sys.executable, "-m", "tokenlint", "check", "--fix", "--unsafe-fixes", "."],
                            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_plain_signals)
    deadline = time.monotonic() + 120
    released = 0
    signalled = False
    while time.monotonic() < deadline and proc.poll() is None:
        mids = log.read_text().splitlines() if log.exists() else []
        while released < len(mids):  # each half-done write waits here until it is let go on
            if released + 1 == after and not signalled:
                proc.send_signal(signum)  # while write number `after` is half done
                signalled = True
            released += 1
            with open(go, "a", encoding="utf-8") as fh:
                fh.write("go\n")
        time.sleep(0.005)
    assert signalled, "the run ended before it could be interrupted"
    try:
        proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the interrupted run did not end")
    assert proc.returncode != 0, "the run ended before it could be interrupted"

    states = {}
    for name, text in files.items():
        data = (root / name).read_bytes()
        assert data in (text.encode(), new[name]), f"{name} is neither the old nor the new file"
        states[name] = "new" if data == new[name] else "old"
    assert "old" in states.values(), states  # interrupted mid-run, indeed
    assert not list(root.glob("*tokenlint-tmp*")), "a temporary file was left behind"
    # and a second, uninterrupted run finishes the job
    done = run([sys.executable, "-m", "tokenlint", "check", "--fix", "--unsafe-fixes", "."], root)
    assert "Traceback" not in done.stderr
    assert all((root / name).read_bytes() == new[name] for name in files)


def test_file_changed_between_analysis_and_write_is_not_overwritten(tmp_path, monkeypatch):
    root = make(tmp_path, {"a.py": FIXABLE, "b.py": FIXABLE})
    users_edit = FIXABLE + "# an edit saved while tokenlint was running\n"
    writes = engine.write_fixes

    def edit_then_write(run):
        (root / "a.py").write_text(users_edit, encoding="utf-8")
        return writes(run)

    monkeypatch.setattr(engine, "write_fixes", edit_then_write)
    monkeypatch.chdir(root)
    r = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", "--format", "json", "."],
                           catch_exceptions=False)
    assert (root / "a.py").read_text(encoding="utf-8") == users_edit  # the user's edit survives
    assert "a.py: fix not applied: changed on disk during the run" in r.stderr
    assert "extra_headers=" in (root / "b.py").read_text(encoding="utf-8")  # the other file is fixed
    assert r.exit_code == 1


# ------------------------------------------------------------------ never execute

MARKER_CODE = "import pathlib; pathlib.Path({marker!r}).write_text('executed: {name}')\n"


def hostile_project(root: Path, marker: Path) -> Path:
    """A project every file of which would leave `marker` behind if it were imported or run, including
    modules named like tokenlint's own dependencies and the SDKs it knows."""
    files = {}
    for name in ("app.py", "setup.py", "conftest.py", "sitecustomize.py", "usercustomize.py", "__main__.py",
                 "pkg/__init__.py", "pkg/llm.py", "click.py", "pathspec.py", "libcst.py", "tomllib.py",
                 "openai.py", "anthropic/__init__.py", "json.py", "ast.py", "tokenize.py", "flake8.py",
                 "tokenlint_plugins.py", "noxfile.py", "docs/conf.py"):
        files[name] = MARKER_CODE.format(marker=str(marker), name=name)
    files["app.py"] += FIXABLE + "import pkg.llm\nfrom pkg import llm\n__import__('pkg.llm')\n"
    files["pkg/llm.py"] += HEADER + "exec(open(__file__).read())\neval('1')\n"
    files["evil.pth"] = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('pth')\n"
    make(root, files, pyproject=textwrap.dedent("""\
        [build-system]
        requires = ["setuptools"]
        build-backend = "backend"
        backend-path = ["."]

        [tool.tokenlint]
        exclude = []
        attribution = ["helicone"]
        """))
    (root / "backend.py").write_text(MARKER_CODE.format(marker=str(marker), name="backend"), encoding="utf-8")
    (root / "setup.cfg").write_text("[flake8]\nselect = TKL\n", encoding="utf-8")
    return root


def test_never_executes_the_code_it_reads(tmp_path):
    marker = tmp_path / "EXECUTED"
    root = hostile_project(tmp_path / "proj", marker)
    tokenlint, flake8 = script("tokenlint"), script("flake8")
    runs = {
        "check": [tokenlint, "check", "--format", "json", "."],
        "inventory": [tokenlint, "inventory", "--format", "json", "."],
        "audit": [tokenlint, "audit", "--output", str(tmp_path / "audit"), "."],
        "flake8 plugin": [flake8, "--select", "TKL", "."],
        "check --fix": [tokenlint, "check", "--fix", "--unsafe-fixes", "."],
    }
    for what, cmd in runs.items():
        proc = run(cmd, root)
        assert "Traceback" not in proc.stderr, (what, proc.stderr)
        assert not marker.exists(), f"{what} executed project code: {marker.read_text()}"
        if what != "check --fix":
            assert "TKL101" in proc.stdout or what in ("audit", "inventory"), (what, proc.stdout, proc.stderr)
    assert "extra_headers=" in (root / "app.py").read_text(encoding="utf-8")  # it did read the project
    assert (tmp_path / "audit" / "index.html").is_file()


def test_python_dash_m_never_executes_the_code_it_reads(tmp_path):
    marker = tmp_path / "EXECUTED"
    root = hostile_project(tmp_path / "proj", marker)
    proc = run([sys.executable, "-m", "tokenlint", "check", "."], root)
    assert not marker.exists(), f"executed project code: {marker.read_text()}"
    assert proc.returncode == 1, proc.stderr


def test_configuration_is_data_only(tmp_path):
    marker = tmp_path / "EXECUTED"
    code = f"__import__('pathlib').Path({str(marker)!r}).write_text('config')"
    root = make(tmp_path / "proj", {
        "gateway.py": MARKER_CODE.format(marker=str(marker), name="gateway") + "class Gateway:\n    pass\n",
        "app.py": "from gateway import Gateway\n\ngw = Gateway()\ngw.ask('hi', model='gpt-4o')\n",
        "catalog.py": MARKER_CODE.format(marker=str(marker), name="catalog"),
    }, pyproject=textwrap.dedent(f"""\
        [tool.tokenlint]
        feature-key = "{code.replace('"', "'")}"
        exclude = ["{code.replace('"', "'")}"]
        per-file-ignores = {{ "{code.replace('"', "'")}" = ["TKL101"] }}

        [[tool.tokenlint.sdk]]
        name = "gateway"
        provider = "internal-gateway"
        clients = ["gateway.Gateway"]

        [[tool.tokenlint.sdk.method]]
        paths = ["ask"]
        api = "chat"
        model = ["model"]
        messages = "prompt"
        """))
    tokenlint = script("tokenlint")
    inv = run([tokenlint, "inventory", "--format", "json", "."], root)
    assert inv.returncode == 0, inv.stderr
    sites = json.loads(inv.stdout)["call_sites"]
    assert [(s["path"], s["provider"]) for s in sites] == [("app.py", "internal-gateway")]  # the config is used
    check = run([tokenlint, "check", "."], root)
    assert check.returncode == 1 and "Traceback" not in check.stderr, check.stderr
    # a model catalog is read as TOML: a Python file given as one is never imported
    (root / "pyproject.toml").write_text('[tool.tokenlint]\nmodel-catalog = "catalog.py"\n', encoding="utf-8")
    run([tokenlint, "check", "."], root)
    assert not marker.exists(), marker.read_text()


def test_a_model_catalog_that_is_not_toml_is_a_one_line_error(tmp_path):
    root = make(tmp_path, {"app.py": FIXABLE, "catalog.py": "import os\nx = [1,\n"},
                pyproject='[tool.tokenlint]\nmodel-catalog = "catalog.py"\n')
    proc = run([script("tokenlint"), "check", "."], root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "catalog.py" in proc.stderr


# ------------------------------------------------------------------ no network

NO_NETWORK = textwrap.dedent('''
    import os, socket

    def _refuse(*args, **kw):
        raise OSError("network access attempted by " + " ".join(__import__("sys").argv))

    class _NoSocket(socket.socket):
        def __init__(self, *args, **kw):
            _refuse()

    socket.socket = _NoSocket
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = socket.socketpair = _refuse
    open(os.environ["TL_NET_PROOF"], "a").write("loaded\\n")
''')


def test_every_command_works_with_the_network_blocked(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    proof = tmp_path / "loaded"
    env = env_with(PYTHONPATH=str(hooks), TL_NET_PROOF=str(proof))
    root = make(tmp_path / "proj", {"app.py": FIXABLE, **{f"lib/m{i}.py": FIXABLE for i in range(30)}})
    # the block works: a process that tries to connect fails
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert probe.returncode != 0 and "network access attempted" in probe.stderr
    tokenlint, flake8 = script("tokenlint"), script("flake8")
    inv = tmp_path / "inv.json"
    runs = [
        ([tokenlint, "check", "."], 1),
        ([tokenlint, "check", "--format", "sarif", "."], 1),
        ([tokenlint, "check", "--jobs", "2", "."], 1),  # worker processes too (30 files and more)
        ([tokenlint, "inventory", "--format", "json", "--jobs", "1", "--output", str(inv), "."], 0),
        ([tokenlint, "inventory", "compare", str(inv), str(inv)], 0),
        ([tokenlint, "audit", "--output", str(tmp_path / "audit"), "."], 0),
        ([tokenlint, "rule", "TKL101"], 0),
        ([tokenlint, "models"], 0),
        ([flake8, "--select", "TKL", "."], 1),
        ([tokenlint, "check", "--fix", "--unsafe-fixes", "."], None),
    ]
    for cmd, code in runs:
        proc = run(cmd, root, env)
        assert "network access attempted" not in proc.stderr + proc.stdout, (cmd, proc.stderr)
        assert "Traceback" not in proc.stderr, (cmd, proc.stderr)
        if code is not None:
            assert proc.returncode == code, (cmd, proc.returncode, proc.stderr)
    assert proof.read_text().count("loaded") >= len(runs)  # every process ran with sockets blocked
    assert "extra_headers=" in (root / "app.py").read_text(encoding="utf-8")


# ------------------------------------------------------------------ escaping

HOSTILE = ("</script><img src=x onerror=alert(1)>\x1b[31mRED\x1b]0;pwned\x07\x1b[2J \"dq\" 'sq' `bt` | <b>&amp;"
           "\r\x00\x7f\x9b\u202e")
ESC_SOURCE = (
    "from anthropic import Anthropic\nfrom openai import OpenAI\n\nclient = OpenAI()\nclaude = Anthropic()\n"
    f"HOSTILE = {HOSTILE!r}\n"
    f"RULES = {('Follow the policy. ' * 20 + HOSTILE)!r}\n\n\n"
    "def ask(q, name):\n"
    f"    client.chat.completions.create(model={('gpt-4o' + HOSTILE)!r}, "
    "messages=[{\"role\": \"user\", \"content\": q}, {\"role\": \"system\", \"content\": HOSTILE}])\n"
    "    client.chat.completions.create(model=\"gpt-4o-2024-08-06\", messages=[], "
    f"metadata={{\"feature\": {HOSTILE!r}}})\n"
    "    claude.messages.create(model=HOSTILE, max_tokens=5, system=f\"{name} {RULES}\", messages=[])\n"
)
HOSTILE_NAME = "\x1b[2Jevil<script>\u202e'\".py"


def _no_control(text: str, where: str) -> None:
    bad = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or c in "\u202e"]
    assert not bad, f"{where}: raw control characters {sorted(set(bad))!r}"


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


def _render_all(root: Path, tmp: Path, baseline_inventory: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        for fmt in ("text", "json", "sarif", "github", "gitlab", "junit"):
            out[f"check-{fmt}"] = runner.invoke(main, ["check", "--format", fmt, "."], catch_exceptions=False).stdout
        out["check-statistics"] = runner.invoke(main, ["check", "--statistics", "."]).stdout
        for fmt in ("text", "json", "csv", "markdown"):
            out[f"inventory-{fmt}"] = runner.invoke(main, ["inventory", "--format", fmt, "."],
                                                    catch_exceptions=False).stdout
        r = runner.invoke(main, ["audit", "--output", str(tmp / "audit"), "."], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        out["audit-html"] = (tmp / "audit" / "index.html").read_text(encoding="utf-8")
        out["audit-markdown"] = (tmp / "audit" / "report.md").read_text(encoding="utf-8")
        inv = tmp / "inventory.json"
        inv.write_text(out["inventory-json"], encoding="utf-8")
        for fmt in ("text", "markdown", "json"):  # everything in the hostile project is new
            out[f"compare-{fmt}"] = runner.invoke(main, ["inventory", "compare", "--format", fmt,
                                                         str(baseline_inventory), str(inv)],
                                                  catch_exceptions=False).stdout
        r = runner.invoke(main, ["check", "--fix", "--unsafe-fixes", "--show-fixes", "."], catch_exceptions=False)
        out["fix-messages"] = r.stdout + r.stderr
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Every output format, rendered for a project full of hostile strings (and a hostile file name),
    and for a plain project to compare the HTML with."""
    tmp = tmp_path_factory.mktemp("escaping")
    plain = make(tmp / "plain", {"app.py": FIXABLE})
    (tmp / "plain-out").mkdir()
    empty_inventory = tmp / "empty.json"
    empty_root = make(tmp / "empty", {})
    os.chdir(empty_root)
    try:
        empty_inventory.write_text(CliRunner().invoke(main, ["inventory", "--format", "json", "."]).stdout,
                                   encoding="utf-8")
    finally:
        os.chdir(tmp)
    hostile = make(tmp / "proj", {"app.py": ESC_SOURCE})
    (hostile / HOSTILE_NAME).write_text(ESC_SOURCE, encoding="utf-8")
    (tmp / "hostile-out").mkdir()
    got = {"plain": _render_all(plain, tmp / "plain-out", empty_inventory),
           "hostile": _render_all(hostile, tmp / "hostile-out", empty_inventory)}
    assert "RED" in got["hostile"]["inventory-text"] and "pwned" in got["hostile"]["check-text"]  # it got through
    return got


def test_terminal_outputs_carry_no_control_sequences(outputs):
    out = outputs["hostile"]
    for key in ("check-text", "check-statistics", "inventory-text", "inventory-csv", "compare-text"):
        _no_control(out[key], key)
    for line in out["check-github"].splitlines():  # the message; `file=` must name the file as it is
        _no_control(line.split("::", 2)[2], "check-github")
    # what --fix says about each file (the file name itself: see the next test)
    for line in out["fix-messages"].splitlines():
        if line.startswith("  ") or ": fix not applied:" in line:
            line = line.split(": ", 1)[1]
        _no_control(line, "fix-messages")


def test_fix_messages_do_not_print_control_characters_from_file_names(outputs):
    _no_control(outputs["hostile"]["fix-messages"], "fix-messages")


@pytest.mark.parametrize("key", ["check-json", "check-sarif", "check-gitlab", "inventory-json", "compare-json"])
def test_json_outputs_are_valid_and_escaped(outputs, key):
    text = outputs["hostile"][key]
    data = json.loads(text)
    _no_control(text, key)  # escaped as \\u001b and the like, never raw
    assert "pwned" in json.dumps(data)  # and the value itself is carried, not lost


def test_junit_is_well_formed_xml(outputs):
    ET.fromstring(outputs["hostile"]["check-junit"])  # XML 1.0 forbids most control characters outright
    _no_control(outputs["hostile"]["check-junit"], "junit")


def _pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line.replace("`|`", "")))


@pytest.mark.parametrize("key", ["inventory-markdown", "audit-markdown", "compare-markdown"])
def test_markdown_is_inert(outputs, key):
    text = outputs["hostile"][key]
    _no_control(text, key)
    assert "<script" not in text and "</script>" not in text and "<img" not in text and "<b>" not in text, key
    width = None  # every row of a table has its header's cells: no pipe from the data splits a cell
    for line in text.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        if width is None:
            width = _pipes(line)
        assert _pipes(line) == width, (key, line)


def test_html_report_is_inert(outputs):
    page, plain = outputs["hostile"]["audit-html"], outputs["plain"]["audit-html"]
    _no_control(page, "audit-html")
    got, want = _Elements(), _Elements()
    got.feed(page)
    want.feed(plain)
    assert set(got.tags) <= set(want.tags) | {"tr", "td", "a", "span", "code", "li"}, set(got.tags) - set(want.tags)
    assert "img" not in got.tags and "onerror" not in got.attrs and "script" not in got.tags
    assert set(got.attrs) <= set(want.attrs)
    assert page.count("</script") == plain.count("</script") and page.count("<script") == plain.count("<script")
