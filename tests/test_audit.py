"""`tokenlint audit` (HTML and Markdown report) and `tokenlint inventory compare|merge`, through the
real command line: the demo app, hostile strings in a tmp project, empty sections, hand-made
inventories with exact expected output, and bad input (exit 2, one line naming the file)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest
from click.testing import CliRunner
from projects import make

from tokenlint.catalog import load_model_catalog
from tokenlint.cli import main
from tokenlint.cli_audit import Progress
from tokenlint.config import load_config
from tokenlint.engine import analyse, sdk_catalog
from tokenlint.findings import Finding
from tokenlint.report import audit as ra
from tokenlint.rules import RULES

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "fixtures" / "demo_app"
TODAY = "2026-12-01"

HOSTILE = "</script><img src=x onerror=alert(1)>\x1b[31mred\x1b[0m"






class _Tags(HTMLParser):
    """Every tag and attribute name of a document, to prove nothing but our own markup is in it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.add(tag)
        for k, v in attrs:
            self.attrs.add(k)
            if k == "href":
                self.hrefs.append(v)


OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "div", "span", "b",
            "strong", "a", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "svg", "g",
            "text", "rect", "i"}


def tags_of(html_text: str) -> _Tags:
    p = _Tags()
    p.feed(html_text)
    return p


# ------------------------------------------------------------------ audit: the demo app


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "report"
    r = CliRunner().invoke(main, ["audit", str(DEMO), "--output", str(out), "--today", TODAY],
                           catch_exceptions=False)
    return r, out


def test_audit_of_the_demo_app_writes_both_files_and_exits_0(demo_report):
    r, out = demo_report
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert r.stderr.startswith("Wrote ")
    assert (out / "index.html").is_file() and (out / "report.md").is_file()


def test_audit_html_is_self_contained(demo_report):
    _, out = demo_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    parsed = tags_of(page)
    assert parsed.tags <= OUR_TAGS, parsed.tags - OUR_TAGS
    assert not any(a.startswith("on") for a in parsed.attrs)
    assert "src" not in parsed.attrs and "<link" not in page and "@import" not in page and "url(" not in page
    # the only absolute URL is the SVG namespace; every link is relative or an anchor
    assert all(not h.startswith(("http:", "https:", "//", "javascript:")) for h in parsed.hrefs)
    assert "<svg" in page and "<style>" in page


def test_audit_sections_are_in_both_renderings(demo_report):
    _, out = demo_report
    page = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for title in ra.SECTIONS:
        assert f'<h2 id="{ra.slug(title)}">{title}</h2>' in page
        assert f"\n## {title}\n" in md
        assert f"(#{ra.slug(title)})" in md  # the contents line
    # untagged share: 14 of the 22 demo call sites (the golden inventory)
    assert "<b>64%</b><span>untagged</span>" in page
    assert "**14** of 22 call sites that spend tokens (**64%**)" in md


def test_audit_tables_fit_the_page(demo_report):
    # long method names (Class.method) and model ids must wrap, or the table of untagged call sites
    # runs off the page and hides its model column (seen on ragas)
    _, out = demo_report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "overflow-wrap:anywhere}" in page.split("th,td{", 1)[1].split("\n", 1)[0]
    attribution = page.split('<h2 id="attribution">', 1)[1].split("<h2", 1)[0]
    row = attribution.split("<tbody><tr>", 1)[1].split("</tr>", 1)[0]
    assert [c.split(">", 1)[0] for c in row.split("<td")[1:]] == [' class="nw"', "", ' class="nw"', ' class="nw"', ""]


def test_audit_links_every_finding_to_its_file_and_line(demo_report):
    _, out = demo_report
    page = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    result = analyse([DEMO], load_config(start=DEMO), rules=list(RULES), today=dt.date.fromisoformat(TODAY))
    assert result.findings
    for f in result.findings:
        rel = os.path.relpath(DEMO / f.path, out).replace(os.sep, "/")
        href = f"{rel}#L{f.row}"
        assert (out / rel).resolve() == (DEMO / f.path).resolve()
        assert f'<a href="{href}">{f.path}:{f.row}:{f.column}</a>' in page
        text = f"{f.path}:{f.row}:{f.column}".replace("_", "\\_")
        assert f"[{text}]({href})" in md


