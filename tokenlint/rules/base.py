"""What a rule is: a code, a name, a docstring in ruff's headings, and a check over call sites.

A rule never parses, never reads config files and never prints: it receives the call sites the
resolver found for one file (and the run's options) and returns findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable

from tokenlint.findings import Finding, Fix

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.callsites import CallSite
    from tokenlint.project import ModuleSource


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know besides the call sites: the run's options."""

    feature_key: str = "feature"


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]  # template with named fields
    fix_title: ClassVar[str | None] = None
    fix_safety: ClassVar[str | None] = None  # "safe" | "unsafe" | None
    default_on: ClassVar[bool] = True

    def check(self, sites: list["CallSite"], source: "ModuleSource", ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, site: "CallSite", fix: Fix | None = None, **fields: str) -> Finding:
        return Finding(code=self.code, name=self.name, message=self.message.format(**fields),
                       path=site.path, row=site.line, column=site.column, end_row=site.end_line,
                       end_column=site.end_column, fix=fix, site_id=site.id)
