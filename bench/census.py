"""Import census of the study applications: the third-party packages their labelled code imports that the
catalog does not model, ranked by how many applications import them (the list a catalog round starts from).

    python bench/census.py [--split tune|all] [--all-packages]

Every absolute `import` / `from ... import` in the Python files a label's scope covers (the same scope
bench/study.py runs tokenlint on) is counted once per application by its top-level package; the standard
library and the application's own folders and modules are left out. A package is catalogued when its name
is the first part of a qualified name in tokenlint/catalog/*.toml (an SDK, framework, HTTP client, local or
recording package). Never run on the held-out applications (`--split holdout` is not offered).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import study  # noqa: E402

from tokenlint.discovery import discover  # noqa: E402

NAME = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")
PROSE = {"source", "checked", "note"}  # provenance text, not names


def catalogued_packages() -> set[str]:
    """The first part of every qualified name the catalog files hold (keys and values, not provenance)."""
    tops: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k not in PROSE:
                    tops.update(n.split(".")[0] for n in NAME.findall(k))
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and " " not in x.strip():
            tops.update(n.split(".")[0] for n in NAME.findall(x))

    for f in sorted((HERE.parent / "tokenlint" / "catalog").glob("*.toml")):
        walk(tomllib.loads(f.read_text(encoding="utf-8")))
    return tops


def imports(app: dict) -> set[str]:
    """Top-level third-party packages the application's labelled files import."""
    root = study.SRC / app["app"]
    own: set[str] = set()
    for _dirpath, dirs, files in os.walk(root):
        own.update(dirs)
        own.update(f[:-3] for f in files if f.endswith(".py"))
    found: set[str] = set()
    for path in discover([root], root, exclude=study.scope_excludes(app.get("scope") or {}), respect_gitignore=False):
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(n.split(".")[0] for n in names)
    return {p for p in found if p not in sys.stdlib_module_names and p not in own and p != "__future__"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="all", choices=["tune", "all"])
    ap.add_argument("--all-packages", action="store_true", help="list the catalogued packages too")
    args = ap.parse_args()
    labels = study.load_labels()
    assignment = json.loads(study.SPLIT.read_text(encoding="utf-8")) if study.SPLIT.exists() else {}
    by_package: dict[str, set[str]] = defaultdict(set)
    for name, app in labels.items():
        if study.chosen(name, args.split, assignment) and (study.SRC / name).is_dir():
            for p in imports(app):
                by_package[p].add(name)
    known = catalogued_packages()
    for p, apps in sorted(by_package.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if args.all_packages or p not in known:
            print(f"{p:32} {len(apps):4}  {'catalogued' if p in known else ''}")


if __name__ == "__main__":
    main()
