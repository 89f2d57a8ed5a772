"""What a build records is typed (figgen/state.py): a record read back is checked field by field,
one of the wrong shape is dropped by name (its figure is built again), and what is written is
the JSON figgen always wrote. In-process, on small files: fast."""

from __future__ import annotations

import json

import pytest

from figgen.state import EMPTY, BadRecord, FigureRecord, ModelRecord
from figgen.store import FigureRecords, ModelStore

BUILT = {"fingerprint": "f" * 64, "sha256": "a" * 64, "stat": [10, 1, 2, 3], "width": 640, "height": 480,
         "seconds": 0.5, "device": "cpu", "facts": {"points": 12}, "read": {}, "environment": {},
         "inputs": {"params": {"count": 3}}, "inputs_of": "f" * 64, "built_at": "2026-12-07T14:00:00+00:00"}


def test_a_figure_record_round_trips_through_the_json_figgen_always_wrote():
    record = FigureRecord.from_json(BUILT)
    assert record.width == 640 and record.facts == {"points": 12} and record.last_error is None
    assert record.to_json() == BUILT  # an empty field is left out, as an older reader expects
    assert FigureRecord.from_json(record.failed("boom").to_json()).last_error == "boom"


@pytest.mark.parametrize("field, value", [("width", "640"), ("stat", [1, "2"]), ("facts", []), ("seconds", True),
                                          ("fingerprint", 3)])
def test_a_field_of_the_wrong_type_is_refused_by_name(field, value):
    with pytest.raises(BadRecord, match=field):
        FigureRecord.from_json({**BUILT, field: value})


def test_figures_json_drops_only_the_bad_record_and_says_which(tmp_path, capsys):
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({"/images/a.png": BUILT, "/images/b.png": {**BUILT, "width": "wide"}}))
    records = FigureRecords(path)
    assert "/images/b.png" in capsys.readouterr().err
    assert records.get("/images/a.png").width == 640 and records.get("/images/b.png") is EMPTY
    assert "/images/b.png" not in records
    records.put("/images/c.png", FigureRecord(fingerprint="c" * 64))
    records.save()
    assert json.loads(path.read_text())["/images/c.png"] == {"fingerprint": "c" * 64, "facts": {}}


def test_a_model_record_needs_its_checksum_and_a_bad_one_is_discarded_with_its_checkpoint(tmp_path, capsys):
    with pytest.raises(BadRecord):
        ModelRecord.from_json({"seconds": 1.0, "device": "cpu", "metrics": {}})
    store = ModelStore(tmp_path)
    checkpoint = store.checkpoint("line", "k" * 8)
    checkpoint.parent.mkdir(parents=True)
    checkpoint.write_bytes(b"weights")
    saved = store.save_record("line", "k" * 8, 1.5, "cpu", {"loss": 0.1})
    assert store.verified_record("line", "k" * 8) == saved and saved.size == 7
    checkpoint.with_suffix(".json").write_text(json.dumps({**saved.to_json(), "size": "seven"}))
    assert store.record("line", "k" * 8) is None and not checkpoint.exists()
    assert "its size has the wrong type (str)" in capsys.readouterr().err
