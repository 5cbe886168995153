"""Benchmark tokenlint beside flake8, ruff and the I/O floor, on real sources and generated trees.

    python bench/bench.py prepare                 # download sdists into bench/corpus (needs PyPI)
    python bench/bench.py run [--repeat 3]        # time everything on bench/corpus/src
    python bench/bench.py generate N [--ratio R]  # write an N-file tree (R = share of LLM modules)
    python bench/bench.py memory                  # peak memory at 1x, 4x, 16x a generated tree
    python bench/bench.py single                  # one changed file, as pre-commit runs it

Every command runs in a fresh process; wall time is the median of --repeat runs, peak memory is the
child's max RSS (os.wait4). Nothing here is asserted: the numbers are for the notes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Outside any git checkout: tokenlint, ruff and flake8 all honour .gitignore (this repo ignores bench/corpus).
CORPUS = Path(os.environ.get("TOKENLINT_BENCH_DIR", Path(tempfile.gettempdir()) / "tokenlint-bench"))
PACKAGES = ["django", "langchain-community", "haystack-ai"]
BIN = Path(sys.executable).parent


def prepare(packages: list[str]) -> None:
    sd = CORPUS / "sdists"
    sd.mkdir(parents=True, exist_ok=True)
    for name in packages:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", str(sd), name], check=True)
    src = CORPUS / "src"
    src.mkdir(exist_ok=True)
    _own_root(src)
    for archive in sorted(sd.iterdir()):
        dest = src / archive.name.split("-")[0].lower()
        if dest.exists():
            continue
        tmp = Path(tempfile.mkdtemp(dir=CORPUS))
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as z:
                z.extractall(tmp)
        else:
            with tarfile.open(archive) as t:
                t.extractall(tmp, filter="data") if sys.version_info >= (3, 12) else t.extractall(tmp)
        inner = next(tmp.iterdir())
        inner.rename(dest)
        shutil.rmtree(tmp)
        print("unpacked", dest)


LLM_MODULE = '''"""Generated LLM module {i}."""
from openai import OpenAI
from anthropic import Anthropic

client = OpenAI()
claude = Anthropic()
MODEL = "gpt-4o"


def ask_{i}(question, feature="f{i}"):
    return client.chat.completions.create(model=MODEL, messages=[{{"role": "user", "content": question}}],
                                          metadata={{"feature": feature}})


def summarize_{i}(texts):
    return [claude.messages.create(model="claude-sonnet-5", max_tokens=256,
                                   messages=[{{"role": "user", "content": t}}]) for t in texts]
'''

PLAIN_MODULE = '''"""Generated plain module {i}."""
import json
import os


class Thing{i}:
    def __init__(self, value):
        self.value = value

    def render(self):
        return json.dumps({{"value": self.value, "sep": os.sep}})


def compute_{i}(xs):
    total = 0
    for x in xs:
        if x % 3 == 0:
            total += x * {i}
        else:
            total -= x
    return total
'''


def generate(n: int, ratio: float, dest: Path, seed: int = 0) -> Path:
    rnd = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    _own_root(dest)
    for i in range(n):
        pkg = dest / f"pkg{i // 50}"
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").touch()
        body = (LLM_MODULE if rnd.random() < ratio else PLAIN_MODULE).format(i=i)
        (pkg / f"mod{i}.py").write_text(body, encoding="utf-8")
    return dest


def _own_root(d: Path) -> None:
    """A pyproject.toml marks the corpus as its own project (else this repo's config, which
    excludes bench/, would apply)."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "pyproject.toml").write_text("[tool.tokenlint]\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit code) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    return wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def count(root: Path) -> tuple[int, int]:
    files = lines = 0
    for p in root.rglob("*.py"):
        if any(part in (".git", "node_modules", ".venv") for part in p.parts):
            continue
        files += 1
        try:
            lines += p.read_bytes().count(b"\n")
        except OSError:
            pass
    return files, lines


def io_floor(root: Path) -> list[str]:
    code = ("import pathlib,sys\nfor p in pathlib.Path(sys.argv[1]).rglob('*.py'):\n"
            "    try: p.read_bytes()\n    except OSError: pass\n")
    return [sys.executable, "-c", code, str(root)]


def tools(root: Path) -> dict[str, list[str]]:
    tl = [str(BIN / "tokenlint")]
    out = {
        "read every file (I/O floor)": io_floor(root),
        "tokenlint check": tl + ["check", "-q", "--exit-zero", "--no-cache", "."],
        "tokenlint check -j1": tl + ["check", "-q", "--exit-zero", "--no-cache", "-j", "1", "."],
        "tokenlint check, warm cache": tl + ["check", "-q", "--exit-zero", "--cache-dir", str(CORPUS / "cache"), "."],
        "tokenlint inventory": tl + ["inventory", "--no-cache", "--format", "json", "-o", os.devnull, "."],
    }
    if (BIN / "flake8").exists():
        out["flake8 (default plugins, -j auto)"] = [str(BIN / "flake8"), "-j", "auto", "--exit-zero", "."]
    ruff = shutil.which("ruff") or (str(BIN / "ruff") if (BIN / "ruff").exists() else None)
    if ruff:
        out["ruff --select E9,F"] = [ruff, "check", "--no-cache", "--exit-zero", "--select", "E9,F", "."]
        out["ruff --select ALL"] = [ruff, "check", "--no-cache", "--exit-zero", "--select", "ALL", "."]
    return out


def compile_bytecode() -> None:
    """Write tokenlint's .pyc files first, as `pip install` does: an editable checkout (or
    PYTHONDONTWRITEBYTECODE) would otherwise recompile every module at every start."""
    import tokenlint

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tokenlint.__file__).parent)], check=True)


