"""Nothing leaks, nothing is lost, nothing hangs (issue 26), on copies of the tiny project.

- No secret leaves the process: a cache URL holding credentials (20 spellings) is refused in
  one line, redacted, exit 2, nothing written; a token a figure reads from the environment
  (directly, or by passing `{**os.environ}` to a helper) is stored nowhere: not in stdout,
  stderr, any file of the project, any object of the remote (a shared folder, S3 on moto).
- A remote never holds a build hostage: a real server that accepts connections and never
  answers, and a closed port, cost at most 15 s more than the local build, one warning.
- figgen touches only what it made: `new`, `build` and `clean` leave an author's file alone.
- `check` sees a missing or stale dark rendering of a shown figure.
- A task's helper processes end with it: `figgen build | tee` closes when the build does.
- Bad inputs are located: a file name that is not UTF-8, a read-only checkout, figgen.yaml values.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, _RUN_AND_REPORT_IMPORTS, built, run_figgen

SECRET = "Zq9sEcReT"  # in every credential below: it must show up nowhere


def project_files(*roots: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def assert_nowhere(secrets: list[str], results=(), roots=(), objects: dict | None = None) -> None:
    """None of `secrets` in the output of `results`, a file (or a file's name) under `roots`,
    or an object of a remote ({key: bytes})."""
    for secret in secrets:
        encoded = secret.encode()
        for result in results:
            assert secret not in result.stdout and secret not in result.stderr, (result.stdout, result.stderr)
        for path, data in project_files(*roots).items():
            assert encoded not in data and secret not in str(path), f"{secret!r} in {path}"
        for key, data in (objects or {}).items():
            assert encoded not in data and secret not in key, f"{secret!r} in the remote's {key}"


# --- 1. a cache URL that holds credentials -----------------------------------------------------

CREDENTIAL_URLS = [
    f"s3://AKIAZQ9KEY:ab/{SECRET}@bucket/figgen",  # an AWS secret holding '/'
    f"s3://AKIAZQ9KEY:a+{SECRET}=@bucket/figgen",  # '+' and '='
    f"s3://AKIAZQ9KEY:/{SECRET}+x/y=@bucket/figgen",  # starting with '/'
    f"s3://{SECRET}@bucket/figgen",  # a token alone
    f"simplecache::s3://AKIAZQ9KEY:{SECRET}@bucket/figgen",  # an fsspec chain
    f"filecache::simplecache::s3://AKIAZQ9KEY:ab/{SECRET}@bucket/figgen",
    f"file://user:pa/{SECRET}@/tmp/figgen-cache",
    f"file://user:{SECRET}@localhost/tmp/figgen-cache",
    f"gs://user:{SECRET}@bucket/figgen",
    f"az://account:{SECRET}@container/figgen",
    f"abfs://account:{SECRET}@container/figgen",
    f"http://user:{SECRET}@127.0.0.1:9/figgen",
    f"https://user:{SECRET}@example.com/figgen",
    "https://bucket.s3.amazonaws.com/figgen?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    f"&X-Amz-Credential=AKIAZQ9KEY%2F20260101&X-Amz-Signature={SECRET}",
    f"https://account.blob.core.windows.net/cache?sv=2022-11-02&sp=rw&sig={SECRET}",
    f"https://storage.googleapis.com/bucket/figgen?X-Goog-Signature={SECRET}",
    f"https://example.com/figgen?access_token={SECRET}",
    f"simplecache::https://example.com/figgen?token={SECRET}",
    f"https://example.com/figgen#access_token={SECRET}",  # a token in the fragment
    f"simplecache::AKIAZQ9KEY:{SECRET}@host:/srv/figgen",  # scp's spelling, in a chain
]


def test_every_credential_spelling_is_found_by_the_parser_and_redacted():
    from figgen.redact import credential_problem, redact

    for url in CREDENTIAL_URLS:
        assert credential_problem(url), url
        assert SECRET not in redact(url) and "AKIAZQ9KEY" not in redact(url), redact(url)
    for url in ("s3://bucket/figgen", "gs://bucket/path@v2", "file:///tmp/a@b", "http://127.0.0.1:9000/x",
                "http://[::1]:9000/x", "/tmp/cache", "simplecache::s3://bucket/x", "https://h/x?versionId=3"):
        assert credential_problem(url) is None, url


@pytest.mark.parametrize("where", ["environment", "figgen.yaml"])
def test_a_cache_url_with_credentials_is_refused_in_one_redacted_line_and_nothing_is_written(where, fresh_tiny):
    config = fresh_tiny / "figgen.yaml"
    original = config.read_text()
    urls = CREDENTIAL_URLS if where == "environment" else CREDENTIAL_URLS[::6]  # figgen.yaml: four (same parser)
    for url in urls:
        before = {p: p.stat().st_mtime_ns for p in fresh_tiny.rglob("*")}
        if where == "environment":
            result = run_figgen(fresh_tiny, "build", env={"FIGGEN_CACHE_URL": url})
        else:
            config.write_text(original + f"\ncache:\n  url: {json.dumps(url)}\n")
            result = run_figgen(fresh_tiny, "build")
        errors = [line for line in result.stderr.splitlines() if not line.startswith("HEAVY-IMPORTS:")]
        assert result.returncode == 2 and len(errors) == 1, (url, result.stderr)
        assert "must not hold credentials" in errors[0] and "***" in errors[0], errors[0]
        assert SECRET not in result.stdout + result.stderr and "AKIAZQ9KEY" not in result.stderr, errors[0]
        after = {p: p.stat().st_mtime_ns for p in fresh_tiny.rglob("*")}
        assert set(after) - set(before) <= {config} and all(after[p] == before[p] for p in before if p != config), url
    config.write_text(original)  # the author wrote the secret there; figgen wrote it nowhere else
    assert_nowhere([SECRET, "AKIAZQ9KEY"], roots=[fresh_tiny])


# --- 1. secrets a figure reads from the environment -------------------------------------------

TOKEN_FIGURE = '''import os
import subprocess
import sys

from matplotlib.figure import Figure


def draw(ctx):
    token = os.environ["DATA_TOKEN"]  # read on purpose
    # a helper started the usual way: every variable is looked up
    subprocess.run([sys.executable, "-c", "pass"], env={**os.environ, "HELPER": "1"}, check=True)
    ctx.fact("token_length", len(token))
    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "données privées")
    return figure
'''


def with_token_figure(project: Path, cache_yaml: str = "") -> None:
    (project / "tinyfigs/figures/token.py").write_text(TOKEN_FIGURE)
    config = project / "figgen.yaml"
    config.write_text(config.read_text() + '  - output: /images/tiny/token.png\n    draw: figures.token\n'
                      '    alt: "Un jeton"\n    env: [DATA_TOKEN]\n' + cache_yaml)  # declared: a task sees no other


def secrets_round_trip(project: Path, env: dict, remote_objects) -> None:
    """Build with a token, change it, ask why, build again: no secret anywhere at any step."""
    first = {**env, "DATA_TOKEN": f"tok-{SECRET}-one", "AWS_SECRET_ACCESS_KEY": env.get(
        "AWS_SECRET_ACCESS_KEY", f"aws-{SECRET}/+=")}
    results = [run_figgen(project, "build", env=first, check=True)]
    second = {**first, "DATA_TOKEN": f"tok-{SECRET}-two"}
    why = run_figgen(project, "why", "/images/tiny/token.png", env=second, check=True)
    assert "DATA_TOKEN changed" in why.stdout, why.stdout
    results += [why, run_figgen(project, "list", env=second, check=True),
                run_figgen(project, "build", env=second, check=True)]
    assert "token.png" in " ".join(built(results[-1])), results[-1].stdout
    secrets = [first["DATA_TOKEN"], second["DATA_TOKEN"], first["AWS_SECRET_ACCESS_KEY"], SECRET]
    assert_nowhere(secrets, results, roots=[project], objects=remote_objects())


@pytest.mark.slow  # three builds of the tiny project
def test_a_token_read_by_a_figure_is_stored_nowhere_with_a_shared_folder(tiny, tmp_path):
    shared = tmp_path / "shared-cache"
    with_token_figure(tiny, f"cache:\n  url: file://{shared}\n")
    secrets_round_trip(tiny, {}, lambda: {str(p): p.read_bytes() for p in shared.rglob("*") if p.is_file()})
    assert list(shared.rglob("manifest.json")), "the figures were pushed"


@pytest.mark.slow  # an S3 server and three builds
def test_a_token_read_by_a_figure_is_stored_nowhere_on_s3(tiny):
    from test_remote_cache import ACCESS_KEY, BUCKET, SECRET_KEY, s3_server

    s3fs = pytest.importorskip("s3fs")
    with s3_server() as endpoint:
        env = {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
               "FIGGEN_CACHE_ENDPOINT": endpoint, "FIGGEN_CACHE_URL": f"s3://{BUCKET}/leaks"}
        fs = s3fs.S3FileSystem(key=ACCESS_KEY, secret=SECRET_KEY, client_kwargs={"endpoint_url": endpoint},
                               skip_instance_cache=True)
        with_token_figure(tiny)

        def objects():
            fs.invalidate_cache()
            return {key: fs.cat_file(key) for key in fs.find(f"{BUCKET}/leaks")}

        token = f"tok-{SECRET}-s3"  # one build: the round trip of `why` is the shared folder's test
        result = run_figgen(tiny, "build", env={**env, "DATA_TOKEN": token}, check=True)
        assert built(result) == {"/images/tiny/token.png"} and "pushed 1" in result.stdout, result.stdout
        assert_nowhere([token, SECRET_KEY, SECRET], [result], roots=[tiny], objects=objects())


FAILING_TOKEN_FIGURE = '''import os


def draw(ctx):
    token = os.environ["DATA_TOKEN"]
    raise ValueError(f"the server refused {token} ({os.environ['AWS_SECRET_ACCESS_KEY']})")
'''


def test_a_token_in_a_failing_draws_message_is_printed_and_kept_nowhere(tiny):
    (tiny / "tinyfigs/figures/token.py").write_text(FAILING_TOKEN_FIGURE)
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text() + '  - output: /images/tiny/token.png\n    draw: figures.token\n'
                      '    alt: "Un jeton"\n    env: [DATA_TOKEN, AWS_SECRET_ACCESS_KEY]\n')  # a task sees no other
    secrets = [f"tok-{SECRET}-fail", f"aws-{SECRET}/+="]
    env = {"DATA_TOKEN": secrets[0], "AWS_SECRET_ACCESS_KEY": secrets[1]}
    result = run_figgen(tiny, "build", env=env)
    assert result.returncode == 1 and "the server refused $DATA_TOKEN ($AWS_SECRET_ACCESS_KEY)" in result.stdout + \
        result.stderr, result.stdout + result.stderr
    assert_nowhere(secrets + [SECRET], [result, run_figgen(tiny, "check", env=env)], roots=[tiny])


# --- 2. a stalled remote, a closed port ---------------------------------------------------------


@contextlib.contextmanager
def stalled_server():
    """A server on 127.0.0.1 that accepts every connection and never answers: (its port, the
    connections it holds)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], held
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed once the probe is


