"""A figure that reads another figure's image depends on it: drawn after it, again if it changed.

The recording sees a drawing open another figure's output (a thumbnail grid, a before/after
pair) or a hand-made image of the site like any other file. Which outputs a figure reads is
known only once it has run, so the build settles: after its tasks, a figure whose recorded
reads include an image this build wrote is stale again and is drawn again, until nothing
changes (a cycle gives up after a few rounds and says so). A build from scratch and an
incremental build then end on the same bytes.
"""

from __future__ import annotations

import os

ROUNDS = 4


def readers_of_outputs(workspace) -> list:
    """Figures whose last run read a file of the images folder."""
    project = workspace.project
    images = os.path.relpath(project.images, project.root).replace(os.sep, "/") + "/"
    return [figure for figure in project.figures
            if any(path.startswith(images) for path in (workspace.records.get(figure.output).read or {}))]


def settle(workspace, selected, outcomes: list, execute, say) -> list:
    """Draw again, round after round, the selected figures made stale by images this build wrote;
    the outcomes, each task's last one kept."""
    from figgen.planner import make_plan

    outcomes = list(outcomes)
    for _ in range(ROUNDS):
        readers = [f for f in readers_of_outputs(workspace) if f in selected]
        if not readers:
            return outcomes
        workspace.sources.forget_file_digests(str(workspace.project.images) + os.sep)
        workspace.recompute()
        plan = make_plan(workspace.project, workspace.fingerprints, workspace.records, readers)
        failed = {o.name for o in outcomes if o.status == "failed"}
        plan.figures = [f for f in plan.figures if f.output not in failed]
        if not plan.figures:
            return outcomes
        again = execute(plan)
        drawn = {(o.kind, o.name) for o in again}
        outcomes = [o for o in outcomes if (o.kind, o.name) not in drawn] + again
        workspace.recompute()
    say(f"figures read each other's images in a cycle; stopped after {ROUNDS} rounds")  # one stderr line
    return outcomes
