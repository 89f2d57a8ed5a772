"""What figgen.yaml declares, as the engine reads it: frozen dataclasses and their defaults.

These are what every other module sees (`Project`, `ModelSpec`, `FigureSpec`, `Settings`); the
schema that checks figgen.yaml (schema.py) fills them, the config cache (cache.py) saves them.
Importing this module costs no YAML parser and no pydantic: the no-op build reads only this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


CONFIG_NAME = "figgen.yaml"

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Module paths inside the project's package: `figures.cnn_diagram`, `models.cnn.SmallCNN`.
MODULE_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
CLASS_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
# Folder and file names: letters (accents allowed: réseau.png), digits, '-' and '_'.
IMAGE_FORMATS = ("png", "svg", "jpg", "jpeg", "webp")  # saved in the format its extension names
_IMAGE_TAIL = r"/(?:[^\W][\w-]*/)*[^\W][\w-]*\.(?:" + "|".join(IMAGE_FORMATS) + ")$"
URL_PREFIX = re.compile(r"^(?:/[^\W][\w-]*)+$")
ALLOWED_NAMES = ("a site path like {prefix}/module3/name.png whose folder and file names use only letters "
                 "(accents allowed), digits, '-' and '_' (no spaces, no '..'), ending in .png, .svg, .jpg or .webp")


def site_image_path(prefix: str = "/images") -> re.Pattern:
    """The site paths a figure may have: under the images prefix, with a known image extension."""
    return re.compile("^" + re.escape(prefix) + _IMAGE_TAIL)


SITE_IMAGE_PATH = site_image_path()
DEFAULT_LIBRARIES = ("matplotlib", "numpy")  # + torch where models are declared

DEFAULT_MODEL_TIMEOUT = 600.0  # seconds a model may train before its worker is stopped
DEFAULT_FIGURE_TIMEOUT = 120.0  # seconds a figure may draw
MAX_YAML_VALUES = 20_000  # nested aliases can expand a small file a billion-fold


@dataclass(frozen=True)
class ModelSpec:
    """A model to train: its class, its training recipe and their hyperparameters."""

    name: str
    class_path: str  # "models.cnn.SmallCNN": class SmallCNN in <package>/models/cnn.py
    recipe: str  # "recipes.classify_digits": <package>/recipes/classify_digits.py
    seed: int
    architecture: dict
    training: dict
    line: int = 0
    timeout: float = DEFAULT_MODEL_TIMEOUT
    env: tuple[str, ...] = ()  # environment variables its training may read (figgen/hermetic.py)
    key_lines: dict = field(default_factory=dict, compare=False)  # "training.epochs" -> line
    export: str = ""  # "onnx": published for the browser (figgen/export/); "": not exported

    @property
    def module(self) -> str:
        return self.class_path.rsplit(".", 1)[0]

    @property
    def class_name(self) -> str:
        return self.class_path.rsplit(".", 1)[1]


@dataclass(frozen=True)
class FigureSpec:
    """An image of the site and the function that draws it."""

    output: str  # site path, e.g. /images/module3/cnn.png
    draw: str  # module of the package holding `draw(ctx)`, e.g. figures.cnn_diagram
    alt: str
    models: tuple[str, ...] = ()  # trained models the drawing reads
    architectures: tuple[str, ...] = ()  # untrained models it only traces
    params: dict = field(default_factory=dict)
    line: int = 0
    timeout: float = DEFAULT_FIGURE_TIMEOUT
    # a caption with placeholders, and hand-typed numbers allowed as they are
    caption: str = ""
    fixed: tuple[str, ...] = ()  # published or defined numbers, e.g. "15,3 %" (ImageNet 2012)
    text_lines: dict = field(default_factory=dict, compare=False)  # "alt"/"caption" -> line
    # {"alt": {"de": "..."}, "caption": {...}}: the texts given per language (translations.py);
    # `alt` and `caption` above hold the default language's
    translations: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict, compare=False)  # "params.qualities" -> line
    images_url: str = field(default="/images", compare=False)  # the project's images prefix
    renderings: tuple[str, ...] = ()  # (light, dark): drawn once per colour scheme (renderings.py)
    rendering: str = ""  # which of them this spec draws; "" where none are declared
    env: tuple[str, ...] = ()  # environment variables its drawing may read (figgen/hermetic.py)

    @property
    def name(self) -> str:
        """`module3/cnn` for `/images/module3/cnn.png`: what `figgen build NAME` accepts."""
        return self.output[len(self.images_url) + 1 :].rsplit(".", 1)[0]

    @property
    def format(self) -> str:
        """png, svg, jpeg or webp: what its extension names."""
        extension = self.output.rsplit(".", 1)[1].lower()
        return "jpeg" if extension == "jpg" else extension


@dataclass(frozen=True)
class ClaimSpec:
    """A sentence's condition over metrics and facts (claims.py): `claims:` in figgen.yaml."""

    name: str
    condition: str  # "@jpeg_vs_autoencoder.ae_mse < @jpeg_vs_autoencoder.jpeg_mse_same_bytes"
    line: int = 0