def timed_build(project: Path, env: dict | None = None):
    started = time.monotonic()
    result = run_figgen(project, "build", env=env)
    return result, time.monotonic() - started


@pytest.mark.slow  # five builds of the tiny project
@pytest.mark.alone  # a bound in seconds against a local build measured a moment before
def test_a_stalled_remote_and_a_closed_port_cost_a_timeout_once_and_one_warning(built_tiny, tmp_path):
    pytest.importorskip("s3fs")

    def copy(name: str) -> Path:
        project = tmp_path / name
        shutil.copytree(built_tiny, project)
        (project / "site/static/images/tiny/squares.png").unlink()  # something to pull, draw and push
        config = project / "figgen.yaml"
        config.write_text(config.read_text() + "\ncache:\n  timeout: 1\n")  # the bound under test, kept short
        return project

    _, local = timed_build(copy("local"))
    env = {"AWS_ACCESS_KEY_ID": "AKIAFIGGENTEST", "AWS_SECRET_ACCESS_KEY": "figgen-test", "AWS_DEFAULT_REGION": "us-east-1"}
    plain, chained = "s3://figgen-cache/stalled", "simplecache::s3://figgen-cache/stalled"
    with stalled_server() as (port, held):
        stalled = f"http://127.0.0.1:{port}"
        for name, url, endpoint in (("stalled", plain, stalled), ("chained", chained, stalled),
                                    ("closed", plain, f"http://127.0.0.1:{closed_port()}")):
            project = copy(name)
            env_here = {**env, "FIGGEN_CACHE_URL": url, "FIGGEN_CACHE_ENDPOINT": endpoint}
            reached = len(held)
            result, seconds = timed_build(project, env_here)
            assert result.returncode == 0, result.stderr
            # each link of a chain gets its endpoint and bounds: the S3 behind the cache is the stalled one
            assert endpoint != stalled or len(held) > reached, f"{name}: the build never reached {endpoint}"
            # botocore's defaults (60 s per read, retried) would cost minutes: the bound is 1 s, once
            assert seconds < local + 8, f"{name}: {seconds:.1f} s against {local:.1f} s locally"
            warnings = [line for line in result.stderr.splitlines() if "warning" in line]
            assert len(warnings) == 1 and f"remote cache {url}:" in warnings[0], result.stderr
            assert built(result) == {"/images/tiny/squares.png"}
            if name != "stalled":
                continue  # what follows is the remote's, whatever its URL or failure: seen once
            # the push is pending; a no-op build does not wait on the dead remote meanwhile
            again, seconds = timed_build(project, env_here)
            assert again.returncode == 0 and "up to date" in again.stdout and seconds < 4, (seconds, again.stderr)
            assert (project / ".figgen/pending-pushes.json").exists()


