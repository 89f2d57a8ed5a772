"""The one freshness layer: what a build can know from `os.stat` alone, before it reads a file.

Every answer here comes from stat signatures (size, mtime, ctime, inode: `walk.signature`),
judged by one rule (`walk.settled`, git's "racy" rule: a file changed too recently to trust its
stat is not vouched for), and one walk of the project (`walk.snapshot`):

- `stamp`: a repeated no-op `figgen build` or `figgen check`, answered from the stamp of every
  file the command could read (`.figgen/noop-*.stamp`);
- `comments`: a `figgen build` whose only changes since its stamp are comments (or blank
  lines) in Python files: figgen.json's provenance shows the new text, nothing else is done;
- `composed`: whether figgen.json already holds what a build would compose
  (`.figgen/data.json`, the digest of what it was composed from).

Only the standard library is imported by `walk`, `stamp` and `comments` until they find work:
the stamp is answered before the rest of figgen is imported (launcher.py).
"""
