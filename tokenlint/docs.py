"""Rule pages: generated from each rule's docstring into rules/TKLnnn.md (`python -m tokenlint.docs`)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from tokenlint.rules import RULES, Rule

HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Configuration")


def render_rule(rule: type[Rule]) -> str:
    doc = inspect.cleandoc(rule.__doc__ or "")
    fix = {"safe": "Fix is always available (safe).", "unsafe": "Fix is sometimes available (unsafe: needs "
           "`--unsafe-fixes`)."}.get(rule.fix_safety or "", "No automatic fix.")
    head = [f"# {rule.name} ({rule.code})", "", f"Default: {'on' if rule.default_on else 'off'}. {fix}", ""]
    return "\n".join(head) + "\n" + doc + "\n"


def write_pages(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for r in RULES:
        p = out / f"{r.code}.md"
        p.write_text(render_rule(r), encoding="utf-8")
        written.append(p)
    return written


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        # `--help` (or any option) is no folder to write into
        sys.exit("usage: python -m tokenlint.docs [FOLDER]  (writes one Markdown page per rule; default: rules/)")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "rules"
    for p in write_pages(target):
        print(p)
