"""Benchmark figgen on the real course: cold, no-op, one-figure and one-model edits, naive baseline,
and the edit-to-PNG latency of `figgen watch`.

    make bench                       # or: .venv/bin/python bench/run.py --runs 5 --cold-runs 3
    .venv/bin/python bench/run.py --only watch   # one cold build, then the watch latency only
    .venv/bin/python bench/run.py --only team    # one cold build, then fresh clones against a remote
    .venv/bin/python bench/run.py --only renderings  # cold build, light only vs light and dark
    .venv/bin/python bench/run.py --only noop    # one cold build, then the no-op beside git status
    .venv/bin/python bench/run.py --only comment # one cold build, then comment-only edits vs a no-op
    .venv/bin/python bench/run.py --against /work/wt-base   # and, side by side, another checkout's
                                     # cold build, no-op build and check (e.g. a worktree of an older commit)
    .venv/bin/python bench/run.py --only against --against /work/wt-base  # one cold build of each, then
                                     # no-op build and check side by side, and comment-only edits vs a no-op

Works on a private copy of the project (the working tree is never touched), measures wall time
and the peak resident memory of the whole process tree (median of several runs), prints a table
and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import resource
import signal
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPIED = ["figgen", "course", "figgen.yaml", "content", "site", "pyproject.toml"]
EDITED_FIGURE = "course/figures/christmas.py"  # a figure that reads no model
EDITED_MODEL = ("autoencoder", "epochs")  # its figures: reconstructions, latent space, funnel...
TEAM_PATH = "fresh clone, warm file:// remote (0 models trained)"
COMMENT_EDIT = f"comment-only edit of {EDITED_FIGURE} and of {EDITED_MODEL[0]}'s recipe"


def copy_project(destination: Path, origin: Path = REPO) -> Path:
    """A copy of the project at `origin` (the checkout, or a bench copy as earlier scenarios left
    it), without its generated images, figgen.json or cache."""
    project = destination / "course"
    project.mkdir()
    for name in COPIED:
        source = origin / name
        ignore = shutil.ignore_patterns("__pycache__", "public", "resources", "module*", "figgen.json", ".hugo_build.lock")
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            shutil.copy2(source, project / name)
    return project


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending.extend(child for child, parent in parents.items() if parent == pid)
    return total


def measure(command: list[str], env: dict, cwd: Path) -> dict:
    """Wall seconds, peak tree memory (MiB) and output of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               cwd=cwd)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({process.returncode}):\n{output}")
    return {"seconds": wall, "peak_mib": peak / 2**20, "output": output}


def built_rows(output: str) -> list[str]:
    return [line.split()[0] if not line.startswith("model ") else " ".join(line.split()[:2])
            for line in output.splitlines() if " built " in line and not line.startswith("built ")]


