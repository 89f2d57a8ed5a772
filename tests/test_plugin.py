"""figgen as a plugin for any Hugo site (issue 13): the engine apart from this course, the
wheel, `figgen init`, and a real hugo-book site built with figgen's Hugo component."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, TINY, run_figgen
from hugo_site import hugo_binary, parse_page

HUGO_BOOK = Path(os.environ.get("FIGGEN_SHARED", REPO.parent / "shared")) / "themes" / "hugo-book"
SEED_PAGE = REPO.parent / "shared" / "seed" / "architectures-avancees.md"
needs_hugo_book = pytest.mark.skipif(not HUGO_BOOK.is_dir(), reason="../shared/themes/hugo-book is absent")


# --- the engine knows no course -------------------------------------------------------------


def imported_modules(source: Path) -> set[str]:
    """Top-level names of every module a Python file imports (absolute imports)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_the_engine_never_imports_the_course():
    engine = sorted((REPO / "figgen").rglob("*.py"))
    assert len(engine) > 30
    offenders = [str(path.relative_to(REPO)) for path in engine if {"course", "tinyfigs"} & imported_modules(path)]
    assert offenders == []
    assert not (REPO / "figgen" / "figures").exists() and not (REPO / "figgen" / "models").exists()


def test_the_course_is_named_by_its_figgen_yaml():
    from figgen.config import load_project

    project = load_project(REPO)
    assert project.package == "course" and project.package_dir == REPO / "course"
    assert all(figure.draw.startswith("figures.") for figure in project.figures)
    assert {spec.recipe.partition(".")[0] for spec in project.models.values()} == {"recipes"}


def test_module_paths_need_no_fixed_folder_names(fresh_tiny):
    """A figure module anywhere in the package: here at its top, beside shapes.py."""
    (fresh_tiny / "tinyfigs" / "loose.py").write_text(
        "from matplotlib.figure import Figure\n\n\ndef draw(ctx):\n    return Figure(figsize=(2, 1))\n",
        encoding="utf-8")
    with open(fresh_tiny / "figgen.yaml", encoding="utf-8") as handle:
        text = handle.read()
    text = text.replace("figures:\n", "figures:\n  - output: /images/tiny/loose.svg\n    draw: loose\n"
                                      "    alt: Une figure hors du dossier figures\n", 1)
    (fresh_tiny / "figgen.yaml").write_text(text, encoding="utf-8")
    result = run_figgen(fresh_tiny, "build", "loose", check=True)
    assert "/images/tiny/loose.svg" in result.stdout
    svg = fresh_tiny / "site/static/images/tiny/loose.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    entry = json.loads((fresh_tiny / "site/data/figgen.json").read_text(encoding="utf-8"))["figures"]
    assert entry["/images/tiny/loose.svg"]["width"] > 100  # display size, read from the SVG


@pytest.mark.parametrize("image_format, magic", [
    ("png", b"\x89PNG"), ("jpeg", b"\xff\xd8\xff"), ("webp", b"RIFF"), ("svg", b"<?xml")])
def test_a_figure_is_saved_in_the_format_its_extension_names(tmp_path, image_format, magic):
    from matplotlib.figure import Figure

    from figgen.saving import save_figure

    figure = Figure(figsize=(3, 2))
    figure.add_subplot().plot([0, 1, 2], [2, 0, 1])
    target = tmp_path / f"plot.{image_format}"
    width, height = save_figure(figure, target, image_format, display_dpi=100, pixel_ratio=2)
    assert target.read_bytes().startswith(magic)
    assert 560 <= width <= 620 and 380 <= height <= 420  # 3 x 2 inches, 100 CSS px each, at 2x
    first = target.read_bytes()
    save_figure(figure, target, image_format, display_dpi=100, pixel_ratio=2)
    assert target.read_bytes() == first  # the same figure, the same bytes


