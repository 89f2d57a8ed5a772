"""An export's inputs tree and key: the model's own tree, the export code, the exporter's versions.

Like a figure's (figgen/inputs.py), the key is the hash of one tree, and `figgen why` prints the
leaves where the recorded tree and today's differ: a retrained model shows as `model.` lines.
Pure: nothing here imports torch.
"""

from __future__ import annotations

from figgen.inputs import fingerprint
from figgen.versions import installed_version, versions

FORMAT = "onnx"
EXPORTER_LIBRARIES = ("torch", "onnx", "onnxscript")  # what writes the graph's bytes
HOOK_FOLDER = "exports"  # the hook of model NAME: <package>.exports.NAME, its export(trained)


def hook_module(name: str) -> str:
    """The module of the site's package whose `export(trained)` says what to export."""
    return f"{HOOK_FOLDER}.{name}"


def exported_models(project) -> list[str]:
    return [name for name, spec in project.models.items() if spec.export]


def export_tree(project, fingerprints, name: str) -> dict:
    """Everything the export of model `name` is made from (figgen/inputs.py's trees)."""
    trees = fingerprints.trees
    code, data = trees._code("export", hook_module(name))
    return {"format": project.models[name].export, "hook": hook_module(name), "code": code, "data": data,
            "model": trees.model(name), "libraries": versions(EXPORTER_LIBRARIES),
            "figgen": installed_version("figgen")}


def export_keys(project, fingerprints) -> dict[str, str]:
    """{model name: the key of its export today} for every model declared `export:`."""
    return {name: fingerprint(export_tree(project, fingerprints, name)) for name in exported_models(project)}