def test_the_remote_timeout_is_set_in_figgen_yaml_and_checked(fresh_tiny):
    config = fresh_tiny / "figgen.yaml"
    config.write_text(config.read_text() + "\ncache:\n  url: file:///tmp/x\n  timeout: -1\n")
    result = run_figgen(fresh_tiny, "list")
    line = len(config.read_text().splitlines())
    assert result.returncode == 2 and f"figgen.yaml:{line}:" in result.stderr and "timeout" in result.stderr


# --- 3. figgen touches only what it made --------------------------------------------------------


def test_new_refuses_a_path_that_holds_the_authors_file(tiny):
    logo = tiny / "site/static/images/tiny/logo.png"
    logo.write_bytes(b"the author's own logo")
    config = (tiny / "figgen.yaml").read_text()
    result = run_figgen(tiny, "new", "/images/tiny/logo.png", "--alt", "Un logo")
    assert result.returncode == 2 and "site/static/images/tiny/logo.png already exists" in result.stderr, result.stderr
    assert logo.read_bytes() == b"the author's own logo" and (tiny / "figgen.yaml").read_text() == config


def test_a_build_never_overwrites_a_file_figgen_did_not_write(tiny):
    logo = tiny / "site/static/images/tiny/logo.png"
    logo.write_bytes(b"the author's own logo")
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text() + "  - output: /images/tiny/logo.png\n    draw: figures.squares\n"
                      '    alt: "Un logo"\n')
    result = run_figgen(tiny, "build")
    errors = [line for line in result.stderr.splitlines() if line.startswith("figgen: error")]
    assert result.returncode == 2 and len(errors) == 1, result.stderr
    assert "site/static/images/tiny/logo.png is not a file figgen wrote" in errors[0] and "move it or delete it" in errors[0]
    assert logo.read_bytes() == b"the author's own logo"
    logo.unlink()
    assert built(run_figgen(tiny, "build", check=True)) == {"/images/tiny/logo.png"}


