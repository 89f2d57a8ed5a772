"""Save and load trained models, device-independent (tensors always stored on the CPU)."""

from __future__ import annotations

import io
from pathlib import Path

from figgen.atomic import write_atomically


def _portable(value):
    """Tensors to CPU, numpy values to plain Python: what `torch.load(weights_only=True)` reads."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (int, float, str)) else k: _portable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_portable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    return value


def save_checkpoint(path: Path, model, architecture: dict, metrics: dict, history: dict) -> None:
    import torch

    document = {
        "architecture": _portable(architecture),  # the constructor arguments, to rebuild it
        "state_dict": _portable(model.state_dict()),
        "metrics": _portable(metrics),
        "history": _portable(history),
    }
    # Saved to memory first: torch.save names the archive's inner folder after the file it
    # writes, which would put the temporary file's name (a pid) into the checkpoint's bytes.
    buffer = io.BytesIO()
    torch.save(document, buffer)
    write_atomically(path, buffer.getvalue())


def load_checkpoint(path: Path) -> dict:
    import torch

    return torch.load(path, map_location="cpu", weights_only=True)
