"""How right are the "not resolved" guesses? Join each one with the study labels, per kind of evidence.

    python bench/guesses.py [--tokenlint PATH] [--cache DIR] [--app APP ...] [--rows] [--min N]

Runs `tokenlint inventory --format json` over every tune application (`--split all` of bench/study.py:
the labelled scope as config, from the snapshot root; never the untouched holdout) and reads each
entry of its `not_resolved` list that points at a call (`framework?`, `facade?`, `http?`, `withheld`;
`sdk-imported`, `llm-url` and `unreadable` point at an import, a string or a file and are counted
apart). Each such row gets its evidence, read from the application's source at that line:

- kind and `what`: the guess's kind and the reason its detail gives (a framework's request method, a
  request verb on a library object, a project base's method, an HTTP body's shape, ...);
- method: the called method's name; receiver: the last word of the receiver's name (`summary_chain`
  -> `chain`) and its form (`self.x`, a local name, a parameter of the enclosing function, a call's
  result, `super()`);
- imports: whether the file imports an LLM SDK or framework (the catalog's top-level packages);
- fn_site: whether the enclosing function already holds a call site tokenlint found (any spending kind);
- args: the call's argument shape (`none`, `pos`, `kw`, `pos+kw`, `star`).

and its outcome from the labels (one line of slack, as bench/study.py matches): `site` (a labelled
site, sure or probable, that no found site matched), `found` (a labelled site some found site matched
already: the guess adds nothing), `not_site` (a labelled not-site), `nothing` (a line no label names).
Precision = site / (site + not_site + nothing). The tables group rows by evidence combination; a
combination with precision >= 0.95 over at least `--min` rows (default 10) is marked `*`: the evidence
that may make such a guess an inferred site. `--rows` also prints every row (for reading the extras).
`--cache DIR` keeps each application's inventory JSON there, so the tables can be read again without
running tokenlint. Nothing is asserted; the numbers are for the notes.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import study  # noqa: E402  (bench/study.py: apps, scopes, labels, how tokenlint is run)

CALL_KINDS = ("framework?", "facade?", "http?", "withheld")
SPENDING = {"direct", "http", "request", "facade", "wrapper"}
WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")  # as tokenlint's facades.name_words
IMPORT = re.compile(r"(?m)^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import|import[ \t]+([A-Za-z_][\w.]*))")


def llm_tops(checkout: str | None) -> frozenset[str]:
    """Top-level packages of the catalog's SDKs and frameworks (what tokenlint's guesses call LLM evidence)."""
    if checkout:
        sys.path.insert(0, checkout)
    from tokenlint.catalog import build_sdk_catalog
    from tokenlint.resolve.unresolved import UnresolvedMixin

    class _Tops:  # the two catalog readers only need `catalog` and a __dict__ to memoize in
        catalog = build_sdk_catalog()

    t = _Tops()
    return UnresolvedMixin._sdk_top_names(t) | UnresolvedMixin._framework_top_names(t)  # type: ignore[arg-type]


def what_of(kind: str, detail: str) -> str:
    """The guess's reason, in a few words, from its detail line."""
    if detail.startswith("and ") and "more calls" in detail:
        return "more (not listed)"
    if kind == "framework?":
        if "a package of model classes" in detail:
            return "model class"
        if "a library the catalog does not know" in detail:
            return "library object verb"
        if "framework's request method" in detail:
            return "request method"
        return "library call"
    if kind == "facade?":
        return "base method"
    if kind == "http?":
        m = re.search(r"shape[^(]*\(([^)]*)\)", detail)
        return "body " + (m.group(1) if m else detail[:30])
    return detail.split(":")[0][:40]


