"""Measure call-site recall and precision on the study corpus: real applications labelled by reading.

    python bench/study.py split                      # assign tune / holdout once, after labelling
    python bench/study.py run [--split tune|holdout|all] [--tokenlint PATH] [--out FILE]  # all: every tune app
    python bench/study.py misses APP                 # labelled sites not found, found sites not labelled
    python bench/study.py features [--split tune] [--tokenlint PATH] [--before PATH]
                                                     # labelled features found in the inventory
    python bench/study.py findings [--split holdout] [--select TKL2,TKL3,TKL4,TKL5] --out FILE
                                                     # rule findings with their code, for a precision review

`--labels DIR` (or $TOKENLINT_STUDY_LABELS) reads a new round's label files from outside the repository, so
that no developer sees them before the round's report; applications not in split.json count as holdout.

The labels (bench/study/labels/*.json) were written by people and helper sessions that read each
application's code and never ran tokenlint on it (bench/study/BRIEF.md). The sources are not in this
repository: each label file names its repository and commit; `--src` is the folder holding one
extracted snapshot per application (default $TOKENLINT_STUDY_SRC or /work/study/src).

Matching is one to one on (file, line), allowing the line to differ by one (a decorator or a
wrapped call). Sites are compared in classes:

- requests: label kinds `sdk` and `http` against tokenlint's SDK / HTTP request sites;
- framework: label kinds `framework-request` and `facade` against framework request and facade sites;
- bindings: label kind `framework-binding` against framework model constructors.

`--tokenlint PATH` runs the tokenlint package found in that checkout (for before/after figures).
Nothing here is asserted; the numbers are for the notes.

`features` compares the features the labellers named (each with the sites that spend for it) with
the inventory's features. An inventory feature is a name over spending call sites (direct, HTTP,
framework request, facade, and wrapper calls, which is where a feature's code calls its helper):
the feature tag a site carries, else the name TKL101's fix would write in its function
(`tokenlint inventory --features`), which is what a user reviewing an untagged inventory reads. A
labelled feature is *found* when at least one of its sites is such a spending site (same file,
line within one): the feature then appears in the inventory under some name. *All sites* counts
the labelled features every one of whose sites is listed. Bindings (model constructors) never
count: they spend nothing. `--before PATH` runs a second checkout for the before column. The names
themselves are judged without reading the labels' names: a found feature is *under one name* when
all its listed sites carry the same inventory name, and *merged* when it shares a name with another
labelled feature of the application (fewer names per application with no more merged is better).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = Path(os.environ.get("TOKENLINT_STUDY_LABELS", HERE / "study" / "labels"))
SPLIT = HERE / "study" / "split.json"
SRC = Path(os.environ.get("TOKENLINT_STUDY_SRC", "/work/study/src"))

CLASSES = {
    "requests": {"sdk", "http"},
    "framework": {"framework-request", "facade"},
    "bindings": {"framework-binding"},
}
FRAMEWORK_SDKS = {"langchain", "llamaindex", "llama_index", "llama-index"}


def site_class(site: dict) -> str | None:
    """The class a tokenlint inventory site falls in, or None for sites the labels do not count."""
    kind = site.get("kind")
    if kind == "binding":
        return "bindings"
    if kind in ("request", "facade"):
        return "framework"
    if kind not in ("direct", "http"):
        return None  # wrapper callers, forwarded sites: not labelled as separate request sites
    if not site.get("spends", True):
        return None
    if site.get("sdk") in FRAMEWORK_SDKS:
        return "bindings"  # today a framework constructor is listed as a direct site
    return "requests"


def load_labels() -> dict[str, dict]:
    out = {}
    for p in sorted(LABELS.glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        out[data["app"]] = data
    return out


def split(labels: dict[str, dict]) -> dict[str, str]:
    """Every third application (ordered by a hash of its name) is held out; decided once, kept in git."""
    if SPLIT.exists():
        known = json.loads(SPLIT.read_text(encoding="utf-8"))
        new = [a for a in labels if a not in known]
    else:
        known, new = {}, list(labels)
    for i, app in enumerate(sorted(new, key=lambda a: hashlib.sha256(a.encode()).hexdigest())):
        known[app] = "holdout" if i % 3 == 2 else "tune"
    SPLIT.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return known


def scope_excludes(scope: dict) -> list[str]:
    """The label file's scope as exclude globs for a run from the snapshot root: everything but the
    included paths is excluded (gitignore whitelisting: each folder on the way is re-included and its
    other entries excluded), then the scope's own excludes apply."""
    targets = sorted({i.strip("/").removeprefix("./") for i in scope.get("include") or ["."]} - {"", "."})
    exclude = list(scope.get("exclude") or [])
    if not targets:
        return exclude
    targets = [t for t in targets if not any(t.startswith(o + "/") for o in targets if o != t)]
    folders = sorted({"/".join(t.split("/")[:k]) for t in targets for k in range(1, t.count("/") + 1)},
                     key=lambda d: (d.count("/"), d))
    pats = ["/*"]
    for d in folders:
        pats += [f"!/{d}", f"/{d}/*"]
    return pats + [f"!/{t}" for t in targets] + exclude


