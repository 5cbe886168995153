"""What a call's system prompt and messages are, and how much of them is static."""

from __future__ import annotations

import ast

from tokenlint.catalog import Method
from tokenlint.resolve.scope import Scope, binding_of
from tokenlint.resolve.site import CallSite, Prompt
from tokenlint.resolve.values import Client, Str


class PromptMixin:
    """The `Resolver`'s prompt reader (a mixin: imported constants are evaluated with `_binding_value`)."""

    def _prompts(self, site: CallSite, call: ast.Call, scope: Scope, m: Method, client: Client) -> None:
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        for name in m.system:
            if name.startswith("config."):
                cfg = kw.get("config")
                field_name = name.split(".", 1)[1]
                expr = _field_of(cfg, field_name, scope) if cfg is not None else None
                if expr is not None:
                    site.system = self.prompt(expr, scope, name)
                    break
            elif name in kw:
                site.system = self.prompt(kw[name], scope, name)
                break
        if site.system is None and client.ctype.client_system:
            for c, s in client.calls:
                if c is None:
                    continue
                ckw = {k.arg: k.value for k in c.keywords if k.arg}
                for name in client.ctype.client_system:
                    if name in ckw:
                        site.system = self.prompt(ckw[name], s, name)
                        break
        if m.messages and m.messages in kw:
            site.messages = self.prompt(kw[m.messages], scope, m.messages)
            if site.system is None and m.system_in_messages:
                sm = _system_message(kw[m.messages], scope)
                if sm is not None:
                    site.system = self.prompt(sm, scope, f"{m.messages}[role=system]")

    def prompt(self, e: ast.expr, scope: Scope, where: str) -> Prompt:
        text = scope.module.source.segment(e)
        kind, static = self._prompt_kind(e, scope, 0)
        return Prompt(text=text, kind=kind, static=static, node=e, scope=scope, where=where)

    def _prompt_kind(self, e: ast.expr, scope: Scope, depth: int) -> tuple[str, bool]:
        if isinstance(e, ast.Constant):
            return "literal", True
        if isinstance(e, ast.JoinedStr):
            dyn = any(isinstance(v, ast.FormattedValue) for v in e.values)
            return ("fstring", False) if dyn else ("literal", True)
        if isinstance(e, ast.BinOp):
            if isinstance(e.op, ast.Mod):
                return "percent", False
            if isinstance(e.op, ast.Add):
                l_kind, l_static = self._prompt_kind(e.left, scope, depth + 1)
                r_kind, r_static = self._prompt_kind(e.right, scope, depth + 1)
                return "concat", l_static and r_static
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "format":
            return "format", False
        if isinstance(e, ast.Name) and depth < 6:
            b = binding_of(e.id, scope)
            if b is not None:
                if b[0] == "param":
                    return "parameter", False
                if b[0] == "assign":
                    kind, static = self._prompt_kind(b[1], b[2], depth + 1)
                    return ("constant" if kind == "literal" else kind), static
                if b[0] in ("import", "from"):
                    v = self._binding_value(e.id, b[0], b[1], b[2])
                    if isinstance(v, Str):
                        return "constant", True
        if isinstance(e, (ast.List, ast.Tuple)):
            return "list", all(self._prompt_kind(x, scope, depth + 1)[1] for x in e.elts)
        if isinstance(e, ast.Dict):
            return "dict", all(v is not None and self._prompt_kind(v, scope, depth + 1)[1] for v in e.values)
        return "dynamic", False


def _field_of(cfg: ast.expr, name: str, scope: Scope) -> ast.expr | None:
    if isinstance(cfg, ast.Call):
        for k in cfg.keywords:
            if k.arg == name:
                return k.value
    if isinstance(cfg, ast.Dict):
        for k, v in zip(cfg.keys, cfg.values):
            if isinstance(k, ast.Constant) and k.value == name:
                return v
    if isinstance(cfg, ast.Name):
        b = binding_of(cfg.id, scope)
        if b is not None and b[0] == "assign":
            return _field_of(b[1], name, b[2])
    return None


def _system_message(msgs: ast.expr, scope: Scope) -> ast.expr | None:
    if isinstance(msgs, ast.Name):
        b = binding_of(msgs.id, scope)
        if b is not None and b[0] == "assign" and isinstance(b[1], (ast.List, ast.Tuple)):
            msgs = b[1]
    if not isinstance(msgs, (ast.List, ast.Tuple)):
        return None
    for m in msgs.elts:
        if isinstance(m, ast.Dict):
            role = content = None
            for k, v in zip(m.keys, m.values):
                if isinstance(k, ast.Constant) and k.value == "role":
                    role = v.value if isinstance(v, ast.Constant) else None
                if isinstance(k, ast.Constant) and k.value == "content":
                    content = v
            if role in ("system", "developer") and content is not None:
                return content
        elif isinstance(m, ast.Call):
            name = m.func.id if isinstance(m.func, ast.Name) else getattr(m.func, "attr", "")
            if name == "SystemMessage":
                if m.args:
                    return m.args[0]
                for k in m.keywords:
                    if k.arg == "content":
                        return k.value
    return None
