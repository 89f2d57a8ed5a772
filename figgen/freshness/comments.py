"""A comment costs nothing, measured: a build whose only changes since its stamp are comments.

A module's key is its code digest (figgen/code_digest.py: its tokens without comments), so a
comment-only edit makes nothing stale; but it does change the stamp's snapshot, and running the
whole build to find that out costs a dozen no-ops (importing the config, every fingerprint,
composing figgen.json). The build stamp keeps the code digest and the bytes of each project
module it read (stamp._code_digests); when every file that differs from the stamp is one of
those modules, and only whole comment lines outside strings changed (comment_lines_only) or
else its tokens still give the same digest, the build's answer is the stamp's. Only one thing shows
the edit: the provenance block of figgen.json, which holds each module's source as it is now
(hugo_data.add_provenance); it is rewritten here, under the project lock, as a build would.

The stamp is then renewed with the new signatures, except for a file changed too recently to
trust (walk.settled): that one stays "changed", so the next build reads its tokens again.
Anything else (a lock held by a running build, a file that cannot be read, a new or deleted
file) and the build runs in full.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

from figgen.freshness.walk import settled

UNSETTLED = (-1, -1, -1, -1)  # never a file's signature: its file is read again next time


def only_comments_changed(stamp: dict, files: dict, stamp_file: str) -> bool:
    """True (figgen.json's provenance brought up to date, the stamp renewed) when every file that
    differs from `stamp` is a module whose code digest is unchanged."""
    codes = stamp.get("codes") or {}
    before = stamp["files"]
    changed = [path for path in files.keys() | before.keys() if files.get(path) != before.get(path)]
    if not changed or not all(path in codes and path in files for path in changed):
        return False
    lock = _try_lock(stamp["root"])
    if lock is None:
        return False  # a build is running: it decides
    try:
        return _answer(stamp, files, changed, stamp_file)
    finally:
        os.close(lock)


def _answer(stamp: dict, files: dict, changed: list[str], stamp_file: str) -> bool:
    root, codes, texts = stamp["root"], stamp["codes"], dict(stamp.get("texts") or {})
    seen_at = time.time_ns()
    sources = {}
    for path in changed:
        with open(path, "rb") as handle:
            data = handle.read()
        if path not in texts or not comment_lines_only(texts[path], data):
            from figgen.code_digest import code_digest  # tokenize: the key's own rule, and its cost

            if code_digest(data) != codes[path]:
                return False  # code changed: the build decides what is stale
        if not _same_excerpts(texts.get(path), data):
            return False  # a marked passage changed or moved: the build composes its excerpts again
        texts[path] = data  # the same code as the stamp's, proven above
        sources[os.path.relpath(path, root)] = data
    data_file = stamp.get("data_file")
    renewed = dict(files)
    if data_file:
        with open(data_file, "rb") as handle:
            written = handle.read()
        shown = with_sources(written, sources)
        if shown is None:
            return False
        if shown != written:
            _write(data_file, shown)
            renewed[data_file] = _signature(data_file)  # written by figgen, under the lock, a moment ago
    for path in changed:
        if not settled(files[path][2], seen_at):
            renewed[path] = UNSETTLED
    _write(stamp_file, marshal.dumps({**stamp, "files": renewed, "texts": texts}), durable=False)  # lost: a slower build
    return True


def _same_excerpts(before: bytes | None, after: bytes) -> bool:
    """True when the provenance's marked passages (figgen/excerpts.py) are the same before and
    after: a comment can be a marker, or sit in a marked passage, or move one to other lines."""
    if before is not None and b"figgen-show" not in before and b"figgen-show" not in after:
        return True
    if before is None:
        return False  # what figgen.json shows of this file is not known here
    from figgen.excerpts import excerpts

    try:
        return excerpts(before.decode(_encoding(before))) == excerpts(after.decode(_encoding(after)))
    except (LookupError, UnicodeDecodeError, SyntaxError):
        return False


def comment_lines_only(before: bytes, after: bytes) -> bool:
    """True when `after` is `before` with only whole comment lines or blank lines added, removed
    or changed, outside any string: the same tokens but comments and NL, so the same code digest
    (code_digest.py) without importing tokenize and compiling its expressions, most of this
    path's cost. False (the tokens decide) for anything else: a comment after code, lines 1-2
    (an encoding cookie), a line after a backslash, or a file this scanner cannot follow."""
    old, new = before.split(b"\n"), after.split(b"\n")
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    removed, added = old[start:len(old) - end], new[start:len(new) - end]
    if start < 2 or old[start - 1].rstrip(b"\r").endswith(b"\\"):
        return False
    if not all(line.strip() == b"" or line.lstrip().startswith(b"#") for line in removed + added):
        return False
    return _outside_strings(b"\n".join(old[:start]) + b"\n")


def _outside_strings(text: bytes) -> bool:
    """After `text` (whole lines of Python), is the tokenizer outside every string? False when
    unsure: a string left open or running over a line, an f-string from Python 3.12 on (where
    it may nest its own quotes)."""
    if sys.version_info >= (3, 12) and any(mark in text for mark in (b'f"', b"f'", b'F"', b"F'")):
        return False
    position = 0
    while True:
        found = [at for at in (text.find(b"#", position), text.find(b'"', position), text.find(b"'", position))
                 if at != -1]
        if not found:
            return True
        position = min(found)
        if text[position:position + 1] == b"#":  # a comment, to the end of its line
            position = text.find(b"\n", position)
            if position == -1:
                return True
            continue
        quote = text[position:position + 3]
        if quote not in (b'"""', b"'''"):
            quote = text[position:position + 1]
        position += len(quote)
        while True:  # the closing quote: one not escaped by an odd run of backslashes
            closing = text.find(quote, position)
            if closing == -1 or (len(quote) == 1 and b"\n" in text[position:closing]):
                return False
            backslashes = len(text[position:closing]) - len(text[position:closing].rstrip(b"\\"))
            position = closing + (1 if backslashes % 2 else len(quote))
            if not backslashes % 2:
                break


def with_sources(written: bytes, sources: dict[str, bytes]) -> bytes | None:
    """figgen.json's bytes with each module's new text in its provenance blocks; None if unsure.

    figgen.json is written with sorted keys, two spaces of indent (hugo_data.serialized): in a
    provenance block, "path" is followed by "source" on the next line, and a newline inside a
    string is escaped, so a real newline there is the document's own. Patching the text saves
    decoding and encoding the whole document (all the figures' code) for one module's comment."""
    try:  # json's C helpers alone: importing json would bring in re and enum for nothing
        from _json import encode_basestring, scanstring
    except ImportError:
        from json.decoder import scanstring
        from json.encoder import py_encode_basestring as encode_basestring

    text = written.decode("utf-8")
    for shown, data in sources.items():
        try:
            new = data.decode(_encoding(data))  # as Python decodes it, as the provenance shows it
        except (LookupError, UnicodeDecodeError, SyntaxError):
            return None
        marker = f'"path": {encode_basestring(shown)},\n'
        start = text.find(marker)
        while start != -1:
            line_start = text.rfind("\n", 0, start) + 1
            source = text.index("\n", start) + 1
            opening = source + (start - line_start) + len('"source": ')
            if text[source:opening] != " " * (start - line_start) + '"source": ' or text[opening] != '"':
                return None  # not the shape hugo_data writes: let the build compose it
            _, end = scanstring(text, opening + 1)
            text = text[:opening] + encode_basestring(new) + text[end:]  # as json.dumps(ensure_ascii=False)
            start = text.find(marker, opening)
    return text.encode("utf-8")


def _encoding(data: bytes) -> str:
    """What Python decodes a module with: its coding cookie, else UTF-8 (tokenize's own rule)."""
    if b"coding" not in b"\n".join(data.split(b"\n", 2)[:2]):
        return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    import io
    import tokenize

    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]


def _write(path: str, data: bytes, durable: bool = True) -> None:
    """As atomic.write_atomically, with os alone: a temporary file beside it, flushed, renamed."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".figgen-tmp-{os.getpid()}-comments-{name}")  # atomic.TEMP_PREFIX
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _try_lock(root: str) -> int | None:
    """The project lock (figgen/lock.py: flock on the project folder), if no build holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: its lock is a file (figgen/lock.py), left to the build
        return None
    descriptor = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return descriptor
    except OSError:
        os.close(descriptor)
        return None


def _signature(path: str) -> tuple:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
