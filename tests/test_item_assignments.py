"""`NAME["key"] = value` statements, indexed once per block: the one reading behind an HTTP body's
added keys (`body["model"] = ...` in a function) and a module's dict of prompts (`PROMPTS["system"]
= "..."` at its top level)."""

from __future__ import annotations

import ast

from tokenlint.resolve.scope import item_assignments, item_fills

FUNCTION = '''
def send(stream):
    body = {"messages": []}
    body["model"] = "first"
    if stream:
        body["stream"] = True
    try:
        body["model"] = "last"
    except ValueError:
        extra = other = {}
        extra["x"] = other["y"] = 1
    def inner():
        body["inner"] = 1
    body[key] = 2
'''

MODULE = '''
PROMPTS = {}
PROMPTS["system"] = "You answer."
if DEBUG:
    PROMPTS["debug"] = "verbose"
def f():
    PROMPTS["local"] = "x"
'''


def test_a_function_runs_every_item_assignment_in_its_blocks_the_last_written_winning():
    fn = ast.parse(FUNCTION).body[0]
    items = item_assignments(fn)
    assert {k: ast.literal_eval(v) for k, v in items["body"].items()} == {"model": "last", "stream": True}
    assert set(items["extra"]) == {"x"} and set(items["other"]) == {"y"}  # every target of a chained assignment
    assert item_assignments(fn) is items  # indexed once


def test_a_module_runs_only_its_top_level_item_assignments():
    tree = ast.parse(MODULE)
    assert set(item_assignments(tree)["PROMPTS"]) == {"system"}


REGISTRY = '''
REGISTRY = {}
REGISTRY["openai"] = OpenAIChat
for name, cls in PAIRS:
    REGISTRY[name] = cls
def register(name, cls):
    REGISTRY[name] = cls
class Holder:
    REGISTRY["inner"] = Other
'''


def test_a_registry_gets_the_entries_its_module_adds_outside_functions_and_classes_whatever_the_key():
    tree = ast.parse(REGISTRY)
    fills = item_fills(tree)["REGISTRY"]
    assert [(ast.unparse(k), ast.unparse(v)) for k, v in fills] == [("'openai'", "OpenAIChat"), ("name", "cls")]
    assert item_fills(tree) is item_fills(tree)  # indexed once
