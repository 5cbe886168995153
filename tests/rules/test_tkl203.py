"""TKL203 retired-model beyond the fixtures: the date decides (`--today`, `retirement-warning-days`),
not the catalog's `retired` flag; messages say retired / retires in N days / the successor; a successor
that retires too is not proposed; an implicit SDK default is reported at the call with no fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruletools import catalog, project

from tokenlint.cli import main
from tokenlint.config import Config
from tokenlint.engine import analyse, fix

APP = """from openai import OpenAI

client = OpenAI()
client.chat.completions.create(model="gpt-5", messages=[])
"""


def messages(root: Path, today: dt.date, config: Config | None = None) -> list[str]:
    cfg = (config or Config()).with_overrides(select=("TKL203",))
    return [f.message for f in analyse([root], cfg, root=root, today=today).findings if f.code == "TKL203"]


def cli(root: Path, monkeypatch, *args: str):
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, ["check", ".", "--select", "TKL203", "--format", "json", *args],
                              catch_exceptions=False)


@pytest.mark.parametrize("today, expected", [
    ("2026-09-01", []),  # 101 days ahead: outside the 90-day window
    ("2026-09-20", ["Model 'gpt-5' retires on 2026-12-11 (in 82 days); the catalog's successor is 'gpt-6.1-sol'"]),
    ("2026-12-10", ["Model 'gpt-5' retires on 2026-12-11 (in 1 day); the catalog's successor is 'gpt-6.1-sol'"]),
    ("2026-12-11", ["Model 'gpt-5' retired on 2026-12-11; the catalog's successor is 'gpt-6.1-sol'"]),
    ("2027-03-01", ["Model 'gpt-5' retired on 2026-12-11; the catalog's successor is 'gpt-6.1-sol'"]),
])
def test_today_on_the_command_line_decides(tmp_path, monkeypatch, today, expected):
    project(tmp_path, {"app.py": APP})
    r = cli(tmp_path, monkeypatch, "--today", today)
    assert [f["message"] for f in json.loads(r.stdout)] == expected
    assert r.exit_code == (1 if expected else 0)


def test_warning_days_from_the_config(tmp_path, monkeypatch):
    project(tmp_path, {"app.py": APP}, pyproject="[tool.tokenlint]\nretirement-warning-days = 10\n")
    assert json.loads(cli(tmp_path, monkeypatch, "--today", "2026-11-29").stdout) == []
    assert len(json.loads(cli(tmp_path, monkeypatch, "--today", "2026-12-02").stdout)) == 1


def test_the_date_wins_over_the_retired_flag(tmp_path):
    # gpt-3.5-turbo carries retired = true (it shut down on 2026-10-23); before that date it is
    # only retiring, and long before it nothing is said
    project(tmp_path, {"app.py": APP.replace("gpt-5", "gpt-3.5-turbo")})
    assert messages(tmp_path, dt.date(2026, 9, 1)) == ["Model 'gpt-3.5-turbo' retires on 2026-10-23 (in 52 days)"]
    assert messages(tmp_path, dt.date(2026, 6, 1)) == []
    assert messages(tmp_path, dt.date(2026, 11, 29)) == ["Model 'gpt-3.5-turbo' retired on 2026-10-23"]


def test_a_successor_that_retires_too_is_named_but_not_applied(tmp_path):
    models = catalog(tmp_path / "models.toml",
                     {"id": "acme-1", "retires": "2026-12-01", "successor": "acme-2"},
                     {"id": "acme-2", "retires": "2027-01-01", "successor": "acme-3"},
                     {"id": "acme-3"})
    project(tmp_path, {"app.py": APP.replace("gpt-5", "acme-1")})
    cfg = Config(model_catalog=str(models)).with_overrides(select=("TKL203",))
    run = fix([tmp_path], cfg, unsafe=True, today=dt.date(2026, 11, 29), root=tmp_path)
    assert run.fixed == {}  # acme-2 retires in 33 days: a human picks the replacement
    assert [f.message for f in run.result.findings] == [
        "Model 'acme-1' retires on 2026-12-01 (in 2 days); the catalog's successor is 'acme-2'"]
    later = fix([tmp_path], cfg, unsafe=True, today=dt.date(2026, 6, 1), root=tmp_path)
    assert later.fixed == {}  # nothing within 90 days then
    run = fix([tmp_path], cfg.with_overrides(retirement_warning_days=20), unsafe=True,
              today=dt.date(2026, 11, 29), root=tmp_path)
    assert b'model="acme-2"' in run.fixed[tmp_path / "app.py"]


def test_an_implicit_default_is_reported_at_the_call_without_a_fix(tmp_path):
    src = "from langchain_openai import ChatOpenAI\n\nllm = ChatOpenAI(temperature=0)\n"
    project(tmp_path, {"app.py": src})
    got = analyse([tmp_path], Config().with_overrides(select=("TKL203",)), root=tmp_path,
                  today=dt.date(2026, 11, 29)).findings
    assert [(f.row, f.column, f.fix) for f in got] == [(3, 7, None)]
    assert "default" in got[0].message and "retired on 2026-10-23" in got[0].message


def test_an_alias_without_its_own_date_takes_its_snapshots(tmp_path):
    models = catalog(tmp_path / "models.toml",
                     {"id": "acme", "kind": "alias", "points_to": "acme-0901"},
                     {"id": "acme-0901", "retires": "2026-12-24", "successor": "acme-1101"},
                     {"id": "acme-1101"})
    project(tmp_path, {"app.py": APP.replace("gpt-5", "acme")})
    assert messages(tmp_path, dt.date(2026, 11, 29), Config(model_catalog=str(models))) == [
        "Model 'acme' retires on 2026-12-24 (in 25 days); the catalog's successor is 'acme-1101'"]