def _receiver(e: ast.expr, params: set[str]) -> tuple[str, str]:
    """(name, form) of a call's receiver: `self.summary_chain` -> ("summary_chain", "self.x")."""
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id == "super":
        return "super", "super()"
    form = "call" if isinstance(e, ast.Call) else "item" if isinstance(e, ast.Subscript) else ""
    while isinstance(e, (ast.Call, ast.Subscript)):
        e = e.func if isinstance(e, ast.Call) else e.value
    if isinstance(e, ast.Name):
        return e.id, form or ("param" if e.id in params else "name")
    if isinstance(e, ast.Attribute):
        base = e.value
        self_attr = isinstance(base, ast.Name) and base.id in ("self", "cls")
        return e.attr, form or ("self.x" if self_attr else "x.y")
    return "", form or "other"


def _args(call: ast.Call) -> str:
    star = any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)
    if star:
        return "star"
    pos, kw = bool(call.args), bool(call.keywords)
    return "pos+kw" if pos and kw else "pos" if pos else "kw" if kw else "none"


class Source:
    """One file's parse, read once: the calls by line and the functions around them."""

    def __init__(self, path: Path, tops: frozenset[str]) -> None:
        text = path.read_text(encoding="utf-8", errors="replace")
        self.imports = any((m.group(1) or m.group(2)).split(".")[0] in tops for m in IMPORT.finditer(text))
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            tree = ast.Module(body=[], type_ignores=[])
        self.funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        self.calls: dict[int, list[ast.Call]] = defaultdict(list)
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                self.calls[n.lineno].append(n)

    def function(self, line: int) -> ast.AST | None:
        inner = [f for f in self.funcs if f.lineno <= line <= (f.end_lineno or f.lineno)]
        return max(inner, key=lambda f: f.lineno) if inner else None


def evidence(row: dict, src: Source, site_lines: set[int]) -> dict:
    """The row's evidence columns (see the module docstring)."""
    detail = row["detail"]
    m = re.match(r"\.(\w+)\(", detail)
    method = m.group(1) if m else ""
    fn = src.function(row["line"])
    params = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)} if fn is not None else set()  # type: ignore[attr-defined]
    calls = src.calls.get(row["line"], [])
    call = next((c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == method), None) if method \
        else (calls[0] if calls else None)
    recv, form = ("", "-")
    if call is not None and isinstance(call.func, ast.Attribute):
        recv, form = _receiver(call.func.value, params)
    words = [w.lower() for w in WORD.findall(recv)]
    fn_site = fn is not None and any(fn.lineno <= ln <= (fn.end_lineno or fn.lineno) for ln in site_lines)  # type: ignore[attr-defined]
    return {"kind": row["kind"], "what": what_of(row["kind"], detail), "method": method or "-",
            "word": words[-1] if words else "-", "form": form, "imports": "imports" if src.imports else "no-import",
            "fn_site": "fn-site" if fn_site else "no-fn-site", "args": _args(call) if call is not None else "-"}


def outcome(app: dict, row: dict, found: list[dict]) -> str:
    """site / found / not_site / nothing, from the labels within one line."""
    near = [s for s in app["sites"] if s["file"] == row["path"] and abs(s["line"] - row["line"]) <= 1
            and s.get("confidence", "sure") in ("sure", "probable")]
    if near:
        classes = {c for s in near for c, kinds in study.CLASSES.items() if s.get("kind") in kinds}
        mine = [f for f in found if study.site_class(f) in classes]
        for cls in classes:
            labelled = [s for s in app["sites"] if s.get("kind") in study.CLASSES[cls]]
            _pairs, missed, _extra = study.match(labelled, [f for f in mine if study.site_class(f) == cls])
            if any(m in near for m in missed):
                return "site"
        return "found"
    if any(s["file"] == row["path"] and abs(s["line"] - row["line"]) <= 1 for s in app.get("not_sites") or ()):
        return "not_site"
    return "nothing"


