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
