"""Models exported for the browser: what a site declares (`export: onnx` on a model) and builds.

A site's package says what to export through a hook beside its models: the module
`exports.<model name>` of its package defines `export(trained) -> figgen.export.Export`, where
`trained` is the trained model as a figure reads it (`.module`, `.metrics`, `.history`). The
build exports that graph with torch.onnx, runs it on the hook's reference inputs, and publishes
the .onnx file and its card into the site's static folder (README: Exporting a model for the
browser). Importing this package costs nothing: torch is imported where an export really runs.
"""

from figgen.export.declaration import Export

__all__ = ["Export"]
