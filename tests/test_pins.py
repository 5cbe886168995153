"""The project's dependency pins (tokenlint.pins) and what they change: a legacy openai<1 request in a
project that requires openai>=1 raises APIRemovedInV1 and sends nothing, so the model, batch and
output-cap rules do not judge it; the site stays in the inventory, marked."""

from __future__ import annotations

from projects import DEFAULT_PYPROJECT, make

from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.pins import dependency_pins, removed_by_pins

LEGACY = (
    "import openai\n"
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "def old(q):\n"
    "    return openai.ChatCompletion.create(model='gpt-4', messages=[{'role': 'user', 'content': q}])\n"
    "\n"
    "\n"
    "def new(q):\n"
    "    return OpenAI().chat.completions.create(model='gpt-4', messages=[{'role': 'user', 'content': q}])\n"
)


def test_lower_bounds_from_requirements_and_pyproject(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "# pinned\nopenai==1.29.0 ; python_version >= '3.10'\nLiteLLM[proxy]>=1.40,<2\nanthropic<1\n-r dev.txt\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\ndependencies = ["httpx~=0.27"]\n[tool.poetry.dependencies]\nopenai = "^1.29.0"\n'
        'tiktoken = { version = "0.7.0" }\nrequests = "*"\n')
    assert dependency_pins(tmp_path) == {"openai": (1, 29, 0), "litellm": (1, 40, 0), "httpx": (0, 27, 0),
                                         "tiktoken": (0, 7, 0)}


def test_files_that_disagree_or_do_not_bound_leave_the_package_out(tmp_path):
    (tmp_path / "requirements.txt").write_text("openai>=1.0\ngroq\n")
    (tmp_path / "requirements-legacy.txt").write_text("openai<1\n")
    (tmp_path / "pyproject.toml").write_text("not toml [")
    assert dependency_pins(tmp_path) == {}
    assert removed_by_pins("openai 1.0.0", {"openai": (0, 28, 1)}) is None
    assert removed_by_pins("openai 1.0.0", {}) is None
    assert "openai>=1.0.0" in removed_by_pins("openai 1.0.0", {"openai": (1, 0, 0)})


def _run(tmp_path, files, pyproject=DEFAULT_PYPROJECT):
    root = make(tmp_path / "proj", files, pyproject)
    return analyse([root], Config(select=("TKL2", "TKL5")), root=root)


def test_a_legacy_call_under_openai_1_is_kept_but_not_judged(tmp_path):
    result = _run(tmp_path, {"app.py": LEGACY, "requirements.txt": "openai>=1.29\n"})
    removed = {s.line: s.removed for s in result.sites}
    assert removed[6] and "openai>=1.29.0" in removed[6] and removed[10] is None
    assert {f.row for f in result.findings} == {10}  # the v1 call: TKL202, TKL203, TKL501


def test_a_wrapper_of_a_legacy_call_is_not_judged_either(tmp_path):
    wrapper = LEGACY + "\n\ndef ask_old(q, model='gpt-4'):\n" \
        "    return openai.ChatCompletion.create(model=model, messages=[{'role': 'user', 'content': q}])\n" \
        "\n\ndef use(q):\n    return ask_old(q)\n"
    result = _run(tmp_path, {"app.py": wrapper, "requirements.txt": "openai>=1.29\n"})
    assert {f.row for f in result.findings} == {10}
    result = _run(tmp_path / "old", {"app.py": wrapper, "requirements.txt": "openai>=0.27\n"})
    assert {(f.row, f.code) for f in result.findings} >= {(6, "TKL203"), (14, "TKL501"), (10, "TKL203")}
    assert (13, "TKL203") in {(f.row, f.code) for f in result.findings}  # the wrapper's default


