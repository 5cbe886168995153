"""Feature names people would choose: configured paths, else the nearest route, task, CLI command or
class and method, else module and function; one per function, stable; listed for review. Names
that say nothing (`run`, `__call__`, a closure `_f`) give way to the function or class around them;
a sync / async / stream twin takes its sibling's name."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from projects import make
from tokenlint.config import Config, load_config
from tokenlint.engine import analyse
from tokenlint.features import name_for

CALL = "    client.chat.completions.create(model='m', messages=[])\n"
HEAD = "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"


def names(tmp_path, src: str, rel: str = "svc/app.py", pyproject: str = "[tool.tokenlint]\n") -> list[tuple[str, str]]:
    root = make(tmp_path / "p", {rel: src}, pyproject)
    cfg = load_config(root / "pyproject.toml")
    sites = analyse([root], cfg, root=root, today=dt.date(2026, 12, 4)).sites
    return [name_for(s, cfg.features) for s in sorted(sites, key=lambda s: s.line)]


def test_web_routes_name_the_feature_by_their_path_without_parameters(tmp_path):
    src = (HEAD + "@router.post('/tickets/{ticket_id}/suggest')\ndef suggest(ticket_id):\n" + CALL
           + "\n\n@app.route('/kb/<int:article>/answer', methods=['POST'])\ndef answer(article):\n" + CALL
           + "\n\n@app.get(path='/health')\nasync def health():\n" + CALL)
    assert names(tmp_path, src) == [("tickets-suggest", "route /tickets/{ticket_id}/suggest"),
                                    ("kb-answer", "route /kb/<int:article>/answer"),
                                    ("health", "route /health")]


def test_tasks_and_commands_name_the_feature_by_their_registered_name(tmp_path):
    src = (HEAD + "@app.task(name='reports.weekly_digest')\ndef build():\n" + CALL
           + "\n\n@dramatiq.actor(actor_name='summarise-thread')\ndef summ():\n" + CALL
           + "\n\n@shared_task\ndef nightly_backfill():\n" + CALL
           + "\n\n@cli.command('sync-kb')\ndef sync():\n" + CALL
           + "\n\n@app.command()\ndef re_embed_all():\n" + CALL)
    assert [n for n, _ in names(tmp_path, src)] == ["weekly-digest", "summarise-thread", "nightly-backfill",
                                                    "sync-kb", "re-embed-all"]


def test_methods_use_class_and_method_and_a_nested_helper_its_decorated_owner(tmp_path):
    src = (HEAD + "class TicketBot:\n    def answer(self):\n    " + CALL
           + "\n\n@router.post('/macros/complete')\ndef complete():\n    def inner():\n    " + CALL + "    return inner\n"
           + "\n\ndef plain():\n" + CALL)
    assert names(tmp_path, src) == [("ticket-bot-answer", "method TicketBot.answer"),
                                    ("macros-complete", "route /macros/complete"),
                                    ("svc-plain", "module and function")]


def test_configured_paths_win_and_each_function_gets_one_stable_name(tmp_path):
    src = HEAD + "@router.post('/ask')\ndef ask():\n" + CALL + CALL
    config = "[tool.tokenlint]\n[tool.tokenlint.features.faq-bot]\npaths = ['svc/*']\n"
    assert names(tmp_path / "a", src, pyproject=config) == [("faq-bot", "configured paths")] * 2
    first = names(tmp_path / "b", src)
    assert first == [("ask", "route /ask")] * 2 and names(tmp_path / "c", src) == first


def test_inventory_features_lists_one_row_per_function_for_review(tmp_path, run):
    src = HEAD + "@router.post('/ask')\ndef ask():\n" + CALL + CALL + "\n\ndef tagged():\n" \
        "    client.chat.completions.create(model='m', messages=[], extra_headers={'X-Feature': 'faq'})\n"
    root = make(tmp_path / "p", {"svc/app.py": src})
    text = run(root, "inventory", "--features", ".").stdout
    assert "  ask         svc/app.py:8 ask  (route /ask; 2 call sites, 2 untagged)" in text
    assert "svc-tagged  svc/app.py:13 tagged  (module and function; 1 call site, 0 untagged; tagged as faq)" in text
    rows = json.loads(run(root, "inventory", "--features", "--format", "json", ".").stdout)["feature_names"]
    assert [(r["feature"], r["why"], r["call_sites"]) for r in rows] == [("ask", "route /ask", 2),
                                                                        ("svc-tagged", "module and function", 1)]


FEATURE_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "features"


def test_feature_fixtures_name_every_spending_call_as_marked():
    """fixtures/features: each spending call's line ends `# feature: NAME`, the name TKL101's fix
    writes there (generic names give way, twins share their sibling's name, acronyms split)."""
    sites = analyse([FEATURE_FIXTURES], Config(), root=FEATURE_FIXTURES).sites
    got = {(s.path, s.line): name_for(s)[0] for s in sites if s.spends}
    want = {}
    for path in sorted(FEATURE_FIXTURES.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.search(r"# feature: (\S+)$", line)
            if m:
                want[(path.relative_to(FEATURE_FIXTURES).as_posix(), n)] = m.group(1)
    assert len(want) == 34 and got == want


def test_generic_names_give_way_and_twins_share_their_siblings_name(tmp_path):
    src = (HEAD + "class Compressor:\n    def __call__(self):\n    " + CALL
           + "\n\nclass Writer:\n    def draft(self):\n    " + CALL + "\n    async def adraft(self):\n    " + CALL
           + "\n    def stream_draft(self):\n    " + CALL + "\n    def adopt(self):\n    " + CALL
           + "\n\ndef run():\n" + CALL)
    assert names(tmp_path, src) == [("compressor", "class Compressor"),
                                    ("writer-draft", "method Writer.draft"), ("writer-draft", "method Writer.draft"),
                                    ("writer-draft", "method Writer.draft"), ("writer-adopt", "method Writer.adopt"),
                                    ("svc", "module and function")]


def test_a_word_run_repeated_across_module_function_or_route_is_said_once(tmp_path):
    src = HEAD + "def generate_image_with_google():\n" + CALL + "\n\n@app.post('/api/chat/chat')\ndef chat():\n" + CALL
    assert [n for n, _ in names(tmp_path, src, rel="svc/generate.py")] == ["generate-image-with-google", "api-chat"]


def test_a_django_management_command_is_named_by_its_module_not_command(tmp_path):
    src = HEAD + "class Command(BaseCommand):\n    def handle(self, *args, **options):\n    " + CALL
    assert names(tmp_path, src, rel="shop/management/commands/reindex_catalog.py") == \
        [("reindex-catalog", "command reindex-catalog")]
    # a class named Command elsewhere is still a class
    assert [n for n, _ in names(tmp_path / "other", src, rel="shop/commands.py")] == ["command"]


def test_an_entry_script_is_named_by_its_folder_and_keeps_its_name_at_the_root(tmp_path):
    page = HEAD + "answer = client.chat.completions.create(model='m', messages=[])\n\n\ndef summarise():\n" + CALL
    assert [n for n, _ in names(tmp_path / "a", page, rel="apps/chat_with_pdf/streamlit_app.py")] == \
        ["chat-with-pdf", "chat-with-pdf-summarise"]
    assert [n for n, _ in names(tmp_path / "b", page, rel="apps/resume_matcher/app.py")] == \
        ["resume-matcher", "resume-matcher-summarise"]
    assert [n for n, _ in names(tmp_path / "c", page, rel="app.py")] == ["app", "app-summarise"]
    # a module that is no entry script keeps its name
    assert [n for n, _ in names(tmp_path / "d", page, rel="apps/chat_with_pdf/ingest.py")] == \
        ["ingest", "ingest-summarise"]


def test_provider_twins_stand_under_the_name_without_the_provider_word(tmp_path):
    src = (HEAD + "class Router:\n    def openai_fn(self):\n    " + CALL + "\n    def groq_fn(self):\n    " + CALL
           + "\n\ndef draft_with_gpt_4o():\n" + CALL + "\n\ndef draft_with_claude_3_haiku():\n" + CALL
           + "\n\ndef rank_gemini():\n" + CALL)
    assert [n for n, _ in names(tmp_path, src)] == ["router", "router", "svc-draft", "svc-draft", "svc-rank-gemini"]
