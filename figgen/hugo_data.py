"""`site/data/figgen.json`: what Hugo knows about the figures and the models behind them.

The render hook reads a figure's alt text and size from it, the metric shortcode the numbers
a model measured in the very run that drew the figures.
"""

from __future__ import annotations

import json

from figgen.atomic import write_atomically
from figgen.config import Project
from figgen.draw.style import PIXEL_RATIO
from figgen.fingerprint import Fingerprints
from figgen.planner import FRESH
from figgen.store import FigureRecords, ModelStore


def compose(project: Project, fingerprints: Fingerprints, status: dict[str, str],
            records: FigureRecords, store: ModelStore) -> dict:
    figures = {}
    for figure in project.figures:
        record = records.get(figure.output)
        entry = {
            "fingerprint": fingerprints.figures[figure.output],
            "alt": figure.alt,
            "models": list(figure.models),
            "architectures": list(figure.architectures),
            "seconds": record.get("seconds"),
            "device": record.get("device"),
            "stale": status[figure.output] != FRESH,
        }
        if record.get("width"):
            entry["width"] = record["width"] // PIXEL_RATIO
            entry["height"] = record["height"] // PIXEL_RATIO
        if record.get("last_error"):
            entry["error"] = record["last_error"]
        figures[figure.output] = entry
    models = {}
    for name in project.models:
        fingerprint = fingerprints.models[name]
        trained = store.record(name, fingerprint) or {}
        models[name] = {
            "fingerprint": fingerprint,
            "trained": bool(trained),
            "device": trained.get("device"),
            "seconds": trained.get("seconds"),
            "metrics": trained.get("metrics", {}),
        }
    return {"figures": figures, "models": models}


def write_if_changed(project: Project, document: dict) -> bool:
    data = (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    path = project.data_file
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomically(path, data)
    return True
