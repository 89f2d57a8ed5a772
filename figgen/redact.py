"""What must never leave the process: credentials in a cache URL, values of environment variables.

A cache URL is parsed, never matched by a pattern: fsspec chains links with `::`
(`simplecache::s3://bucket/x`), and each link is split by `urllib.parse`. A link holds
credentials when its authority holds user info (`user:password@`), or a `:` that is not a
port (an AWS secret may hold `/`, which ends the authority early: `s3://KEY:abc/def@bucket`),
or when its query string names a credential (a signed URL's `X-Amz-Signature`, an Azure SAS
`sig`, a `token`...). Such a URL is refused before anything is opened or written, and every
message shows URLs redacted: user info and query values replaced by `***`.

An environment variable a task reads is an input, but its value may be a token: records,
manifests and figgen.json keep a digest of it (`variable_digest`), and `figgen why` says only
that it changed.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl

# Query parameters that carry a credential, compared lower-case; any name holding one of the
# words below counts too (`x-goog-signature`, `client_secret`, `api-key`...).
CREDENTIAL_PARAMETERS = frozenset({"sig", "signature", "token", "access_token", "sas", "se", "sv", "sp", "skoid",
                                   "sktid", "awsaccesskeyid", "password", "passwd", "pwd", "key", "secret",
                                   "code", "auth", "authorization", "credential", "credentials"})
_CREDENTIAL_WORDS = ("signature", "credential", "token", "secret", "password", "apikey", "api_key", "api-key",
                     "access_key", "accesskey", "private")


def links(url: str) -> list[str]:
    """The links of an fsspec chain, as fsspec splits them (`a::b::c`)."""
    return url.split("::")


def _authority_and_rest(link: str) -> tuple[str, str, str] | None:
    """(scheme://, the text up to the path's end, query and fragment) or None without `://`."""
    if "://" not in link:
        return None
    scheme, rest = link.split("://", 1)
    cut = min((rest.index(c) for c in "?#" if c in rest), default=len(rest))
    return scheme + "://", rest[:cut], rest[cut:]


def link_problem(link: str) -> str | None:
    """Why this link holds credentials, or None."""
    parts = _authority_and_rest(link)
    if parts is None:  # a protocol alone, or a path; `KEY:SECRET@host:/x` is scp's spelling of user info
        return "user info" if "@" in link and ":" in link.split("@", 1)[0] else None
    _, body, tail = parts
    authority = body.split("/", 1)[0]
    if "@" in authority or ("@" in body and ":" in body.split("@", 1)[0]):
        return "user info"
    if _not_a_port(authority):
        return "user info"
    query, _, fragment = tail.partition("#")  # an OAuth implicit grant puts its token in the fragment
    for name, _ in parse_qsl(query.lstrip("?"), keep_blank_values=True) + parse_qsl(fragment, keep_blank_values=True):
        lowered = name.strip().lower()
        if lowered in CREDENTIAL_PARAMETERS or any(word in lowered for word in _CREDENTIAL_WORDS):
            return f"a credential in its query string ({name})"
    return None


def _not_a_port(authority: str) -> bool:
    """`host:abc`: what follows the colon is a password cut short by a `/`, not a port."""
    if authority.endswith("]") or ":" not in authority:  # an IPv6 address without a port
        return False
    return not authority.rpartition(":")[2].isdigit()


def credential_problem(url: str) -> str | None:
    """Why this URL (any link of its chain) holds credentials, or None."""
    return next((problem for problem in map(link_problem, links(url)) if problem), None)


def has_credentials(url: str) -> bool:
    return credential_problem(url) is not None


def redact_link(link: str) -> str:
    parts = _authority_and_rest(link)
    if parts is None:
        if "@" in link and ":" in link.split("@", 1)[0]:
            return "***" + link[link.rindex("@"):]
        return link.split("?", 1)[0] + ("?***" if "?" in link else "")
    scheme, body, tail = parts
    authority, slash, path = body.partition("/")
    if "@" in authority or ("@" in body and ":" in body.split("@", 1)[0]):
        body = "***" + body[body.rindex("@"):]
    elif _not_a_port(authority):
        body = "***" + slash + path
    return scheme + body + ("?***" if tail else "")


def redact(url: str) -> str:
    """The URL without what may be secret: user info and query strings, in every link."""
    return "::".join(redact_link(link) for link in links(url))


def redact_text(text: str, url: str) -> str:
    """A message (an exception's text) with the URL, each of its links, and user info hidden."""
    text = text.replace(url, redact(url))
    for link in links(url):
        if len(link) > 3:
            text = text.replace(link, redact_link(link))
    return re.sub(r"([A-Za-z][A-Za-z0-9+.-]*://)[^\s@'\"]*@", r"\1***@", text)


def variable_digest(name: str, value: str | None) -> str | None:
    """What a record keeps of an environment variable's value: a digest, never the value."""
    if value is None:
        return None
    return "env:" + hashlib.sha256(f"figgen environment variable {name}={value}".encode()).hexdigest()[:32]


# An environment variable whose name says it holds a secret (AWS_SECRET_ACCESS_KEY, DATA_TOKEN...).
_SECRET_NAME_WORDS = ("SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE", "SIGNATURE", "AUTH",
                      "API_KEY", "APIKEY", "ACCESS_KEY", "SESSION_KEY")


def secret_name(name: str) -> bool:
    upper = name.upper()
    return any(word in upper for word in _SECRET_NAME_WORDS) or upper.endswith("_KEY")


def environment_values_hidden(text: str, environ, read=()) -> str:
    """`text` (a failed task's message and last frames) with each value that may be a secret
    replaced by `$NAME`: every variable named like a secret, and every variable the task read
    whose value looks like a token (8 characters or more, no path, no space). An exception's
    message is the one place a figure's own code may put a token (`ValueError(f"bad {token}")`)."""
    if not text:
        return text
    hidden = {}
    for name, value in environ.items():
        if not value or len(value) < 4:
            continue
        if secret_name(name) or (name in read and len(value) >= 8 and not any(c in value for c in "/\\ :;\t")):
            hidden[value] = name
    for value in sorted(hidden, key=len, reverse=True):  # the longest first: one may hold another
        text = text.replace(value, f"${hidden[value]}")
    return text
