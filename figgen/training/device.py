"""Pick the torch device: CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

from figgen.errors import BadInput

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def available_devices() -> list[str]:
    import torch

    found = ["cpu"]
    if torch.cuda.is_available():
        found.insert(0, "cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        found.insert(0 if "cuda" not in found else 1, "mps")
    return found


def resolve_device(requested: str) -> str:
    """The device name to train on; a device that is not there is a usage error."""
    if requested not in DEVICE_CHOICES:
        raise BadInput(f"unknown device '{requested}' (choose from {', '.join(DEVICE_CHOICES)})")
    if requested == "cpu":
        return "cpu"
    found = available_devices()
    if requested == "auto":
        return found[0]
    if requested not in found:
        import torch

        raise BadInput(f"--device {requested}: no {requested} device here (torch {torch.__version__}; found: {', '.join(found)})")
    return requested
