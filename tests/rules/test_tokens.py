"""The one token estimate (resolve/tokens.py): four characters of Latin text a token, one token a
character for scripts written without spaces (CJK ideographs, kana, Hangul), so that a long Chinese
or Japanese system prompt is measured against the cache minimum at about its real size."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from ruletools import project

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.resolve.tokens import CHARS_PER_TOKEN, estimate_tokens, text_length


def test_latin_text_is_its_characters():
    assert text_length("Answer briefly.") == 15
    assert text_length("Réponds brièvement, s'il te plaît.") == 34  # accented Latin is not wide


def test_a_wide_script_character_is_one_token():
    assert estimate_tokens(text_length("你是一个乐于助人的助手")) == 11  # 11 ideographs
    assert estimate_tokens(text_length("あなたは親切なアシスタントです")) == 15  # kana and kanji
    assert estimate_tokens(text_length("당신은 도움이 되는 비서입니다")) == 13  # Hangul syllables, spaces at 4 a token
    assert text_length("答え: yes") == 2 * CHARS_PER_TOKEN + 5


@given(st.text(max_size=200), st.text(max_size=200))
def test_lengths_add_up_and_never_undercount(a, b):
    assert text_length(a + b) == text_length(a) + text_length(b)
    assert text_length(a) >= len(a)


def run(tmp_path, body: str) -> list[int]:
    head = '''from anthropic import Anthropic

claude = Anthropic()
'''
    project(tmp_path, {"app.py": head + body})
    cfg = Config().with_overrides(select=("TKL301", "TKL305"))
    found = analyse([tmp_path], cfg, root=tmp_path, today=dt.date(2026, 12, 6)).findings
    return sorted((f.code, f.row - head.count("\n")) for f in found)


def test_a_chinese_prompt_reaches_the_cache_minimum_that_latin_text_of_the_same_length_does_not(tmp_path):
    got = run(tmp_path, '''
RULES_ZH = "请仔细遵守客服政策。" * 120  # 1,200 ideographs: about 1,200 tokens
RULES_EN = "Follow policy. " * 80  # 1,200 characters: about 300 tokens


def chinese(user):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=f"{user}: {RULES_ZH}",
                                  messages=[{"role": "user", "content": "q"}])


def english(user):
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=f"{user}: {RULES_EN}",
                                  messages=[{"role": "user", "content": "q"}])


def chinese_static():
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=64, system=RULES_ZH,
                                  messages=[{"role": "user", "content": "q"}])
''')
    assert got == [("TKL301", 7), ("TKL305", 17)]
