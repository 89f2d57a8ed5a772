"""Import the project's own code: model classes, training recipes, drawing functions.

Code is only ever loaded from the project's package folder, by module names that figgen.yaml
validated as plain identifiers; nothing a page or a YAML value says is ever executed.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from figgen.errors import BadInput
from figgen.exact_import import install as install_exact_import


def import_project_module(root: Path, package: str, module: str):
    """`<package>.<module>`, e.g. course.figures.cnn_diagram, from the project's folder."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    install_exact_import({package, "figgen"})  # run exactly the bytes that were fingerprinted
    top = importlib.import_module(package)
    expected = (root / package).resolve()
    found = Path(top.__file__).resolve().parent
    if found != expected:
        raise BadInput(f"package '{package}' is imported from {found}, not from the project's {expected}")
    try:
        return importlib.import_module(f"{package}.{module}")
    except ModuleNotFoundError as error:
        if error.name and f"{package}.{module}".startswith(error.name):
            raise BadInput(f"no module {module_file(package, module)}{_hint(root, package, module)}") from None
        raise


def module_file(package: str, module: str) -> str:
    """`course/figures/cnn.py` for module `figures.cnn` of package `course`."""
    return f"{package}/{module.replace('.', '/')}.py"


def _hint(root: Path, package: str, module: str) -> str:
    """Old figgen.yaml files named `cnn_diagram` for `figures.cnn_diagram`: point at the full path."""
    for folder in ("figures", "models", "recipes"):
        if "." not in module and (root / package / folder / f"{module}.py").is_file():
            return f" (module paths are relative to the package: write {folder}.{module})"
    return ""


def project_attribute(root: Path, package: str, module: str, attribute: str):
    found = import_project_module(root, package, module)
    try:
        return getattr(found, attribute)
    except AttributeError:
        raise BadInput(f"{module_file(package, module)} defines no '{attribute}'") from None


def forget_modules(packages: tuple[str, ...] = (), root: Path | None = None) -> None:
    """The one way figgen forgets code, so that the next import reads it from disk again.

    Drops the modules of `packages` (by name, their `__init__` included) and, given `root`,
    every module loaded from a file under it, except libraries: figgen's own package and a
    virtual environment inside the project (`make` puts .venv there) stay, as an extension
    module such as numpy's cannot be loaded twice in one process.
    """
    import os

    kept = tuple({str(Path(folder).resolve()) + os.sep for folder in
                  (Path(__file__).resolve().parent, sys.prefix, sys.exec_prefix, sys.base_prefix)})
    inside = str(root) + os.sep if root is not None else None
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if name.split(".", 1)[0] in packages or (
                inside and path.startswith(inside) and not path.startswith(kept)
                and not os.path.realpath(path).startswith(kept)):
            del sys.modules[name]
    importlib.invalidate_caches()  # a module added since is found
