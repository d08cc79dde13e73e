"""The domain core stays readable: small modules, short functions or a stated reason.

Issue 12's criterion (docs/architecture.md#package-layers): no core module over about
400 lines and no function over about 80 lines without a reason in its docstring. The
limits below leave a little room over "about"; a function may run longer only when a
line of its docstring starts with ``Long because`` and says why (one linear recipe, a
sheet's layout written top to bottom, ...), so the reason is read where the code is.
"""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "desktop_app" / "core"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80
REASON_MARKER = "Long because"


def _has_reason(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    doc = ast.get_docstring(node) or ""
    return any(line.strip().startswith(REASON_MARKER) for line in doc.splitlines())


def oversized(source: str, name: str) -> list[str]:
    """What in one module breaks the limits, one line each (empty when nothing does)."""
    out = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        out.append(f"{name}: {lines} lines (limit {MAX_MODULE_LINES}); split it by what it holds")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not _has_reason(node):
                out.append(f"{name}:{node.lineno} {node.name}: {length} lines (limit {MAX_FUNCTION_LINES}) "
                           f"and no '{REASON_MARKER} ...' line in its docstring")
    return out


def test_no_core_module_or_function_is_oversized() -> None:
    paths = sorted(CORE.rglob("*.py"))
    assert len(paths) > 50  # the walk found the core (about a hundred modules)
    found = [problem for path in paths
             for problem in oversized(path.read_text(encoding="utf-8"), str(path.relative_to(CORE)))]
    assert found == []


def test_the_check_above_can_fail() -> None:
    # A 451-line module and an 81-line function (def line + docstring + 79 statements) break it;
    # the same function with a "Long because" line in its docstring does not.
    body = "".join(f"    x{i} = {i}\n" for i in range(79))
    long_fn = 'def f():\n    """Does much."""\n' + body
    assert [p.split(":")[1] for p in oversized(long_fn, "m.py")] == ["1 f"]
    reasoned = 'def f():\n    """Does much.\n\n    Long because it is one recipe.\n    """\n' + body
    assert oversized(reasoned, "m.py") == []
    short_fn = 'def f():\n    """Does little."""\n' + body[: body.index("    x78")]
    assert oversized(short_fn, "m.py") == []  # 80 lines: at the limit, not over it
    assert oversized("x = 1\n" * 451, "m.py") == ["m.py: 451 lines (limit 450); split it by what it holds"]
    assert oversized("x = 1\n" * 450, "m.py") == []