def test_a_legacy_call_is_judged_when_the_project_allows_openai_0(tmp_path):
    for files, pyproject in (({"app.py": LEGACY, "requirements.txt": "openai==0.28.1\n"}, DEFAULT_PYPROJECT),
                             ({"app.py": LEGACY}, DEFAULT_PYPROJECT),  # nothing pinned
                             ({"app.py": LEGACY}, DEFAULT_PYPROJECT + '[tool.poetry.dependencies]\nopenai = "*"\n')):
        result = _run(tmp_path / str(len(files)) / str(len(pyproject)), files, pyproject)
        assert {f.row for f in result.findings} == {6, 10}
        assert all(s.removed is None for s in result.sites)


def test_the_cache_follows_the_requirements(tmp_path):
    root = make(tmp_path / "proj", {"app.py": LEGACY, "requirements.txt": "openai==0.28.1\n"})
    cfg = Config(select=("TKL5",))
    first = analyse([root], cfg, root=root, cache_dir=tmp_path / "cache")
    (root / "requirements.txt").write_text("openai==1.29.0\n")
    second = analyse([root], cfg, root=root, cache_dir=tmp_path / "cache")
    assert [f.row for f in first.findings] == [6, 10] and [f.row for f in second.findings] == [10]


BRANCHES = (
    "import openai\n"
    "from openai import OpenAI\n"
    "\n"
    "\n"
    "def query_model(model_str, prompt):\n"
    "    if model_str == 'legacy-gpt4':\n"
    "        return openai.ChatCompletion.create(model='gpt-4', messages=[{'role': 'user', 'content': prompt}])\n"
    "{second}"
    "\n"
    "\n"
    "def review_until_done(model_str, draft):\n"
    "    done = False\n"
    "    while not done:\n"
    "        answer = query_model(model_str, f'Review, say DONE when good: {draft}')\n"
    "        done = 'DONE' in answer\n"
)


def test_a_wrapper_whose_first_branch_the_pin_removed_is_judged_by_a_branch_that_still_sends(tmp_path):
    # the wrapper's first request is an openai<1 call (it raises under openai>=1), the second is v1:
    # the wrapper sends, and the loop that only its output ends is TKL402's
    v1 = "    return OpenAI().chat.completions.create(model=model_str, messages=[{'role': 'user', 'content': prompt}])\n"
    root = make(tmp_path / "proj", {"app.py": BRANCHES.replace('{second}', v1), "requirements.txt": "openai>=1.29\n"})
    result = analyse([root], Config(select=("TKL402",)), root=root)
    wrapper = next(s for s in result.sites if s.kind == "wrapper")
    assert wrapper.removed is None and wrapper.line == 14
    assert [(f.row, f.code) for f in result.findings] == [(14, "TKL402")]


def test_a_wrapper_whose_every_branch_the_pin_removed_sends_nothing(tmp_path):
    # the look-alike: both branches are openai<1 calls, so no call of the wrapper can send
    v0 = "    return openai.Completion.create(model=model_str, prompt=prompt)\n"
    root = make(tmp_path / "proj", {"app.py": BRANCHES.replace('{second}', v0), "requirements.txt": "openai>=1.29\n"})
    result = analyse([root], Config(select=("TKL402",)), root=root)
    wrapper = next(s for s in result.sites if s.kind == "wrapper")
    assert wrapper.removed and "openai>=1.29.0" in wrapper.removed
    assert result.findings == []


def test_a_file_naming_the_package_without_a_version_neither_bounds_nor_disagrees(tmp_path):
    # `openai` bare beside `openai==1.58.1` elsewhere: the bare line takes what the pin allows; an upper
    # bound elsewhere (`openai<1`) is still a disagreement (the look-alike)
    (tmp_path / "requirements.txt").write_text("openai\nrequests\n")
    (tmp_path / "requirements_common.txt").write_text("openai==1.58.1\n")
    (tmp_path / "pyproject.toml").write_text('[tool.poetry.dependencies]\nopenai = "*"\n')
    assert dependency_pins(tmp_path) == {"openai": (1, 58, 1)}
    (tmp_path / "requirements-old.txt").write_text("openai<1\n")
    assert dependency_pins(tmp_path) == {}
