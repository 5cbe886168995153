"""The rule registry: one explicit tuple, in code order."""

from __future__ import annotations

from tokenlint.rules.base import Rule, RuleContext
from tokenlint.rules.batch_candidate import BatchCandidate
from tokenlint.rules.dynamic_before_static_prompt import DynamicBeforeStaticPrompt
from tokenlint.rules.dynamic_feature_tag import DynamicFeatureTag
from tokenlint.rules.floating_model_alias import FloatingModelAlias
from tokenlint.rules.hardcoded_model import HardcodedModel
from tokenlint.rules.ineffective_cache_breakpoint import IneffectiveCacheBreakpoint
from tokenlint.rules.missing_cache_breakpoint import MissingCacheBreakpoint
from tokenlint.rules.missing_output_cap import MissingOutputCap
from tokenlint.rules.model_tier_policy import ModelTierPolicy
from tokenlint.rules.premium_model_for_small_task import PremiumModelForSmallTask
from tokenlint.rules.retired_model import RetiredModel
from tokenlint.rules.system_prompt_not_first import SystemPromptNotFirst
from tokenlint.rules.unbounded_agent_loop import UnboundedAgentLoop
from tokenlint.rules.undeclared_feature import UndeclaredFeature
from tokenlint.rules.untagged_llm_call import UntaggedLlmCall
from tokenlint.rules.volatile_prompt_prefix import VolatilePromptPrefix

RULES: tuple[type[Rule], ...] = (
    UntaggedLlmCall,
    DynamicFeatureTag,
    UndeclaredFeature,
    FloatingModelAlias,
    HardcodedModel,
    RetiredModel,
    ModelTierPolicy,
    PremiumModelForSmallTask,
    DynamicBeforeStaticPrompt,
    VolatilePromptPrefix,
    SystemPromptNotFirst,
    IneffectiveCacheBreakpoint,
    MissingCacheBreakpoint,
    BatchCandidate,
    UnboundedAgentLoop,
    MissingOutputCap,
)

BY_CODE: dict[str, type[Rule]] = {r.code: r for r in RULES}
BY_NAME: dict[str, type[Rule]] = {r.name: r for r in RULES}

__all__ = ["RULES", "BY_CODE", "BY_NAME", "Rule", "RuleContext", "select_rules"]


def select_rules(select: tuple[str, ...] = (), extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = ()) -> list[type[Rule]]:
    """ruff semantics: codes or prefixes ("TKL1", "TKL", "ALL"); select replaces the default set."""

    def matches(rule: type[Rule], sel: str) -> bool:
        return sel == "ALL" or rule.code.startswith(sel) or rule.name == sel

    if select:
        chosen = [r for r in RULES if any(matches(r, s) for s in select)]
    else:
        chosen = [r for r in RULES if r.default_on]
    for s in extend_select:
        chosen += [r for r in RULES if matches(r, s) and r not in chosen]
    return [r for r in RULES if r in chosen and not any(matches(r, i) for i in ignore)]


def unknown_selectors(selectors: tuple[str, ...]) -> list[str]:
    bad = []
    for s in selectors:
        if s == "ALL" or s == "TKL000":
            continue
        if not any(r.code.startswith(s) or r.name == s for r in RULES):
            bad.append(s)
    return bad
