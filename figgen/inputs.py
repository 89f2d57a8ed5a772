"""Each model's and each figure's inputs, as one readable tree; its fingerprint is the tree's hash.

A figure's tree holds everything its bytes come from:

- `code`: every file its drawing runs, the project's and figgen's own (saving, the figure
  context, the worker...), found by import analysis, with its sha256; `data`: the files
  shipped beside a package's `__init__.py`;
- `params` in figgen.yaml's order, `render`: the settings that change the bytes (format,
  pixel_ratio, display_dpi);
- `models` and `architectures`: the trees of the models it reads or traces;
- `libraries`: the versions of the libraries that draw it, and figgen's own version;
- `env`: the digests of the environment variables figgen.yaml lets it read (figgen/hermetic.py);
- `read` and `environment`: what the task was seen opening, listing and looking up while it
  last ran (figgen/recording.py), with today's digests (a variable's value never).

A model's tree holds its class's and recipe's code, `architecture:`, `training:`, its seed,
the libraries, and what its training read. The fingerprint is the hash of this tree in
canonical JSON, and `figgen why` prints the leaves where the recorded tree and today's
differ: one function computes both, so they cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from figgen.config import FigureSpec, Project
from figgen.hermetic import env_digests, visible
from figgen.redact import variable_digest
from figgen.sources import SourceIndex
from figgen.versions import installed_version, versions

# figgen's own modules that run in a worker for each kind of task (with what they import), and
# worker.py itself, alone: its closure would hold both kinds' code (saving.py would retrain models).
ENGINE_CODE = {
    "model": ("figgen.training.run", "figgen.training.checkpoint", "figgen.context", "figgen.recording",
              "figgen.exact_import", "figgen.lifeline"),
    "figure": ("figgen.context", "figgen.saving", "figgen.recording", "figgen.exact_import", "figgen.lifeline"),
    "architecture": ("figgen.context",),
    "export": ("figgen.export.onnx_export",),  # figgen/export/: a model published for the browser
}
ENGINE_FILES = {"model": ("figgen.worker",), "figure": ("figgen.worker",), "architecture": (), "export": ()}
FIGGEN_FOLDER = Path(__file__).resolve().parent


def tracked_packages(project: Project) -> dict[str, Path]:
    """The project's package and figgen itself: the code whose edits make figures stale."""
    return {"figgen": FIGGEN_FOLDER, project.package: project.package_dir}


