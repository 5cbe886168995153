"""TKL202 on the clients of fixtures/rules/TKL203_azure_base_url.py: the test that an OpenAI SDK client or
ChatOpenAI aimed at an Azure OpenAI resource by its base URL names a deployment is TKL201's, shared by
TKL202 and TKL203, so the lines TKL203 reports there (clients aimed elsewhere) are TKL202's too, and none
of the Azure ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_rule_fixtures import FIXTURES, TODAY, expected

from tokenlint.config import Config
from tokenlint.engine import analyse


def test_a_deployment_named_at_an_azure_base_url_is_no_hardcoded_model(tmp_path):
    src = FIXTURES / "TKL203_azure_base_url.py"
    dest = tmp_path / src.name
    shutil.copy(src, dest)
    result = analyse([dest], Config(select=("TKL202",)), root=tmp_path, today=TODAY)
    got = sorted(f.row for f in result.findings if f.code == "TKL202")
    assert got == sorted(row for row, _ in expected(src, "TKL203"))
    assert len(got) == 4
    assert all("gpt-3.5-turbo" in f.message for f in result.findings)
    assert Path(src).read_text(encoding="utf-8").count('"gpt-3.5-turbo"') > len(got)  # Azure ones are silent
