"""A cache shared by everyone who builds the course: a shared folder, S3, GCS (any fsspec URL).

Trained models and drawn figures are content-addressed by their fingerprints, so a team and its
CI can share them: a build looks locally, then remotely, and pulls instead of training or
drawing; it pushes what it built. Layout under the URL:

    models/<name>/<fingerprint>/checkpoint.pt + manifest.json
    figures/<fingerprint>/figure.png + manifest.json

- The manifest is the record (figgen/manifests.py): the training or drawing record, facts and
  metrics included, with the key it was stored under and the object's sha256 and size. It is
  written last: an object without a manifest is absent, so a push never exposes a partial
  object. Each upload goes to a temporary key first and is then moved into place.
- A pull checks the manifest (key, types, sizes) and the object's bytes against it, writes the
  object atomically and replaces the local record with the manifest's. Anything else is refused
  with one warning, built here, and the good one is pushed over it.
- A push that fails is retried by the next build (`.figgen/pending-pushes.json`).
- Each request is bounded and the first failure turns the remote off for the build
  (figgen/remote_guard.py).
- Credentials come from the environment only (AWS_*, GOOGLE_APPLICATION_CREDENTIALS...): a URL
  that holds them is refused, and every message shows URLs with user, password and query
  string redacted (figgen/redact.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from figgen.atomic import atomic_path
from figgen.errors import BadInput
from figgen.manifests import figure_manifest, figure_record, model_manifest, model_record
from figgen.redact import credential_problem, has_credentials, redact, redact_text  # noqa: F401 (re-exported)
from figgen.remote_guard import DEFAULT_TIMEOUT, chain_options, link_protocols, merge, no_retries, timeout_options

URL_VARIABLE = "FIGGEN_CACHE_URL"  # wins over figgen.yaml's cache.url
READONLY_VARIABLE = "FIGGEN_CACHE_READONLY"  # 1: pull, never push (pull requests, forks)
ENDPOINT_VARIABLES = ("FIGGEN_CACHE_ENDPOINT", "AWS_ENDPOINT_URL")  # an S3-compatible server
EXTRAS = {"s3": "remote", "s3a": "remote", "gs": "remote", "gcs": "remote"}
MANIFEST = "manifest.json"


def configured_url(yaml_url: str | None, environ=os.environ) -> str | None:
    """The remote cache's URL; one with credentials is refused (figgen.yaml's is, by config.py)."""
    url = environ.get(URL_VARIABLE) or yaml_url or None
    problem = credential_problem(url) if url else None
    if problem:
        where = URL_VARIABLE if environ.get(URL_VARIABLE) else "cache.url"
        raise BadInput(f"{where} must not hold credentials ({redact(url)}: {problem}): give them in the "
                       "environment (AWS_ACCESS_KEY_ID, GOOGLE_APPLICATION_CREDENTIALS...)")
    return url


def pushes_allowed(no_push: bool, environ=os.environ) -> bool:
    return not no_push and environ.get(READONLY_VARIABLE, "").strip().lower() not in ("1", "true", "yes")


def link_options(scheme: str, environ=os.environ) -> dict:
    """One link's fsspec options that are not credentials: the endpoint of an S3-compatible server."""
    endpoint = next((environ[name] for name in ENDPOINT_VARIABLES if environ.get(name)), None)
    if scheme in ("s3", "s3a") and endpoint:
        return {"client_kwargs": {"endpoint_url": endpoint}}
    return {}


def storage_options(url: str, environ=os.environ, timeout: float | None = None) -> dict:
    """fsspec options for every link of the URL (a `simplecache::s3://` chain's S3 link included):
    its endpoint and, given a timeout, its protocol's bounds (figgen/remote_guard.py)."""
    def own(scheme: str) -> dict:
        options = link_options(scheme, environ)
        return merge(options, timeout_options(scheme, timeout)) if timeout is not None else options

    return chain_options(url, own)