def test_clean_removes_only_what_figgen_wrote_and_names_what_it_keeps(tiny):
    images = tiny / "site/static/images/tiny"
    (images / "fit.png").write_bytes((images / "fit.png").read_bytes() + b"edited by hand")
    (images / "other.png").write_bytes(b"not figgen's")
    result = run_figgen(tiny, "clean", check=True)
    assert not (images / "squares.png").exists()
    assert (images / "fit.png").exists() and (images / "other.png").exists()
    assert "kept site/static/images/tiny/fit.png" in result.stderr, result.stderr


# --- 4. check sees every rendering a reader may get ---------------------------------------------


@pytest.mark.slow  # a build with renderings
def test_check_fails_on_a_missing_or_stale_dark_rendering(tiny):
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text().replace("params: {count: 3}", "params: {count: 3}\n    renderings: [light, dark]"))
    run_figgen(tiny, "build", check=True)
    assert run_figgen(tiny, "check").returncode == 0
    dark = tiny / "site/static/images/tiny/squares.dark.png"
    other = tiny / "site/static/images/tiny/fit.png"
    dark.unlink()
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and "site/static/images/tiny/squares.dark.png" in result.stdout, result.stdout
    assert "missing" in result.stdout
    dark.write_bytes(other.read_bytes())  # a file, but not the dark rendering
    result = run_figgen(tiny, "check")
    assert result.returncode == 1 and "squares.dark.png" in result.stdout and "stale" in result.stdout, result.stdout


