"""The one token estimate every prompt rule reads: how long a prompt's text is, and how many tokens
that length makes.

A length here is in characters of Latin text, the unit of the usual rule of thumb (about four
characters a token in English, OpenAI's "What are tokens and how to count them" and Anthropic's
token-counting notes). Scripts written without spaces between words (CJK ideographs, kana,
Hangul, full-width forms) take about one token a character under today's BPE tokenizers, so
`text_length` counts each such character as CHARS_PER_TOKEN: a Chinese system prompt of 3,000
characters is about 3,000 tokens, not 750. Tokenizers differ by model (GPT-4o's o200k vocabulary
spends fewer tokens on Chinese than cl100k or Claude's), so every figure is approximate, and the
same for every rule so that their thresholds agree.
"""

from __future__ import annotations

import re

CHARS_PER_TOKEN = 4
# CJK radicals to unified ideographs (with kana and Bopomofo), Hangul syllables, CJK compatibility
# ideographs, full-width forms, and the supplementary ideograph planes.
WIDE = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def text_length(text: str) -> int:
    """The length of `text` for the token estimate: its characters, a wide-script character
    counted as CHARS_PER_TOKEN (one token)."""
    if text.isascii():
        return len(text)
    return len(text) + (CHARS_PER_TOKEN - 1) * len(WIDE.findall(text))


def estimate_tokens(length: int) -> int:
    """Tokens in a prompt text of `length` (a `text_length`, or a sum of them)."""
    return length // CHARS_PER_TOKEN