def open_filesystem(url: str, timeout: float | None = None):
    """(fsspec file system, root path) for the URL; a missing backend is one line, exit 2."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise BadInput(f"cache url {redact(url)} needs fsspec: pip install 'figgen[remote]'") from None
    scheme = next((p for p in link_protocols(url) if p in EXTRAS), url.split("://", 1)[0].lower() if "://" in url else "file")
    try:
        fs, root = url_to_fs(url, **storage_options(url, timeout=timeout))
        no_retries(fs)
    except ImportError:
        extra = EXTRAS.get(scheme, "remote")
        raise BadInput(f"cache url {redact(url)} needs the '{extra}' extra: pip install 'figgen[{extra}]'") from None
    except ValueError as error:  # unknown protocol
        raise BadInput(f"cache url {redact(url)}: {redact_text(str(error), url)}") from None
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
    refused: list[str] = field(default_factory=list)  # remote objects refused, rebuilt locally

    def summary(self, url: str, push: bool) -> str:
        pushed = f"pushed {len(self.pushed)}" if push else "pushed nothing (read-only)"
        refused = f", refused {len(self.refused)} corrupt" if self.refused else ""
        return f"remote cache {redact(url)}: pulled {len(self.pulled)}, {pushed}{refused}"


class RemoteCache:
    def __init__(self, url: str, push: bool = True, timeout: float = DEFAULT_TIMEOUT, cache: Path | None = None):
        self.url = url
        self.push_allowed = push
        self.fs, self.root = open_filesystem(url, timeout)
        self.transfers = Transfers()
        self._refused_keys: set[str] = set()
        self.down: str | None = None  # why the remote is off for the rest of this build
        self._cache = cache  # the project's .figgen/, where an unreachable remote is remembered

    def fail(self, error: BaseException) -> None:
        """The first failure turns the remote off for the rest of the build: one warning line."""
        from figgen.remote_guard import reason, remember_down, unreachable

        if self.down:
            return
        self.down = reason(error)
        warn(f"remote cache {redact(self.url)}: {self.down}; this build goes on without it "
             "(what it should push waits: the next build tries again)")
        if self._cache is not None and unreachable(error):
            remember_down(self._cache, redact(self.url))

    def reached(self) -> None:
        from figgen.remote_guard import forget_down

        if self._cache is not None and not self.down:
            forget_down(self._cache)

    # --- keys -----------------------------------------------------------------------------

    def _model_folder(self, name: str, fingerprint: str) -> str:
        return f"{self.root}/models/{name}/{fingerprint}"

    def _figure_folder(self, fingerprint: str) -> str:
        return f"{self.root}/figures/{fingerprint}"

    def where(self, folder: str) -> str:
        """A folder as a message shows it: under the redacted URL, never the file system's path."""
        return redact(self.url).rstrip("/") + folder[len(self.root):]

    # --- low level ------------------------------------------------------------------------

    def _manifest(self, folder: str):
        """The manifest's JSON (any shape: the caller checks it), or None if there is none."""
        if self.down:
            return None
        try:
            return json.loads(self.fs.cat_file(f"{folder}/{MANIFEST}"))
        except FileNotFoundError:
            return None
        except ValueError:
            return "not JSON"
        except Exception as error:  # network, permissions: the build goes on without the cache
            self.fail(error)
            return None

    def _refuse(self, folder: str, label: str, reason: str) -> bool:
        warn(f"refusing {label} from the remote cache: {reason}; building it here")
        self.transfers.refused.append(label)
        self._refused_keys.add(folder)
        return False

    def _download(self, folder: str, key: str, target: Path, manifest: dict, label: str) -> bool:
        """Fetch one object into `target`, atomically, only if its bytes match the manifest."""
        try:
            with atomic_path(target) as temporary:
                self.fs.get_file(f"{folder}/{key}", str(temporary))
                if sha256_of(temporary) != manifest["sha256"]:
                    raise _Corrupt("its sha256 does not match its manifest")
                if temporary.stat().st_size != manifest["size"]:
                    raise _Corrupt("its size does not match its manifest")
        except _Corrupt as corrupt:
            return self._refuse(folder, label, str(corrupt))
        except Exception as error:  # network, permissions: the build makes it itself
            self.fail(error)
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

    def _should_push(self, folder: str, valid) -> bool:
        """First writer wins; a refused object, or a manifest that does not pass, is replaced."""
        if not self.push_allowed or self.down:
            return False
        if folder in self._refused_keys:
            return True
        manifest = self._manifest(folder)
        return manifest is None or valid(manifest) is None

    # --- models ---------------------------------------------------------------------------

    def pull_model(self, store, name: str, fingerprint: str) -> bool:
        folder = self._model_folder(name, fingerprint)
        manifest = self._manifest(folder)
        if manifest is None:
            return False
        label = f"model {name}"
        record, problem = model_record(manifest, name, fingerprint)
        if record is None:
            return self._refuse(folder, label, problem)
        if not self._download(folder, "checkpoint.pt", store.checkpoint(name, fingerprint), manifest, label):
            return False
        store.save_record(name, fingerprint, record["seconds"], record["device"], record["metrics"])  # nothing older stays
        self.transfers.pulled.append(label)
        return True

    def push_model(self, store, name: str, fingerprint: str) -> bool:
        record = store.record(name, fingerprint)
        return record is not None and self.push_checkpoint(name, fingerprint, store.checkpoint(name, fingerprint),
                                                           record.to_json())

    def push_checkpoint(self, name: str, fingerprint: str, checkpoint: Path, record: dict) -> bool:
        """`record`: the training record, with the checkpoint's sha256 and size."""
        folder = self._model_folder(name, fingerprint)
        if not self._should_push(folder, lambda found: model_record(found, name, fingerprint)[0]):
            return False
        self._upload(folder, "checkpoint.pt", checkpoint, model_manifest(name, fingerprint, record))
        self.transfers.pushed.append(f"model {name}")
        return True

    # --- figures --------------------------------------------------------------------------

    def pull_figure(self, records, output: str, fingerprint: str, target: Path) -> bool:
        from dataclasses import replace

        from figgen.store import stat_signature

        folder = self._figure_folder(fingerprint)
        manifest = self._manifest(folder)
        if manifest is None:
            return False
        record, problem = figure_record(manifest, output, fingerprint)
        if record is None:
            return self._refuse(folder, output, problem)
        if not self._download(folder, "figure.png", target, manifest, output):
            return False
        records.put(output, replace(record, stat=stat_signature(target)))
        records.save()
        self.transfers.pulled.append(output)
        return True

    def push_figure(self, records, output: str, fingerprint: str, image: Path) -> bool:
        folder = self._figure_folder(fingerprint)
        record = records.get(output)
        if record.fingerprint != fingerprint or not image.exists():
            return False
        if not self._should_push(folder, lambda found: figure_record(found, output, fingerprint)[0]):
            return False
        self._upload(folder, "figure.png", image, figure_manifest(output, fingerprint, record.to_json(), image.stat().st_size))
        self.transfers.pushed.append(output)
        return True

    def pull_before_build(self, workspace, plan) -> list:
        return pull_before_build(self, workspace, plan)

    def push_pending(self, workspace) -> None:
        push_pending(self, workspace)


