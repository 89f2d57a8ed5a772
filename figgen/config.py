"""Read and validate `figgen.yaml`: the one place where models and figures are declared.

Every problem is reported with its file and line, and names the accepted keys, because a
course author editing an epoch count should never have to read a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from figgen.atomic import read_json, write_atomically
from figgen.errors import BadInput

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
    key_lines: dict = field(default_factory=dict, compare=False)  # "training.epochs" -> line

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
    images_url: str = field(default="/images", compare=False)  # the project's images prefix

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
    locale: str = ""  # how numbers are written ("en", "fr-FR"); "": the Hugo site's language
    metric_shortcodes: tuple[str, ...] = ("metric",)  # the names a site calls the metric shortcode by


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


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding a figgen.yaml."""
    for folder in [start, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise BadInput(f"no {CONFIG_NAME} in {start} or any folder above it")


def load_project(root: Path, allow_no_figures: bool = False) -> Project:
    """The validated project; served from `.figgen/config.json` while figgen.yaml is unchanged.

    Importing and running the YAML parser costs a quarter of the no-op build's budget, and
    figgen.yaml changes far less often than figgen runs. "Unchanged" is judged by size, mtime,
    ctime and inode: a same-size edit whose mtime was put back still moves ctime.
    """
    project = _load_project(root)
    if not project.figures and not allow_no_figures:
        raise BadInput("declares no figures: add one under `figures:` (or run `figgen new`)", CONFIG_NAME,
                       project.figures_line or 1)
    if not project.package:
        raise BadInput("missing required key 'package': the Python package of your figures", CONFIG_NAME, 1)
    return project


def _load_project(root: Path) -> Project:
    import time

    from figgen.store import stat_signature, trusted

    path = root / CONFIG_NAME
    try:
        signature = [*stat_signature(path), Path(__file__).stat().st_mtime_ns]
    except OSError as error:
        raise BadInput(f"cannot read {CONFIG_NAME}: {error.strerror}") from None
    cache = root / ".figgen" / "config.json"
    cached = read_json(cache) if cache.exists() else None
    if isinstance(cached, dict) and cached.get("signature") == signature and trusted(signature, cached.get("read_at", 0)):
        try:
            return _project_from_cache(root, cached["project"])
        except (KeyError, TypeError, ValueError):
            pass  # a damaged cache is simply rebuilt
    read_at = time.time_ns()
    project = _project_from_document(root, _parse_yaml(_read_text(path), CONFIG_NAME), CONFIG_NAME)
    try:
        # keys in figgen.yaml's order, not sorted: a project read from the cache must equal the
        # project read from figgen.yaml (figgen.json shows the hyperparameters in that order)
        document = {"signature": signature, "read_at": read_at, "project": _project_to_cache(project)}
        write_atomically(cache, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode())
    except OSError:
        pass  # a read-only checkout still works, only slower
    return project


def _read_text(path: Path) -> str:
    data = b""
    try:
        data = path.read_bytes()
        return data.decode("utf-8")
    except OSError as error:
        raise BadInput(f"cannot read {path.name}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BadInput(f"is not UTF-8 text (byte 0x{data[error.start]:02x}): save it as UTF-8", path.name, line) from None


def _project_to_cache(project: Project) -> dict:
    return {
        "package": project.package,
        "site": str(project.site.relative_to(project.root)),
        "content": str(project.content.relative_to(project.root)),
        "models": {name: asdict(spec) for name, spec in project.models.items()},
        "figures": [asdict(figure) for figure in project.figures],
        "figures_line": project.figures_line,
        "settings": asdict(project.settings),
        "cache_url": project.cache_url,
    }


def _project_from_cache(root: Path, document: dict) -> Project:
    figures = [
        FigureSpec(**{**f, "models": tuple(f["models"]), "architectures": tuple(f["architectures"]),
                      "fixed": tuple(f.get("fixed", ()))})
        for f in document["figures"]
    ]
    settings = document["settings"]
    return Project(
        root=root,
        package=document["package"],
        site=root / document["site"],
        content=root / document["content"],
        models={name: ModelSpec(**spec) for name, spec in document["models"].items()},
        figures=figures,
        figures_line=document.get("figures_line", 0),
        settings=Settings(**{**settings, "libraries": tuple(settings["libraries"]),
                              "metric_shortcodes": tuple(settings.get("metric_shortcodes", ("metric",)))}),
        cache_url=document.get("cache_url"),
    )


# --- YAML with line numbers -------------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    line = 0
    key_lines: dict


class _Sequence(list):
    line = 0
    item_lines: list


def _parse_yaml(text: str, filename: str):
    import yaml  # imported here: the rest of figgen can be used without parsing YAML

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # a safe loader: YAML never builds arbitrary Python objects
        pass

    def mapping(loader, node):
        loader.flatten_mapping(node)
        result = _Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise BadInput(f"keys must be text, not {key!r}", filename, key_node.start_mark.line + 1)
            if key in result:
                raise BadInput(f"key '{key}' appears twice", filename, key_node.start_mark.line + 1)
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def sequence(loader, node):
        result = _Sequence(loader.construct_object(item, deep=True) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    try:
        document = yaml.load(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise BadInput(f"malformed YAML: {error.problem or error.context}", filename, line) from None
    except yaml.YAMLError as error:
        raise BadInput(f"malformed YAML: {error}", filename) from None
    _check_expanded_size(document, filename)
    return document


def _check_expanded_size(document, filename: str) -> None:
    """Refuse a document that expands past MAX_YAML_VALUES values (aliases of aliases).

    Aliases share one object while parsed, so the parse is cheap; it is writing the document
    out (config cache, fingerprints) that would blow up. Counting stops at the limit.
    """
    count = 0
    pending = [(document, 1)]
    while pending:
        value, line = pending.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            raise BadInput(f"expands to more than {MAX_YAML_VALUES} values (nested YAML aliases?)", filename, line)
        if isinstance(value, dict):
            lines = getattr(value, "key_lines", {})
            pending.extend((item, lines.get(key, line)) for key, item in value.items())
        elif isinstance(value, list):
            lines = getattr(value, "item_lines", [])
            pending.extend((item, lines[i] if i < len(lines) else line) for i, item in enumerate(value))


# --- validation ---------------------------------------------------------------------------

_TOP_KEYS = {"package", "site", "content", "models", "figures", "images_url", "images_dir", "data_file",
             "pixel_ratio", "display_dpi", "libraries", "missing_image_hint", "rebuild_command", "new_figures", "locale",
             "metric_shortcodes",
             "cache"}
_MODEL_KEYS = {"class", "recipe", "seed", "architecture", "training", "timeout"}
_FIGURE_KEYS = {"output", "draw", "alt", "models", "architectures", "params", "timeout", "caption", "fixed"}


class _Checker:
    """Small typed accessors that turn a wrong value into a located, one-line error."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, message: str, line: int | None) -> BadInput:
        return BadInput(message, self.filename, line)

    def mapping(self, value, where: str, line: int) -> _Mapping:
        if value is None:
            value = _Mapping()
            value.line, value.key_lines = line, {}
        if not isinstance(value, dict):
            raise self.fail(f"{where} must be a mapping, not {_kind(value)}", line)
        return value

    def known_keys(self, mapping: _Mapping, accepted: set[str], where: str, required=()):
        for key in mapping:
            if key not in accepted:
                raise self.fail(
                    f"{where}: unknown key '{key}' (accepted: {', '.join(sorted(accepted))})",
                    mapping.key_lines.get(key, mapping.line),
                )
        for key in required:
            if key not in mapping:
                raise self.fail(f"{where}: missing required key '{key}'", mapping.line)

    def typed(self, mapping: _Mapping, key: str, kind: type, where: str, default=None):
        if key not in mapping:
            return default
        value = mapping[key]
        line = mapping.key_lines.get(key, mapping.line)
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.fail(f"{where}.{key} must be {kind.__name__}, not {_kind(value)}", line)
        return value

    def seconds(self, mapping: _Mapping, where: str, default: float) -> float:
        value = mapping.get("timeout", default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise self.fail(f"{where}.timeout must be a positive number of seconds, not {value!r}",
                            mapping.key_lines.get("timeout", mapping.line))
        return float(value)

    def matching(self, mapping: _Mapping, key: str, pattern: re.Pattern, where: str, what: str):
        value = self.typed(mapping, key, str, where)
        if value is not None and not pattern.match(value):
            raise self.fail(f"{where}.{key} '{value}' is not {what}", mapping.key_lines[key])
        return value

    def names(self, mapping: _Mapping, key: str, where: str) -> tuple[str, ...]:
        value = mapping.get(key, [])
        line = mapping.key_lines.get(key, mapping.line)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{where}.{key} must be a list of model names", line)
        return tuple(value)


def _kind(value) -> str:
    if value is None:
        return "empty"
    for kind, words in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, "text")):
        if isinstance(value, kind):
            return words
    return type(value).__name__


def _project_from_document(root: Path, document, filename: str) -> Project:
    check = _Checker(filename)
    top = check.mapping(document, "the file", 1)
    check.known_keys(top, _TOP_KEYS, "top level")

    package = check.matching(top, "package", IDENTIFIER, "top level", "a Python package name") or ""
    if package == "figgen":
        raise check.fail("package: 'figgen' is the engine; name your own package (e.g. course)", top.key_lines["package"])
    site = root / (check.typed(top, "site", str, "top level") or "site")
    content = root / (check.typed(top, "content", str, "top level") or "content")

    models_node = check.mapping(top.get("models"), "models", top.key_lines.get("models", 1))
    models = {name: _model(check, name, node, models_node.key_lines[name]) for name, node in models_node.items()}
    settings = _settings(check, top, bool(models))

    figures_node = top.get("figures") or _Sequence()
    if not isinstance(figures_node, list):
        raise check.fail("figures must be a list", top.key_lines.get("figures"))
    item_lines = getattr(figures_node, "item_lines", [0] * len(figures_node))
    figures = [_figure(check, node, line, models, settings) for node, line in zip(figures_node, item_lines)]

    first_line: dict[str, int] = {}
    for figure in figures:
        if figure.output in first_line:
            raise check.fail(
                f"{figure.output} is declared twice (first at line {first_line[figure.output]})", figure.line
            )
        first_line[figure.output] = figure.line
    cache = check.mapping(top.get("cache"), "cache", top.key_lines.get("cache", 1))
    check.known_keys(cache, {"url"}, "cache")
    cache_url = check.typed(cache, "url", str, "cache")
    if cache_url and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*@", cache_url):  # figgen.yaml is committed
        raise check.fail("cache.url must not hold credentials: give them in the environment", cache.key_lines["url"])
    project = Project(root=root, package=package, site=site, content=content, models=models, figures=figures,
                      figures_line=top.key_lines.get("figures", 0), settings=settings,
                      cache_url=cache_url)
    _check_placeholders(check, project)
    return project


def _settings(check: _Checker, top: _Mapping, has_models: bool) -> Settings:
    default = Settings()
    where = "top level"
    images_url = check.matching(top, "images_url", URL_PREFIX, where, "a site path prefix like /images")
    libraries = top.get("libraries", list(default.libraries) + (["torch"] if has_models else []))
    if not isinstance(libraries, list) or not all(isinstance(item, str) for item in libraries):
        raise check.fail("libraries must be a list of distribution names, e.g. [matplotlib, numpy]",
                         top.key_lines.get("libraries"))
    ratio = check.typed(top, "pixel_ratio", int, where, default.pixel_ratio)
    dpi = check.typed(top, "display_dpi", int, where, default.display_dpi)
    for key, value in (("pixel_ratio", ratio), ("display_dpi", dpi)):
        if value < 1:
            raise check.fail(f"{key} must be a positive whole number, not {value}", top.key_lines[key])
    return Settings(
        images_url=images_url or default.images_url,
        images_dir=_relative(check, top, "images_dir", default.images_dir),
        data_file=_relative(check, top, "data_file", default.data_file),
        pixel_ratio=ratio,
        display_dpi=dpi,
        libraries=tuple(libraries),
        rebuild_command=check.typed(top, "rebuild_command", str, where, default.rebuild_command),
        missing_image_hint=check.typed(top, "missing_image_hint", str, where, default.missing_image_hint),
        new_figures=check.matching(top, "new_figures", MODULE_PATH, where, "a module path inside the package")
        or default.new_figures,
        locale=_locale(check, top),
        metric_shortcodes=_shortcode_names(check, top, default.metric_shortcodes),
    )


def _locale(check: _Checker, top: _Mapping) -> str:
    value = check.typed(top, "locale", str, "top level", "")
    if value:
        from figgen.numbers import FormatProblem, babel_locale

        try:
            babel_locale(value)
        except FormatProblem as problem:
            raise check.fail(str(problem), top.key_lines["locale"]) from None
    return value


def _shortcode_names(check: _Checker, top: _Mapping, default: tuple[str, ...]) -> tuple[str, ...]:
    names = top.get("metric_shortcodes", list(default))
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and re.fullmatch(r"[\w-]+", n) for n in names):
        raise check.fail("metric_shortcodes must be a list of shortcode names, e.g. [metric]",
                         top.key_lines.get("metric_shortcodes"))
    return tuple(names)


def _relative(check: _Checker, top: _Mapping, key: str, default: str) -> str:
    value = check.typed(top, key, str, "top level", default)
    if Path(value).is_absolute() or ".." in Path(value).parts:
        raise check.fail(f"{key} must be a path inside the site folder, not '{value}'", top.key_lines[key])
    return value


def _texts(check: _Checker, node, where: str) -> dict:
    """caption:, fixed: and the lines of alt/caption, for placeholder errors (issue 12)."""
    fixed = node.get("fixed", [])
    if not isinstance(fixed, list) or not all(isinstance(item, str) for item in fixed):
        raise check.fail(f"{where}.fixed must be a list of texts, e.g. [\"15,3 %\"]", node.key_lines.get("fixed"))
    caption = check.typed(node, "caption", str, where) or ""
    lines = {key: node.key_lines[key] for key in ("alt", "caption") if key in node.key_lines}
    return {"caption": caption.strip(), "fixed": tuple(fixed), "text_lines": lines}


def _check_placeholders(check: _Checker, project: Project) -> None:
    from figgen.placeholders import placeholders_in, syntax_problem

    stems = {f.name for f in project.figures} | {f.name.rsplit("/", 1)[-1] for f in project.figures}
    for figure in project.figures:
        for key in ("alt", "caption"):
            for placeholder in placeholders_in(getattr(figure, key)):
                problem = syntax_problem(placeholder, project.models, stems)
                if problem:
                    raise check.fail(f"figure {figure.output}: {key}: {problem}", figure.text_lines.get(key, figure.line))


def _model(check: _Checker, name: str, node, line: int) -> ModelSpec:
    where = f"models.{name}"
    if not IDENTIFIER.match(name):
        raise check.fail(f"model name '{name}' must be a Python identifier", line)
    node = check.mapping(node, where, line)
    check.known_keys(node, _MODEL_KEYS, where, required=("class", "recipe"))
    architecture = check.mapping(node.get("architecture"), f"{where}.architecture", line)
    training = check.mapping(node.get("training"), f"{where}.training", line)
    key_lines = {f"{block}.{key}": line_ for block, mapping in (("architecture", architecture), ("training", training))
                 for key, line_ in mapping.key_lines.items()}
    key_lines.update(architecture=node.key_lines.get("architecture", line), training=node.key_lines.get("training", line))
    return ModelSpec(
        name=name,
        class_path=check.matching(node, "class", CLASS_PATH, where,
                                  "a module path and class inside the package, like models.cnn.SmallCNN"),
        recipe=check.matching(node, "recipe", MODULE_PATH, where,
                              "a module path inside the package, like recipes.classify_digits"),
        seed=check.typed(node, "seed", int, where, default=0),
        architecture=dict(architecture),
        training=dict(training),
        line=line,
        key_lines=key_lines,
        timeout=check.seconds(node, where, DEFAULT_MODEL_TIMEOUT),
    )


def _figure(check: _Checker, node, line: int, models: dict[str, ModelSpec], settings: Settings) -> FigureSpec:
    node = check.mapping(node, "figure", line)
    output = node.get("output")
    where = f"figure {output}" if isinstance(output, str) else "figure"
    check.known_keys(node, _FIGURE_KEYS, where, required=("output", "draw", "alt"))
    output = check.typed(node, "output", str, where)
    if not site_image_path(settings.images_url).match(output):
        raise check.fail(f"output '{output}' must be {ALLOWED_NAMES.format(prefix=settings.images_url)}",
                         node.key_lines["output"])
    spec = FigureSpec(
        output=output,
        images_url=settings.images_url,
        draw=check.matching(node, "draw", MODULE_PATH, where,
                            "a module path inside the package, like figures.cnn_diagram"),
        alt=check.typed(node, "alt", str, where).strip(),
        models=check.names(node, "models", where),
        architectures=check.names(node, "architectures", where),
        params=dict(check.mapping(node.get("params"), f"{where}.params", line)),
        line=line,
        timeout=check.seconds(node, where, DEFAULT_FIGURE_TIMEOUT),
        **_texts(check, node, where),
    )
    if not spec.alt:
        raise check.fail(f"{where}: alt text must not be empty", node.key_lines["alt"])
    for key in ("models", "architectures"):
        for model in getattr(spec, key):
            if model not in models:
                declared = ", ".join(sorted(models)) or "none"
                raise check.fail(
                    f"{where} uses unknown model '{model}' (declared: {declared})",
                    node.key_lines.get(key, line),
                )
    return spec
