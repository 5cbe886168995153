"""Bad usage files say what is wrong and where, as a linter names a place (`usage.jsonl:2: not valid JSON
(...)`, `usage.csv:14: unterminated quote`), never "not a usage export" or a traceback; a damaged JSON
line or a CSV row with an open quote is skipped with its warning and the rest of the file is read."""

from __future__ import annotations

import json

from click.testing import CliRunner
from test_spend_readers import read, write

from tokenlint.cli import main


def _row(i: int, **kw) -> dict:
    return {"request_id": f"r{i}", "response_id": f"r{i}", "request_created_at": "2026-11-24T10:00:00Z",
            "model": "gpt-4o", "prompt_tokens": 100, "completion_tokens": 20, "cost": 0.001,
            "request_properties": {"feature": "faq"}, **kw}


JSONL = [json.dumps(_row(i)) for i in range(4)]
CUT = JSONL[1][:90]  # a line cut inside a string


def _csv(lines: list[str]) -> str:
    return "startTime,model,spend,prompt_tokens,completion_tokens,request_tags\n" + "".join(x + "\n" for x in lines)


GOOD = '2026-11-24T10:00:00Z,gpt-4o,0.01,100,20,"[""feature:faq""]"'
OPEN = '2026-11-24T10:00:00Z,gpt-4o,0.01,100,20,"[feature:faq]'  # the quote is never closed


def test_a_damaged_later_line_is_named_and_skipped_and_the_rest_read(tmp_path):
    report, recs = read(write(tmp_path, "usage.jsonl", "\n".join([JSONL[0], CUT, JSONL[2], JSONL[3]]) + "\n"))
    assert report.format == "helicone" and len(recs) == 3 and report.error is None
    count, first, detail = report.problems["not valid JSON"]
    assert (count, first) == (1, 2) and "Unterminated string" in detail and "column" in detail


def test_a_damaged_first_line_is_still_json_lines(tmp_path):
    report, recs = read(write(tmp_path, "usage.jsonl", "\n".join([CUT, *JSONL[1:]]) + "\n"))
    assert report.format == "helicone" and len(recs) == 3 and report.error is None
    assert report.problems["not valid JSON"][:2] == [1, 1]


def test_an_unterminated_quote_names_its_line_and_the_rows_after_it_are_read(tmp_path):
    lines = [GOOD] * 20
    lines[12] = OPEN  # line 14 of the file (the header is line 1)
    report, recs = read(write(tmp_path, "usage.csv", _csv(lines)))
    assert report.format == "litellm" and report.error is None
    count, first, detail = report.problems["unterminated quote"]
    assert (count, first) == (1, 14) and "line 15" in detail
    assert len(recs) == 18  # lines 14 and 15 are lost to the open quote, the 18 others are read
    assert "wrong number of columns" not in report.problems and "malformed row" not in report.problems


def test_a_quote_open_to_the_end_of_the_file_keeps_the_rows_before_it(tmp_path):
    lines = [GOOD] * 5 + [OPEN] + [GOOD.replace('"', "")] * 3
    report, recs = read(write(tmp_path, "usage.csv", _csv(lines)))
    assert len(recs) == 5 and report.problems["unterminated quote"][:2] == [1, 7]
    assert "end of the file" in report.problems["unterminated quote"][2]


def test_a_stray_quote_on_one_line_is_one_bad_row(tmp_path):
    lines = [GOOD, '2026-11-24T10:00:00Z,gpt-4o,0.01,100,20,"[]"x', GOOD]
    report, recs = read(write(tmp_path, "usage.csv", _csv(lines)))
    assert len(recs) == 2 and report.problems["stray quote"][:2] == [1, 3]


def test_a_quoted_cell_across_lines_is_still_one_row(tmp_path):
    lines = [GOOD, '2026-11-24T10:00:00Z,gpt-4o,0.01,100,20,"[""feature:a"",\n""b""]"', GOOD]
    report, recs = read(write(tmp_path, "usage.csv", _csv(lines)))
    assert len(recs) == 3 and not report.problems


def test_helicone_json_lines_without_token_fields_are_recognised(tmp_path):
    row = {"response_id": "r1", "response_created_at": "2026-11-24T10:00:01Z",
           "request_created_at": "2026-11-24T10:00:00Z", "model": "gpt-4o", "costUSD": 0.25,
           "properties": {"feature": "faq"}}
    report, recs = read(write(tmp_path, "helicone.jsonl", json.dumps(row) + "\n"))
    assert report.format == "helicone" and report.error is None
    (r,) = recs
    assert r.feature == "faq" and str(r.cost) == "0.25" and r.cache_known is False


def _spend(tmp_path, *files: str):
    (tmp_path / "app.py").write_text("x = 1\n")
    args = ["spend", str(tmp_path / "app.py"), "--today", "2026-12-01"]
    for f in files:
        args += ["-u", f]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_the_command_line_names_file_and_line_once_per_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "usage.jsonl", "\n".join([JSONL[0], CUT, JSONL[2], CUT]) + "\n")
    lines = [GOOD] * 20
    lines[12] = OPEN
    write(tmp_path, "usage.csv", _csv(lines))
    write(tmp_path, "page.json", json.dumps([_row(0), _row(1, request_created_at="nope")]))
    r = _spend(tmp_path, "usage.jsonl", "usage.csv", "page.json")
    assert r.exit_code == 0 and "Traceback" not in r.stderr
    err = r.stderr.splitlines()
    assert any(x.startswith("tokenlint: usage.jsonl:2: not valid JSON (Unterminated string") and
               x.endswith("; 1 more row like it") for x in err)
    assert any(x.startswith("tokenlint: usage.csv:14: unterminated quote (") for x in err)
    assert any(x.startswith("tokenlint: page.json: item 2: bad timestamp") for x in err)  # not a line number
    assert "not a usage export" not in r.stderr


def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    p = tmp_path / "usage.csv"
    p.write_bytes(_csv([GOOD, GOOD.replace("gpt-4o", "gpt-\xff4o")]).encode("latin-1"))
    report, _ = read(p)
    assert report.error_line == 3 and report.error.startswith("not UTF-8 text (byte 0xff at column 26)")


def test_an_unterminated_quote_in_the_header_is_named_not_taken_for_another_export(tmp_path):
    report, recs = read(write(tmp_path, "usage.csv", '"startTime,model,spend,prompt_tokens\n1,2,3,4\n'))
    assert recs == [] and report.error == "unterminated quote in the header line" and report.error_line == 1


def test_file_errors_on_the_command_line_name_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "head.csv", '"startTime,model,spend,prompt_tokens\n1,2,3,4\n')
    (tmp_path / "latin.csv").write_bytes(_csv([GOOD.replace("gpt-4o", "gpt-\xff4o")]).encode("latin-1"))
    r = _spend(tmp_path, "head.csv", "latin.csv")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert "tokenlint: head.csv:1: unterminated quote in the header line\n" in r.stderr
    assert "tokenlint: latin.csv:2: not UTF-8 text (byte 0xff at column 26)" in r.stderr