class _Corrupt(Exception):
    pass


def _manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


# --- what a build does with it ------------------------------------------------------------


def open_remote(yaml_url: str | None, no_push: bool, timeout: float = DEFAULT_TIMEOUT,
                cache: Path | None = None) -> RemoteCache | None:
    url = configured_url(yaml_url)
    return RemoteCache(url, push=pushes_allowed(no_push), timeout=timeout, cache=cache) if url else None


def pull_before_build(remote: RemoteCache, workspace, plan) -> list:
    """Pull the planned figures and the models they read; drop the pulled figures from the plan.

    Models are pulled even for pulled figures: their metrics are shown on the pages.
    """
    from figgen.tasks import Outcome

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


# --- pushes that have not reached the remote yet --------------------------------------------
#
# What a build made is written to `.figgen/pending-pushes.json` before it is pushed and taken
# off once pushed: a push that failed (or a build that was stopped) is retried by the next
# build, even a no-op one, which only checks that this small file exists.

PENDING = "pending-pushes.json"


def pushes_pending(cache: Path) -> bool:
    """Pushes wait, and the remote was not found unreachable a moment ago (a no-op build never
    waits on a dead remote: figgen/remote_guard.py)."""
    from figgen.remote_guard import recently_down

    return (cache / PENDING).exists() and not recently_down(cache)


