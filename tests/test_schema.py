"""figgen.yaml's JSON Schema: generated from the types that validate it, shipped, and true to both projects."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import REPO, TINY, run_figgen

from figgen.commands.schema import SHIPPED, schema_text


def validator():
    schema = json.loads(SHIPPED.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_one_the_types_generate():
    assert SHIPPED.read_text() == schema_text(), "run: figgen schema > figgen/config/figgen.schema.json"


def test_figgen_schema_prints_it(tmp_path):
    result = run_figgen(tmp_path, "schema", check=True)
    assert json.loads(result.stdout) == json.loads(SHIPPED.read_text())


@pytest.mark.parametrize("project", [REPO, TINY], ids=["course", "tinyproject"])
def test_both_projects_validate_against_the_schema(project):
    document = yaml.safe_load((project / "figgen.yaml").read_text())
    errors = [error.message for error in validator().iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("edit, fragment", [
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["models"]["line"].update(seed="trois"), "trois"),
    (lambda d: d["figures"][0].pop("alt"), "alt"),
    (lambda d: d["figures"][0].update(timeout=-1), "-1"),
    (lambda d: d["figures"][1].update(draw="../../evil"), "evil"),
])
def test_the_schema_rejects_a_bad_figgen_yaml(edit, fragment):
    document = yaml.safe_load((TINY / "figgen.yaml").read_text())
    edit(document)
    errors = [error.message for error in validator().iter_errors(document)]
    assert errors and fragment in " ".join(errors)


def test_a_changed_figgen_yaml_puts_the_schema_where_its_modeline_points(fresh_tiny):
    run_figgen(fresh_tiny, "list", check=True)
    assert (fresh_tiny / ".figgen/figgen.schema.json").read_bytes() == SHIPPED.read_bytes()


def test_the_no_op_build_reads_the_config_cache_without_yaml_or_pydantic(tiny):
    import subprocess
    import sys

    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('LOADED:' + ','.join(m for m in ('yaml', 'pydantic', 'figgen.config.schema')"
             " if m in sys.modules), file=sys.stderr))\n"
             f"sys.argv = ['figgen', '-C', {str(tiny)!r}, 'build']\n"
             "from figgen.launcher import main\nmain()\n")
    def loaded() -> str:
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                                env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0, result.stderr
        return result.stderr.splitlines()[-1]

    assert loaded().startswith("LOADED:yaml,pydantic")  # a copied figgen.yaml is a changed one: validated
    # A figgen.yaml changed less than 2 s before it was read is read again (freshness/walk.RACY_NS): once
    # it has settled, one more run reads it and from then on the no-op build parses nothing.
    import time

    from figgen.freshness.walk import RACY_NS

    settled = (tiny / "figgen.yaml").stat().st_ctime_ns + RACY_NS + 100_000_000
    time.sleep(max(0.0, (settled - time.time_ns()) / 1e9))
    runs = [loaded() for _ in range(2)]
    assert runs[-1] == "LOADED:", runs