@pytest.mark.course
def test_check_fails_on_the_course_when_a_dark_rendering_is_deleted(tmp_path):
    import hugo_site

    hugo_site.real_course()  # the course built in the repository, once per session
    project = tmp_path / "course"

    def left_out(folder: str, names: list[str]) -> set[str]:
        """The checkout as it is (a model's recorded reads may be anywhere in it), without the
        environment, git, and what Hugo makes."""
        site = Path(folder) == REPO / "site"
        return {n for n in names if n in (".git", ".venv", ".tools", "node_modules") or (site and n in ("public", "resources"))}

    shutil.copytree(REPO, project, ignore=left_out, symlinks=True)
    fresh = run_figgen(project, "check")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    dark = project / "site/static/images/module3/enc_dec.dark.png"
    dark.unlink()
    result = run_figgen(project, "check")
    assert result.returncode == 1 and "site/static/images/module3/enc_dec.dark.png" in result.stdout, result.stdout
    assert "missing" in result.stdout and "1 problem(s)" in result.stderr, result.stdout + result.stderr


# --- 5. a task leaves nothing behind -----------------------------------------------------------

HELPER_FIGURE = '''import subprocess
import time

from matplotlib.figure import Figure


def draw(ctx):
    subprocess.Popen(["sleep", "{marker}"])  # a helper left running: it holds the build's stdout
    if ctx.params.get("hang"):
        time.sleep(100)
    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "aide")
    return figure
'''