def test_audit_model_rows_come_from_the_findings_and_the_catalog(demo_report):
    """Each model TKL201/TKL203 names gets one row; a retiring one shows its date and successor."""
    _, out = demo_report
    page = (out / "index.html").read_text(encoding="utf-8")
    result = analyse([DEMO], load_config(start=DEMO), rules=list(RULES), today=dt.date.fromisoformat(TODAY))
    catalog = load_model_catalog()
    section = page[page.index('id="floating-and-retired-models"'):page.index('id="prompt-cache-order-problems"')]
    for f in result.findings:
        if f.code in ("TKL201", "TKL203"):
            model = f.message.split("'")[1]
            assert f"<td class=\"nw\">{model}</td>" in section
            info = catalog.lookup(model)
            if f.code == "TKL203" and info is not None and info.retires:
                assert info.retires in section
                if info.successor:
                    assert info.successor in section


def test_audit_via_subprocess(tmp_path):
    out = tmp_path / "a" / "b"
    proc = subprocess.run([sys.executable, "-m", "tokenlint", "audit", str(DEMO), "-o", str(out), "--today", TODAY],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1  # no progress output: stderr is not a terminal
    assert "\r" not in proc.stderr
    assert (out / "index.html").stat().st_size > 1000


# ------------------------------------------------------------------ audit: hostile input

HOSTILE_APP = f'''from openai import OpenAI

client = OpenAI()


def ask(q):
    return client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": q}}],
                                          metadata={{"feature": {HOSTILE!r}}})


def bad(q):
    return client.chat.completions.create(model={HOSTILE.replace("1", "2")!r}, messages=[])
'''


def test_audit_escapes_strings_from_the_audited_code(tmp_path, run):
    make(tmp_path / "proj", {"app/bot.py": HOSTILE_APP, "app/we ird(1)<b>&x.py": HOSTILE_APP})
    out = tmp_path / "out"
    r = run(tmp_path, "audit", "proj", "--output", str(out), "--today", TODAY)
    assert r.exit_code == 0, r.output
    page = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    # the strings are there, as text
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in md
    # ... and harmless: no markup of theirs, no terminal escapes
    for text in (page, md):
        assert "<img" not in text and "</script" not in text and "\x1b" not in text
    parsed = tags_of(page)
    assert parsed.tags <= OUR_TAGS
    assert not any(a.startswith("on") for a in parsed.attrs)
    assert "<" not in md
    # a file name with spaces, brackets and markup is linked, quoted and escaped
    assert '<a href="../proj/app/we%20ird%281%29%3Cb%3E%26x.py#L12">app/we ird(1)&lt;b&gt;&amp;x.py:12</a>' in page
    assert "[app/we ird(1)&lt;b&gt;&amp;x.py:12](../proj/app/we%20ird%281%29%3Cb%3E%26x.py#L12)" in md


def test_markdown_escaping_neutralises_links_and_emphasis():
    s = ra.md_text("[x](javascript:alert(1)) **b** _i_ | `c` <b> &amp; # h\x1b[2J\nnext")
    assert s == ("\\[x\\](javascript:alert(1)) \\*\\*b\\*\\* \\_i\\_ \\| 'c' &lt;b&gt; &amp;amp; \\# h\ufffd\\[2J next")


# ------------------------------------------------------------------ audit: sections without findings

PINNED_TAGGED = '''from openai import OpenAI

client = OpenAI()


def ask(q):
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": q}],
                                          extra_headers={"Helicone-Property-Feature": "faq"})


MODEL = __import__("os").environ["MODEL"]
'''


def test_audit_sections_are_robust_when_there_is_nothing_to_report(tmp_path, run):
    make(tmp_path / "proj", {"app.py": PINNED_TAGGED})
    out = tmp_path / "out"
    r = run(tmp_path, "audit", "proj", "-o", str(out), "--today", TODAY)
    assert r.exit_code == 0, r.output
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "Every call site that spends tokens carries a feature tag." in md
    assert "No floating or retired model was found" in md
    assert "No prompt-cache order problem was found" in md
    assert "No batch candidate was found" in md
    # one of each: singular words in the summary line, the cards and the closing message
    assert "**1** call site · **1** feature · **0%** untagged · **0** floating or retired models" in md
    assert "<b>1</b><span>call site</span>" in (out / "index.html").read_text(encoding="utf-8")
    assert r.stderr.endswith("report.md: 1 call site, 0 findings.\n")


def test_audit_of_a_project_without_call_sites(tmp_path, run):
    make(tmp_path / "proj", {"app.py": "print('hello')\n"})
    out = tmp_path / "out"
    r = run(tmp_path, "audit", "proj", "-o", str(out))
    assert r.exit_code == 0, r.output
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "No LLM call sites were found." in md and "No findings." in md
    assert "<script" not in (out / "index.html").read_text(encoding="utf-8")


LOOP_APP = '''import anthropic

client = anthropic.Anthropic()


def backfill(items):
    for item in items:
        client.messages.create(model="claude-haiku-4-5", max_tokens=10, messages=[{"role": "user", "content": item}],
                               metadata={"user_id": "x"})
'''


def test_cache_and_batch_sections_from_findings(tmp_path):
    """Written against the finding fields only: a TKL401 with a site id, one without, a TKL302."""
    root = make(tmp_path / "proj", {"jobs.py": LOOP_APP})
    cfg = load_config(start=root)
    result = analyse([root], cfg, rules=[], root=root)
    [site] = result.sites
    fr = result.files[0]
    fr.findings = [
        Finding("TKL302", "volatile-prompt-prefix", "Per-request value now in the system prompt", "jobs.py",
                site.line, site.column, site.end_line, site.end_column, site_id=site.id),
        Finding("TKL401", "batch-candidate", "Synchronous anthropic messages call in a loop of an offline job",
                "jobs.py", site.line, site.column, site.end_line, site.end_column, site_id=site.id),
        Finding("TKL401", "batch-candidate", "Synchronous openai chat.completions call in a loop of an offline job",
                "jobs.py", 3, 1, 3, 5),
    ]
    blocks = ra.audit_blocks(ra.AuditInput(result=result, catalog=load_model_catalog(), batch=sdk_catalog(cfg).batch,
                                           today=dt.date(2026, 12, 1), out_dir=tmp_path / "out"))
    md = ra.as_markdown(blocks)
    batch_api = sdk_catalog(cfg).batch["anthropic"]["api"]
    assert (f"| [jobs.py:{site.line}:{site.column}](../proj/jobs.py#L{site.line}) | anthropic | messages | "
            f"claude-haiku-4-5 | (untagged) | **50%** ($1.00 → $0.50 per 1M input tokens, $5.00 → $2.50 output) | "
            f"{ra.md_text(batch_api)} |") in md
    openai_api = ra.md_text(sdk_catalog(cfg).batch["openai"]["api"])
    assert f"| [jobs.py:3:1](../proj/jobs.py#L3) | openai | chat.completions | — | — | **50%** | {openai_api} |" in md
    assert (f"| [jobs.py:{site.line}:{site.column}](../proj/jobs.py#L{site.line}) | TKL302 | "
            "Per-request value now in the system prompt | a per-request value (a time, an id) sits in the prefix "
            "and changes it on every call | (untagged) | claude-haiku-4-5 |") in md
    assert "3 findings" not in md and "**3** findings" in md


# ------------------------------------------------------------------ audit: bad output, progress


def test_audit_output_that_cannot_be_written_exits_2(tmp_path, run):
    make(tmp_path / "proj", {"app.py": PINNED_TAGGED})
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = run(tmp_path, "audit", "proj", "-o", str(tmp_path / "file" / "report"))
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"tokenlint: error: {tmp_path / 'file' / 'report'}: cannot write")