def _scope_config(app: dict, tmp: str) -> Path:
    """The run's config: the label's scope as excludes, and no .gitignore. A snapshot is a `git archive` of the
    tracked files, without `.git`; git never hides a tracked file, nor does tokenlint in a checkout (discovery
    reads the index), but in a folder with no repository a .gitignore's patterns apply to every file: RAG_Techniques'
    "ignore everything, then allow *.py" hid its tracked scripts' folder, 67 of its 117 labelled sites."""
    cfg = Path(tmp) / "pyproject.toml"
    cfg.write_text("[tool.tokenlint]\nrespect-gitignore = false\nexclude = " +
                   json.dumps(scope_excludes(app.get("scope") or {})) + "\n", encoding="utf-8")
    return cfg


def _boot(checkout: str | None) -> str:
    boot = "import sys; from tokenlint.cli import main; sys.argv[0] = 'tokenlint'; main()"
    return f"import sys; sys.path.insert(0, {checkout!r}); " + boot if checkout else boot


def inventory(app: dict, src: Path, checkout: str | None) -> list[dict]:
    """tokenlint's inventory of one snapshot, run from its root (so absolute project imports resolve
    as in the application) on exactly the labelled files: the scope is config, not paths."""
    root = src / app["app"]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = _scope_config(app, tmp)
        out = Path(tmp) / "inv.json"
        cmd = [sys.executable, "-P", "-c", _boot(checkout), "inventory", "--no-cache", "--format", "json", "--config", str(cfg),
               "--output", str(out), "."]
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900)
        if not out.exists():  # what a user gets from a crash: nothing; counted as such, and said loudly
            print(f"{app['app']}: TOKENLINT FAILED (counted as no sites): {done.stderr.strip()[-300:]}", file=sys.stderr)
            return []
        data = json.loads(out.read_text(encoding="utf-8"))
    if Path(data["root"]).resolve() != root.resolve():
        raise SystemExit(f"{app['app']}: tokenlint took {data['root']} as the project root, not the snapshot root")
    for s in data["call_sites"]:
        s["file"] = s["path"]
    for u in data.get("not_resolved") or ():  # places tokenlint says it could not resolve, kept aside
        data["call_sites"].append({"file": u["path"], "line": u["line"], "kind": "not-resolved", "detail": u["detail"]})
    return data["call_sites"]


