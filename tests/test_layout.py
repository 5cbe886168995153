"""Fixes a formatter would leave alone (issue 16, item 5): the project's line length is read from its
ruff / black / flake8 configuration (else 88), and a line a fix made too long is split as black would
split it (checked against black itself when it is installed)."""

from __future__ import annotations

import datetime as dt

import pytest

from tokenlint.config import load_config
from tokenlint.engine import fix
from tokenlint.layout import fit_long_lines, line_length_for, project_line_length


@pytest.mark.parametrize("files, expected", [
    ({}, 88),
    ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, 100),
    ({"pyproject.toml": "[tool.ruff]\nline-length = 120\n[tool.black]\nline-length = 100\n"}, 120),
    ({"ruff.toml": "line-length = 99\n", "pyproject.toml": "[tool.ruff]\nline-length = 120\n"}, 99),
    ({".ruff.toml": "line-length = 101\n"}, 101),
    ({"setup.cfg": "[flake8]\nmax-line-length = 119\n"}, 119),
    ({"tox.ini": "[flake8]\nmax_line_length = 110\n"}, 110),
    ({"pyproject.toml": "[tool.ruff\nbroken", "setup.cfg": "[flake8]\nmax-line-length = 79\n"}, 79),
    ({"pyproject.toml": "[tool.ruff]\nline-length = \"wide\"\n"}, 88),
    ({"setup.cfg": "not an ini file ["}, 88),
])
def test_line_length_from_the_project(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert project_line_length(tmp_path) == expected


OLD = 'r = client.create(model="m", messages=msgs)\n'


def test_a_call_whose_arguments_fit_on_one_indented_line_is_hugged():
    new = 'r = client.create(model="m", messages=msgs, extra_headers={"Feature": "summary"})\n'
    assert fit_long_lines(OLD, new, 70) == (
        'r = client.create(\n    model="m", messages=msgs, extra_headers={"Feature": "summary"}\n)\n')


def test_else_one_argument_per_line_with_a_trailing_comma_and_nested_literals_split():
    new = ('def f():\n    return client.create(model="m", messages=[{"role": "system", "content": S}, '
           '{"role": "user", "content": q}], extra_headers={"Feature": "summary"})  # keep\n')
    assert fit_long_lines("def f():\n    pass\n", new, 60) == (
        'def f():\n'
        '    return client.create(\n'
        '        model="m",\n'
        '        messages=[\n'
        '            {"role": "system", "content": S},\n'
        '            {"role": "user", "content": q},\n'
        '        ],\n'
        '        extra_headers={"Feature": "summary"},\n'
        '    )  # keep\n')


def test_a_magic_trailing_comma_keeps_one_argument_per_line():
    new = 'r = client.create(model="m", messages=msgs, metadata={"feature": "x"},)\n'
    assert fit_long_lines(OLD, new, 70) == (
        'r = client.create(\n    model="m",\n    messages=msgs,\n    metadata={"feature": "x"},\n)\n')


@pytest.mark.parametrize("new", [
    OLD,  # short enough
    'r = client.create(model="m", messages=msgs, metadata={"feature": "x"}).choices[0]\n',  # not a bracket end
    # a line indented with a tab and spaces: which one a level is cannot be told, so it is left alone
    'def f():\n\t    return client.create(model="m", messages=msgs, metadata={"feature": "x"})\n',
])
def test_left_alone(new):
    assert fit_long_lines("", new, 50) == new


def test_a_tab_indented_line_is_split_with_tabs():
    new = 'def f():\n\treturn client.create(model="m", messages=msgs, extra_headers={"Feature": "summary"})\n'
    # a tab counts 4 columns: the line is 87 wide, the hugged arguments 69
    assert fit_long_lines("def f():\n\tpass\n", new, 80) == (
        'def f():\n'
        '\treturn client.create(\n'
        '\t\tmodel="m", messages=msgs, extra_headers={"Feature": "summary"}\n'
        '\t)\n')
    assert fit_long_lines("def f():\n\tpass\n", new, 60) == (
        'def f():\n'
        '\treturn client.create(\n'
        '\t\tmodel="m",\n'
        '\t\tmessages=msgs,\n'
        '\t\textra_headers={"Feature": "summary"},\n'
        '\t)\n')


def test_a_module_level_line_of_a_tab_indented_file_is_split_with_a_tab():
    new = ('def g():\n\treturn 1\n\n\nif x:\n\tpass\n'
           'r = client.create(model="m", messages=msgs, extra_headers={"Feature": "summary"})\n')
    got = fit_long_lines("", new, 70)
    assert got.endswith('r = client.create(\n\tmodel="m", messages=msgs, extra_headers={"Feature": "summary"}\n)\n')


def test_a_tab_indented_hugged_argument_line_is_split_one_per_line_with_tabs():
    old = 'def f():\n\treturn client.create(\n\t\tmodel="m", messages=msgs\n\t)\n'
    new = 'def f():\n\treturn client.create(\n\t\tmodel="m", messages=msgs, extra_headers={"Feature": "summary"}\n\t)\n'
    assert fit_long_lines(old, new, 60) == (
        'def f():\n\treturn client.create(\n\t\tmodel="m",\n\t\tmessages=msgs,\n'
        '\t\textra_headers={"Feature": "summary"},\n\t)\n')


def test_lines_the_fix_did_not_touch_stay_long():
    long = 'r = client.create(model="m", messages=msgs, metadata={"feature": "x"})\n'
    assert fit_long_lines(long + "x = 1\n", long + "x = 2\n", 40) == long + "x = 2\n"


@pytest.mark.parametrize("new, width", [
    ('r = client.create(model="m", messages=msgs, extra_headers={"Feature": "summary"})\n', 60),
    ('r = client.create(model="m", messages=msgs, extra_headers={"Feature": "summary"})\n', 70),
    ('def f():\n    return client.create(model="m", messages=[{"role": "system", "content": S}, '
     '{"role": "user", "content": q}], extra_headers={"Feature": "summary"})\n', 60),
    ('r = client.create(model="m", messages=msgs, metadata={"feature": "x"},)\n', 70),
    ('x = outer(client.create(model="m", messages=msgs, extra_headers={"Feature": "summarise-it"}))\n', 60),
])
def test_black_leaves_the_split_alone(new, width):
    black = pytest.importorskip("black")
    got = fit_long_lines("", new, width)
    assert got != new
    assert black.format_str(got, mode=black.Mode(line_length=width)) == got


APP = '''from openai import OpenAI

client = OpenAI()


def summarise(text: str) -> str:
    return client.chat.completions.create(model="gpt-5.4", messages=[{"role": "user", "content": text}])
'''


@pytest.mark.parametrize("unit", ["    ", "\t"], ids=["spaces", "tabs"])
def test_fixes_keep_the_projects_line_length_and_indentation_and_a_second_fix_changes_nothing(tmp_path, unit):
    libcst = pytest.importorskip("libcst")
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n[tool.tokenlint]\nattribution = "helicone"\n')
    app = APP.replace("\n    return", "\n" + unit + "return")
    (tmp_path / "app.py").write_text(app)
    cfg = load_config(start=tmp_path)
    run = fix([tmp_path], cfg, unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    new = run.fixed[tmp_path / "app.py"].decode()
    assert new == app.replace(
        unit + 'return client.chat.completions.create(model="gpt-5.4", messages=[{"role": "user", "content": text}])\n',
        unit + 'return client.chat.completions.create(\n'
        + 2 * unit + 'model="gpt-5.4-2026-03-05",\n'
        + 2 * unit + 'messages=[{"role": "user", "content": text}],\n'
        + 2 * unit + 'extra_headers={"Helicone-Property-Feature": "app-summarise"},\n'
        + unit + ')\n')
    assert max(len(line.expandtabs(4)) for line in new.splitlines()) <= 100  # a tab counts 4 columns
    libcst.parse_module(new)
    compile(new, "app.py", "exec")
    (tmp_path / "app.py").write_text(new)
    assert fix([tmp_path], cfg, unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path).fixed == {}


def test_the_nearest_folders_config_sets_a_files_line_length(tmp_path):
    """A monorepo: the root sets nothing (or 79), `backend/ruff.toml` sets 240 for the files under it,
    as ruff and black take the closest configuration."""
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 79\n")
    deep = tmp_path / "backend" / "pkg" / "sub"
    deep.mkdir(parents=True)
    (tmp_path / "backend" / "ruff.toml").write_text("line-length = 240\n")
    (tmp_path / "tools").mkdir()
    cache: dict = {}
    assert line_length_for(deep / "m.py", tmp_path, cache) == 240
    assert cache[deep] == cache[tmp_path / "backend"] == 240
    assert line_length_for(tmp_path / "tools" / "t.py", tmp_path, cache) == 79
    assert line_length_for(tmp_path / "top.py", tmp_path, cache) == 79
    (tmp_path / "setup.cfg").unlink()
    assert line_length_for(tmp_path / "top.py", tmp_path) == 88


def test_a_fix_in_a_subproject_with_a_long_line_length_is_not_split(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nattribution = "helicone"\n')
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend" / "ruff.toml").write_text("line-length = 240\n")
    (tmp_path / "backend" / "app.py").write_text(APP)
    (tmp_path / "app.py").write_text(APP)
    cfg = load_config(start=tmp_path)
    run = fix([tmp_path], cfg, unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    inside = run.fixed[tmp_path / "backend" / "app.py"].decode()
    assert inside == APP.replace('model="gpt-5.4", messages=[{"role": "user", "content": text}])',
                                 'model="gpt-5.4-2026-03-05", messages=[{"role": "user", "content": text}], '
                                 'extra_headers={"Helicone-Property-Feature": "backend-summarise"})')
    assert "(\n        model=" in run.fixed[tmp_path / "app.py"].decode()  # 88 at the root: split


HUGGED = '''from openai import OpenAI

client = OpenAI()


def short(t):
    return client.chat.completions.create(
        model="m", messages=t
    )


def wide(messages):
    return client.chat.completions.create(
        model="gpt-6-luna", messages=messages, temperature=1, user="someone"
    )
'''


def test_a_hugged_argument_line_takes_the_tag_and_is_split_one_per_line_when_too_long(tmp_path):
    """black's hugged layout (the arguments on one line between the brackets' lines) stays hugged when
    the tag fits there, else becomes one argument per line with a trailing comma, as black would
    write it: never two arguments on one line followed by a lone one with a magic comma."""
    new = _fixed_hugged(tmp_path)
    assert new == HUGGED.replace(
        '        model="m", messages=t\n',
        '        model="m", messages=t, extra_headers={"Helicone-Property-Feature": "app-short"}\n').replace(
        '        model="gpt-6-luna", messages=messages, temperature=1, user="someone"\n',
        '        model="gpt-6-luna",\n'
        '        messages=messages,\n'
        '        temperature=1,\n'
        '        user="someone",\n'
        '        extra_headers={"Helicone-Property-Feature": "app-wide"},\n')
    (tmp_path / "app.py").write_text(new)
    assert _fixed_hugged(tmp_path, write=False) is None  # a second fix changes nothing


def test_black_leaves_the_fixed_hugged_calls_alone(tmp_path):
    black = pytest.importorskip("black")
    new = _fixed_hugged(tmp_path)
    assert black.format_str(new, mode=black.Mode(line_length=88)) == new


def _fixed_hugged(tmp_path, write: bool = True):  # type: ignore[no-untyped-def]
    """HUGGED (as app.py, with the helicone sink) after fixing, or None when nothing changed."""
    if write:
        (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nattribution = "helicone"\n')
        (tmp_path / "app.py").write_text(HUGGED)
    run = fix([tmp_path], load_config(start=tmp_path), unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    got = run.fixed.get(tmp_path / "app.py")
    return got.decode() if got is not None else None


ONE_PER_LINE = '''from openai import OpenAI

client = OpenAI()


def ask(messages):
    return client.chat.completions.create(
        extra_headers={
            "X-Title": "App",
            "HTTP-Referer": "https://example.invalid/app",
        },
        model="gpt-6-luna",
        messages=messages,
    )
'''


def test_a_dict_laid_out_one_item_per_line_takes_the_new_item_on_a_line_of_its_own(tmp_path):
    """Never `"HTTP-Referer": "...", "Helicone-Property-Feature": "..."` on one line of a dict whose
    items are one per line (black keeps its magic trailing comma and one item per line)."""
    (tmp_path / "pyproject.toml").write_text('[tool.tokenlint]\nattribution = "helicone"\n')
    (tmp_path / "app.py").write_text(ONE_PER_LINE)
    run = fix([tmp_path], load_config(start=tmp_path), unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    assert run.fixed[tmp_path / "app.py"].decode() == ONE_PER_LINE.replace(
        '            "HTTP-Referer": "https://example.invalid/app",\n',
        '            "HTTP-Referer": "https://example.invalid/app",\n'
        '            "Helicone-Property-Feature": "app-ask",\n')
    no_comma = ONE_PER_LINE.replace('"https://example.invalid/app",\n', '"https://example.invalid/app"\n')
    (tmp_path / "app.py").write_text(no_comma)
    run = fix([tmp_path], load_config(start=tmp_path), unsafe=True, today=dt.date(2026, 12, 4), root=tmp_path)
    assert '"https://example.invalid/app",\n            "Helicone-Property-Feature": "app-ask",\n        },' in \
        run.fixed[tmp_path / "app.py"].decode()