def test_audit_without_output_is_a_usage_error(tmp_path, run):
    make(tmp_path / "proj", {"app.py": PINNED_TAGGED})
    r = run(tmp_path, "audit", "proj")
    assert r.exit_code == 2
    assert "--output" in r.stderr


def test_audit_bad_today_exits_2(tmp_path, run):
    make(tmp_path / "proj", {"app.py": PINNED_TAGGED})
    r = run(tmp_path, "audit", "proj", "-o", str(tmp_path / "out"), "--today", "soon")
    assert r.exit_code == 2
    assert r.stderr == "tokenlint: error: --today: 'soon' is not a date (YYYY-MM-DD)\n"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_after_the_delay_and_clears_its_line():
    tty = _Tty()
    with Progress("analysing", stream=tty, delay=0):
        time.sleep(0.3)
    out = tty.getvalue()
    assert "tokenlint audit: analysing" in out
    assert out.endswith("\r\x1b[K")


def test_progress_is_silent_on_a_short_run_or_off_a_terminal():
    tty, pipe = _Tty(), io.StringIO()
    with Progress("analysing", stream=tty, delay=5):
        pass
    with Progress("analysing", stream=pipe, delay=0):
        time.sleep(0.2)
    assert tty.getvalue() == "" and pipe.getvalue() == ""


