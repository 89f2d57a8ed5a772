"""The one training loop every recipe calls: mini-batches on the device, one host sync per epoch.

A recipe says what to learn (its data, model, loss and optimizer); this loop says how, the same
way on every device:
- the data is moved to the device once and stays there; each epoch it is shuffled with a CPU
  generator seeded from the model's seed, so the batches are the same on a CPU and on a GPU;
- losses are summed on the device and read back once per epoch, together with the evaluation,
  in a single transfer: a GPU is never stalled waiting for Python to look at a number mid-epoch;
- once per epoch, `run.progress` reports the loss (and stops a diverged training).
"""

from __future__ import annotations

from typing import Callable, Sequence


def fit(
    run,
    model,
    optimizer,
    loss_fn: Callable,
    data: Sequence,
    *,
    epochs: int,
    batch_size: int | None = None,
    evaluate: Callable | None = None,
    clip: float | None = None,
    schedule: Callable | None = None,
    stop_below: float | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> dict:
    """Train `model` in place; return its history {"epoch": [...], "loss": [...], <evaluations>}.

    loss_fn(model, *batch) -> the batch's mean loss, or (mean loss, weight) when the batch's
        items do not count equally (e.g. words in padded lines); the weight may be a tensor.
    data: tensors with one row per example (inputs, targets, ...), batched together.
    batch_size: None for full-batch training (one step per epoch, no shuffling needed).
    evaluate(model) -> {name: number or 0-d tensor}, called after each epoch in eval mode
        without gradients; each name becomes a curve of the history.
    clip: the largest gradient norm, if any.  schedule(optimizer, total_steps) -> an LR
        scheduler stepped after every optimizer step.  stop_below: stop once an epoch's mean
        loss is below it (the task is solved).  progress(epoch, loss): the progress report,
        by default run.progress(epoch, epochs, loss).
    """
    import torch

    data = [tensor.to(run.device) for tensor in data]
    count = len(data[0])
    batch = count if batch_size is None else min(batch_size, count)
    scheduler = schedule(optimizer, epochs * -(-count // batch)) if schedule else None
    shuffle = torch.Generator().manual_seed(run.seed)  # on the CPU: the same order on every device
    report = progress or (lambda epoch, loss: run.progress(epoch, epochs, loss))
    history: dict[str, list] = {"epoch": [], "loss": []}

    model.train()
    for epoch in range(1, epochs + 1):
        rows = data if batch == count else _shuffled(data, torch.randperm(count, generator=shuffle))
        total, weight = 0.0, 0
        for start in range(0, count, batch):
            inputs = [tensor[start : start + batch] for tensor in rows]
            loss, items = _weighted(loss_fn(model, *inputs), len(inputs[0]))
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total, weight = total + loss.detach() * items, weight + items  # stays on the device
        evaluated = _evaluate(model, evaluate) if evaluate else {}
        mean_loss, *values = _read_back([total / weight, *evaluated.values()])  # the epoch's one sync
        history["epoch"].append(epoch)
        history["loss"].append(mean_loss)
        for name, value in zip(evaluated, values):
            history.setdefault(name, []).append(value)
        report(epoch, mean_loss)
        if stop_below is not None and mean_loss < stop_below:
            break
    model.eval()
    return history


def cosine_schedule(optimizer, total_steps: int):
    """The step size shrinks smoothly to zero over the training: big steps first to learn fast,
    small ones last so the final weights settle instead of jittering."""
    import torch

    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)


def _shuffled(data: list, order) -> list:
    """Every tensor's rows in `order` (a CPU permutation): one gather per epoch, then batches are
    contiguous slices, instead of a gather per batch."""
    order = order.to(data[0].device)
    return [tensor[order] for tensor in data]


def _weighted(result, rows: int):
    """(loss, weight) from what a loss_fn returned; a plain mean loss weighs its batch's rows."""
    return result if isinstance(result, tuple) else (result, rows)


def _evaluate(model, evaluate: Callable) -> dict:
    import torch

    model.eval()
    try:
        with torch.no_grad():
            return evaluate(model)
    finally:
        model.train()


def _read_back(values: list) -> list[float]:
    """Numbers and 0-d tensors as Python floats, the tensors in one device-to-host transfer."""
    import torch

    tensors = [value.detach().float().reshape(()) for value in values if isinstance(value, torch.Tensor)]
    read = iter(torch.stack(tensors).cpu().tolist() if tensors else [])
    return [next(read) if isinstance(value, torch.Tensor) else float(value) for value in values]
