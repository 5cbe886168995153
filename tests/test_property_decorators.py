"""A method turned into a property by a project decorator (`@lazy_property()` whose inner decorator wraps
the function in `@property`, a `reify`-like descriptor class) is read as `self.<name>`'s getter: a request on
the SDK client it returns (built through an optional-import helper) is a site. The decorator is judged from
its own code: one that only wraps the method, or a descriptor binding it, gives nothing. A library decorator
of a property-like name counts only when the method's return annotation names an SDK client."""

from __future__ import annotations

from projects import analysed_sites

DECORATORS = '''\
import functools
from importlib import import_module
from typing import cast


def lazy_property(attr_name=None):
    def decorator(func):
        slot = f"_{func.__name__}" if attr_name is None else attr_name

        @property
        @functools.wraps(func)
        def wrapper(self):
            if getattr(self, slot) is None:
                setattr(self, slot, func(self))
            return getattr(self, slot)

        @wrapper.setter
        def wrapper(self, value):
            setattr(self, slot, value)

        return cast("R", wrapper)

    return decorator


def logged(func):
    @functools.wraps(func)
    def wrapper(self, *args):
        return func(self, *args)

    return wrapper


class reify:
    def __init__(self, wrapped):
        self.wrapped = wrapped

    def __get__(self, inst, owner=None):
        if inst is None:
            return self
        value = self.wrapped(inst)
        setattr(inst, self.wrapped.__name__, value)
        return value


class bound:
    def __init__(self, func):
        self.func = func

    def __get__(self, inst, owner=None):
        return functools.partial(self.func, inst)


def optional_import(name):
    try:
        return import_module(name)
    except ImportError as exc:
        raise RuntimeError(name) from exc
'''

LAZY = '''\
from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.decorators import lazy_property, optional_import

if TYPE_CHECKING:
    from anthropic import Client


class Driver:
    def __init__(self, model):
        self.model = model
        self._client = None

    @lazy_property()
    def client(self) -> Client:
        return optional_import("anthropic").Anthropic()

    def run(self, prompt):
        params = {"model": self.model, "max_tokens": 64, "messages": [{"role": "user", "content": prompt}]}
        return self.client.messages.create(**params)
'''


def _sites(tmp_path, files):
    return [(s.path, s.line, s.sdk) for s in analysed_sites(tmp_path / "proj", files)]


def test_a_project_lazy_property_returning_an_sdk_client_is_read_as_the_attribute(tmp_path):
    sites = _sites(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": DECORATORS, "pkg/driver.py": LAZY})
    assert sites == [("pkg/driver.py", 22, "anthropic")]


def test_a_descriptor_class_calling_the_method_with_the_instance_is_a_getter(tmp_path):
    driver = LAZY.replace("lazy_property, optional_import", "reify, optional_import").replace(
        "@lazy_property()", "@reify")
    sites = _sites(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": DECORATORS, "pkg/driver.py": driver})
    assert sites == [("pkg/driver.py", 22, "anthropic")]


def test_a_decorator_that_only_wraps_the_method_is_not_a_getter(tmp_path):
    # `self.client` stays a method: `.messages` on the function object is nothing
    driver = LAZY.replace("lazy_property, optional_import", "logged, optional_import").replace(
        "@lazy_property()", "@logged")
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": DECORATORS, "pkg/driver.py": driver}) == []


def test_a_descriptor_binding_the_method_is_not_a_getter(tmp_path):
    driver = LAZY.replace("lazy_property, optional_import", "bound, optional_import").replace(
        "@lazy_property()", "@bound")
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": DECORATORS, "pkg/driver.py": driver}) == []


def test_a_project_lazy_property_returning_a_non_llm_object_gives_no_site(tmp_path):
    driver = LAZY.replace('optional_import("anthropic").Anthropic()', 'optional_import("sqlite3").connect(":memory:")'
                          ).replace("-> Client", "")
    driver = driver.replace("self.client.messages.create(**params)", "self.client.execute('select 1')")
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/decorators.py": DECORATORS, "pkg/driver.py": driver}) == []


LIBRARY = '''\
from openai import OpenAI
from somelib import reify


class Driver:
    def __init__(self, model):
        self.model = model

    @reify
    def client(self) -> OpenAI:
        return make_client()

    @reify
    def other(self):
        return make_client()

    def run(self, prompt):
        return self.client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": prompt}])

    def run_other(self, prompt):
        return self.other.chat.completions.create(model=self.model, messages=[{"role": "user", "content": prompt}])
'''


def test_a_library_property_word_counts_only_with_an_sdk_client_annotation(tmp_path):
    assert _sites(tmp_path, {"pkg/__init__.py": "", "pkg/driver.py": LIBRARY}) == [("pkg/driver.py", 18, "openai")]