def edited_run(cmd: list[str], root: Path, repeat: int) -> list[tuple[float, int, int]]:
    """A warm run after one LLM-calling file changed (the everyday case: an edit, then a re-run)."""
    target = next(p for p in sorted(root.rglob("*.py")) if b"import openai" in p.read_bytes())
    original = target.read_bytes()
    runs = []
    try:
        for i in range(repeat):
            target.write_bytes(original + f"\n# edit {i}\n".encode())
            runs.append(timed(cmd, root))
    finally:
        target.write_bytes(original)
    return runs


def table(root: Path, repeat: int) -> None:
    _own_root(root)
    compile_bytecode()
    files, lines = count(root)
    print(f"\ncorpus {root}: {files} files, {lines} lines; {os.cpu_count()} CPUs; median of {repeat}\n")
    print(f"| {'work':<46} | {'wall s':>7} | {'files/s':>8} | {'lines/s':>9} | {'peak MiB':>8} |")
    print(f"|{'-' * 48}|{'-' * 9}:|{'-' * 10}:|{'-' * 11}:|{'-' * 10}:|")
    results = {}
    for name, cmd in tools(root).items():
        if "warm" in name:
            shutil.rmtree(CORPUS / "cache", ignore_errors=True)
            timed(cmd, root)  # fills the cache
        runs = [timed(cmd, root) for _ in range(repeat)]
        if "warm" in name:
            _row(f"{name}, one file edited", edited_run(cmd, root, repeat), files, lines, results)
            name = f"{name}, nothing changed"
        _row(name, runs, files, lines, results)
    tl = results["tokenlint check"]
    for name in results:
        if "warm" in name:
            print(f"{name} / cold: {results[name] / tl:.2f}")
    for other in ("flake8 (default plugins, -j auto)", "ruff --select ALL", "ruff --select E9,F"):
        if other in results:
            print(f"tokenlint check / {other}: {tl / results[other]:.2f}x")


def _row(name: str, runs: list[tuple[float, int, int]], files: int, lines: int, results: dict) -> None:
    wall = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs) / 1024
    results[name] = wall
    print(f"| {name:<46} | {wall:7.2f} | {files / wall:8.0f} | {lines / wall:9.0f} | {peak:8.0f} |")


def single(repeat: int) -> None:
    """One changed file, as pre-commit passes it: in a generated 300-file project and in the corpus
    (context for imports is the whole tree), without a cache and with the cache a previous run left."""
    compile_bytecode()
    floor = statistics.median(timed([sys.executable, "-c", "import libcst"], CORPUS)[0] for _ in range(repeat))
    print(f"python -c 'import libcst': {floor:.3f}s")
    gen = generate(300, 0.2, CORPUS / "gen-single")
    places = [("generated 300 files", gen, next(p for p in sorted(gen.rglob("mod*.py")) if "OpenAI" in p.read_text()))]
    corpus = CORPUS / "src"
    if corpus.is_dir():
        places.append((f"corpus {count(corpus)[0]} files", corpus,
                       next(p for p in sorted(corpus.rglob("*.py")) if b"import openai" in p.read_bytes())))
    for label, root, target in places:
        rel = str(target.relative_to(root))
        cold = statistics.median(timed([str(BIN / "tokenlint"), "check", "-q", "--exit-zero", "--no-cache", rel],
                                       root)[0] for _ in range(repeat))
        cache = ["--cache-dir", str(CORPUS / "cache-single")]
        shutil.rmtree(CORPUS / "cache-single", ignore_errors=True)
        timed([str(BIN / "tokenlint"), "check", "-q", "--exit-zero", *cache, rel], root)
        original = target.read_bytes()
        warm = []
        try:
            for i in range(repeat):
                target.write_bytes(original + f"\n# edit {i}\n".encode())
                warm.append(timed([str(BIN / "tokenlint"), "check", "-q", "--exit-zero", *cache, rel], root)[0])
        finally:
            target.write_bytes(original)
        w = statistics.median(warm)
        print(f"{label}: one edited file, no cache {cold:.3f}s ({cold / floor:.2f}x); "
              f"with the cache {w:.3f}s ({w / floor:.2f}x)")


def memory(repeat: int) -> None:
    compile_bytecode()
    base = 250
    print("| tree | files | wall s | peak MiB |\n|---|---:|---:|---:|")
    for k in (1, 4, 16):
        root = generate(base * k, 0.2, CORPUS / f"gen-{k}x")
        runs = [timed([str(BIN / "tokenlint"), "check", "-q", "--exit-zero", "--no-cache", "."], root)
                for _ in range(repeat)]
        print(f"| {k}x | {base * k} | {statistics.median(r[0] for r in runs):.2f} | "
              f"{max(r[1] for r in runs) / 1024:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("packages", nargs="*", default=PACKAGES)
    r = sub.add_parser("run")
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument("--root", type=Path, default=CORPUS / "src")
    g = sub.add_parser("generate")
    g.add_argument("n", type=int)
    g.add_argument("--ratio", type=float, default=0.2)
    g.add_argument("--dest", type=Path, default=CORPUS / "generated")
    for name in ("memory", "single"):
        sp = sub.add_parser(name)
        sp.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.cmd == "prepare":
        prepare(args.packages)
    elif args.cmd == "run":
        table(args.root, args.repeat)
    elif args.cmd == "generate":
        print(generate(args.n, args.ratio, args.dest))
    elif args.cmd == "memory":
        memory(args.repeat)
    else:
        single(args.repeat)


if __name__ == "__main__":
    main()