class Bench:
    def __init__(self, project: Path):
        self.project = project
        # As on an author's machine: bytecode is cached (some sandboxes disable it by default).
        self.env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPATH"] = str(project)  # and run from it: the copy's figgen, not the checkout's
        self.figgen = [sys.executable, "-m", "figgen", "-C", str(project)]

    def run(self, *args: str) -> dict:
        return measure([*self.figgen, *args], self.env, self.project)

    def empty_cache(self) -> None:
        shutil.rmtree(self.project / ".figgen", ignore_errors=True)
        for image in (self.project / "site/static/images").glob("module*/*.png"):
            image.unlink()

    def stamp(self) -> None:
        """Let the files settle (freshness/walk.RACY_NS), then leave the no-op stamps of build and check."""
        time.sleep(2.1)
        self.run("build"), self.run("check")

    def cold(self, jobs: int) -> dict:
        self.empty_cache()
        return self.run("build", "--jobs", str(jobs))

    def naive(self) -> dict:
        self.empty_cache()
        return measure([sys.executable, str(REPO / "bench/naive.py"), str(self.project)], self.env, self.project)

    def edit_figure(self) -> dict:
        path = self.project / EDITED_FIGURE
        path.write_text(path.read_text() + f"\n_BENCH_EDIT = {time.time_ns()}\n")  # code: a comment costs nothing
        return self.run("build")

    def edit_model(self, step: int) -> dict:
        import yaml

        config_path = self.project / "figgen.yaml"
        config = yaml.safe_load(config_path.read_text())
        model, key = EDITED_MODEL
        value = config["models"][model]["training"][key]
        text = config_path.read_text()
        # edit the text, not a re-dump: keep the author's comments and layout
        block_start = text.index(f"\n  {model}:")
        position = text.index(f"{key}: {value}", block_start)
        new_value = value + (1 if step % 2 == 0 else -1)
        config_path.write_text(text[:position] + f"{key}: {new_value}" + text[position + len(f"{key}: {value}"):])
        return self.run("build")


    def edit_comments(self) -> dict:
        """A comment added to a figure module and to a training recipe: nothing to draw or train."""
        import yaml

        recipe = yaml.safe_load((self.project / "figgen.yaml").read_text())["models"][EDITED_MODEL[0]]["recipe"]
        for relative in (EDITED_FIGURE, "course/" + recipe.replace(".", "/") + ".py"):
            path = self.project / relative
            path.write_text(path.read_text() + f"\n# bench comment {time.time_ns()}\n")
        return self.run("build")

    def touched_noop(self) -> dict:
        """A no-op build that its stamp cannot answer (a file touched, its bytes unchanged)."""
        os.utime(self.project / EDITED_FIGURE)
        return self.run("build")

    def watch_latency(self, runs: int) -> dict:
        """Save EDITED_FIGURE under a running `figgen watch`: seconds until its new PNG is on disk."""
        image = self.project / "site/static/images/module3/christmas.png"
        watcher = subprocess.Popen([*self.figgen, "watch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, env=self.env, cwd=self.project, start_new_session=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()
        peak, latencies = 0, []

        def wait_until_idle() -> None:
            nonlocal peak
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                peak = max(peak, tree_rss_bytes(watcher.pid))
                try:
                    if "waiting for changes" in lines.get(timeout=0.05):
                        return
                except queue.Empty:
                    continue
            raise SystemExit("bench: figgen watch did not settle within 300 s")

        try:
            wait_until_idle()
            for _ in range(runs):
                before = image.stat().st_mtime_ns
                path = self.project / EDITED_FIGURE
                started = time.perf_counter()
                path.write_text(path.read_text() + f"\n_BENCH_EDIT = {time.time_ns()}\n")  # code: a comment costs nothing
                while image.stat().st_mtime_ns == before:
                    if time.perf_counter() - started > 120:
                        raise SystemExit("bench: figgen watch did not redraw christmas.png within 120 s")
                    time.sleep(0.005)
                latencies.append(time.perf_counter() - started)
                wait_until_idle()
        finally:
            os.killpg(watcher.pid, signal.SIGINT)  # as Ctrl-C in a terminal
            watcher.wait(timeout=30)
        return {"seconds": latencies, "peak_mib": peak / 2**20, "output": ""}


def median_of(results: list[dict]) -> dict:
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mib": statistics.median(r["peak_mib"] for r in results),
        "runs": [round(r["seconds"], 3) for r in results],
        "built": sorted(set().union(*(built_rows(r["output"]) for r in results))),
    }


def machine() -> dict:
    import torch

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_mib": memory, "python": platform.python_version(),
        "torch": torch.__version__, "cuda": torch.cuda.is_available(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each fast scenario (median reported)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs of each cold build and of the baseline")
    parser.add_argument("--output", type=Path, default=REPO / "bench/results.json")
    parser.add_argument("--against", type=Path, help="a checkout of another commit: its cold build, no-op "
                        "build and check are measured beside this one's, in the same run (same interpreter)")
    parser.add_argument("--only", choices=["watch", "team", "renderings", "noop", "comment", "against"],
                        help="one cold build, then only this scenario")
    options = parser.parse_args()
    if options.only == "watch":
        return only_watch(options)
    if options.only == "team":
        return only_team(options)
    if options.only == "renderings":
        return renderings_cost(options)
    if options.only == "noop":
        return only_noop(options)
    if options.only == "comment":
        return only_comment(options)
    if options.only == "against":
        return only_against(options)

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(Path(folder)))
        other = Bench(copy_project(_folder(Path(folder), "against"), options.against)) if options.against else None
        print("bench: cold builds (--jobs 1, --jobs 2) and the naive baseline...", flush=True)
        cold1, cold2, naive, other_cold = [], [], [], []
        for _ in range(options.cold_runs):
            cold1.append(bench.cold(1))
            naive.append(bench.naive())
            if other:
                other_cold.append(other.cold(2))
            cold2.append(bench.cold(2))  # last: leaves the project fully built
        trained = json.loads((bench.project / "site/data/figgen.json").read_text())["models"]
        models = {name: {"seconds": m["seconds"], "device": m["device"]} for name, m in trained.items()}
        results["cold build --jobs 1"] = median_of(cold1)
        results["cold build --jobs 2"] = median_of(cold2)
        results["naive baseline (one script, no cache)"] = median_of(naive)
        print("bench: no-op build and check, comment-only edits...", flush=True)
        bench.stamp()  # as an author's repeated `make figures`: the no-op answered by its stamp
        results["no-op build"] = median_of([bench.run("build") for _ in range(options.runs)])
        results["check"] = median_of([bench.run("check") for _ in range(options.runs)])
        results[COMMENT_EDIT] = median_of([bench.edit_comments() for _ in range(options.runs)])
        comment_cost = round(results[COMMENT_EDIT]["seconds"] / results["no-op build"]["seconds"], 2)
        against = against_table(bench, other, cold2, other_cold, options) if other else None
        print("bench: one figure edited, one hyperparameter edited...", flush=True)
        results[f"edit {EDITED_FIGURE}"] = median_of([bench.edit_figure() for _ in range(options.runs)])
        print("bench: the same edit under a running figgen watch (edit-to-PNG)...", flush=True)
        results[f"figgen watch: edit {EDITED_FIGURE} to PNG"] = watch_result(bench.watch_latency(options.runs))
        model, key = EDITED_MODEL
        results[f"edit models.{model}.training.{key}"] = median_of(
            [bench.edit_model(step) for step in range(options.cold_runs)])
        print("bench: a fresh clone's build against a warm file:// remote...", flush=True)
        results[TEAM_PATH] = team_path(bench, Path(folder), options.runs)
        print("bench: no-op build and check beside git status...", flush=True)
        noop = noop_versus_git_status(bench, options.runs * 3)

    naive_seconds = results["naive baseline (one script, no cache)"]["seconds"]
    report = {"machine": machine(), "scenarios": results, "training_seconds_last_cold_build": models,
              "speedup_vs_naive": {name: round(naive_seconds / r["seconds"], 1) for name, r in results.items()},
              "noop_versus_git_status": noop, "comment_edit_over_noop_build": comment_cost}
    if against:
        report["against"] = against
    options.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(report))
    print("\n" + noop_table(noop))
    print(f"\n{COMMENT_EDIT}: x{comment_cost} the no-op build (target: <= 1.5)")
    if against:
        print("\n" + against_text(against))
    print(f"\nwritten to {options.output}")