def test_an_old_short_module_name_gets_a_one_line_hint(fresh_tiny):
    config = fresh_tiny / "figgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("draw: figures.squares", "draw: squares"),
                      encoding="utf-8")
    result = run_figgen(fresh_tiny, "build", "squares")
    assert result.returncode == 2
    assert "no module tinyfigs/squares.py (module paths are relative to the package: write figures.squares)" \
        in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_engine_settings_come_from_figgen_yaml(fresh_tiny):
    config = fresh_tiny / "figgen.yaml"
    text = config.read_text(encoding="utf-8").replace("/images/tiny/", "/figures/tiny/")
    text = text.replace("images_dir: static/images", "images_dir: generated")
    config.write_text(text + "images_url: /figures\ndata_file: generated/figgen.json\npixel_ratio: 1\n"
                      "libraries: [numpy]\n", encoding="utf-8")
    run_figgen(fresh_tiny, "build", "squares", check=True)
    image = fresh_tiny / "site/generated/tiny/squares.png"
    document = json.loads((fresh_tiny / "site/generated/figgen.json").read_text(encoding="utf-8"))
    entry = document["figures"]["/figures/tiny/squares.png"]
    from figgen.saving import image_size

    assert image_size(image, "png") == (entry["width"], entry["height"])  # pixel ratio 1: saved at display size
    assert document["settings"]["images_url"] == "/figures"


# --- installable alone ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"  # a clean copy: no build/ or egg-info of the editable install
    leftovers = shutil.ignore_patterns(".venv", ".git", ".figgen", ".tools", "*.egg-info", "__pycache__", "public",
                                       "resources", "static")
    # setuptools' own build/ folder at the top, never the engine's figgen/build package
    ignore = lambda folder, names: leftovers(folder, names) | ({"build"} if Path(folder) == REPO else set())  # noqa: E731
    shutil.copytree(REPO, source, ignore=ignore)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(folder), str(source)], check=True, capture_output=True, timeout=300)
    return next(folder.glob("figgen-*.whl"))


