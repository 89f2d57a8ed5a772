"""Export one trained model to ONNX, with its card: run in a child process (torch lives there).

The site's hook (`exports.<name>.export(trained)`) says what to export (figgen/export/declaration.py);
this writes the graph with `torch.onnx.export`, runs the very module on the hook's reference
inputs for the card, and, where onnxruntime is installed, checks that the graph gives the same
outputs: a wrong export fails the build, not a reader's page.
"""

from __future__ import annotations

import json
from pathlib import Path

from figgen.errors import FiggenError

OPSET = 18
PARITY = 1e-4  # the largest difference the build accepts between PyTorch and onnxruntime


def export_model(project, name: str, checkpoint: Path, onnx_path: Path, card_path: Path, key: str) -> None:
    """Write `onnx_path` and `card_path` (atomically) for model `name` trained in `checkpoint`."""
    import torch

    from figgen.atomic import atomic_path, write_atomically
    from figgen.context import load_trained
    from figgen.export.declaration import Export
    from figgen.export.keys import hook_module
    from figgen.loader import import_project_module

    trained = load_trained(project, project.models[name], checkpoint)
    module = import_project_module(project.root, project.package, hook_module(name))
    hook = getattr(module, "export", None)
    if not callable(hook):
        raise FiggenError(f"model '{name}' is declared `export: onnx`, but {project.package}/"
                          f"{hook_module(name).replace('.', '/')}.py defines no export(trained)")
    declared = hook(trained)
    if not isinstance(declared, Export):
        raise FiggenError(f"{project.package}.{hook_module(name)}.export returned a {type(declared).__name__}, "
                          "not a figgen.export.Export")
    graph = declared.module.eval()
    names = list(declared.inputs)
    with torch.no_grad():
        examples = _outputs(graph, declared, declared.inputs)
        references = [(reference, _outputs(graph, declared, reference)) for reference in declared.references]
    with atomic_path(onnx_path) as temporary:
        torch.onnx.export(graph, tuple(declared.inputs[n] for n in names), str(temporary), input_names=names,
                          output_names=list(declared.outputs), opset_version=OPSET, dynamo=True,
                          external_data=False, verbose=False,
                          dynamic_axes={n: {axis: f"{n}_{axis}" for axis in axes}
                                        for n, axes in declared.dynamic.items()} or None)
    _without_debug_information(onnx_path)
    card = {
        "model": name,
        "digest": key,
        "inputs": [_described(n, declared.inputs[n], declared.dynamic.get(n, ())) for n in names],
        "outputs": [_described(o, examples[o], _varying(o, references)) for o in declared.outputs],
        "meta": _json_ready(declared.meta, f"the export of '{name}': meta"),
        "references": [{"inputs": {n: _flat(reference[n]) for n in names},
                        "outputs": {o: _flat(outputs[o]) for o in declared.outputs}}
                       for reference, outputs in references],
    }
    _check_parity(onnx_path, card, name)
    write_atomically(card_path, (json.dumps(card, indent=1, ensure_ascii=False) + "\n").encode())


def _without_debug_information(onnx_path: Path) -> None:
    """torch.onnx keeps, on each node, its Python stack trace (absolute paths of this checkout) and
    its FX provenance: two checkouts of the same sources would publish different bytes. The graph
    computes the same without them."""
    import onnx

    from figgen.atomic import atomic_path

    model = onnx.load(str(onnx_path))

    def clear(holder) -> None:
        if hasattr(holder, "metadata_props"):
            del holder.metadata_props[:]
        for node in getattr(holder, "node", ()):
            clear(node)
            for attribute in node.attribute:
                for graph in [*([attribute.g] if attribute.HasField("g") else []), *attribute.graphs]:
                    clear(graph)  # (touching an unset `g` would set it: an invalid attribute)

    clear(model)
    clear(model.graph)
    for function in model.functions:
        clear(function)
    with atomic_path(onnx_path) as temporary:
        onnx.save(model, str(temporary))


def _outputs(graph, declared, inputs: dict) -> dict:
    result = graph(*(inputs[n] for n in declared.inputs))
    result = result if isinstance(result, (tuple, list)) else (result,)
    if len(result) != len(declared.outputs):
        raise FiggenError(f"the exported module returns {len(result)} tensors for {len(declared.outputs)} output names")
    return dict(zip(declared.outputs, result))


def _described(name: str, tensor, dynamic_axes) -> dict:
    shape = [None if axis in dynamic_axes else size for axis, size in enumerate(tensor.shape)]
    return {"name": name, "dtype": str(tensor.dtype).replace("torch.", ""), "shape": shape}


def _varying(output: str, references) -> tuple:
    """The axes of an output whose size differs between references (a dynamic length)."""
    shapes = [tuple(outputs[output].shape) for _, outputs in references]
    return tuple(axis for axis in range(len(shapes[0])) if len({s[axis] for s in shapes}) > 1)


def _flat(tensor) -> list:
    """Every value, row-major: float32 values as the exact doubles they are (json writes them back)."""
    return tensor.detach().cpu().reshape(-1).tolist()


def _json_ready(value, where: str):
    from figgen.context import json_ready

    return json_ready(value, where)


def _check_parity(onnx_path: Path, card: dict, name: str) -> None:
    """onnxruntime must give PyTorch's outputs on the references (skipped where it is not installed)."""
    try:
        import numpy
        import onnxruntime
    except ImportError:
        return
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    shapes = {spec["name"]: spec for spec in card["inputs"]}
    for index, reference in enumerate(card["references"]):
        feeds = {n: numpy.asarray(values, dtype=shapes[n]["dtype"]).reshape(_shape(shapes[n]["shape"], len(values)))
                 for n, values in reference["inputs"].items()}
        for output, got in zip([o["name"] for o in card["outputs"]], session.run(None, feeds)):
            expected = numpy.asarray(reference["outputs"][output], dtype=numpy.float64)
            gap = float(numpy.max(numpy.abs(got.reshape(-1).astype(numpy.float64) - expected)))
            if not gap <= PARITY:
                raise FiggenError(f"the ONNX export of '{name}' differs from PyTorch by {gap:.2g} on reference "
                                  f"{index} ({output}): more than {PARITY}")


def _shape(shape: list, count: int) -> list:
    """A declared shape with its one dynamic axis (None) filled from the number of values."""
    known = 1
    for size in shape:
        known *= size or 1
    return [size if size is not None else count // known for size in shape]


def main(argv: list[str]) -> int:
    """`python -m figgen.export.onnx_export JOBS.json`: one JSON line per job on stdout."""
    import sys
    import time
    import traceback

    from figgen.config import load_project
    from figgen.hermetic import environment, visible

    jobs = json.loads(Path(argv[0]).read_text())
    project = load_project(Path(jobs["root"]))
    for job in jobs["exports"]:
        started = time.perf_counter()
        spec = project.models[job["name"]]
        try:
            with environment(visible(project, spec), spec.seed):
                export_model(project, job["name"], Path(job["checkpoint"]), Path(job["onnx"]), Path(job["card"]),
                             job["key"])
            result = {"name": job["name"], "ok": True}
        except Exception as error:  # the build reports it as this export's failure
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            result = {"name": job["name"], "ok": False, "error": message, "traceback": traceback.format_exc()}
        result["seconds"] = round(time.perf_counter() - started, 3)
        print(json.dumps(result), flush=True)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
