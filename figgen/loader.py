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


def import_project_module(root: Path, package: str, kind: str, name: str):
    """`<package>.<kind>.<name>`, e.g. figgen.figures.cnn_diagram, from the project's folder."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    install_exact_import({package, "figgen"})  # run exactly the bytes that were fingerprinted
    top = importlib.import_module(package)
    expected = (root / package).resolve()
    found = Path(top.__file__).resolve().parent
    if found != expected:
        raise BadInput(f"package '{package}' is imported from {found}, not from the project's {expected}")
    try:
        return importlib.import_module(f"{package}.{kind}.{name}")
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith(f"{package}.{kind}"):
            raise BadInput(f"no module {package}/{kind}/{name}.py") from None
        raise


def project_attribute(root: Path, package: str, kind: str, name: str, attribute: str):
    module = import_project_module(root, package, kind, name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise BadInput(f"{package}/{kind}/{name}.py defines no '{attribute}'") from None