# ------------------------------------------------------------------ hand-made inventories


def site(id: str, path: str, line: int, feature: Optional[str], provider: str = "openai", model: str = "gpt-4o",
         function: str = "f", api: str = "chat.completions", bucket: Optional[str] = None) -> dict:
    return {"id": id, "path": path, "line": line, "column": 5, "provider": provider, "sdk": provider, "api": api,
            "kind": "direct", "confidence": "resolved", "function": function, "class": None,
            "model": {"kind": "literal", "value": model, "text": repr(model), "pinned": None},
            "feature": feature, "bucket": bucket or ("tagged" if feature else "untagged"), "async": False,
            "stream": False, "in_loop": False, "spends": True}


def inventory(root: str, sites: list[dict], files: int = 3) -> dict:
    return {"tokenlint_version": "0.1.0", "root": root, "call_sites": sites, "features": [],
            "summary": {"files_analysed": files, "files_with_call_sites": len({s["path"] for s in sites}),
                        "files_with_errors": 0, "call_sites": len(sites)}}


OLD = inventory("/ci/shop", [
    site("aaa", "app/faq.py", 10, "faq"),
    site("bbb", "app/misc.py", 5, None, function="misc"),
    site("ccc", "app/search.py", 20, "search", function="find"),
])
NEW = inventory("/ci/shop", [
    site("aaa", "app/faq.py", 12, "faq", provider="anthropic", model="claude-sonnet-5"),
    site("ccc", "app/search.py", 20, None, function="find"),
    site("ddd", "app/new.py", 3, None, function="fresh", model="gpt-5-mini"),
])


def write(tmp_path: Path, name: str, data) -> str:  # type: ignore[no-untyped-def]
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(p)


COMPARE_MD = """<!-- tokenlint-inventory-compare -->
### LLM call sites in this change

**1** new · **1** removed · **1** feature moved · **2** newly untagged

| | call sites |
|---|---|
| total | 3 (no change) |
| untagged | 1 → 2 (+1) |
| features | 2 → 1 (-1) |

#### New call sites

| where | feature | provider | api | model |
|---|---|---|---|---|
| app/new.py:3 fresh | _(untagged)_ | openai | chat.completions | gpt-5-mini |

#### Removed call sites

| where | feature | provider | api | model |
|---|---|---|---|---|
| app/misc.py:5 misc | _(untagged)_ | openai | chat.completions | gpt-4o |

#### Features that moved to another model or provider

| feature | before | after |
|---|---|---|
| faq | gpt-4o (openai) | claude-sonnet-5 (anthropic) |

#### Newly untagged calls

| where | provider | api | model | |
|---|---|---|---|---|
| app/new.py:3 fresh | openai | chat.completions | gpt-5-mini | new call site |
| app/search.py:20 find | openai | chat.completions | gpt-4o | lost its tag 'search' |
"""

COMPARE_TEXT = """call sites 3 -> 3, untagged 1 -> 2, features 2 -> 1
new: app/new.py:3 fresh  openai chat.completions  gpt-5-mini  [untagged]
removed: app/misc.py:5 misc  openai chat.completions  gpt-4o  [untagged]
moved: faq: gpt-4o (openai) -> claude-sonnet-5 (anthropic)
newly untagged: app/new.py:3 fresh  openai chat.completions  gpt-5-mini  (new call site)
newly untagged: app/search.py:20 find  openai chat.completions  gpt-4o  (lost its tag 'search')
"""