def match(labelled: list[dict], found: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pairs (label, site), labels missed, sites unmatched; exact lines first, then within one line."""
    free = list(found)
    pairs, missed = [], []
    pending = []
    for lab in labelled:
        hit = next((s for s in free if s["file"] == lab["file"] and s["line"] == lab["line"]), None)
        if hit:
            free.remove(hit)
            pairs.append((lab, hit))
        else:
            pending.append(lab)
    for lab in pending:
        hit = next((s for s in free if s["file"] == lab["file"] and abs(s["line"] - lab["line"]) <= 1), None)
        if hit:
            free.remove(hit)
            pairs.append((lab, hit))
        else:
            missed.append(lab)
    return pairs, missed, free


def evaluate(app: dict, found: list[dict]) -> dict[str, dict]:
    unresolved = [s for s in found if s["kind"] == "not-resolved"]
    result = {}
    for cls, kinds in CLASSES.items():
        labelled = [s for s in app["sites"] if s.get("kind") in kinds]
        mine = [s for s in found if site_class(s) == cls]
        pairs, missed, extra = match(labelled, mine)
        # honesty: a missed site the inventory lists under "not resolved" (within a line), or whose
        # file it names there, was at least pointed at
        flagged = [m for m in missed if any(u["file"] == m["file"] and abs(u["line"] - m["line"]) <= 1
                                            for u in unresolved)]
        in_file = [m for m in missed if any(u["file"] == m["file"] for u in unresolved)]
        result[cls] = {"labelled": len(labelled), "found": len(mine), "matched": len(pairs),
                       "missed": missed, "extra": extra, "missed_flagged": len(flagged),
                       "missed_file_flagged": len(in_file)}
    return result


def chosen(app: str, which: str, assignment: dict[str, str]) -> bool:
    """Whether `--split which` takes the application: "all" is every tune application, never the
    untouched holdout (it is measured only by asking for it by name, `--split holdout`)."""
    part = assignment.get(app, "holdout")  # not yet split (a new round's labels kept out of the repo): untouched
    if which == "all":
        return part != "holdout"
    return part == which


def run(args: argparse.Namespace) -> None:
    labels = load_labels()
    assignment = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    apps = [a for a in labels if chosen(a, args.split, assignment)]
    if args.app:
        apps = [a for a in apps if a in args.app]
    totals = {c: Counter() for c in CLASSES}
    report = {}
    print(f"{'app':28} {'split':8} " + "  ".join(f"{c + ' R':>12} {'P':>5}" for c in CLASSES))
    for name in apps:
        app = labels[name]
        found = inventory(app, Path(args.src), args.tokenlint)
        res = evaluate(app, found)
        report[name] = res
        cells = []
        for cls in CLASSES:
            r = res[cls]
            totals[cls].update({"labelled": r["labelled"], "found": r["found"], "matched": r["matched"],
                                "missed": len(r["missed"]), "flagged": r["missed_flagged"],
                                "file_flagged": r["missed_file_flagged"]})
            rec = f"{r['matched']}/{r['labelled']}"
            prec = f"{r['matched'] / r['found']:.2f}" if r["found"] else "-"
            cells.append(f"{rec:>12} {prec:>5}")
        print(f"{name:28} {assignment.get(name, '?'):8} " + "  ".join(cells))
    cells = []
    for cls in CLASSES:
        t = totals[cls]
        recall = t["matched"] / t["labelled"] if t["labelled"] else 0.0
        precision = t["matched"] / t["found"] if t["found"] else 0.0
        cells.append(f"{recall:>12.3f} {precision:>5.2f}")
    print(f"{'TOTAL (recall, precision)':37} " + "  ".join(cells))
    print("missed sites listed under 'not resolved' (within a line / in a file it lists): " + ", ".join(
        f"{c} {totals[c]['flagged']}/{totals[c]['file_flagged']} of {totals[c]['missed']}" for c in CLASSES))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")


def misses(args: argparse.Namespace) -> None:
    labels = load_labels()
    app = labels[args.app_name]
    res = evaluate(app, inventory(app, Path(args.src), args.tokenlint))
    for cls, r in res.items():
        if not (r["missed"] or r["extra"]):
            continue
        print(f"== {cls}: {r['matched']}/{r['labelled']} matched, {r['found']} found")
        for lab in r["missed"]:
            print(f"  missed  {lab['file']}:{lab['line']}  {lab.get('provider')} {lab.get('api')}  {lab.get('note', '')}")
        for s in r["extra"]:
            print(f"  extra   {s['file']}:{s['line']}  {s['provider']} {s['sdk']} {s['api']} {s['kind']} "
                  f"{s['confidence']}")


SPENDING_KINDS = {"direct", "http", "request", "facade", "wrapper"}


def _tokenlint_json(app: dict, src: Path, checkout: str | None, *args: str) -> dict:
    """The JSON output of `tokenlint inventory ARGS` on one application's scope, run exactly as
    `inventory` runs (from the snapshot root on ".", the scope as config): given the included folders
    as paths, tokenlint took one of them as the project root and its paths did not meet the
    inventory's, so every site fell back to a name per function."""
    root = src / app["app"]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-P", "-c", _boot(checkout), "inventory", *args, "--no-cache", "--format", "json",
               "--config", str(_scope_config(app, tmp)), "."]
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900)
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError:  # a crash: nothing for the user, counted as such and said loudly
            print(f"{app['app']}: TOKENLINT FAILED (inventory {' '.join(args)}; counted as empty): "
                  f"{done.stderr.strip()[-300:]}", file=sys.stderr)
            return defaultdict(list)


