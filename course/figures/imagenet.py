"""ILSVRC winners' top-5 error by year: the 2012 drop that started the deep-learning era."""

from __future__ import annotations

from importlib import resources

import yaml

import course.data
from course.draw.dark import for_rendering
from course.draw.french import decimal, percent
from course.draw.legend import Entry, legend
from course.draw.style import INK, LABEL_SIZE, NARROW_WIDTH, NOTE_SIZE, PAGE_WIDTH, PALETTE, is_narrow, new_figure

RESULTS = "ilsvrc_top5.yaml"
CLASSIC = "#9A9A9A"  # hand-engineered features + SVM: a neutral grey against the CNNs' colour


def load_results() -> dict:
    return yaml.safe_load(resources.files(course.data).joinpath(RESULTS).read_text(encoding="utf-8"))


def _bar(ax, x: float, width: float, value: float, colour: str, highlight: bool = False) -> None:
    """A bar and its value above it, in French ("15,3 %")."""
    ax.bar(x, value, width, color=colour, edgecolor=INK if highlight else "none", linewidth=1.2, zorder=2)
    if highlight:  # starts at the bar's left edge, clear of the runner-up's bar beside it
        ax.text(x - width / 2, value + 0.5, percent(value), ha="left", va="bottom", fontsize=NOTE_SIZE,
                fontweight="bold", color=INK, zorder=3)
    else:  # on a white patch, where it crosses the dashed "humain" line
        ax.text(x, value + 0.5, percent(value), ha="center", va="bottom", fontsize=NOTE_SIZE, color=INK, zorder=3,
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))