def test_compare_markdown_for_a_pr_comment(tmp_path, run):
    old, new = write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", NEW)
    r = run(tmp_path, "inventory", "compare", old, new, "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert r.stdout == COMPARE_MD


def test_compare_text_is_the_default(tmp_path, run):
    old, new = write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", NEW)
    r = run(tmp_path, "inventory", "compare", old, new)
    assert r.exit_code == 0, r.output
    assert r.stdout == COMPARE_TEXT


def test_compare_json_to_a_file(tmp_path, run):
    old, new = write(tmp_path, "old.json", OLD), write(tmp_path, "new.json", NEW)
    r = run(tmp_path, "inventory", "compare", old, new, "--format", "json", "--output", "diff.json")
    assert r.exit_code == 0, r.output
    got = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert got == {
        "tokenlint_version": got["tokenlint_version"],
        "old": {"root": "/ci/shop", "call_sites": 3, "untagged": 1, "features": 2},
        "new": {"root": "/ci/shop", "call_sites": 3, "untagged": 2, "features": 1},
        "added": [NEW["call_sites"][2]],
        "removed": [OLD["call_sites"][1]],
        "moved": [{"feature": "faq", "before": [{"provider": "openai", "model": "gpt-4o"}],
                   "after": [{"provider": "anthropic", "model": "claude-sonnet-5"}]}],
        "newly_untagged": [{"site": NEW["call_sites"][2], "previously": None},
                           {"site": NEW["call_sites"][1], "previously": {"bucket": "tagged", "feature": "search"}}],
    }


def test_compare_without_changes(tmp_path, run):
    old = write(tmp_path, "old.json", OLD)
    r = run(tmp_path, "inventory", "compare", old, old, "--format", "markdown")
    assert r.stdout == ("<!-- tokenlint-inventory-compare -->\n### LLM call sites in this change\n\n"
                        "No change to the LLM call sites (3 call sites, 1 untagged).\n")


def test_compare_escapes_strings_in_markdown(tmp_path, run):
    evil = inventory("/x", [site("eee", "a.py", 1, HOSTILE)])
    old, new = write(tmp_path, "old.json", inventory("/x", [])), write(tmp_path, "new.json", evil)
    r = run(tmp_path, "inventory", "compare", old, new, "--format", "markdown")
    body = r.stdout.replace("<!-- tokenlint-inventory-compare -->", "")
    assert "<" not in body and "\x1b" not in r.stdout
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in body


PROJECT_V1 = '''from openai import OpenAI

client = OpenAI()


def answer(q):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": q}],
                                          metadata={"feature": "faq"})
'''


def test_compare_real_inventories_before_and_after_an_edit(tmp_path, run):
    """Lines move and the model changes: the site keeps its id, so the feature is reported as moved."""
    proj = make(tmp_path / "proj", {"app.py": PROJECT_V1})
    assert run(proj, "inventory", "--format", "json", "-o", str(tmp_path / "old.json")).exit_code == 0
    (proj / "app.py").write_text('"""Docs."""\n\n' + PROJECT_V1.replace("gpt-4o-2024-08-06", "gpt-6-luna"),
                                 encoding="utf-8")
    assert run(proj, "inventory", "--format", "json", "-o", str(tmp_path / "new.json")).exit_code == 0
    r = run(tmp_path, "inventory", "compare", "old.json", "new.json")
    assert r.stdout == ("call sites 1 -> 1, untagged 0 -> 0, features 1 -> 1\n"
                        "moved: faq: gpt-4o-2024-08-06 (openai) -> gpt-6-luna (openai)\n")


# ------------------------------------------------------------------ merge

SHOP = inventory("/home/runner/work/shop/shop", [
    site("s1", "shop/faq.py", 10, "faq"),
    site("s2", "shop/misc.py", 5, None, function="misc", provider="anthropic", model="claude-haiku-4-5"),
], files=4)
BILLING = inventory("/home/runner/work/billing/billing", [
    site("b1", "billing/faq.py", 7, "faq", model="gpt-5-mini"),
    site("b2", "billing/invoice.py", 9, "invoice", provider="google", model="gemini-3.8-flash"),
], files=6)

MERGE_MD = """# LLM call-site inventory across repositories

**2** repositories · **4** call sites in **4** of 10 files · **2** features · **1** untagged (25%)

## Repositories

| repository | call sites | features | untagged | files analysed | providers |
|---|---:|---:|---:|---:|---|
| shop | 2 | 1 | 1 | 4 | anthropic, openai |
| billing | 2 | 2 | 0 | 6 | google, openai |

## Features

| feature | repositories | call sites | providers | models |
|---|---|---:|---|---|
| faq | billing, shop | 2 | openai | gpt-4o, gpt-5-mini |
| invoice | billing | 1 | google | gemini-3.8-flash |
| _(untagged)_ | shop | 1 | anthropic | claude-haiku-4-5 |

## Providers

| provider | call sites |
|---|---:|
| openai | 2 |
| anthropic | 1 |
| google | 1 |

## Models

| model | call sites |
|---|---:|
| claude-haiku-4-5 | 1 |
| gemini-3.8-flash | 1 |
| gpt-4o | 1 |
| gpt-5-mini | 1 |
"""


def test_merge_json_names_repositories_after_their_root(tmp_path, run):
    a, b = write(tmp_path, "a.json", SHOP), write(tmp_path, "b.json", BILLING)
    r = run(tmp_path, "inventory", "merge", a, b, "--format", "json")
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    assert [x["name"] for x in m["repositories"]] == ["shop", "billing"]
    assert m["repositories"][0]["root"] == "/home/runner/work/shop/shop"
    assert m["repositories"][0]["summary"] == SHOP["summary"]
    assert m["call_sites"] == ([{**s, "repository": "shop"} for s in SHOP["call_sites"]]
                               + [{**s, "repository": "billing"} for s in BILLING["call_sites"]])
    assert m["features"] == [
        {"feature": "faq", "bucket": "tagged", "call_sites": 2, "direct": 2, "wrapper": 0, "providers": ["openai"],
         "models": ["gpt-4o", "gpt-5-mini"], "repositories": ["billing", "shop"],
         "files": ["billing/billing/faq.py", "shop/shop/faq.py"]},
        {"feature": "invoice", "bucket": "tagged", "call_sites": 1, "direct": 1, "wrapper": 0,
         "providers": ["google"], "models": ["gemini-3.8-flash"], "repositories": ["billing"],
         "files": ["billing/billing/invoice.py"]},
        {"feature": None, "bucket": "untagged", "call_sites": 1, "direct": 1, "wrapper": 0,
         "providers": ["anthropic"], "models": ["claude-haiku-4-5"], "repositories": ["shop"],
         "files": ["shop/shop/misc.py"]},
    ]
    assert m["summary"] == {
        "repositories": 2, "files_analysed": 10, "files_with_call_sites": 4, "files_with_errors": 0,
        "call_sites": 4, "direct": 4, "wrapper": 0, "inferred": 0, "untagged": 1, "dynamic_tags": 0,
        "forwarded_tags": 0, "features": 2,
        "by_provider": {"anthropic": 1, "google": 1, "openai": 2},
        "by_api": {"chat.completions": 4},
        "by_model": {"claude-haiku-4-5": 1, "gemini-3.8-flash": 1, "gpt-4o": 1, "gpt-5-mini": 1},
        "by_repository": {"shop": 2, "billing": 2},
    }


def test_merge_markdown_report(tmp_path, run):
    a, b = write(tmp_path, "a.json", SHOP), write(tmp_path, "b.json", BILLING)
    r = run(tmp_path, "inventory", "merge", a, b, "--format", "markdown", "-o", "org.md")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "org.md").read_text(encoding="utf-8") == MERGE_MD


