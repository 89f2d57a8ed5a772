"""The image of a figure figgen.yaml no longer declares: removed with its record.

figgen wrote it; left behind it would still be published (Hugo copies the assets a page uses,
and a static images folder whole) and shadow a mistake (a page still showing it). Only a
file whose bytes are the ones figgen recorded is removed: a file someone put there since stays.
"""

from __future__ import annotations


def remove_undeclared(project, records) -> list[str]:
    """Remove the images of figures no longer declared; returns the site paths whose records the
    build forgets (figgen/build/engine.py writes the records)."""
    from figgen.store import file_sha256

    declared = {figure.output for figure in project.figures}
    gone = [output for output in records.by_output if output not in declared]
    for output in gone:
        record = records.get(output)
        if not output.startswith(project.settings.images_url + "/"):
            continue  # another images prefix: not a file of this project's images folder
        path = project.site_file(output)
        if path.is_file() and record.sha256 and file_sha256(path) == record.sha256:
            path.unlink()
    return gone
