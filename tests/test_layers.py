"""The layers of figgen, read from its imports: commands are the outermost layer.

Only the command line (cli.py, launcher.py) and the commands themselves import figgen.commands;
the engine below never calls up into them (STYLE.md, "A build has a home").
"""

from __future__ import annotations

import ast
from pathlib import Path

FIGGEN = Path(__file__).resolve().parent.parent / "figgen"
ALLOWED = {"cli.py", "launcher.py"}


def imported_names(source: str, package: str) -> set[str]:
    """Every module a module of `package` imports, at its top or inside a function (relative
    imports resolved)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def reaches_commands(name: str) -> bool:
    return name == "figgen.commands" or name.startswith("figgen.commands.")


def test_nothing_below_the_commands_imports_them():
    offenders = []
    for path in sorted(FIGGEN.rglob("*.py")):
        relative = path.relative_to(FIGGEN)
        if relative.parts[0] == "commands" or str(relative) in ALLOWED:
            continue
        package = ".".join(("figgen", *relative.parts[:-1]))
        names = imported_names(path.read_text(encoding="utf-8"), package)
        offenders += [f"figgen/{relative} imports {name}" for name in sorted(names) if reaches_commands(name)]
    assert not offenders, "\n".join(offenders)


def test_the_reader_sees_relative_and_nested_imports():
    """The check above can fail: an import inside a function, or a relative one, is seen."""
    source = "def f():\n    from ..commands import build\n    import figgen.commands.check\n"
    names = imported_names(source, "figgen.build")
    assert "figgen.commands.build" in names and "figgen.commands.check" in names
    assert all(map(reaches_commands, ("figgen.commands", "figgen.commands.build")))
    assert not reaches_commands("figgen.commandsx")


def import_graph() -> dict[str, set[str]]:
    """figgen's modules and the figgen modules each imports (lazily, inside a function, too)."""
    modules = {}
    for path in FIGGEN.rglob("*.py"):
        parts = path.relative_to(FIGGEN.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = {n for n in imported_names(path.read_text(encoding="utf-8"), package) if n in modules and n != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_of_figgen_imports_itself_back():
    """Lazy imports included: a cycle makes which module is half-initialised depend on who came first."""
    assert not cycles(import_graph())
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# What a build remembers (figgen/state.py's records in figgen/store.py) has one writer: the
# engine's Build. The runner and the remote cache return typed values (figgen/recorded.py).
STATE_WRITERS = {"save_record", "save_discovered", "adopt"}  # a model store's; put, forget and save: the records'

STATE_OWNERS = {"store.py", "build/engine.py"}


def state_writes(source: str) -> list[str]:
    """Calls that write a record: `x.put(...)`, `store.save_record(...)`, `records.save()`, `store.discard(...)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, name = ast.unparse(node.func.value), node.func.attr
            if (name in STATE_WRITERS or name in ("put", "forget", "save") and owner.endswith("records")
                    or name == "discard" and owner.endswith("store")):
                found.append(f"{owner}.{name}")
    return found


def test_only_the_build_writes_what_a_build_remembers():
    offenders = []
    for path in sorted(FIGGEN.rglob("*.py")):
        relative = path.relative_to(FIGGEN).as_posix()
        if relative not in STATE_OWNERS:
            offenders += [f"{relative}: {call}" for call in state_writes(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert state_writes("records.put(o, r)\nrecords.save()\nworkspace.store.discard(n, f)\nfound.discard(m)\n"
                        "self.events.put(e)\nstore.adopt(n, a, b)") == [
        "records.put", "records.save", "workspace.store.discard", "store.adopt"]