def draw(ctx):
    results = load_results()
    if is_narrow(ctx):  # a phone's rendering: the same bars, laid horizontally
        return for_rendering(_draw_narrow(results), ctx.rendering)
    winners = results["winners"]
    runner_up = results["runner_up_2012"]
    alexnet = next(w for w in winners if w["year"] == 2012)
    figure = new_figure(PAGE_WIDTH, 3.9)
    ax = figure.add_axes((0.09, 0.25, 0.89, 0.64))

    bar = 0.62
    for w in winners:
        if w is not alexnet:
            _bar(ax, w["year"], bar, w["top5_error"], PALETTE["convolution"] if w.get("deep") else CLASSIC)
    # 2012 holds two bars: the best classic method (2nd) and, beside it, AlexNet
    _bar(ax, 2012 - bar / 4, bar / 2, runner_up["top5_error"], CLASSIC)
    _bar(ax, 2012 + bar / 4, bar / 2, alexnet["top5_error"], PALETTE["convolution"], highlight=True)
    ax.text(2012 - bar / 4, 7.0, f"2ᵉ : {runner_up['team']}", rotation=90, ha="center", va="bottom",
            fontsize=NOTE_SIZE, color="white")
    drop = runner_up["top5_error"] - alexnet["top5_error"]
    ax.annotate(
        f"2012 : AlexNet, un CNN profond\nentraîné sur GPU : {decimal(drop)} points\nd'erreur de moins que le 2ᵉ",
        xy=(2012 + bar / 2 + 0.03, 11.5), xytext=(2012.75, 24.5), fontsize=LABEL_SIZE, color=INK, va="center",
        arrowprops=dict(arrowstyle="-|>", color=PALETTE["neutral"], linewidth=1.3, shrinkA=4, shrinkB=2,
                        mutation_scale=11),
    )

    human = results["human_top5_error"]
    ax.axhline(human, color=PALETTE["neutral"], linestyle=(0, (4, 3)), linewidth=1.1, zorder=1)
    ax.text(2015.4, human, f"humain :\n{percent(human)}", ha="left", va="center", fontsize=NOTE_SIZE,
            color=PALETTE["neutral"], bbox=dict(boxstyle="square,pad=0.15", facecolor="white", edgecolor="none"))

    ax.set_xticks([w["year"] for w in winners],
                  [f"{w['year']}\n{w['model'] if w.get('deep') else w['team']}" for w in winners])
    ax.tick_params(axis="x", length=0, labelsize=NOTE_SIZE)
    ax.set_xlim(2009.5, 2016.05)
    ax.set_ylim(0, 31)
    ax.set_yticks(range(0, 31, 5), [str(v) for v in range(0, 31, 5)])
    ax.set_ylabel("Erreur top-5 (%)")
    ax.grid(axis="y", color=PALETTE["light"], linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title("ILSVRC (ImageNet) : erreur top-5 du gagnant de chaque année", fontsize=LABEL_SIZE + 1, pad=10)
    legend(ax, [Entry("méthodes classiques (descripteurs + SVM)", CLASSIC),
                Entry("réseaux convolutifs profonds", PALETTE["convolution"])], anchor=(0.5, -0.2))
    figure.text(0.01, 0.005, f"Source : {results['source']}", ha="left", va="bottom", fontsize=NOTE_SIZE,
                color=PALETTE["neutral"])
    return for_rendering(figure, ctx.rendering)  # the dark one: course/draw/dark.py


def _draw_narrow(results: dict):
    """For a phone: one horizontal bar a year, top to bottom, so that team names and notes get
    a line of their own and the text keeps its size once the page shrinks the figure."""
    winners = results["winners"]
    runner_up = results["runner_up_2012"]
    figure = new_figure(NARROW_WIDTH, 6.4)
    ax = figure.add_axes((0.27, 0.27, 0.62, 0.62))
    rows = {w["year"]: i for i, w in enumerate(winners)}
    bar = 0.66
    for w in winners:
        y, height = rows[w["year"]], bar
        if w["year"] == 2012:  # two bars: the best classic method (2nd, named in the note) above AlexNet
            _bar_across(ax, y - bar / 4, bar / 2, runner_up["top5_error"], CLASSIC)
            y, height = y + bar / 4, bar / 2
        _bar_across(ax, y, height, w["top5_error"], PALETTE["convolution"] if w.get("deep") else CLASSIC,
                    highlight=w["year"] == 2012)
    alexnet = next(w for w in winners if w["year"] == 2012)
    drop = runner_up["top5_error"] - alexnet["top5_error"]
    ax.annotate(f"AlexNet, CNN profond\nentraîné sur GPU :\n{decimal(drop)} points d'erreur\nde moins que le 2ᵉ\n"
                f"({runner_up['team']}, en gris)",
                xy=(alexnet["top5_error"] + 3, rows[2012] + bar / 2), xytext=(13.2, rows[2014] + 0.6),
                fontsize=LABEL_SIZE, color=INK, va="center", ha="left",
                arrowprops=dict(arrowstyle="-|>", color=PALETTE["neutral"], linewidth=1.3, shrinkA=4, shrinkB=2,
                                mutation_scale=11))
    human = results["human_top5_error"]
    last = len(winners)  # a row under the bars for the human's line to be named
    ax.axvline(human, color=PALETTE["neutral"], linestyle=(0, (4, 3)), linewidth=1.1, zorder=1)
    ax.text(human + 0.6, last - 0.1, f"humain : {percent(human)}", ha="left", va="center", fontsize=NOTE_SIZE,
            color=PALETTE["neutral"])
    ax.set_yticks(list(rows.values()),
                  [f"{w['year']}\n{w['model'] if w.get('deep') else w['team']}" for w in winners])
    ax.tick_params(axis="y", length=0, labelsize=NOTE_SIZE)
    ax.set_ylim(last + 0.4, -0.6)
    ax.set_xlim(0, 31)
    ax.set_xticks(range(0, 31, 10), [str(v) for v in range(0, 31, 10)])
    ax.set_xlabel("Erreur top-5 (%)")
    ax.grid(axis="x", color=PALETTE["light"], linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title("ILSVRC (ImageNet) : erreur top-5\ndu gagnant de chaque année", fontsize=LABEL_SIZE + 1, pad=10,
                 loc="left", x=-0.4)
    legend(ax, [Entry("méthodes classiques\n(descripteurs + SVM)", CLASSIC),
                Entry("réseaux convolutifs profonds", PALETTE["convolution"])], anchor=(-0.4, -0.13), loc="upper left",
           columns=1)
    source = results["source"].replace(" ; ", " ;\n")
    figure.text(0.01, 0.005, f"Source : {source}", ha="left", va="bottom", fontsize=NOTE_SIZE, color=PALETTE["neutral"])
    return figure


def _bar_across(ax, y: float, height: float, value: float, colour: str, highlight: bool = False) -> None:
    """A horizontal bar and its value after it."""
    ax.barh(y, value, height, color=colour, edgecolor=INK if highlight else "none", linewidth=1.2, zorder=2)
    ax.text(value + 0.6, y, percent(value), ha="left", va="center", fontsize=NOTE_SIZE, color=INK, zorder=3,
            fontweight="bold" if highlight else "normal",
            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