@dataclass(frozen=True)
class Settings:
    """What the engine decides for every project, each with a default a site can override."""

    images_url: str = "/images"  # the site path prefix of every figure
    images_dir: str = "assets/images"  # where that prefix's files go, relative to the site: an assets
    # folder, so that figgen's Hugo component finds them through the site's mounts
    data_file: str = "data/figgen.json"  # what Hugo reads about figures and models, relative to the site
    pixel_ratio: int = 2  # figures are saved at this many pixels per CSS pixel (hi-DPI)
    display_dpi: int = 100  # CSS pixels per inch of a matplotlib figure
    libraries: tuple[str, ...] = DEFAULT_LIBRARIES  # whose versions enter the fingerprints
    rebuild_command: str = "figgen build"  # what draws the figures, as the site's authors type it
    missing_image_hint: str = "run figgen build"  # what a page with a missing or stale figure is told
    new_figures: str = "figures"  # the module of the package where `figgen new` writes a figure
    new_models: str = "models"  # ... where `figgen new --recipe` writes a model class
    new_recipes: str = "recipes"  # ... and its training recipe
    locale: str = ""  # how numbers are written ("en", "fr-FR"); "": the Hugo site's language
    metric_shortcodes: tuple[str, ...] = ("metric",)  # the names a site calls the metric shortcode by
    renderings: tuple[str, ...] = ()  # every figure's default `renderings:` (renderings.py)
    hand_typed: str = "figgen"  # where check looks for hand-typed numbers (hand_typed_scope.py)
    missing_translation: str = "default"  # a language without its own alt/caption: "default" or "warn"
    claim_shortcodes: tuple[str, ...] = ("figgen-claim",)  # the names a page marks a claim by
    env: tuple[str, ...] = ()  # environment variables every task may read (figgen/hermetic.py)


@dataclass(frozen=True)
class Project:
    root: Path
    package: str
    site: Path
    content: Path
    models: dict[str, ModelSpec]
    figures: list[FigureSpec]
    figures_line: int = 0  # where `figures:` is in figgen.yaml, to point at an empty list
    settings: Settings = field(default_factory=Settings)
    cache_url: str | None = None  # `cache: {url: ...}`: a remote cache (figgen/remote_cache.py)
    claims: tuple[ClaimSpec, ...] = ()  # sentences the build checks (figgen/claims.py)
    cache_timeout: float = 5.0  # `cache: {timeout: ...}`: seconds to connect, and per read (remote_guard.py)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def static(self) -> Path:
        """Hugo's static folder: any image a page shows that no figure draws."""
        return self.site / "static"

    @property
    def images(self) -> Path:
        """The folder the images prefix serves (site/static/images by default)."""
        return self.site / self.settings.images_dir

    @property
    def data_file(self) -> Path:
        return self.site / self.settings.data_file

    def site_file(self, site_path: str) -> Path:
        """The file of the images folder a site path under the images prefix names."""
        return self.images / site_path[len(self.settings.images_url) + 1 :]

    @property
    def cache(self) -> Path:
        return self.root / ".figgen"

    @property
    def package_dir(self) -> Path:
        return self.root / self.package

    def output_file(self, figure: FigureSpec) -> Path:
        return self.site_file(figure.output)
