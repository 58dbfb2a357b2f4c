"""The expression sandbox: every condition, timer expression, DMN cell and script of a diagram runs here.

SpiffWorkflow's own script engine calls plain `eval`/`exec` with full builtins, so a diagram could
read files or import `os`. Here code is compiled with RestrictedPython (which refuses names and
attributes that start with `_` at compile time) after our own AST check (no imports, no `while`,
no dangerous builtins, no large powers), and runs with a small whitelist of builtins and the
helpers the engine offers. The same check runs when a bundle is validated, so a diagram that
tries is refused before it is deployed.
"""

from __future__ import annotations

import ast
import copy
import operator
from collections.abc import Callable, Mapping
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

MAX_EXPRESSION_CHARS = 2_000
MAX_SCRIPT_CHARS = 20_000
MAX_RANGE = 10_000
MAX_POWER_EXPONENT = 64
#: the longest text or list that `*` or `+` may make (a diagram has no use for more)
MAX_SEQUENCE = 1_000_000
#: names the sandbox puts in where a diagram wrote `*` or `+`; a diagram may not use them itself
GUARDED_MUL, GUARDED_ADD = "sandbox_mul", "sandbox_add"

# Names a diagram may never use, even as data: they reach outside the sandbox or defeat it.
FORBIDDEN_NAMES = frozenset(
    {
        "eval", "exec", "compile", "open", "input", "breakpoint", "help", "exit", "quit",
        "globals", "locals", "vars", "dir", "getattr", "setattr", "delattr", "hasattr",
        "type", "object", "super", "memoryview", "classmethod", "staticmethod", "property",
        "print", "id", "callable", "__import__", GUARDED_MUL, GUARDED_ADD,
    }
)


class SandboxViolation(Exception):
    """Code in a diagram tried something the sandbox does not allow."""


def _limited_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SandboxViolation(f"range() with more than {MAX_RANGE} items is not allowed")
    return r


SAFE_BUILTINS: dict[str, Any] = {
    "True": True, "False": False, "None": None,
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "divmod": divmod,
    "enumerate": enumerate, "float": float, "int": int, "isinstance": isinstance, "len": len,
    "list": list, "max": max, "min": min, "range": _limited_range, "reversed": reversed,
    "round": round, "set": set, "sorted": sorted, "str": str, "sum": sum, "tuple": tuple,
    "zip": zip,
    "ValueError": ValueError, "KeyError": KeyError, "TypeError": TypeError,
}

_INPLACE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "|=": operator.ior, "&=": operator.iand,
}


_SEQUENCES = (str, bytes, list, tuple)


def _size_after(x: Any, y: Any, op: str) -> int:
    if op == "*":
        for seq, times in ((x, y), (y, x)):
            if isinstance(seq, _SEQUENCES) and isinstance(times, int):
                return len(seq) * times
        return 0
    if isinstance(x, _SEQUENCES) and isinstance(y, _SEQUENCES):
        return len(x) + len(y)
    return 0