def app_rows(name: str, app: dict, args: argparse.Namespace, tops: frozenset[str]) -> tuple[list[dict], Counter]:
    cache = Path(args.cache) / f"{name}.json" if args.cache else None
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
    else:
        data = study._tokenlint_json(app, Path(args.src), args.tokenlint)  # noqa: SLF001
        if cache is not None:
            cache.write_text(json.dumps(data), encoding="utf-8")
    found = data["call_sites"]
    for s in found:
        s["file"] = s["path"]
    sites_by_file: dict[str, set[int]] = defaultdict(set)
    for s in found:
        if s.get("kind") in SPENDING:
            sites_by_file[s["path"]].add(s["line"])
    root = Path(args.src) / name
    sources: dict[str, Source] = {}
    rows, other = [], Counter()
    for u in data.get("not_resolved") or ():
        if u["kind"] not in CALL_KINDS:
            other[u["kind"]] += 1
            continue
        src = sources.get(u["path"])
        if src is None:
            src = sources[u["path"]] = Source(root / u["path"], tops)
        ev = evidence(u, src, sites_by_file[u["path"]])
        rows.append({"app": name, "path": u["path"], "line": u["line"], "detail": u["detail"], **ev,
                     "outcome": outcome(app, u, found)})
    return rows, other


def table(rows: list[dict], keys: tuple[str, ...], minimum: int) -> None:
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for r in rows:
        groups[tuple(r[k] for k in keys)][r["outcome"]] += 1
    print(f"\n| {' | '.join(keys)} | rows | site | found | not_site | nothing | precision |")
    print("|" + "---|" * (len(keys) + 6))
    for key, c in sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        judged = c["site"] + c["not_site"] + c["nothing"]
        prec = c["site"] / judged if judged else 0.0
        mark = " *" if judged >= minimum and prec >= 0.95 else ""
        print(f"| {' | '.join(key)} | {sum(c.values())} | {c['site']} | {c['found']} | {c['not_site']} | "
              f"{c['nothing']} | {prec:.2f}{mark} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokenlint", help="run the tokenlint package of this checkout")
    ap.add_argument("--src", default=str(study.SRC))
    ap.add_argument("--cache", help="keep (and reuse) each application's inventory JSON in this folder")
    ap.add_argument("--app", nargs="*")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--min", type=int, default=10, help="rows a combination needs to be marked")
    ap.add_argument("--rows", action="store_true", help="print every row too")
    args = ap.parse_args()
    if args.cache:
        Path(args.cache).mkdir(parents=True, exist_ok=True)
    labels = study.load_labels()
    assignment = json.loads(study.SPLIT.read_text(encoding="utf-8")) if study.SPLIT.exists() else {}
    apps = [a for a in labels if study.chosen(a, "all", assignment) and (not args.app or a in args.app)]
    tops = llm_tops(args.tokenlint)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        got = list(pool.map(lambda a: app_rows(a, labels[a], args, tops), apps))
    rows = [r for rs, _ in got for r in rs]
    other = sum((c for _, c in got), Counter())
    print(f"{len(apps)} applications; call guesses {len(rows)} "
          f"({', '.join(f'{k} {v}' for k, v in Counter(r['outcome'] for r in rows).most_common())}); "
          f"not calls: {', '.join(f'{k} {v}' for k, v in other.most_common())}")
    table(rows, ("kind", "what"), args.min)
    table(rows, ("kind", "what", "method"), args.min)
    table(rows, ("kind", "word"), args.min)
    table(rows, ("kind", "form", "imports", "fn_site"), args.min)
    table(rows, ("kind", "args"), args.min)
    table(rows, ("kind", "what", "form", "imports", "fn_site", "args"), args.min)
    if args.rows:
        print()
        for r in sorted(rows, key=lambda r: (r["kind"], r["what"], r["outcome"], r["app"], r["path"], r["line"])):
            print(f"{r['outcome']:8} {r['kind']:10} {r['app']}:{r['path']}:{r['line']} [{r['method']} {r['word']} "
                  f"{r['form']} {r['imports']} {r['fn_site']} {r['args']}] {r['detail'][:110]}")


if __name__ == "__main__":
    main()
