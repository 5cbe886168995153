"""TKL301 / TKL302 follow a system prompt built by a `@property` getter (`self.system_prompt`): the
getter's one `return` is read in its own scope, as a project function that builds the prompt is, so
its dynamic parts are judged (an attribute set in `__init__` from the one constructor call's
argument, the clock). Look-alikes stay silent: a `cached_property` (computed once per instance, not
per request), a getter whose dynamic part comes after the static text, a short prompt, and a getter
with more than one `return`. Lines marked `# 301` / `# 302` are where a finding must be, and nowhere
else (TKL301 reports at the request's use of the property, TKL302 at the per-call value)."""

from __future__ import annotations

from ruletools import marked, project
from ruletools import prompt_findings as findings

POLICY = "Follow the support policy carefully. " * 120  # 4,440 characters, ~1,110 tokens

APP = f'''import datetime
from functools import cached_property

from openai import OpenAI

client = OpenAI()
POLICY = "{POLICY}"


class Session:
    def __init__(self, user):
        self.user = user

    @property
    def system_prompt(self):
        return f"You help {{self.user}}.\\n" + POLICY

    @property
    def stamped(self):
        return f"Now: {{datetime.datetime.now().isoformat()}}\\n{{POLICY}}"  # 302

    @cached_property
    def once(self):
        return f"You help {{self.user}}.\\n" + POLICY

    @property
    def polite(self):
        return POLICY + f"\\nYou help {{self.user}}."

    @property
    def brief(self):
        return f"You help {{self.user}}. Be brief."

    @property
    def either(self):
        if self.user:
            return f"You help {{self.user}}.\\n" + POLICY
        return POLICY

    def _ask(self, system, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": system}}, {{"role": "user", "content": q}}])

    def ask(self, q):
        return client.chat.completions.create(
            model="gpt-4o",
            messages=[{{"role": "system", "content": self.system_prompt}}, {{"role": "user", "content": q}}],  # 301
        )

    def ask_stamped(self, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": self.stamped}}, {{"role": "user", "content": q}}])

    def ask_once(self, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": self.once}}, {{"role": "user", "content": q}}])

    def ask_polite(self, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": self.polite}}, {{"role": "user", "content": q}}])

    def ask_brief(self, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": self.brief}}, {{"role": "user", "content": q}}])

    def ask_either(self, q):
        return client.chat.completions.create(
            model="gpt-4o", messages=[{{"role": "system", "content": self.either}}, {{"role": "user", "content": q}}])


def handle(user, q):
    return Session(user).ask(q)
'''


def test_property_built_prompts(tmp_path):
    project(tmp_path, {"app.py": APP})
    got = findings(tmp_path)
    assert sorted((f.code[3:], f.row) for f in got) == marked(APP)
    assert all("`user`" in f.message and "~1,110 tokens" in f.message for f in got if f.code == "TKL301")


def test_the_message_names_where_the_prompt_is_built(tmp_path):
    """The finding is at the request's use of the property; its message names the getter's text (the
    dynamic part itself, `user`, is the constructor's argument in `handle`)."""
    project(tmp_path, {"app.py": APP})
    built = 1 + next(i for i, line in enumerate(APP.splitlines()) if 'return f"You help {self.user}.\\n" + POLICY' in line)
    got = [f for f in findings(tmp_path) if f.code == "TKL301"]
    assert [f.message.endswith(f"(the prompt is built at app.py:{built})") for f in got] == [True]


BUILDERS = f'''from openai import OpenAI

client = OpenAI()
POLICY = "{POLICY}"


def build_system(user):
    return "Hello {{}}.\\n".format(user) + POLICY


def ask(user, q):
    return client.chat.completions.create(
        model="gpt-4o",
        messages=[{{"role": "system", "content": build_system(user)}}, {{"role": "user", "content": q}}],  # 301
    )


def inline(user, q):
    return client.chat.completions.create(
        model="gpt-4o",
        messages=[{{"role": "system", "content": f"Hello {{user}}.\\n" + POLICY}}, {{"role": "user", "content": q}}],  # 301
    )
'''


def test_a_builder_function_is_named_and_an_inline_prompt_is_not(tmp_path):
    project(tmp_path, {"app.py": BUILDERS})
    got = sorted(findings(tmp_path), key=lambda f: f.row)
    assert sorted((f.code[3:], f.row) for f in got) == marked(BUILDERS)
    assert got[0].message.endswith("(the prompt is built at app.py:8)")
    assert "built at" not in got[1].message
