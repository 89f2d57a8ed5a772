"""The results figures draw from trained models: small ones, trained here in a few seconds.

Each figure is drawn through the real FigureContext (as `figgen build` does), rendered to PNG,
and checked for text that overlaps other text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course_models import SMALL, as_trained, course, train

RESULTS = {
    "cnn_filters": ["cnn"],
    "cnn_feature_maps": ["cnn"],
    "cnn_learning_curves": ["cnn"],
    "cnn_confusion": ["cnn"],
    "memory_by_delay": ["rnn", "lstm"],
    "vanishing_gradient": ["rnn", "lstm"],
    "next_word": ["lm"],
    "autoencoder_reconstructions": ["autoencoder"],
    "latent_space": ["autoencoder"],
    "jpeg_vs_autoencoder": ["autoencoder"],
}


@pytest.fixture(scope="module")
def trained():
    """Every course model on its small budget, as a figure's ctx.model() returns it."""
    project = course()
    models = {}
    for name in SMALL:
        result, run = train(name, SMALL[name], project=project)
        models[name] = as_trained(name, result, run)
    return project, models


def test_every_results_figure_is_declared_with_the_models_it_reads():
    project = course()
    declared = {figure.draw.removeprefix("figures."): figure for figure in project.figures
                if figure.rendering in ("", "light")}  # the figure as declared, not its dark rendering
    for draw, models in RESULTS.items():
        assert draw in declared, f"{draw} is not in figgen.yaml"
        assert sorted(declared[draw].models) == sorted(models)
        assert declared[draw].output == f"/images/module3/{draw}.png"


@pytest.mark.course
@pytest.mark.parametrize("draw", list(RESULTS))
def test_results_figure_draws(trained, draw, tmp_path):
    from course.draw.measure import drawn_size, overlapping_texts, smallest_font
    from course.draw.style import NOTE_SIZE, PAGE_WIDTH
    from figgen.context import FigureContext
    from figgen.loader import project_attribute
    from figgen.saving import image_size, save_figure

    project, models = trained
    figure_spec = next(figure for figure in project.figures if figure.draw == f"figures.{draw}")
    checkpoints = {name: Path(f"in-memory-{name}.pt") for name in figure_spec.models}
    loaded = {checkpoints[name]: models[name] for name in figure_spec.models}
    ctx = FigureContext(project, figure_spec, checkpoints, loaded)
    figure = project_attribute(project.root, project.package, f"figures.{draw}", "draw")(ctx)

    target = tmp_path / f"{draw}.png"
    save_figure(figure, target, "png", 100, 2)
    width, height = image_size(target, "png")
    assert width > 400 and height > 200
    assert drawn_size(figure)[0] <= PAGE_WIDTH + 0.01  # wider would be shrunk on the page, text with it
    assert smallest_font(figure) >= NOTE_SIZE
    assert overlapping_texts(figure) == []