def inventory_features(app: dict, src: Path, checkout: str | None) -> dict[tuple[str, int], str]:
    """(file, line) of every spending site -> the name of the inventory feature it is listed under."""
    names = {(r["path"], r["function"]): r["feature"]
             for r in _tokenlint_json(app, src, checkout, "--features")["feature_names"]}
    out = {}
    for s in inventory(app, src, checkout):
        if s.get("kind") not in SPENDING_KINDS or s.get("spends") is False:
            continue
        function = ".".join(x for x in (s.get("class"), s.get("function")) if x) or "<module>"
        out[(s["file"], s["line"])] = s.get("feature") or names.get((s["path"], function)) or f"({function})"
    return out


def feature_coverage(app: dict, listed: dict[tuple[str, int], str]) -> dict:
    """How many labelled features the inventory shows (one site, every site), and its own feature count;
    how its names group them: found features whose listed sites all carry one name (`one_name`), and
    found features sharing a name with another labelled feature (`merged`)."""
    found = complete = 0
    named: list[set[str]] = []  # the inventory names at each found feature's listed sites
    for feat in app.get("features") or []:
        hits, names = [], set()
        for ref in feat.get("sites") or []:
            file, _, line = ref.rpartition(":")
            if not line.isdigit():
                continue
            n = int(line)
            at = next(((file, n + d) for d in (0, -1, 1) if (file, n + d) in listed), None)
            hits.append(at is not None)
            if at is not None:
                names.add(listed[at])
        found += any(hits)
        complete += bool(hits) and all(hits)
        if names:
            named.append(names)
    return {"labelled": len(app.get("features") or []), "found": found, "all_sites": complete,
            "inventory_features": len(set(listed.values())),
            "one_name": sum(len(n) == 1 for n in named),
            "merged": sum(any(n & m for j, m in enumerate(named) if j != i) for i, n in enumerate(named))}


