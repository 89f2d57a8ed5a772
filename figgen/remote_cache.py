"""A cache shared by everyone who builds the course: a shared folder, S3, GCS (any fsspec URL).

Trained models and drawn figures are content-addressed by their fingerprints, so a team and its
CI can share them: a build looks locally, then remotely, and pulls instead of training or
drawing; it pushes what it built. Layout under the URL:

    models/<name>/<fingerprint>/checkpoint.pt + manifest.json
    figures/<fingerprint>/figure.png + manifest.json

- The manifest (the training or drawing record, with the object's sha256 and size) is written
  last: an object without a manifest is absent, so a push never exposes a partial object. Each
  upload goes to a temporary key first and is then moved into place.
- A pull is checked against the manifest's sha256 and written atomically; a corrupt object is
  refused (the build makes it again and pushes the good one over it).
- Credentials come from the environment only (AWS_*, GOOGLE_APPLICATION_CREDENTIALS...): figgen
  never stores them and prints URLs with any user, password or query string redacted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from figgen.atomic import atomic_path
from figgen.errors import BadInput

URL_VARIABLE = "FIGGEN_CACHE_URL"  # wins over figgen.yaml's cache.url
READONLY_VARIABLE = "FIGGEN_CACHE_READONLY"  # 1: pull, never push (pull requests, forks)
ENDPOINT_VARIABLES = ("FIGGEN_CACHE_ENDPOINT", "AWS_ENDPOINT_URL")  # an S3-compatible server
EXTRAS = {"s3": "remote", "s3a": "remote", "gs": "remote", "gcs": "remote"}
MANIFEST = "manifest.json"


def redact(url: str) -> str:
    """The URL without what may be secret: user and password, query string."""
    url = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", url)
    return url.split("?", 1)[0] + ("?***" if "?" in url else "")


def configured_url(yaml_url: str | None, environ=os.environ) -> str | None:
    return environ.get(URL_VARIABLE) or yaml_url or None


def pushes_allowed(no_push: bool, environ=os.environ) -> bool:
    return not no_push and environ.get(READONLY_VARIABLE, "").strip().lower() not in ("1", "true", "yes")


def storage_options(url: str, environ=os.environ) -> dict:
    """fsspec options that are not credentials: the endpoint of an S3-compatible server."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else "file"
    endpoint = next((environ[name] for name in ENDPOINT_VARIABLES if environ.get(name)), None)
    if scheme in ("s3", "s3a") and endpoint:
        return {"client_kwargs": {"endpoint_url": endpoint}}
    return {}