def remember_pushes(workspace, plan, outcomes) -> None:
    """Note what this build made (`built` outcomes), to push it now or on a later build."""
    from figgen.atomic import read_json, write_json_atomically

    path = workspace.project.cache / PENDING
    pending = _pending_entries(read_json(path, default=[]) if path.exists() else [])
    for outcome in outcomes:
        if outcome.status != "built" or outcome.kind not in ("model", "figure"):  # exports: figgen/export/
            continue
        keys = plan.fingerprints.models if outcome.kind == "model" else plan.fingerprints.figures
        entry = {"kind": outcome.kind, "name": outcome.name, "key": keys[outcome.name]}
        if entry not in pending:
            pending.append(entry)
    if pending:
        write_json_atomically(path, pending)


def remember_everything(workspace, fresh_outputs: list[str]) -> None:
    """Note these fresh figures and the trained models they read as pending (`figgen push`)."""
    from figgen.atomic import read_json, write_json_atomically

    path = workspace.project.cache / PENDING
    pending = _pending_entries(read_json(path, default=[]) if path.exists() else [])
    fingerprints = workspace.fingerprints
    for figure in [f for f in workspace.project.figures if f.output in fresh_outputs]:
        wanted = [{"kind": "model", "name": m, "key": fingerprints.models[m]} for m in figure.models]
        wanted.append({"kind": "figure", "name": figure.output, "key": fingerprints.figures[figure.output]})
        pending.extend(entry for entry in wanted if entry not in pending)
    if pending:
        write_json_atomically(path, pending)


def push_pending(remote: RemoteCache, workspace) -> None:
    """Push what is pending; keep what failed for the next build. A failure is a warning."""
    from figgen.atomic import read_json, write_json_atomically

    path = workspace.project.cache / PENDING
    if not remote.push_allowed or not path.exists():
        return
    left = []
    for entry in _pending_entries(read_json(path, default=[])):
        if remote.down:  # off for the rest of this build: the next one pushes it
            left.append(entry)
            continue
        try:
            _push_one(remote, workspace, entry)
        except Exception as error:  # the local build stands; the next one pushes again
            remote.fail(error)
            left.append(entry)
    if not remote.down:
        remote.reached()
    if left:
        write_json_atomically(path, left)
    else:
        path.unlink(missing_ok=True)


def _push_one(remote: RemoteCache, workspace, entry: dict) -> None:
    """Push one pending object if it is still what the project has (else it is no longer wanted)."""
    if entry["kind"] == "model":
        if entry["name"] in workspace.project.models:
            remote.push_model(workspace.store, entry["name"], entry["key"])
        return
    if entry["kind"] == "export":
        from figgen.export.remote import push_export
        from figgen.export.store import export_store

        if entry["name"] in workspace.project.models:
            push_export(remote, export_store(workspace.project), entry["name"], entry["key"])
        return
    figure = next((f for f in workspace.project.figures if f.output == entry["name"]), None)
    if figure is not None:
        remote.push_figure(workspace.records, entry["name"], entry["key"], workspace.project.output_file(figure))


def _pending_entries(document) -> list[dict]:
    if not isinstance(document, list):
        return []
    return [e for e in document if isinstance(e, dict) and e.get("kind") in ("model", "figure", "export")
            and isinstance(e.get("name"), str) and isinstance(e.get("key"), str)]
