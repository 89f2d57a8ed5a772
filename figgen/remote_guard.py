"""A remote cache never holds a build hostage.

- Short timeouts (figgen.yaml's `cache: {timeout: SECONDS}`, 5 by default) for connecting and
  for each read, and no retry: botocore's defaults (60 s, several attempts, and s3fs's own five
  retries on top) cost minutes per object on an endpoint that accepts connections and never
  answers.
- The first failure turns the remote off for the rest of the build (one warning line, the URL
  redacted); the build goes on locally and what it should push stays pending.
- A remote that could not be reached at all (a timeout, a refused connection) is remembered in
  `.figgen/remote-down.json` for a few minutes: a no-op build with pushes pending does not wait
  on it again meanwhile; the next build with work to do (or `figgen push`) tries again.
"""

from __future__ import annotations

import time
from pathlib import Path

DEFAULT_TIMEOUT = 5.0  # seconds to connect, and for each read
DOWN = "remote-down.json"
RETRY_AFTER = 600.0  # seconds a no-op build leaves an unreachable remote alone


def timeout_options(scheme: str, timeout: float) -> dict:
    """fsspec options that bound each request to the remote, by protocol."""
    if scheme in ("s3", "s3a"):
        return {"config_kwargs": {"connect_timeout": timeout, "read_timeout": timeout,
                                  "retries": {"total_max_attempts": 1, "mode": "standard"}}}
    if scheme in ("http", "https"):
        try:
            import aiohttp
        except ImportError:
            return {}
        return {"client_kwargs": {"timeout": aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)}}
    if scheme in ("gs", "gcs"):
        return {"timeout": timeout}
    return {}


def link_protocols(url: str) -> list[str]:
    """The protocol of each link of an fsspec chain, as fsspec names it (`simplecache::s3://b/x`:
    simplecache, s3); a link without `://` is a protocol alone, or a local path (file)."""
    protocols = []
    for link in url.split("::"):
        if "://" in link:
            protocols.append(link.split("://", 1)[0].lower())
        elif link and all(c.isalnum() or c in "_-" for c in link):
            protocols.append(link.lower())
        else:
            protocols.append("file")
    return protocols


def chain_options(url: str, per_link) -> dict:
    """fsspec options for every link of the URL: `per_link(protocol)` gives a link's own.

    A plain URL takes them as they are; a chain takes each link's under its protocol's name
    (fsspec's way: `url_to_fs("simplecache::s3://b/x", s3={...})`), so the S3 link behind a
    local cache gets its timeouts and endpoint as a plain `s3://` would."""
    protocols = link_protocols(url)
    if len(protocols) == 1:
        return per_link(protocols[0])
    options: dict = {}
    for protocol in protocols:
        own = per_link(protocol)
        if own:
            options[protocol] = merge(options.get(protocol, {}), own)
    return options


def no_retries(fs) -> None:
    """s3fs retries a timed-out request five times on its own, with back-off: once is enough.
    A chain's caching layers hold the remote one as `.fs`: each link is bounded."""
    seen = set()
    while fs is not None and id(fs) not in seen:
        seen.add(id(fs))
        if hasattr(fs, "retries"):
            fs.retries = 1
        fs = getattr(fs, "fs", None)


def merge(options: dict, more: dict) -> dict:
    """Two fsspec option dicts, nested `client_kwargs` and `config_kwargs` merged."""
    merged = dict(options)
    for key, value in more.items():
        merged[key] = {**merged[key], **value} if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def unreachable(error: BaseException) -> bool:
    """A timeout or a refused connection (not a missing object, nor a permission)."""
    if isinstance(error, (TimeoutError, ConnectionError)):
        return True
    names = [cls.__name__ for cls in type(error).__mro__]
    return any("Timeout" in name or "Connect" in name for name in names)


def reason(error: BaseException) -> str:
    return "no answer (timed out)" if "Timeout" in type(error).__name__ or isinstance(error, TimeoutError) \
        else type(error).__name__


def remember_down(cache: Path, shown_url: str) -> None:
    from figgen.atomic import write_json_atomically

    if cache.is_dir():
        write_json_atomically(cache / DOWN, {"at": time.time(), "url": shown_url})


def forget_down(cache: Path) -> None:
    (cache / DOWN).unlink(missing_ok=True)


def recently_down(cache: Path, now: float | None = None) -> bool:
    """Whether the remote was found unreachable less than RETRY_AFTER seconds ago."""
    try:
        from figgen.atomic import read_json

        found = read_json(cache / DOWN, default={}) if (cache / DOWN).exists() else {}
        at = float(found.get("at", 0)) if isinstance(found, dict) else 0.0
    except (OSError, ValueError, TypeError):
        return False
    return (now if now is not None else time.time()) - at < RETRY_AFTER