def features(args: argparse.Namespace) -> None:
    labels = load_labels()
    assignment = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    apps = [a for a in labels if chosen(a, args.split, assignment)]
    runs = [("before", args.before)] if args.before else []
    runs.append(("after" if args.before else "found", args.tokenlint))
    print(f"{'app':26} {'labelled':>8}  " + "  ".join(f"{n + ' found':>12} {'all':>4} {'inv.feat':>8}" for n, _ in runs))
    totals = {n: Counter() for n, _ in runs}
    report = {}
    for name in apps:
        app = labels[name]
        rows = {n: feature_coverage(app, inventory_features(app, Path(args.src), c)) for n, c in runs}
        report[name] = rows
        for n in rows:
            totals[n].update(rows[n])
        first = next(iter(rows.values()))
        print(f"{name:26} {first['labelled']:>8}  " + "  ".join(
            f"{r['found']:>12} {r['all_sites']:>4} {r['inventory_features']:>8}" for r in rows.values()))
    t0 = next(iter(totals.values()))
    print(f"{'TOTAL':26} {t0['labelled']:>8}  " + "  ".join(
        f"{t['found']:>12} {t['all_sites']:>4} {t['inventory_features']:>8}" for t in totals.values()))
    for n, t in totals.items():
        share = t["found"] / t["labelled"] if t["labelled"] else 0.0
        print(f"{n}: {share:.1%} of the labelled features appear in the inventory "
              f"({t['all_sites']} with every site); {t['inventory_features'] / max(len(apps), 1):.1f} inventory "
              f"features per application; {t['one_name']} found features under one name, {t['merged']} sharing "
              f"a name with another labelled feature")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")


def findings(args: argparse.Namespace) -> None:
    """Every finding of the selected rules on each application's scope, with its source line and the
    call it is about, as JSON for a reviewer who reads the code and marks it true, false or debatable."""
    labels = load_labels()
    assignment = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    apps = args.app or [a for a in labels if chosen(a, args.split, assignment)]
    out, counts = [], Counter()
    for name in apps:
        app = labels[name]
        root = Path(args.src) / name
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-P", "-c", _boot(args.tokenlint), "check", "--no-cache", "--exit-zero",
                   "--format", "json", "--select", args.select, "--config", str(_scope_config(app, tmp)), "."]
            done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=900)
        try:
            found = json.loads(done.stdout)
        except json.JSONDecodeError:
            print(f"{name}: TOKENLINT FAILED (check; counted as no findings): {done.stderr.strip()[-300:]}", file=sys.stderr)
            found = []
        for f in found:
            lines = (root / f["filename"]).read_text(encoding="utf-8", errors="replace").splitlines()
            row = f["location"]["row"]
            out.append({"app": name, "file": f["filename"], "line": row, "code": f["code"], "message": f["message"],
                        "source": lines[row - 1].strip() if 0 < row <= len(lines) else "",
                        "verdict": None, "why": ""})
            counts[f["code"]] += 1
    Path(args.out).write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"{len(out)} findings in {len(apps)} applications: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=str(SRC))
    ap.add_argument("--tokenlint", help="a tokenlint checkout to run instead of the installed one")
    ap.add_argument("--labels", help="a folder of label files to read instead of bench/study/labels (a new round's "
                    "labels stay outside the repository until its report; apps not in split.json are holdout)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("split")
    r = sub.add_parser("run")
    r.add_argument("--split", default="tune", choices=["tune", "holdout", "all"])
    r.add_argument("--app", action="append")
    r.add_argument("--out")
    m = sub.add_parser("misses")
    m.add_argument("app_name")
    f = sub.add_parser("features")
    f.add_argument("--split", default="tune", choices=["tune", "holdout", "all"])
    f.add_argument("--before", help="a tokenlint checkout for the before column")
    f.add_argument("--out")
    g = sub.add_parser("findings")
    g.add_argument("--split", default="holdout", choices=["tune", "holdout", "all"])
    g.add_argument("--app", action="append")
    g.add_argument("--select", default="TKL2,TKL3,TKL4,TKL5")
    g.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.labels:
        global LABELS
        LABELS = Path(args.labels)
    if args.cmd == "split":
        for app, part in sorted(split(load_labels()).items()):
            print(f"{part:8} {app}")
    elif args.cmd == "run":
        run(args)
    elif args.cmd == "features":
        features(args)
    elif args.cmd == "findings":
        findings(args)
    else:
        misses(args)


if __name__ == "__main__":
    main()
