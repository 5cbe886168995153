"""The shortcuts taken on every file of a run answer exactly as what they stand for.

Each runs over every file of a project (thousands), so each was made cheaper than its plain
definition: the prefilter's identifier set, the `# noqa` reading that tokenizes only where a finding
lands, the byte reader, the real path of a folder. Each is checked here against that definition.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenlint.noqa import Comments, directives, rows_with_word, suppressed
from tokenlint.prefilter import identifiers, word_line, word_runs
from tokenlint.project import FileTooLarge, Project, read_source_bytes

WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


@given(st.binary(max_size=200) | st.lists(st.sampled_from([b"a", b"Z", b"_", b"9", b"0x", b" ", b".", b"\n", b"\xc3\xa9",
                                                           b"\x00", b"\xff", b"9_a", b"openai"])).map(b"".join))
@settings(max_examples=400, deadline=None)
def test_identifiers_are_what_the_word_regex_finds(raw):
    assert identifiers(raw) == set(WORD.findall(raw))


_PIECES = st.lists(st.sampled_from([b"a", b"Z", b"_", b"9", b"0x", b" ", b".", b"\n", b"\xc3\xa9", b"\x00", b"ask",
                                     b"9_a", b"openai", b"'"])).map(b"".join)


@given(st.binary(max_size=200) | _PIECES, st.sampled_from([b"a", b"ask", b"9_a", b"_", b"openai", b"Z9", b"x"]))
@settings(max_examples=400, deadline=None)
def test_a_word_is_in_the_line_of_runs_where_the_whole_word_pattern_finds_it(raw, word):
    """The callers' search of a name's files reads the runs the prefilter kept instead of the bytes."""
    found = re.search(rb"(?<!\w)" + re.escape(word) + rb"(?!\w)", raw) is not None
    assert (b" " + word + b" " in word_line(word_runs(raw))) is found


@given(st.binary(max_size=200) | _PIECES)
@settings(max_examples=200, deadline=None)
def test_identifiers_from_runs_made_already_are_the_same(raw):
    assert identifiers(raw, word_runs(raw)) == identifiers(raw)


def test_identifiers_drop_leading_digits_as_the_regex_does():
    assert identifiers(b"9openai 12 _x1 x.y3z") == {b"openai", b"_x1", b"x", b"y3z"}


NOQA_PARTS = ["x = 1", "  # noqa", "# NOQA: TKL101", "# noqa:TKL2,E501", "'# noqa'", '"""', "s = '''", "'''",
              "\n", "\n", "\r\n", "\\\n", "\x0c", "f(a,", ")", "# plain", "noqa", "\u2028"]


@given(st.lists(st.sampled_from(NOQA_PARTS), max_size=30).map("".join),
       st.integers(1, 12), st.integers(0, 3), st.sampled_from(["TKL101", "TKL201", "E501"]))
@settings(max_examples=400, deadline=None)
def test_noqa_comments_suppress_as_the_tokenized_directives_do(text, row, extra, code):
    text = text.replace("\r\n", "\n")  # as ModuleSource.read hands it over
    rows = (row, row + extra)
    assert Comments(text).suppress(code, rows) == suppressed(code, rows, directives(text))


def test_noqa_rows_count_lines_as_tokenize_does():
    text = "a\x0cb\n# NoQa\nc = 'noqa'\u2028d\n\nx  # noqa: TKL101"
    assert rows_with_word(text) == {2, 3, 5}  # a form feed or U+2028 starts no line for tokenize
    assert Comments(text).suppress("TKL101", (5, 5)) and not Comments(text).suppress("TKL101", (3, 3))


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65536, 65537, 200_000])
def test_the_reader_returns_the_whole_file(tmp_path, size):
    p = tmp_path / "f.py"
    data = os.urandom(size)
    p.write_bytes(data)
    assert read_source_bytes(p) == data
    assert read_source_bytes(p, capped=False) == data


def test_the_reader_stops_at_the_cap(tmp_path, monkeypatch):
    import tokenlint.project

    monkeypatch.setattr(tokenlint.project, "MAX_FILE_SIZE", 1000)
    p = tmp_path / "f.py"
    p.write_bytes(b"x" * 1000)
    assert read_source_bytes(p) == b"x" * 1000
    p.write_bytes(b"x" * 1001)
    with pytest.raises(FileTooLarge):
        read_source_bytes(p)
    assert read_source_bytes(p, capped=False) == b"x" * 1001


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_folders_real_path_is_what_realpath_says(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    os.symlink(tmp_path / "a" / "b", tmp_path / "link")
    os.symlink("c", tmp_path / "a" / "b" / "rel")
    os.symlink(tmp_path / "nowhere", tmp_path / "a" / "dangling")
    os.symlink(tmp_path / "loop2", tmp_path / "loop1")
    os.symlink(tmp_path / "loop1", tmp_path / "loop2")
    project = Project(tmp_path, [])
    for rel in ("", "a", "a/b/c", "link", "link/c", "link/rel/x", "a/b/rel", "a/dangling", "a/dangling/q",
                "missing/x", "loop1", "loop1/x"):
        d = str(tmp_path / rel) if rel else str(tmp_path)
        assert project._real_dir(d) == os.path.realpath(d), rel  # noqa: SLF001 - the shortcut under test
    assert project._real_dir(str(Path(tmp_path) / "a" / ".." / "link")) == \
        os.path.realpath(str(Path(tmp_path) / "a" / ".." / "link"))  # noqa: SLF001


def test_a_dotted_marker_is_matched_whole_and_compiled_only_when_a_file_needs_it():
    from tokenlint.config import Config
    from tokenlint.engine import sdk_catalog
    from tokenlint.prefilter import SdkPattern

    pattern = SdkPattern(sdk_catalog(Config()))
    first, entries = sorted(pattern.dotted.items())[0]
    marker = entries[0][0]
    others = b"x = 1\n"
    assert not pattern.search(others)
    assert pattern._whole == {}  # noqa: SLF001 - no file named the marker's words: nothing compiled
    assert pattern.search(b"y = " + marker + b"(1)\n")
    assert not pattern.search(b"y = x" + marker + b"s(1)\n")  # inside longer words: not the marker
    assert set(pattern._whole) <= {w for w, _ in entries}  # noqa: SLF001