def fingerprint(tree: dict) -> str:
    """The hash of a tree in canonical JSON: insertion order kept (params keep YAML's order)."""
    text = json.dumps(tree, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class Fingerprints:
    architectures: dict[str, str]
    models: dict[str, str]
    figures: dict[str, str]  # by site path
    trees: "InputTrees" = field(repr=False, default=None)

    def figure_tree(self, figure: FigureSpec) -> dict:
        return self.trees.figure(figure)


def compute(project: Project, sources: SourceIndex, records=None, store=None) -> Fingerprints:
    """Every fingerprint of the project; `records` and `store` hold what tasks were seen reading."""
    trees = InputTrees(project, sources, records, store)
    return Fingerprints(
        architectures={name: fingerprint(trees.architecture(name)) for name in project.models},
        models={name: fingerprint(trees.model(name)) for name in project.models},
        figures={figure.output: fingerprint(trees.figure(figure)) for figure in project.figures},
        trees=trees,
    )


class InputTrees:
    """Builds (and remembers, for this run) the trees of one project's models and figures."""

    def __init__(self, project: Project, sources: SourceIndex, records=None, store=None):
        self.project = project
        self.sources = sources
        self.records = records  # FigureRecords: what each figure read when it last ran
        self.store = store  # ModelStore: what each model read when it last trained
        self._models: dict[str, dict] = {}
        self._figures: dict[str, dict] = {}
        self._common = {"libraries": versions(project.settings.libraries), "figgen": installed_version("figgen")}

    # --- the trees -----------------------------------------------------------------------------

    def model(self, name: str, discovered: dict | None = None) -> dict:
        """`discovered`: what the training just read (its digests as read); else the recorded
        reads with today's digests."""
        if discovered is None and name in self._models:
            return self._models[name]
        spec = self.project.models[name]
        code, data = self._code("model", spec.module, spec.recipe)
        tree = {
            "class": spec.class_path,
            "recipe": spec.recipe,
            "code": code,
            "data": data,
            "architecture": spec.architecture,
            "training": spec.training,
            "seed": spec.seed,
            "env": env_digests(self.project, spec),
            **self._common,
            **self._reads(discovered if discovered is not None else self._recorded_model_reads(name), code, data),
        }
        self._models[name] = tree
        return tree

    def architecture(self, name: str) -> dict:
        """What a figure that only traces a model's network depends on: no training, no weights."""
        spec = self.project.models[name]
        code, data = self._code("architecture", spec.module)
        return {"class": spec.class_path, "code": code, "data": data, "architecture": spec.architecture,
                "seed": spec.seed, "libraries": self._common["libraries"]}

    def figure(self, figure: FigureSpec, discovered: dict | None = None) -> dict:
        if discovered is None and figure.output in self._figures:
            return self._figures[figure.output]
        settings = self.project.settings
        code, data = self._code("figure", figure.draw, *[self.project.models[m].module for m in figure.models])
        models = {name: self.model(name) for name in figure.models}
        architectures = {name: self.architecture(name) for name in figure.architectures}
        # a file already in a subtree (the traced model's module) is no discovery: a fresh clone,
        # which knows no reads yet, must compute the very fingerprint this build records
        known_code = {**code, **{path: digest for subtree in (*models.values(), *architectures.values())
                                 for path, digest in subtree["code"].items()}}
        known_data = {**data, **{path: digest for subtree in (*models.values(), *architectures.values())
                                 for path, digest in subtree["data"].items()}}
        tree = {
            **({"rendering": figure.rendering} if figure.rendering else {}),  # light, dark, narrow..., if declared
            "draw": figure.draw,
            "code": code,
            "data": data,
            "params": figure.params,
            "render": {"format": figure.format, "pixel_ratio": settings.pixel_ratio, "display_dpi": settings.display_dpi},
            "models": models,
            "architectures": architectures,
            "env": env_digests(self.project, figure),
            **self._common,
            **self._reads(discovered if discovered is not None else self._recorded_figure_reads(figure),
                          known_code, known_data),
        }
        if discovered is None:
            self._figures[figure.output] = tree
        return tree

    # --- pieces ----------------------------------------------------------------------------------

    def _code(self, kind: str, *modules: str) -> tuple[dict[str, str], dict[str, str]]:
        """({file: sha256} of the code `modules` run, figgen's included; {data file: sha256})."""
        sources, package = self.sources, self.project.package
        names = set()
        for module in (*(f"{package}.{m}" for m in modules), *ENGINE_CODE[kind]):
            names.update(sources.closure(module))
        names.update(ENGINE_FILES[kind])
        code, data = {}, {}
        for name in sorted(names):
            path = sources.module_file(name)
            shown = self._shown(path) if path else name.replace(".", "/") + " (missing)"
            code[shown] = sources.code(name)  # what Python executes: a comment costs nothing
            folder = shown.rsplit("/", 1)[0]
            for file_name, digest in sources.data_files(name).items():
                data[f"{folder}/{file_name}"] = digest
        return dict(sorted(code.items())), dict(sorted(data.items()))

    def _shown(self, path: Path) -> str:
        """A path as the tree names it: relative to the project, figgen's as `figgen/...`."""
        path = str(path)
        root = str(self.project.root) + os.sep
        if path.startswith(root):
            return path[len(root):].replace(os.sep, "/")
        return "figgen/" + os.path.relpath(path, FIGGEN_FOLDER).replace(os.sep, "/")

    def _reads(self, discovered: dict, code: dict, data: dict) -> dict:
        read = {path: digest for path, digest in (discovered.get("read") or {}).items()
                if path not in code and path not in data}
        unobserved = discovered.get("unobserved") or {}  # only where there is some: figgen/reach.py
        return {"read": dict(sorted(read.items())), "environment": dict(sorted((discovered.get("environment") or {}).items())),
                **({"unobserved": dict(sorted(unobserved.items()))} if unobserved else {})}

    def _today(self, recorded: dict, spec=None) -> dict:
        """The recorded reads' names with today's digests, and the digests of the variables
        looked up as the task would see them today (figgen/hermetic.py)."""
        root = str(self.project.root) + os.sep
        read = {path: self.sources.file_digest(os.path.join(root, path) if path != "./" else root)
                for path in (recorded.get("read") or {})}
        seen = visible(self.project, spec)
        environment = {name: variable_digest(name, seen.get(name)) for name in (recorded.get("environment") or {})}
        return {"read": read, "environment": environment, "unobserved": recorded.get("unobserved") or {}}

    def _recorded_figure_reads(self, figure: FigureSpec) -> dict:
        record = self.records.get(figure.output) if self.records is not None else None
        return self._today({"read": record.read, "environment": record.environment, "unobserved": record.unobserved}
                           if record else {}, figure)

    def _recorded_model_reads(self, name: str) -> dict:
        return self._today(self.store.discovered(name) if self.store is not None else {}, self.project.models[name])


def planned_reads(project: Project, tree: dict) -> dict[str, str]:
    """{real path: digest} of the files a tree says its task read: the runner checks that the
    task read these very bytes again (an edit during the build discards its result)."""
    return {os.path.realpath(project.root / path): digest for path, digest in tree.get("read", {}).items()
            if not path.endswith("/")}


# --- `figgen why` ------------------------------------------------------------------------------


def flatten(tree, prefix: str = "") -> dict[str, object]:
    """{"models": {"cnn": {"training": {"epochs": 20}}}} -> {"models.cnn.training.epochs": 20}."""
    if isinstance(tree, dict) and tree:
        flat = {}
        for key, value in tree.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: tree}