def _guarded(op: str, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """`*` and `+` that refuse to build a text or list larger than MAX_SEQUENCE: a memory bomb
    such as "a" * 10**9 or a string doubled in a loop stops here, not in the server."""
    def guarded(x: Any, y: Any) -> Any:
        if _size_after(x, y, op) > MAX_SEQUENCE:
            raise SandboxViolation(f"'{op}' would make a text or list longer than "
                                   f"{MAX_SEQUENCE:,} items")
        return fn(x, y)
    return guarded


_MUL, _ADD = _guarded("*", operator.mul), _guarded("+", operator.add)


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    fn = _INPLACE_OPS.get(op)
    if fn is None:
        raise SandboxViolation(f"operator {op} is not allowed")
    if op in ("*=", "+=") and _size_after(x, y, op[0]) > MAX_SEQUENCE:
        raise SandboxViolation(f"'{op}' would make a text or list longer than "
                               f"{MAX_SEQUENCE:,} items")
    return fn(x, y)


class _GuardSequences(ast.NodeTransformer):
    """Rewrite `a * b` and `a + b` as calls to the guarded operators (after the check)."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        name = GUARDED_MUL if isinstance(node.op, ast.Mult) else \
            GUARDED_ADD if isinstance(node.op, ast.Add) else None
        if name is None:
            return node
        return ast.copy_location(ast.Call(func=ast.Name(id=name, ctx=ast.Load()),
                                          args=[node.left, node.right], keywords=[]), node)


def _guards() -> dict[str, Any]:
    return {
        "__builtins__": SAFE_BUILTINS,
        "_getattr_": safer_getattr,
        "_getitem_": lambda obj, key: obj[key],
        "_getiter_": iter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        GUARDED_MUL: _MUL,
        GUARDED_ADD: _ADD,
    }


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.problems: list[str] = []

    def visit_Import(self, node: ast.AST) -> None:
        self.problems.append("imports are not allowed in diagram code")

    visit_ImportFrom = visit_Import

    def visit_While(self, node: ast.While) -> None:
        self.problems.append("while loops are not allowed in diagram code")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in FORBIDDEN_NAMES:
            self.problems.append(f"'{node.id}' is not allowed in diagram code")
        elif node.id.startswith("_"):
            self.problems.append(f"names starting with '_' are not allowed ('{node.id}')")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("_"):
            self.problems.append(f"attributes starting with '_' are not allowed ('{node.attr}')")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Pow):
            exp = node.right
            if not (isinstance(exp, ast.Constant) and isinstance(exp.value, int)
                    and abs(exp.value) <= MAX_POWER_EXPONENT):
                self.problems.append(
                    f"'**' needs a constant exponent of at most {MAX_POWER_EXPONENT}")
        self.generic_visit(node)

    def _no_defs(self, node: ast.AST) -> None:
        self.problems.append("defining functions or classes is not allowed in diagram code")

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _no_defs

    def visit_Global(self, node: ast.AST) -> None:
        self.problems.append("global/nonlocal is not allowed in diagram code")

    visit_Nonlocal = visit_Global


def check(source: str, mode: str = "eval") -> list[str]:
    """Return why `source` would be refused (empty when it is allowed). `mode` is eval or exec."""
    if not isinstance(source, str):
        return ["the expression is not text"]
    limit = MAX_EXPRESSION_CHARS if mode == "eval" else MAX_SCRIPT_CHARS
    if len(source) > limit:
        return [f"the code is longer than {limit} characters"]
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except SyntaxError as exc:
        return [f"syntax error: {exc.msg} (line {exc.lineno}, column {exc.offset})"]
    checker = _Checker()
    checker.visit(tree)
    if checker.problems:
        return list(dict.fromkeys(checker.problems))
    compiled = (compile_restricted_eval if mode == "eval" else compile_restricted_exec)(
        source.strip() if mode == "eval" else source)
    return list(compiled.errors)


def names_read(source: str) -> set[str]:
    """The free variable names an expression reads (for checking that a form provides them)."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return set()
    bound = {
        n.id for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    for comp in ast.walk(tree):
        if isinstance(comp, ast.Lambda):
            bound.update(a.arg for a in comp.args.args)
    return {
        n.id for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound
    }


# Compiled code objects are immutable, so one cache serves every request and thread; the engine
# builds a new environment per request (its helpers are bound to that request's case).
_COMPILED: dict[tuple[str, str], Any] = {}
_COMPILED_MAX = 4096


def _compile(source: str, mode: str) -> Any:
    key = (mode, source)
    code = _COMPILED.get(key)
    if code is None:
        problems = check(source, mode)
        if problems:
            raise SandboxViolation("; ".join(problems))
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
        tree = ast.fix_missing_locations(_GuardSequences().visit(tree))
        result = (compile_restricted_eval if mode == "eval" else compile_restricted_exec)(tree)
        if result.errors:
            raise SandboxViolation("; ".join(result.errors))
        code = result.code
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = code
    return code


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """A SpiffWorkflow script environment that evaluates diagram code only inside the sandbox.

    `helpers` are plain functions offered to expressions (see processes/README.md); they are never
    written into task data.
    """

    def __init__(self, helpers: Mapping[str, Callable[..., Any]] | None = None):
        super().__init__(dict(helpers or {}))

    def _namespace(self, context: Mapping[str, Any], external: Mapping[str, Any] | None) -> dict:
        ns = _guards()
        ns.update(self.globals)
        ns.update(external or {})
        ns.update(context)
        return ns

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        code = _compile(expression, "eval")
        return eval(code, self._namespace(context, external_context))

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        code = _compile(script, "exec")
        ns = self._namespace(copy.copy(context), external_context)
        before = set(ns)
        exec(code, ns)  # noqa: S102 - restricted code
        reserved = set(_guards()) | set(self.globals) | set(external_context or {})
        for key, value in ns.items():
            if key in reserved or callable(value):
                continue
            if key in before and context.get(key) is value:
                continue
            context[key] = value
        return True

    def call_service(self, context: dict, **kwargs: Any) -> Any:
        raise SandboxViolation("service tasks are not supported")


def script_engine(helpers: Mapping[str, Callable[..., Any]] | None = None) -> PythonScriptEngine:
    """A SpiffWorkflow script engine whose every expression and script runs in the sandbox."""
    return PythonScriptEngine(environment=SandboxEnvironment(helpers))
