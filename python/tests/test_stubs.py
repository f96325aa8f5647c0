"""The type stubs describe the module as it is: the same names, signatures and docstrings."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import dugnad
from dugnad import _dugnad

STUB = ast.parse((Path(dugnad.__file__).parent / "_dugnad.pyi").read_text())


def words(doc: str | None) -> str:
    """A docstring compared without line breaks and with RST's double backticks as single."""
    return " ".join((doc or "").replace("``", "`").split())


def stub_params(f: ast.FunctionDef) -> list[tuple[str, str, object]]:
    a = f.args
    out = [(p.arg, "positional", None) for p in a.posonlyargs + a.args]
    defaults = [None] * (len(out) - len(a.defaults)) + [ast.literal_eval(d) for d in a.defaults]
    out = [(n, k, d) for (n, k, _), d in zip(out, defaults)]
    if a.vararg:
        out.append((a.vararg.arg, "varargs", None))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append((p.arg, "keyword", None if d is None else ast.literal_eval(d)))
    return [p for p in out if p[0] != "self"]


def runtime_params(obj) -> list[tuple[str, str, object]]:
    kinds = {
        inspect.Parameter.POSITIONAL_ONLY: "positional",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
        inspect.Parameter.VAR_POSITIONAL: "varargs",
        inspect.Parameter.KEYWORD_ONLY: "keyword",
    }
    out = []
    for p in inspect.signature(obj).parameters.values():
        default = None if p.default is inspect.Parameter.empty else p.default
        if p.name != "self":
            out.append((p.name, kinds[p.kind], default))
    return out


def test_the_package_exports_what_the_stub_declares():
    declared = {n.name for n in STUB.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    # A private class (the results' shared base) is the native module's, not the package's.
    declared = {n for n in declared if not n.startswith("_")} | {"__version__"}
    assert declared == set(dugnad.__all__)
    assert set(dugnad.__all__) <= set(dir(_dugnad))


def test_functions_match_their_stubs():
    for f in (n for n in STUB.body if isinstance(n, ast.FunctionDef)):
        obj = getattr(_dugnad, f.name)
        assert runtime_params(obj) == stub_params(f), f.name
        assert words(obj.__doc__) == words(ast.get_docstring(f)), f.name


def test_classes_and_their_members_match_their_stubs():
    for c in (n for n in STUB.body if isinstance(n, ast.ClassDef)):
        cls = getattr(_dugnad, c.name)
        assert words(cls.__doc__) == words(ast.get_docstring(c)), c.name
        bases = [b.__name__ for b in cls.__bases__ if b is not object]
        assert bases == [b.id for b in c.bases], c.name
        members = {m.name: m for m in c.body if isinstance(m, ast.FunctionDef)}
        public = {n for n in vars(cls) if not n.startswith("_")}
        if not issubclass(cls, Exception):
            assert public == set(members), c.name
        for name, m in members.items():
            raw = inspect.getattr_static(cls, name)
            obj = raw.__func__ if isinstance(raw, staticmethod) else raw
            assert words(obj.__doc__) == words(ast.get_docstring(m)), f"{c.name}.{name}"
            if not inspect.isdatadescriptor(raw):
                assert runtime_params(getattr(cls, name)) == stub_params(m), f"{c.name}.{name}"