def differences(recorded: dict, current: dict) -> list[str]:
    """One line per input that changed, was added or was removed, in a stable order; a block
    whose keys were only reordered (params are passed in YAML's order) is one line too."""
    before, after = flatten(recorded), flatten(current)
    lines = []
    for key in sorted(before.keys() | after.keys()):
        if _is_variable(key):
            lines += _variable_line(key, before, after)
        elif key not in before:
            lines.append(f"{key}: new ({_show(after[key])})")
        elif key not in after:
            lines.append(f"{key}: removed (was {_show(before[key])})")
        elif before[key] != after[key]:
            lines.append(f"{key}: {_show(before[key])} -> {_show(after[key])}")
    return lines + _reordered(recorded, current)


def _is_variable(key: str) -> bool:
    """An environment variable's entry: read by the task (`environment.`) or declared (`env:`)."""
    return key.startswith(("environment.", "env.")) or ".environment." in key or ".env." in key


def _variable_line(key: str, before: dict, after: dict) -> list[str]:
    """An environment variable's line: never its value, nor its digest (a short token could be
    found again from it), only that it changed."""
    name = key.rsplit(".", 1)[1]  # a variable's name holds no dot
    if key not in before:
        return [f"{key}: new ({name} is read)"]
    if key not in after:
        return [f"{key}: removed ({name} is no longer read)"]
    if before[key] == after[key]:
        return []
    if before[key] is None or after[key] is None:
        return [f"{key}: {name} {'set' if before[key] is None else 'unset'}"]
    return [f"{key}: {name} changed"]


def _reordered(before, after, prefix: str = "") -> list[str]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return []
    lines = []
    if list(before) != list(after) and set(before) == set(after):
        lines.append(f"{prefix or 'inputs'}: order {', '.join(map(str, before))} -> {', '.join(map(str, after))}")
    for key in before.keys() & after.keys():
        lines += _reordered(before[key], after[key], f"{prefix}.{key}" if prefix else str(key))
    return sorted(lines)


def _show(value) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12]  # a sha256
    return value if isinstance(value, str) else repr(value)