@pytest.mark.slow
def test_the_wheel_holds_the_engine_and_its_hugo_component_only(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert all(name.startswith(("figgen/", "figgen-")) for name in names), names
    assert not [name for name in names if re.search(r"corpus|recipes/|models/|draw/|ilsvrc|course", name)]
    component = "figgen/themes/figgen/"
    for part in ("hugo.toml", "i18n/fr.yaml", "i18n/en.yaml", "layouts/_markup/render-image.html",
                 "layouts/_shortcodes/figgen-figure.html", "assets/figgen/figgen.css", "layouts/_shortcodes/metric.html",
                 "layouts/_partials/figgen/resolve-image.html", "layouts/_partials/figgen/metric.html"):
        assert component + part in names
    for shipped in ("config/figgen.schema.json", "templates/recipe.py.j2", "templates/model.py.j2"):
        assert "figgen/" + shipped in names  # `figgen init`'s schema line, `figgen new --recipe`
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    plain = [r for r in requires if "extra ==" not in r]
    assert not [r for r in plain if re.match(r"(torch|scikit-learn|pillow)\b", r, re.IGNORECASE)], plain
    assert any(r.startswith("torch") and 'extra == "torch"' in r for r in requires)


@pytest.mark.slow
def test_the_wheel_alone_inits_and_builds_a_site_without_torch(wheel, tmp_path):
    """A fresh venv that sees no system package: the wheel and its dependencies only."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600,
                   capture_output=True)
    assert subprocess.run([str(python), "-c", "import torch"], capture_output=True).returncode != 0
    figgen = str(venv / "bin" / "figgen")
    assert "init" in subprocess.run([figgen, "--help"], capture_output=True, text=True, check=True).stdout
    site = new_hugo_site(tmp_path / "site")
    subprocess.run([figgen, "init"], cwd=site, check=True, capture_output=True, timeout=60)
    result = subprocess.run([figgen, "build"], cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "assets" / "images" / "example.png").stat().st_size > 1000
    assert json.loads((site / "data" / "figgen.json").read_text(encoding="utf-8"))["figures"]["/images/example.png"]


# --- figgen init ----------------------------------------------------------------------------


def new_hugo_site(folder: Path, theme: str | None = None, extra: str = "") -> Path:
    """A Hugo site as its author has it, with no figgen in it (`extra`: more top-level settings)."""
    (folder / "content" / "docs").mkdir(parents=True)
    config = 'baseURL = "https://example.org/"\ntitle = "A site"\n' + extra
    if theme:
        shutil.copytree(HUGO_BOOK, folder / "themes" / theme)
        config += f'theme = "{theme}"\n'
    config += 'disableKinds = ["taxonomy", "term", "rss", "sitemap"]\n\n[params]\n  BookSection = "docs"\n'
    (folder / "hugo.toml").write_text(config, encoding="utf-8")
    return folder


def hugo(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([hugo_binary(), "--source", str(site), "--destination", str(site / "public"),
                           "--panicOnWarning", "--cleanDestinationDir"], capture_output=True, text=True, timeout=300)


def test_init_outside_a_hugo_site_is_one_line_and_exit_2(tmp_path):
    result = run_figgen(tmp_path, "init")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("HEAVY-IMPORTS")]
    assert lines == [f"figgen: error: {tmp_path} is not a Hugo site (no hugo.toml, hugo.yaml or config.toml): "
                     "run figgen init in your site's folder"]
    assert list(tmp_path.iterdir()) == []


def test_init_sets_up_a_site_and_refuses_to_overwrite(tmp_path):
    site = new_hugo_site(tmp_path / "site")
    (site / ".gitignore").write_text("/public/\n", encoding="utf-8")
    result = run_figgen(site, "init", check=True)
    assert "paste into a page:  ![](/images/example.png)" in result.stdout and "figgen build" in result.stdout
    assert (site / "figcode" / "figures" / "example.py").is_file() and (site / "themes/figgen/layouts/_markup").is_dir()
    config = (site / "hugo.toml").read_text(encoding="utf-8")
    assert 'theme = ["figgen"]' in config and "wrapStandAloneImageWithinParagraph" not in config  # none needed
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.figgen/*" in ignored and "!/.figgen/figgen.schema.json" in ignored and "/resources/_gen/" in ignored
    assert (site / ".figgen" / "figgen.schema.json").is_file()  # committed: a fresh clone's editor has it
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}

    again = run_figgen(site, "init")
    assert again.returncode == 2 and "figgen.yaml already exists: figgen init never overwrites" in again.stderr
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_init_keeps_a_theme_with_its_own_image_hook_first_and_reads_single_quotes(tmp_path):
    site = new_hugo_site(tmp_path / "site", extra="theme = 'PaperMod'\n")  # as `hugo new site` writes it
    hook = site / "themes" / "PaperMod" / "layouts" / "_markup" / "render-image.html"
    hook.parent.mkdir(parents=True)
    hook.write_text('<img src="{{ .Destination }}" loading="lazy">', encoding="utf-8")
    config = site / "hugo.toml"
    result = run_figgen(site, "init", check=True)
    assert 'theme = ["PaperMod", "figgen"]' in config.read_text(encoding="utf-8")
    assert "PaperMod has its own image render hook" in result.stdout
    assert 'paste into a page:  {{< figgen-figure src="/images/example.png" >}}' in result.stdout
    added = run_figgen(site, "new", "/images/second.png", "--alt", "A second figure", check=True)
    assert 'paste into a page:  {{< figgen-figure src="/images/second.png" >}}' in added.stdout


def test_init_prints_the_lines_it_cannot_write(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "hugo.yaml").write_text("title: A site\ntheme: mytheme\n", encoding="utf-8")
    result = run_figgen(site, "init", check=True)
    assert "add to hugo.yaml (figgen could not edit it safely):" in result.stdout
    assert 'theme = ["figgen", ...your theme...]' in result.stdout
    assert (site / "hugo.yaml").read_text(encoding="utf-8") == "title: A site\ntheme: mytheme\n"


# --- proof on a real theme ------------------------------------------------------------------

DEMO_PAGE = """\
---
title: "Demo"
---

Two figures drawn by figgen.

![](/images/example.png)

![A line fitted by a tiny model](/images/fit.png "The line a tiny model learned")
"""


@pytest.fixture(scope="module")
def book_site(tmp_path_factory) -> Path:
    """A hugo-book site after `figgen init`, a page with two figures, and `figgen build`."""
    if not HUGO_BOOK.is_dir():
        pytest.skip("../shared/themes/hugo-book is absent")
    site = new_hugo_site(tmp_path_factory.mktemp("book") / "site", theme="hugo-book")
    run_figgen(site, "init", check=True)
    config = (site / "hugo.toml").read_text(encoding="utf-8")
    assert 'theme = ["hugo-book", "figgen"]' in config  # hugo-book has its own image hook: it stays first
    # The author may put figgen first: its hook then renders Markdown figures (no site-wide setting).
    (site / "hugo.toml").write_text(config.replace('["hugo-book", "figgen"]', '["figgen", "hugo-book"]'),
                                    encoding="utf-8")
    for folder in ("models", "recipes"):  # the tiny project's linear model and its recipe
        shutil.copytree(TINY / "tinyfigs" / folder, site / "figcode" / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(TINY / "tinyfigs" / "figures" / "fit.py", site / "figcode" / "figures" / "fit.py")
    with open(site / "figgen.yaml", "a", encoding="utf-8") as config:
        config.write("  - output: /images/fit.png\n    draw: figures.fit\n    alt: A line fitted to points\n"
                     "    models: [line]\n\nmodels:\n  line:\n    class: models.line.LineModel\n"
                     "    recipe: recipes.fit_line\n    seed: 3\n    architecture: {inputs: 1}\n"
                     "    training: {epochs: 30, learning_rate: 0.1}\n")
    (site / "content" / "docs" / "demo.md").write_text(DEMO_PAGE, encoding="utf-8")
    run_figgen(site, "build", check=True)
    return site


@pytest.mark.slow
@needs_hugo_book
def test_a_hugo_book_site_shows_both_figures_with_alt_and_caption(book_site):
    result = hugo(book_site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = parse_page(book_site / "public" / "docs" / "demo" / "index.html")
    by_src = {figure["img"]["src"]: figure for figure in page.figures}
    assert set(by_src) == {"/images/example.png", "/images/fit.png"}
    example, fit = by_src["/images/example.png"], by_src["/images/fit.png"]
    assert example["img"]["alt"].startswith("A sine wave")  # empty in the page: from figgen.yaml
    assert example["caption"].startswith("Figure 1") and "sine wave" not in example["caption"]  # never the alt twice
    assert fit["img"]["alt"] == "A line fitted by a tiny model"
    assert fit["caption"] == "Figure 2: The line a tiny model learned"
    assert int(fit["img"]["width"]) > 100 and (book_site / "public" / "images" / "fit.png").is_file()
    assert "book-menu" in (book_site / "public" / "docs" / "demo" / "index.html").read_text(encoding="utf-8")


@needs_hugo_book
def test_a_missing_image_fails_hugo_with_page_and_line(book_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(book_site, site, ignore=shutil.ignore_patterns("public", "resources"))
    (site / "content" / "docs" / "broken.md").write_text(
        "---\ntitle: Broken\n---\n\nText.\n\n![A chart](/images/nowhere.png)\n", encoding="utf-8")
    result = hugo(site)
    assert result.returncode != 0
    assert 'content/docs/broken.md:7: the page shows the image "/images/nowhere.png", which does not exist' \
        in result.stdout + result.stderr


@pytest.mark.course
@needs_hugo_book
def test_the_reference_page_builds_on_hugo_book_with_the_course_package(tmp_path):
    if not SEED_PAGE.is_file():
        pytest.skip("../shared/seed is absent")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("course", "content", ".figgen"):  # the course's trained models are reused
        if (REPO / name).exists():
            shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.lock"))
    shutil.copy(REPO / "figgen.yaml", project / "figgen.yaml")
    shutil.copy(SEED_PAGE, project / "content/docs/module3" / SEED_PAGE.name)
    site = new_hugo_site(project / "site", theme="hugo-book", extra='defaultContentLanguage = "fr"\n')
    shutil.rmtree(site / "content")
    # figgen's component and the course's `metrique`, as the course site has them
    shutil.copytree(REPO / "figgen" / "themes" / "figgen", site / "themes" / "figgen")
    shutil.copytree(REPO / "site" / "layouts" / "_shortcodes", site / "layouts" / "_shortcodes")
    config = (site / "hugo.toml").read_text(encoding="utf-8").replace('theme = "hugo-book"',
                                                                      'theme = ["figgen", "hugo-book"]')
    config += ('[module]\n  [[module.mounts]]\n    source = "../content"\n    target = "content"\n'
               '  [[module.mounts]]\n    source = "static/images"\n    target = "assets/images"\n'
               '[markup.goldmark.parser]\n  wrapStandAloneImageWithinParagraph = false\n'
               # module 3's claims hold metric shortcodes, whose <data> a {{% %}} mark passes through Goldmark
               '[markup.goldmark.renderer]\n  unsafe = true\n')
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    run_figgen(project, "build", timeout=900, check=True)
    result = hugo(site)
    assert result.returncode == 0, result.stdout + result.stderr
    from figgen.content_scan import references_in

    shown = {ref.src for ref in references_in(SEED_PAGE, SEED_PAGE.read_text(encoding="utf-8"))}
    html = next((site / "public" / "docs" / "module3").glob("architectures-avancees*/index.html"))
    page = parse_page(html)
    assert {img["src"] for img in page.images} >= shown
    assert all(figure["caption"] and figure["img"]["alt"] for figure in page.figures)
    for src in shown:
        assert (site / "public" / src.lstrip("/")).is_file(), src