def team_path(bench: Bench, folder: Path, runs: int) -> dict:
    """A fresh clone's `figgen build` against a warm `file://` remote: seconds, and models trained (must be 0).

    `bench.project` is built; `figgen push` fills the remote from it. Each run is a new copy of
    the project with an empty `.figgen/`, as a teammate's `git clone` or a CI job: a copy of
    `bench.project` as the earlier scenarios left it (their edits included), never of the checkout,
    whose figgen.yaml may differ from what was pushed and train a model again.
    """
    remote = f"file://{folder / 'team-remote'}"
    env = {**bench.env, "FIGGEN_CACHE_URL": remote}
    pushed = measure([*bench.figgen, "push"], env, bench.project)
    if "pushed" not in pushed["output"]:
        raise SystemExit(f"bench: figgen push failed:\n{pushed['output']}")
    measured = []
    for run in range(runs):
        clone = copy_project(Path(tempfile.mkdtemp(prefix=f"team-{run}-", dir=folder)), bench.project)
        result = measure([sys.executable, "-m", "figgen", "-C", str(clone), "build"],
                         {**env, "PYTHONPATH": str(clone)}, clone)
        trained = [row for row in built_rows(result["output"]) if row.startswith("model ")]
        if trained or "pulled" not in result["output"]:
            raise SystemExit(f"bench: the fresh clone did not build from the remote:\n{result['output']}")
        measured.append(result)
        shutil.rmtree(clone.parent, ignore_errors=True)
    return {**median_of(measured), "models_trained": 0}


def watch_result(measured: dict) -> dict:
    return {"seconds": statistics.median(measured["seconds"]), "peak_mib": measured["peak_mib"],
            "runs": [round(seconds, 3) for seconds in measured["seconds"]], "built": ["christmas.png"]}


def only_watch(options) -> None:
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(Path(folder)))
        print("bench: one cold build, then the watch latency...", flush=True)
        bench.cold(2)
        result = watch_result(bench.watch_latency(options.runs))
    print(f"figgen watch: edit {EDITED_FIGURE} to PNG: median {result['seconds']:.2f} s "
          f"(runs {result['runs']}), peak memory {result['peak_mib']:.0f} MiB")


def only_team(options) -> None:
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(Path(folder)))
        print("bench: one cold build, then fresh clones against a warm file:// remote...", flush=True)
        bench.cold(2)
        result = team_path(bench, Path(folder), options.runs)
    print(f"{TEAM_PATH}: median {result['seconds']:.2f} s (runs {result['runs']}), "
          f"models trained {result['models_trained']}, peak memory {result['peak_mib']:.0f} MiB")