def open_filesystem(url: str):
    """(fsspec file system, root path) for the URL; a missing backend is one line, exit 2."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise BadInput(f"cache url {redact(url)} needs fsspec: pip install 'figgen[remote]'") from None
    scheme = url.split("://", 1)[0].lower() if "://" in url else "file"
    try:
        fs, root = url_to_fs(url, **storage_options(url))
    except ImportError:
        extra = EXTRAS.get(scheme, "remote")
        raise BadInput(f"cache url {redact(url)} needs the '{extra}' extra: pip install 'figgen[{extra}]'") from None
    except ValueError as error:  # unknown protocol
        raise BadInput(f"cache url {redact(url)}: {error}") from None
    return fs, root.rstrip("/")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def warn(message: str) -> None:
    print(f"figgen: warning: {message}", file=sys.stderr)


@dataclass
class Transfers:
    """What a build pulled and pushed, for its summary."""

    pulled: list[str] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # corrupt remote objects, rebuilt locally

    def summary(self, url: str, push: bool) -> str:
        pushed = f"pushed {len(self.pushed)}" if push else "pushed nothing (read-only)"
        refused = f", refused {len(self.refused)} corrupt" if self.refused else ""
        return f"remote cache {redact(url)}: pulled {len(self.pulled)}, {pushed}{refused}"


class RemoteCache:
    def __init__(self, url: str, push: bool = True):
        self.url = url
        self.push_allowed = push
        self.fs, self.root = open_filesystem(url)
        self.transfers = Transfers()
        self._refused_keys: set[str] = set()

    # --- keys -----------------------------------------------------------------------------

    def _model_folder(self, name: str, fingerprint: str) -> str:
        return f"{self.root}/models/{name}/{fingerprint}"

    def _figure_folder(self, fingerprint: str) -> str:
        return f"{self.root}/figures/{fingerprint}"

    # --- low level ------------------------------------------------------------------------

    def _manifest(self, folder: str) -> dict | None:
        try:
            document = json.loads(self.fs.cat_file(f"{folder}/{MANIFEST}"))
        except FileNotFoundError:
            return None
        except Exception as error:  # network, permissions: the build goes on without the cache
            warn(f"cannot read {redact(folder)}/{MANIFEST}: {type(error).__name__}")
            return None
        ok = isinstance(document, dict) and isinstance(document.get("sha256"), str)
        return document if ok else None

    def _download(self, folder: str, key: str, target: Path, manifest: dict, label: str) -> bool:
        """Fetch one object into `target`, atomically, only if its bytes match the manifest."""
        try:
            with atomic_path(target) as temporary:
                self.fs.get_file(f"{folder}/{key}", str(temporary))
                actual = sha256_of(temporary)
                if actual != manifest["sha256"]:
                    raise _Corrupt(actual)
        except _Corrupt:
            warn(f"refusing {label} from the remote cache: its sha256 does not match its manifest; rebuilding it")
            self.transfers.refused.append(label)
            self._refused_keys.add(folder)
            return False
        except Exception as error:  # network, permissions: the build makes it itself
            warn(f"cannot pull {label} from the remote cache ({type(error).__name__}); building it")
            return False
        return True

    def _upload(self, folder: str, key: str, source: Path, manifest: dict) -> None:
        """Object first, manifest last, each through a temporary key moved into place."""
        self.fs.makedirs(folder, exist_ok=True)  # a folder on a shared disk; nothing on S3
        for final, local, data in ((key, source, None), (MANIFEST, None, _manifest_bytes(manifest))):
            temporary = f"{folder}/.tmp-{uuid.uuid4().hex}-{final}"
            if local is not None:
                self.fs.put_file(str(local), temporary)
            else:
                self.fs.pipe_file(temporary, data)
            self.fs.mv(temporary, f"{folder}/{final}")

    def _should_push(self, folder: str) -> bool:
        # First writer wins; a corrupt object we refused in this build is replaced.
        return self.push_allowed and (folder in self._refused_keys or self._manifest(folder) is None)

    # --- models ---------------------------------------------------------------------------

    def pull_model(self, store, name: str, fingerprint: str) -> bool:
        folder = self._model_folder(name, fingerprint)
        manifest = self._manifest(folder)
        if manifest is None:
            return False
        checkpoint = store.checkpoint(name, fingerprint)
        if not self._download(folder, "checkpoint.pt", checkpoint, manifest, f"model {name}"):
            return False
        store.save_record(name, fingerprint, {k: manifest.get(k) for k in ("seconds", "device", "metrics")})
        self.transfers.pulled.append(f"model {name}")
        return True

    def push_model(self, store, name: str, fingerprint: str) -> bool:
        record = store.record(name, fingerprint)
        return record is not None and self.push_checkpoint(name, fingerprint, store.checkpoint(name, fingerprint), record)

    def push_checkpoint(self, name: str, fingerprint: str, checkpoint: Path, record: dict) -> bool:
        """`record`: the training record, with the checkpoint's sha256 and size."""
        folder = self._model_folder(name, fingerprint)
        if not self._should_push(folder):
            return False
        self._upload(folder, "checkpoint.pt", checkpoint, record)
        self.transfers.pushed.append(f"model {name}")
        return True

    # --- figures --------------------------------------------------------------------------

    def pull_figure(self, records, output: str, fingerprint: str, target: Path) -> bool:
        folder = self._figure_folder(fingerprint)
        manifest = self._manifest(folder)
        if manifest is None or not self._download(folder, "figure.png", target, manifest, output):
            return False
        stat = target.stat()
        kept = {k: manifest.get(k) for k in ("seconds", "device", "width", "height", "sha256")}
        records.update(output, fingerprint=fingerprint, last_error=None, stat=[stat.st_size, stat.st_mtime_ns], **kept)
        records.save()
        self.transfers.pulled.append(output)
        return True

    def push_figure(self, records, output: str, fingerprint: str, image: Path) -> bool:
        folder = self._figure_folder(fingerprint)
        record = records.get(output)
        if record.get("fingerprint") != fingerprint or not image.exists() or not self._should_push(folder):
            return False
        manifest = {k: record.get(k) for k in ("seconds", "device", "width", "height", "sha256")}
        manifest.update(output=output, size=image.stat().st_size)
        self._upload(folder, "figure.png", image, manifest)
        self.transfers.pushed.append(output)
        return True


    def pull_before_build(self, workspace, plan) -> list:
        return pull_before_build(self, workspace, plan)

    def push_after_build(self, workspace, plan, outcomes) -> None:
        push_after_build(self, workspace, plan, outcomes)


class _Corrupt(Exception):
    pass


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


# --- what a build does with it ------------------------------------------------------------


def open_remote(yaml_url: str | None, no_push: bool) -> RemoteCache | None:
    url = configured_url(yaml_url)
    return RemoteCache(url, push=pushes_allowed(no_push)) if url else None


def pull_before_build(remote: RemoteCache, workspace, plan) -> list:
    """Pull the planned figures and the models they read; drop the pulled figures from the plan.

    Models are pulled even for pulled figures: their metrics are shown on the pages.
    """
    from figgen.runner import Outcome

    project, fingerprints = workspace.project, plan.fingerprints
    outcomes = []
    for name in sorted({m for figure in plan.figures for m in figure.models}):
        fingerprint = fingerprints.models[name]
        if workspace.store.record(name, fingerprint) is None and remote.pull_model(workspace.store, name, fingerprint):
            outcomes.append(Outcome("model", name, "pulled", device="remote"))
    for figure in list(plan.figures):
        fingerprint = fingerprints.figures[figure.output]
        if remote.pull_figure(workspace.records, figure.output, fingerprint, project.output_file(figure)):
            plan.figures.remove(figure)
            outcomes.append(Outcome("figure", figure.output, "pulled", device="remote"))
    return outcomes


def push_after_build(remote: RemoteCache, workspace, plan, outcomes) -> None:
    """Share what this build made; a failed upload is a warning, the local build stands."""
    if not remote.push_allowed:
        return
    fingerprints = plan.fingerprints
    for outcome in outcomes:
        if outcome.status != "built":
            continue
        try:
            if outcome.kind == "model":
                remote.push_model(workspace.store, outcome.name, fingerprints.models[outcome.name])
            else:
                figure = next(f for f in workspace.project.figures if f.output == outcome.name)
                remote.push_figure(workspace.records, outcome.name, fingerprints.figures[outcome.name],
                                   workspace.project.output_file(figure))
        except Exception as error:  # the local build stands; the next one pushes again
            warn(f"cannot push {outcome.name} to {redact(remote.url)} ({type(error).__name__})")
