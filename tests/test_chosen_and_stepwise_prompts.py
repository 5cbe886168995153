"""Two shapes of prompt the resolver reads (resolve/pieces.py, resolve/chains.py): a text chosen by a
condition (`A if brief else B`, also a template so chosen and filled with `.format`) and a message list
written empty and built in steps (`messages = []`, then `messages.append(...)`)."""

from __future__ import annotations

import datetime as dt

from projects import make
from tokenlint.config import load_config
from tokenlint.engine import analyse
from tokenlint.resolve.pieces import DYNAMIC, STATIC
from tokenlint.resolve.prompts import cache_prefix

GUIDE = "Check each invoice line against the purchase order and name the rule it breaks. " * 60  # ~1,200 tokens

APP = f'''
from openai import OpenAI

client = OpenAI()
GUIDE = {GUIDE!r}
FULL = "Vendor: {{vendor}}\\n" + GUIDE
BRIEF = "Vendor: {{vendor}}\\n" + GUIDE + "One line."


def send(messages):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=messages)


def template_chosen(vendor, brief):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "system", "content": (BRIEF if brief else FULL).format(vendor=vendor)}}])


def static_choices(brief):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "system", "content": GUIDE if brief else GUIDE + "One line."}}])


def openings_differ(vendor, buyer, brief):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[
        {{"role": "system", "content": f"Vendor: {{vendor}}" if brief else f"Buyer: {{buyer}}"}}])


def stepwise(system_prompt, question):
    messages = []
    if system_prompt:
        messages.append({{"role": "system", "content": system_prompt}})
    messages.append({{"role": "user", "content": question}})
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=messages)


def stepwise_history_first(history, question):
    messages = []
    messages.extend(history)
    messages.append({{"role": "system", "content": GUIDE}})
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=messages)
'''


def _sites(tmp_path):
    root = make(tmp_path / "p", {"app.py": APP})
    result = analyse([root], load_config(root / "pyproject.toml").with_overrides(select=("TKL301",)), root=root,
                     today=dt.date(2026, 12, 6))
    return {s.function: s for s in result.sites if s.kind == "direct"}


def test_a_template_chosen_by_a_condition_keeps_what_every_choice_shares(tmp_path):
    pieces = cache_prefix(_sites(tmp_path)["template_chosen"]).pieces
    kinds = [p.kind for p in pieces]
    assert kinds[:3] == [STATIC, DYNAMIC, STATIC]  # "Vendor: ", {vendor}, the shared guide
    assert pieces[2].chars >= len(GUIDE)  # the shorter choice's static text after the field


def test_static_choices_are_static_text_as_long_as_the_shorter(tmp_path):
    pieces = cache_prefix(_sites(tmp_path)["static_choices"]).pieces
    assert [p.kind for p in pieces] == [STATIC] and pieces[0].chars == len(GUIDE)


def test_choices_that_open_differently_are_one_dynamic_part(tmp_path):
    pieces = cache_prefix(_sites(tmp_path)["openings_differ"]).pieces
    # "Vendor: " and "Buyer: " both open with static text: the shorter run is kept, then one dynamic part
    assert [(p.kind, p.chars) for p in pieces] == [(STATIC, len("Buyer: ")), (DYNAMIC, 0)]


def test_a_list_built_in_steps_starts_with_the_guarded_system_message(tmp_path):
    site = _sites(tmp_path)["stepwise"]
    assert site.system is not None and site.scope is not None
    prefix = cache_prefix(site)
    assert prefix is not None and prefix.system and [p.kind for p in prefix.pieces] == [DYNAMIC]


def test_a_list_opened_by_the_history_has_no_known_first_message(tmp_path):
    site = _sites(tmp_path)["stepwise_history_first"]
    assert site.system is None and cache_prefix(site) is None
