"""What a rule is: a code, a name, a docstring in ruff's headings, and a check over call sites.

A rule never parses, never reads config files and never prints: it receives the call sites the
resolver found for one file (and the run's options) and returns findings.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Iterable, Optional

from tokenlint.attribution import Attribution
from tokenlint.findings import Finding, Fix

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import ModelCatalog
    from tokenlint.project import ModuleSource
    from tokenlint.resolve.site import CallSite


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know besides the call sites: the run's options and the catalog's facts."""

    feature_key: str = "feature"
    today: _dt.date = field(default_factory=_dt.date.today)
    retirement_warning_days: int = 90
    models: Optional["ModelCatalog"] = None
    features: tuple = ()  # ((name, FeatureSpec), ...)
    model_config: tuple[str, ...] = ()
    batch: dict = field(default_factory=dict)  # provider -> {"api", "discount", "source"}
    evaluator_results: frozenset = frozenset()  # TKL401: what an evaluator callback returns, (package, class name)
    evaluator_datasets: frozenset[str] = frozenset()  # TKL401: a summary evaluator's dataset parameters
    min_static_chars: int = 0  # TKL301: a fixed threshold in characters; 0: the model's cache minimum
    attribution: Attribution = field(default_factory=Attribution)  # where tags are read (sinks), and why

    def feature_names(self) -> set[str]:
        return {name for name, _spec in self.features}


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]  # template with named fields
    fix_title: ClassVar[str | None] = None
    fix_safety: ClassVar[str | None] = None  # "safe" | "unsafe" | None
    default_on: ClassVar[bool] = True
    # also read the framework's own model classes built in its own source or samples when it is
    # analysed as itself (Resolver.own_builds): no bindings, but the model they choose is what runs
    own_builds: ClassVar[bool] = False

    def check(self, sites: list["CallSite"], source: "ModuleSource", ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, site: "CallSite", fix: Fix | None = None, **fields: str) -> Finding:
        """A finding at the call site."""
        return Finding(code=self.code, name=self.name, message=self.message.format(**fields),
                       path=site.path, row=site.line, column=site.column, end_row=site.end_line,
                       end_column=site.end_column, fix=fix, site_id=site.id)

    def finding_at(self, source: "ModuleSource", node, site: "CallSite | None" = None,  # type: ignore[no-untyped-def]
                   fix: Fix | None = None, **fields: str) -> Finding:
        """A finding at any node of any module (where a model name is written, a prompt part...)."""
        row, col, end_row, end_col = source.span(node)
        return Finding(code=self.code, name=self.name, message=self.message.format(**fields),
                       path=source.relpath, row=row, column=col, end_row=end_row, end_column=end_col,
                       fix=fix, site_id=site.id if site is not None else None)
