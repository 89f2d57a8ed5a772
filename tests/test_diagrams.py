"""The course diagrams: each builds, is readable at the page's width, and follows its model.

Figures are drawn by calling their real `draw(ctx)` on the real project; the architecture
diagrams are redrawn after a change to figgen.yaml's hyperparameters to prove that every size
they write comes from the network itself.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from course.draw.measure import drawn_size, drawn_texts, overlapping_texts, smallest_font
from course.draw.style import DISPLAY_DPI, NARROW_WIDTH, NOTE_SIZE, PAGE_WIDTH, PIXEL_RATIO
from figgen.config import load_project
from figgen.context import FigureContext, model_class
from figgen.inputs import compute, tracked_packages
from figgen.loader import project_attribute
from figgen.saving import image_size, save_figure
from figgen.sources import SourceIndex

from conftest import REPO

UNTRAINED = ["nn_zoo", "christmas", "cnn_diagram", "rnn_diagram", "lstm_diagram", "autoencoder_diagram",
             "enc_dec_diagram", "jpeg", "gnn", "imagenet"]
TRAINED = ["funnel", "encoder"]
# Diagrams with a phone's layout (figgen.yaml `renderings: [..., narrow]`)
NARROW = ["nn_zoo", "cnn_diagram", "rnn_diagram", "lstm_diagram", "autoencoder_diagram", "enc_dec_diagram", "gnn"]
ENGLISH = re.compile(r"\b(input|output|layer|hidden|error|image size|filter|step|the|and|of)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def project():
    return load_project(REPO)


def figure_spec(project, draw: str, rendering: str = ""):
    """The figure's spec for that rendering; a layout its code has but figgen.yaml does not
    publish yet (nn_zoo's phone layout) is drawn from the light spec, so it stays tested."""
    specs = [figure for figure in project.figures if figure.draw == f"figures.{draw}"]
    wanted = {rendering} if rendering else {"", "light"}
    declared = [figure for figure in specs if figure.rendering in wanted]
    if declared:
        return declared[0]
    light = next(figure for figure in specs if figure.rendering in {"", "light"})
    return dataclasses.replace(light, rendering=rendering)


def render(project, draw: str, checkpoints: dict | None = None, rendering: str = ""):
    spec = figure_spec(project, draw, rendering)
    function = project_attribute(project.root, project.package, spec.draw, "draw")
    return function(FigureContext(project, spec, checkpoints or {}, {}))


def labels(figure) -> list[str]:
    return [text.get_text() for text in drawn_texts(figure)]


def with_architecture(project, model: str, **changes):
    """The project as if figgen.yaml's `models.<model>.architecture` said `changes`."""
    spec = project.models[model]
    changed = dataclasses.replace(spec, architecture={**spec.architecture, **changes})
    return dataclasses.replace(project, models={**project.models, model: changed})


@pytest.fixture(scope="module")
def autoencoder_checkpoint(project, tmp_path_factory):
    """The course's autoencoder trained by its own recipe, for a few epochs only."""
    import torch

    from figgen.training.checkpoint import save_checkpoint
    from figgen.training.run import TrainingRun

    spec = project.models["autoencoder"]
    short = dataclasses.replace(spec, training={**spec.training, "epochs": 3})
    train = project_attribute(project.root, project.package, spec.recipe, "train")
    run = TrainingRun(spec=short, model_class=model_class(project, spec), device=torch.device("cpu"))
    result = train(run)
    path = tmp_path_factory.mktemp("models") / "autoencoder.pt"
    save_checkpoint(path, result.model, run.built_with, result.metrics, result.history)
    return {"autoencoder": path}


def assert_readable(figure, page_width: float = PAGE_WIDTH) -> None:
    assert overlapping_texts(figure) == []
    assert smallest_font(figure) >= NOTE_SIZE
    width, _ = drawn_size(figure)
    assert width <= page_width + 0.01  # wider would be shrunk on the page, and its text with it
    english = [text for text in labels(figure) if ENGLISH.search(text.replace("$", ""))]
    assert english == []


@pytest.mark.slow
@pytest.mark.parametrize("draw", UNTRAINED)
def test_diagram_builds_readable_and_sharp(project, draw, tmp_path):
    figure = render(project, draw)
    assert_readable(figure)
    target = tmp_path / f"{draw}.png"
    settings = project.settings  # the course's house style lays figures out for these
    assert (settings.display_dpi, settings.pixel_ratio) == (DISPLAY_DPI, PIXEL_RATIO)
    save_figure(figure, target, "png", settings.display_dpi, settings.pixel_ratio)
    width, _ = image_size(target, "png")
    assert width >= 0.8 * PAGE_WIDTH * DISPLAY_DPI * PIXEL_RATIO  # saved at 2x: sharp on hi-DPI screens


@pytest.mark.slow
@pytest.mark.parametrize("draw", NARROW)
def test_diagram_has_a_phone_layout_as_readable(project, draw):
    assert_readable(render(project, draw, rendering="narrow"), NARROW_WIDTH)


@pytest.mark.course
@pytest.mark.parametrize("draw", TRAINED)
def test_trained_model_figure_builds_readable(project, draw, autoencoder_checkpoint):
    assert_readable(render(project, draw, autoencoder_checkpoint))
    assert_readable(render(project, draw, autoencoder_checkpoint, rendering="narrow"), NARROW_WIDTH)


# Each architecture diagram writes its sizes from the model: change figgen.yaml, the labels follow.
# (figure, model, new architecture values, labels they must produce, labels of the current
# figgen.yaml that must disappear, computed from its full constructor arguments)
CHANGES = [
    ("cnn_diagram", "cnn", {"channels": [6, 12]}, ["6@8×8", "6@4×4", "12@4×4", "12@2×2", "48"],
     lambda a: [f"{a['channels'][0]}@8×8", f"{a['channels'][1]}@2×2"]),
    ("rnn_diagram", "rnn", {"hidden_size": 21}, ["21×21", "21 neurones"],
     lambda a: [f"{a['hidden_size']}×{a['hidden_size']}"]),
    ("lstm_diagram", "lstm", {"hidden_size": 21}, ["h = 21", "21×(21+"], lambda a: [f"h = {a['hidden_size']}"]),
    ("autoencoder_diagram", "autoencoder", {"hidden": [27, 11]}, ["27", "11"], lambda a: [str(a["hidden"][0])]),
    ("enc_dec_diagram", "autoencoder", {"latent": 3}, ["compresse 64 nombres en 3"],
     lambda a: [f"compresse 64 nombres en {a['latent']}"]),
]


@pytest.mark.parametrize("draw, model, change, present, current", CHANGES, ids=[c[0] for c in CHANGES])
def test_diagram_labels_follow_the_model_hyperparameters(project, draw, model, change, present, current):
    from figgen.context import build_untrained
    from course.draw.tracing import constructor_arguments

    spec = project.models[model]
    old = current(constructor_arguments(build_untrained(project, spec), spec.architecture))
    before = labels(render(project, draw))
    figure = render(with_architecture(project, model, **change), draw)
    after = labels(figure)
    for label in present:
        assert any(label in text for text in after), f"{label!r} not in {after}"
    for label in old:
        assert any(label in text for text in before), f"{label!r} not in {before}"
        assert not any(label in text for text in after), f"{label!r} still in {after}"
    assert_readable(figure)


def test_changing_the_cnn_rebuilds_only_the_figures_drawn_from_it(project):
    changed = with_architecture(project, "cnn", channels=[6, 12])
    old = compute(project, SourceIndex(tracked_packages(project))).figures
    new = compute(changed, SourceIndex(tracked_packages(changed))).figures
    stale = {output for output in old if old[output] != new[output]}
    depends = {f.output for f in project.figures if "cnn" in f.architectures or "cnn" in f.models}
    assert "/images/module3/cnn.png" in stale
    assert stale == depends


def test_tracing_reads_shapes_and_leaves_the_model_untouched(project):
    import torch

    from figgen.context import build_untrained
    from course.draw.tracing import feature_map_label, trace

    model = build_untrained(project, project.models["cnn"])
    layers = trace(model, torch.zeros(1, 1, 8, 8))
    assert [layer.kind for layer in layers][:3] == ["Conv2d", "ReLU", "MaxPool2d"]
    assert feature_map_label(layers[0].output_shape) == f"{model.features[0].out_channels}@8×8"
    assert all(not module._forward_hooks for module in model.modules())
    assert model.training  # trace() puts it back in the mode it found it in


def test_christmas_filter_response_peaks_on_the_blue_bauble():
    from course.figures.christmas import blue_disk_filter, christmas_scene, filter_response

    scene = christmas_scene(96, 4)
    response = filter_response(scene.image, blue_disk_filter(4))
    peak = np.unravel_index(np.argmax(response), response.shape)
    assert np.hypot(peak[0] - scene.blue_bauble[0], peak[1] - scene.blue_bauble[1]) <= 1.5


def test_jpeg_files_shrink_as_quality_drops():
    from course.data.photo import grace_hopper
    from course.figures.jpeg import jpeg_round_trip

    photo = grace_hopper(gray=False)
    sizes = [jpeg_round_trip(photo, quality)[1] for quality in (90, 30, 10, 3)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] < photo.width * photo.height * 3


def test_gnn_step_is_the_mean_over_each_neighbourhood():
    from course.figures.gnn import aggregate

    features = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]], dtype=np.float32)
    updated = aggregate(features, [(0, 1), (1, 2)])
    np.testing.assert_allclose(updated[0], [0.5, 0.5])
    np.testing.assert_allclose(updated[1], [4 / 3, 4 / 3], rtol=1e-6)


def test_imagenet_results_name_their_source_and_show_the_2012_drop():
    from course.figures.imagenet import load_results

    results = load_results()
    assert "Russakovsky" in results["source"]
    by_year = {w["year"]: w["top5_error"] for w in results["winners"]}
    assert by_year[2012] == 15.3 and results["runner_up_2012"]["top5_error"] == 26.2
    assert [by_year[year] for year in sorted(by_year)] == sorted(by_year.values(), reverse=True)


def test_french_numbers():
    from course.draw.french import decimal, kilobytes, percent

    assert decimal(15.3) == "15,3"
    assert percent(26.2) == "26,2\u00a0%"
    assert decimal(-0.41, 2) == "\u22120,41"
    assert kilobytes(12345) == "12,3\u00a0ko"