def sleeping(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and marker.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_helper_process_ends_with_its_task_and_the_build_pipe_closes(tiny):
    marker = "97.25"  # seconds: a unique command line to look for
    (tiny / "tinyfigs/figures/helper.py").write_text(HELPER_FIGURE.replace("{marker}", marker))
    config = tiny / "figgen.yaml"
    config.write_text(config.read_text() + "  - output: /images/tiny/helper.png\n    draw: figures.helper\n"
                      '    alt: "Une aide"\n  - output: /images/tiny/hang.png\n    draw: figures.helper\n'
                      '    alt: "Une aide"\n    params: {hang: true}\n    timeout: 3\n')
    (tiny / "tinyfigs/figures/helper.py").write_text(
        HELPER_FIGURE.replace("{marker}", marker).replace('ctx.params.get("hang")', 'ctx.params.hang')
        .replace("def draw(ctx):", "from dataclasses import dataclass\n\n\n@dataclass\nclass Params:\n"
                 "    hang: bool = False\n\n\ndef draw(ctx):"))
    started = time.monotonic()
    build = subprocess.Popen([sys.executable, "-c", _RUN_AND_REPORT_IMPORTS, "-C", str(tiny), "build"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        out, err = build.communicate(timeout=60)  # returns at EOF: when no helper holds the pipe
    finally:
        build.kill()
    assert time.monotonic() - started < 45
    assert build.returncode == 1 and "/images/tiny/helper.png" in " ".join(built(subprocess.CompletedProcess(
        [], 1, out, err))), out + err
    assert "time limit" in out + err
    assert sleeping(marker) == [], "a helper outlived its task"


@pytest.mark.slow  # a Dask cluster
def test_a_dask_worker_with_two_threads_is_refused_in_one_line(fresh_tiny):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cluster:
        result = run_figgen(fresh_tiny, "build", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    errors = [line for line in result.stderr.splitlines() if line.startswith("figgen: error")]
    assert result.returncode == 2 and len(errors) == 1 and "2 threads" in errors[0], result.stderr
    assert not (fresh_tiny / "site/static/images/tiny/squares.png").exists()


# --- 6. every bad input located ----------------------------------------------------------------


def test_a_page_whose_name_is_not_utf8_is_one_line_and_figgen_json_stays(tiny):
    data = tiny / "site/data/figgen.json"
    before = data.read_bytes()
    page = os.path.join(os.fsencode(tiny / "content/docs"), b"caf\xe9.md")
    with open(page, "wb") as handle:
        handle.write(b"# Caf\xc3\xa9\n\n![](/images/tiny/squares.png)\n")
    (tiny / "site/static/images/tiny/squares.png").unlink()
    for command in ("build", "check"):
        result = run_figgen(tiny, command)
        errors = [line for line in result.stderr.splitlines() if line.startswith("figgen: error")]
        assert result.returncode == 2 and len(errors) == 1 and "caf" in errors[0] and "UTF-8" in errors[0], result.stderr
        assert "Traceback" not in result.stderr
    assert data.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="runs figgen as another user")
def test_check_why_and_list_work_in_a_read_only_checkout(tiny, tmp_path):
    run_figgen(tiny, "check", check=True)
    for path in [tmp_path, *tmp_path.parents]:
        if path != Path("/"):
            path.chmod(path.stat().st_mode | 0o005)  # the other user may go through, not write
    subprocess.run(["chmod", "-R", "a+rX,a-w", str(tiny)], check=True)
    try:
        for args in (("check",), ("why", "/images/tiny/fit.png"), ("list",)):
            result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     sys.executable, "-m", "figgen", "-C", str(tiny), *args],
                                    capture_output=True, text=True, timeout=120,
                                    env={**os.environ, "PYTHONPATH": str(REPO), "HOME": "/nonexistent",
                                         "PYTHONDONTWRITEBYTECODE": "1"})
            assert result.returncode == 0, (args, result.stdout, result.stderr)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(tiny)], check=True)


@pytest.mark.parametrize("line, value, expected", [
    ("seed: 3", "seed: 123456789012345678901234567890", "seed"),
    ("package: tinyfigs", "package: tinyfgs", "tinyfgs"),
    ("draw: figures.squares", "draw: figures.nosuch", "no module tinyfigs/figures/nosuch.py"),
    ("recipe: recipes.fit_line", "recipe: recipes.nope", "no module tinyfigs/recipes/nope.py"),
])
def test_a_bad_figgen_yaml_value_names_its_line(fresh_tiny, line, value, expected):
    config = fresh_tiny / "figgen.yaml"
    text = config.read_text()
    number = text.splitlines().index(next(l for l in text.splitlines() if l.strip() == line)) + 1
    config.write_text(text.replace(line, value))
    result = run_figgen(fresh_tiny, "build")
    errors = [line for line in result.stderr.splitlines() if line.startswith("figgen: error")]
    assert result.returncode == 2 and len(errors) == 1, result.stderr
    assert f"figgen.yaml:{number}:" in errors[0] and expected in errors[0], errors[0]