def test_merge_text(tmp_path, run):
    a, b = write(tmp_path, "a.json", SHOP), write(tmp_path, "b.json", BILLING)
    r = run(tmp_path, "inventory", "merge", a, b)
    assert r.stdout == ("2 repositories, 4 call sites in 4 of 10 files; 2 features; 1 untagged\n\n"
                        "shop: 2 call sites, 1 feature, 1 untagged; providers anthropic, openai\n"
                        "billing: 2 call sites, 2 features, 0 untagged; providers google, openai\n\n"
                        "faq: 2 call sites in billing, shop; models gpt-4o, gpt-5-mini\n"
                        "invoice: 1 call site in billing; models gemini-3.8-flash\n"
                        "(untagged): 1 call site in shop; models claude-haiku-4-5\n")


def test_merge_names_given_on_the_command_line_and_duplicates(tmp_path, run):
    ws = {**SHOP, "root": "/github/workspace"}
    a, b = write(tmp_path, "a.json", ws), write(tmp_path, "b.json", {**BILLING, "root": "/github/workspace"})
    r = run(tmp_path, "inventory", "merge", a, b)
    assert r.exit_code == 2
    assert r.stderr == (f"tokenlint: error: {b}: repository name 'workspace' is already used by {a}; "
                        f"name it on the command line as NAME={b}\n")
    r = run(tmp_path, "inventory", "merge", f"shop={a}", f"billing={b}", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [x["name"] for x in json.loads(r.stdout)["repositories"]] == ["shop", "billing"]


def test_a_merged_inventory_merges_again_and_compares(tmp_path, run):
    a, b = write(tmp_path, "a.json", SHOP), write(tmp_path, "b.json", BILLING)
    run(tmp_path, "inventory", "merge", a, "--format", "json", "-o", "org1.json")
    r = run(tmp_path, "inventory", "merge", "org1.json", b, "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert r.stdout == MERGE_MD
    run(tmp_path, "inventory", "merge", a, b, "--format", "json", "-o", "org2.json")
    r = run(tmp_path, "inventory", "compare", "org1.json", "org2.json")
    assert r.stdout.splitlines()[1:] == [
        "new: billing: billing/faq.py:7 f  openai chat.completions  gpt-5-mini  [faq]",
        "new: billing: billing/invoice.py:9 f  google chat.completions  gemini-3.8-flash  [invoice]",
        "moved: faq: gpt-4o (openai) -> gpt-4o (openai), gpt-5-mini (openai)",
    ]


# ------------------------------------------------------------------ bad inventory files

BAD = {
    "missing.json": (None, "no such file"),
    "text.json": ("not json at all", "not JSON: Expecting value at line 1, column 1"),
    "list.json": ("[1, 2]", "not a tokenlint inventory: the top level is a JSON list, not an object"),
    "findings.json": ('[{"code": "TKL101"}]', "not a tokenlint inventory: the top level is a JSON list, not an object"),
    "nosites.json": ('{"summary": {}}', "not a tokenlint inventory: no 'call_sites' list"),
    "nosummary.json": ('{"call_sites": []}', "not a tokenlint inventory: no 'summary' object"),
    "noid.json": (json.dumps(inventory("/x", [{k: v for k, v in site("a", "a.py", 1, "f").items() if k != "id"}])),
                  "not a tokenlint inventory: call_sites[0].id is missing or not a string"),
    "bucket.json": (json.dumps(inventory("/x", [{**site("a", "a.py", 1, "f"), "bucket": "weird"}])),
                    "not a tokenlint inventory: call_sites[0].bucket is not one of tagged, forwarded, dynamic, "
                    "untagged"),
}


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["compare", "merge"])
def test_bad_inventory_file_is_a_one_line_error(tmp_path, run, name, command):
    content, reason = BAD[name]
    if content is not None:
        write(tmp_path, name, content)
    good = write(tmp_path, "good.json", OLD)
    args = [name, good] if command == "compare" else [good, name]
    r = run(tmp_path, "inventory", command, *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == f"tokenlint: error: {name}: {reason}\n"


def test_compare_needs_exactly_two_files(tmp_path, run):
    good = write(tmp_path, "good.json", OLD)
    r = run(tmp_path, "inventory", "compare", good)
    assert r.exit_code == 2
    assert "expected two inventory files" in r.stderr


def test_merge_needs_a_file(tmp_path, run):
    r = run(tmp_path, "inventory", "merge")
    assert r.exit_code == 2


def test_compare_output_that_cannot_be_written_exits_2(tmp_path, run):
    good = write(tmp_path, "good.json", OLD)
    r = run(tmp_path, "inventory", "compare", good, good, "-o", str(tmp_path / "good.json" / "x.md"))
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "cannot write" in r.stderr