def renderings_cost(options) -> None:
    """What drawing every figure light and dark costs: cold builds (--jobs 2) of the course as it
    is (figgen.yaml's `renderings: [light, dark]`) and without that line (light only, as before).
    Training is shared by the two renderings; only drawing doubles."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        for label, keep in (("light only", False), ("light and dark", True)):
            bench = Bench(_copy_into(Path(folder), label))
            if not keep:
                config = bench.project / "figgen.yaml"
                config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                                          if not line.startswith("renderings:")), encoding="utf-8")
            print(f"bench: cold build --jobs 2, {label}...", flush=True)
            results[label] = median_of([bench.cold(2) for _ in range(options.cold_runs)])
    ratio = results["light and dark"]["seconds"] / results["light only"]["seconds"]
    for label, result in results.items():
        print(f"cold build --jobs 2, {label}: {result['seconds']:.1f} s, {len(result['built'])} items built, "
              f"peak {result['peak_mib']:.0f} MiB")
    print(f"light and dark / light only: {ratio:.2f}x (target: <= 1.6x)")


def _folder(folder: Path, name: str) -> Path:
    (folder / name).mkdir()
    return folder / name


def against_table(bench: Bench, other: Bench, cold: list[dict], other_cold: list[dict], options) -> dict:
    """This checkout beside `--against`'s, in the same run: the cold builds (interleaved above),
    then no-op builds and checks interleaved, each answered by its stamp."""
    other.stamp()
    bench.stamp()
    rows: dict[str, tuple[list, list]] = {"no-op build": ([], []), "check": ([], [])}
    for _ in range(options.runs * 3):
        for name, command in (("no-op build", "build"), ("check", "check")):
            rows[name][0].append(timed([*bench.figgen, command], bench.env, bench.project)[0])
            rows[name][1].append(timed([*other.figgen, command], other.env, other.project)[0])
    rows["cold build --jobs 2"] = ([r["seconds"] for r in cold], [r["seconds"] for r in other_cold])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=options.against, capture_output=True,
                            text=True).stdout.strip()
    return {"commit": commit or str(options.against), "scenarios": {
        name: {"this": statistics.median(this), "that": statistics.median(that),
               "ratio": round(statistics.median(this) / statistics.median(that), 3),
               "runs": [[round(s, 4) for s in this], [round(s, 4) for s in that]]}
        for name, (this, that) in rows.items()}}


def only_against(options) -> None:
    """The short side-by-side run: a cold build (--jobs 2) of this checkout and of `--against`'s,
    their no-op builds and checks interleaved, then comment-only edits beside this no-op build."""
    if not options.against:
        raise SystemExit("bench: --only against needs --against CHECKOUT")
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(_folder(Path(folder), "this")))
        other = Bench(copy_project(_folder(Path(folder), "that"), options.against))
        print("bench: a cold build of each checkout...", flush=True)
        cold, other_cold = [bench.cold(2)], [other.cold(2)]
        print("bench: no-op builds and checks side by side, then comment-only edits...", flush=True)
        against = against_table(bench, other, cold, other_cold, options)
        rows = {"no-op build": median_of([bench.run("build") for _ in range(options.runs)]),
                COMMENT_EDIT: median_of([bench.edit_comments() for _ in range(options.runs)])}
    comment_cost = round(rows[COMMENT_EDIT]["seconds"] / rows["no-op build"]["seconds"], 2)
    options.output.write_text(json.dumps({"machine": machine(), "scenarios": rows, "against": against,
                                          "comment_edit_over_noop_build": comment_cost}, indent=2,
                                         ensure_ascii=False) + "\n")
    print(against_text(against))
    for name, result in rows.items():
        print(f"{name}: median {result['seconds']:.3f} s, rebuilt: {', '.join(result['built']) or 'nothing'}")
    print(f"{COMMENT_EDIT}: x{comment_cost} the no-op build (target: <= 1.5)\nwritten to {options.output}")


def against_text(against: dict) -> str:
    lines = [f"beside {against['commit']} (same run, medians):", "",
             "| scenario | this (s) | that (s) | this ÷ that |", "|---|---:|---:|---:|"]
    for name, row in against["scenarios"].items():
        lines.append(f"| {name} | {row['this']:.3f} | {row['that']:.3f} | ×{row['ratio']} |")
    return "\n".join(lines)


def _copy_into(folder: Path, label: str) -> Path:
    destination = folder / label.replace(" ", "-")
    destination.mkdir()
    return copy_project(destination)


# --- the no-op beside `git status`: the floor of stat-ing every input --------------------------

NOOP_TOUCHED = "bench-notes.txt"  # a file no figure reads: the stamp no longer vouches, nothing is stale


def timed(command: list[str], env: dict | None, cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def noop_versus_git_status(bench: Bench, runs: int) -> dict:
    """`figgen build` and `figgen check` with nothing to do, interleaved with `git status` in the
    same copy (git stats every file of the checkout: what a no-op cannot do without). Then the
    no-op whose stamp a touched file invalidated: every fingerprint computed, nothing composed."""
    project = bench.project
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "core.fsmonitor=false"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bench"], cwd=project, check=True)
    time.sleep(2.1)  # files written less than 2 s ago are not trusted by their stat (freshness/walk.RACY_NS)
    for _ in range(3):  # settle the caches; the last no-op build and check leave their stamps
        bench.run("build"), bench.run("check")
    rows: dict[str, list] = {"figgen build": [], "figgen check": [], "git status": []}
    for _ in range(runs):
        rows["figgen build"].append(timed([*bench.figgen, "build"], bench.env, project))
        rows["figgen check"].append(timed([*bench.figgen, "check"], bench.env, project))
        rows["git status"].append(timed([*git, "status", "--porcelain"], None, project))
    rows["figgen build, one file touched"] = []
    for step in range(runs):
        (project / NOOP_TOUCHED).write_text(f"{step}\n")
        rows["figgen build, one file touched"].append(timed([*bench.figgen, "build"], bench.env, project))
    (project / NOOP_TOUCHED).unlink()
    return {name: {"wall": statistics.median(w for w, _ in measured), "cpu": statistics.median(c for _, c in measured),
                   "runs": [round(w, 4) for w, _ in measured]} for name, measured in rows.items()}


def noop_table(noop: dict) -> str:
    floor = noop["git status"]
    lines = ["nothing to do (median of interleaved runs; git status in the same copy is the floor):", "",
             "| command | wall (s) | CPU (s) | wall ÷ git status | CPU ÷ git status |", "|---|---:|---:|---:|---:|"]
    for name, result in noop.items():
        lines.append(f"| {name} | {result['wall']:.3f} | {result['cpu']:.3f} | ×{result['wall'] / floor['wall']:.1f} | "
                     f"×{result['cpu'] / max(floor['cpu'], 1e-3):.1f} |")
    return "\n".join(lines)


def only_noop(options) -> None:
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(Path(folder)))
        print("bench: one cold build, then the no-op beside git status...", flush=True)
        bench.cold(2)
        print(noop_table(noop_versus_git_status(bench, options.runs * 3)))


def only_comment(options) -> None:
    """A comment costs nothing (figgen/code_digest.py): a comment-only edit of a figure module and
    of a training recipe beside a no-op build, answered by its stamp or not (a file touched)."""
    with tempfile.TemporaryDirectory(prefix="figgen-bench-") as folder:
        bench = Bench(copy_project(Path(folder)))
        print("bench: one cold build, then comment-only edits beside no-op builds...", flush=True)
        bench.cold(2)
        bench.stamp()
        rows = {"no-op build": median_of([bench.run("build") for _ in range(options.runs)]),
                "no-op build, a file touched (no stamp)": median_of([bench.touched_noop() for _ in range(options.runs)]),
                COMMENT_EDIT: median_of([bench.edit_comments() for _ in range(options.runs)])}
    noop = rows["no-op build"]["seconds"]
    for name, result in rows.items():
        print(f"{name}: median {result['seconds']:.3f} s (×{result['seconds'] / noop:.1f} the no-op), "
              f"rebuilt: {', '.join(result['built']) or 'nothing'}")


def table(report: dict) -> str:
    info = report["machine"]
    lines = [f"{info['cpu']} ({info['cores']} cores, {info['memory_mib']} MiB), Python {info['python']}, "
             f"torch {info['torch']}, device {info['device']}", "",
             "| scenario | median wall (s) | peak memory (MiB) | vs naive | rebuilt |", "|---|---:|---:|---:|---|"]
    for name, result in report["scenarios"].items():
        rebuilt = ", ".join(result["built"]) if len(result["built"]) <= 4 else f"{len(result['built'])} items"
        lines.append(f"| {name} | {result['seconds']:.2f} | {result['peak_mib']:.0f} | "
                     f"×{report['speedup_vs_naive'][name]} | {rebuilt or '-'} |")
    lines += ["", "training time of each model in the last cold build (--jobs 2, one thread per worker):"]
    lines += [f"  {name}: {m['seconds']} s on {m['device']}" for name, m in report["training_seconds_last_cold_build"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
