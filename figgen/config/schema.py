"""figgen.yaml's structure, declared once as pydantic models: what validates it, what editors read.

`figgen schema` prints the JSON Schema these types generate (figgen/config/figgen.schema.json is
that output, shipped in the wheel); `project_from_document` validates a parsed figgen.yaml with
them and fills the engine's dataclasses (model.py). The few rules a JSON Schema cannot say (a
figure's model must be declared, an output appears once, placeholders) follow the validation,
located through the same line map.

Imported only when figgen.yaml changed: the no-op build reads the config cache and never pays
for pydantic.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from figgen.config.model import (ALLOWED_NAMES, CLASS_PATH, CONFIG_NAME, DEFAULT_FIGURE_TIMEOUT, DEFAULT_LIBRARIES,
                                 DEFAULT_MODEL_TIMEOUT, IDENTIFIER, MODULE_PATH, URL_PREFIX, ClaimSpec, FigureSpec, ModelSpec,
                                 Project, Settings, site_image_path)
from figgen.config.typed_values import located
from figgen.config.yaml_lines import LineMap
from figgen.errors import BadInput
from figgen.config.package_folder import missing_package
from figgen.redact import credential_problem, redact
from figgen.renderings import declared_renderings

SCHEMA_ID = "https://figgen.dev/figgen.schema.json"

# What a value failing its pattern should have been, as the error says it.
_MEANING = {
    "package": "a Python package name",
    "class": "a module path and class inside the package, like models.cnn.SmallCNN",
    "recipe": "a module path inside the package, like recipes.classify_digits",
    "draw": "a module path inside the package, like figures.cnn_diagram",
    "new_figures": "a module path inside the package",
    "new_recipes": "a module path inside the package",
    "new_models": "a module path inside the package",
    "images_url": "a site path prefix like /images",
}


class _Strict(BaseModel):
    # YAML values are JSON values: no "3" for 3, no true for 1; a misspelt key is an error.
    model_config = ConfigDict(extra="forbid", strict=True)


# What `env:` lists: names of environment variables (figgen/hermetic.py).
EnvironmentName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
_ENV = "environment variables its tasks may read, e.g. [DATA_VERSION]; each in the key by digest"


def _listed(value):
    """`models: cnn` means `models: [cnn]`."""
    return [value] if isinstance(value, str) else value


class CacheDeclaration(_Strict):
    """A remote cache shared by clones and CI (README: Share trained models)."""

    url: Optional[str] = Field(None, description="file:///path or s3://bucket/prefix; credentials come from the "
                                                 "environment, never from this file")
    timeout: float = Field(5.0, gt=0, le=600, description="seconds to connect to the remote, and to wait for each "
                                                          "answer; the first failure turns it off for the build")


class ModelDeclaration(_Strict):
    """A model to train: its class, its recipe, and the blocks they are built from."""

    class_path: str = Field(alias="class", pattern=CLASS_PATH.pattern,
                            description="module path and class inside the package, e.g. models.cnn.SmallCNN")
    recipe: str = Field(pattern=MODULE_PATH.pattern,
                        description="module of the package whose train(run) trains it, e.g. recipes.classify_digits")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="seeds the weights and the recipe's randomness "
                                                        "(0 to 4294967295: torch's and numpy's seeds both take it)")
    architecture: Optional[dict[str, Any]] = Field(None, description="the model class's constructor arguments")
    training: Optional[dict[str, Any]] = Field(None, description="the recipe's Hyperparameters")
    timeout: float = Field(DEFAULT_MODEL_TIMEOUT, gt=0, description="seconds it may train")
    env: list[EnvironmentName] = Field([], description=_ENV.replace("its tasks", "its training"))
    export: Optional[Literal["onnx"]] = Field(None, description="publish the trained model for the browser: "
                                                                "onnx, through the hook exports.<name>.export(trained)")


class FigureDeclaration(_Strict):
    """An image of the site and the function that draws it."""

    output: str = Field(description="its site path, e.g. /images/module3/cnn.png (.png, .svg, .jpg or .webp)")
    draw: str = Field(pattern=MODULE_PATH.pattern,
                      description="module of the package holding draw(ctx), e.g. figures.cnn_diagram")
    alt: Union[str, dict[str, str]] = Field(
        description="what the image shows, for readers who cannot see it (the page's alt text); "
                    "one text, or one per language: {en: ..., de: ...}")
    models: list[str] = Field([], description="trained models the drawing reads (ctx.model)")
    architectures: list[str] = Field([], description="untrained models it only traces (ctx.architecture)")
    params: Optional[dict[str, Any]] = Field(None, description="the figure module's Params (ctx.params)")
    timeout: float = Field(DEFAULT_FIGURE_TIMEOUT, gt=0, description="seconds it may draw")
    caption: Union[str, dict[str, str]] = Field(
        "", description="shown under the image; {placeholders} quote models' metrics; one text, or one per language")
    fixed: list[str] = Field([], description='hand-typed numbers allowed as they are, e.g. ["15,3 %"]')
    renderings: Optional[Union[list[str], str]] = Field(
        None, description="colour schemes and widths to draw it for, e.g. [light, dark, narrow] (ctx.rendering, ctx.width)")
    env: list[EnvironmentName] = Field([], description=_ENV.replace("its tasks", "its drawing"))

    _lists = field_validator("models", "architectures", mode="before")(_listed)


class CheckDeclaration(_Strict):
    """What `figgen check` minds (README: When things go wrong)."""

    hand_typed: Literal["figgen", "everywhere", "figures", "off"] = Field(
        "figgen", description="where a hand-typed measured number fails check: figgen (figgen's alt texts and "
                              "captions, and the pages that show a figgen figure or quote a figgen number), "
                              "everywhere (every page), figures (alt texts and captions only), off")
    missing_translation: Literal["default", "warn"] = Field(
        "default", description="a page in a language figgen.yaml gives no alt or caption for: default (the "
                               "default language's words, in the page's notation) or warn (and a check warning)")


class ProjectDeclaration(_Strict):
    """figgen.yaml: the models a Hugo site's figures read, and the figures."""

    model_config = ConfigDict(title="figgen.yaml", json_schema_extra={"$id": SCHEMA_ID})

    package: str = Field("", pattern=r"^$|" + IDENTIFIER.pattern, description="the Python package of the figures, models and "
                                                                 "recipes, beside figgen.yaml")
    site: str = Field("site", description="the Hugo site's folder, relative to figgen.yaml")
    content: str = Field("content", description="the pages' folder, relative to figgen.yaml")
    models: Optional[dict[str, ModelDeclaration]] = Field(None, description="models to train, by name")
    figures: Optional[list[FigureDeclaration]] = Field(None, description="the figures of the site")
    images_url: str = Field(Settings.images_url, pattern=URL_PREFIX.pattern,
                            description="the site path prefix of every figure")
    images_dir: str = Field(Settings.images_dir, description="where that prefix's files go, relative to the site")
    data_file: str = Field(Settings.data_file, description="what Hugo reads about figures, relative to the site")
    pixel_ratio: int = Field(Settings.pixel_ratio, ge=1, description="pixels per CSS pixel (hi-DPI)")
    display_dpi: int = Field(Settings.display_dpi, ge=1, description="CSS pixels per inch of a matplotlib figure")
    libraries: Optional[list[str]] = Field(None, description="distributions whose versions enter the fingerprints "
                                                             "(default: matplotlib, numpy, and torch with models)")
    rebuild_command: str = Field(Settings.rebuild_command, description="what draws the figures, as authors type it")
    missing_image_hint: str = Field(Settings.missing_image_hint, description="what a page with a missing figure "
                                                                             "is told")
    new_figures: str = Field(Settings.new_figures, pattern=MODULE_PATH.pattern,
                             description="the module of the package where `figgen new` writes a figure")
    new_models: str = Field(Settings.new_models, pattern=MODULE_PATH.pattern,
                            description="where `figgen new --recipe` writes a model class")
    new_recipes: str = Field(Settings.new_recipes, pattern=MODULE_PATH.pattern,
                             description="where `figgen new --recipe` writes a recipe")
    locale: str = Field("", description='how numbers are written ("en", "fr-FR"); empty: the Hugo site\'s language')
    metric_shortcodes: list[Annotated[str, StringConstraints(pattern=r"^[\w-]+$")]] = Field(
        ["metric"], min_length=1, description="the names a site calls the metric shortcode by, e.g. [metric]")
    renderings: Optional[Union[list[str], str]] = Field(
        None, description="every figure's default renderings, e.g. [light, dark] or [light, dark, narrow]")
    cache: Optional[CacheDeclaration] = Field(None, description="a remote cache of trained models and figures")
    check: Optional[CheckDeclaration] = Field(None, description="what figgen check minds")
    claims: Optional[dict[str, str]] = Field(
        None, description='sentences the build checks, by name: a condition over metrics and facts, e.g. '
                          '"@jpeg_vs_autoencoder.ae_mse < @jpeg_vs_autoencoder.jpeg_mse_same_bytes"')
    claim_shortcodes: list[Annotated[str, StringConstraints(pattern=r"^[\w-]+$")]] = Field(
        ["figgen-claim"], min_length=1, description="the names a page marks a claim by, e.g. [figgen-claim]")
    env: list[EnvironmentName] = Field([], description=_ENV.replace("its tasks", "every task"))


def json_schema() -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **ProjectDeclaration.model_json_schema(by_alias=True)}


_CLASSES = {(): ProjectDeclaration, ("cache",): CacheDeclaration, ("check",): CheckDeclaration, ("models", "*"): ModelDeclaration,
            ("figures", "*"): FigureDeclaration}


def _accepted(loc: tuple) -> str:
    pattern = tuple("*" if i % 2 and loc[0] in ("models", "figures") else part for i, part in enumerate(loc))
    model = _CLASSES.get(pattern)
    return ", ".join(sorted(info.alias or name for name, info in model.model_fields.items())) if model else ""


def _namer(document):
    """`figure /images/x.png: timeout` for a figure's value; dotted paths elsewhere."""
    def name_of(loc: tuple) -> str:
        if not loc:
            return "top level"
        if loc[0] == "figures" and len(loc) >= 2 and isinstance(loc[1], int):
            figures = document.get("figures") if isinstance(document, dict) else None
            item = figures[loc[1]] if isinstance(figures, list) and loc[1] < len(figures) else None
            output = item.get("output") if isinstance(item, dict) else None
            figure = f"figure {output}" if isinstance(output, str) else f"figure #{loc[1] + 1}"
            return figure + (": " + ".".join(map(str, loc[2:])) if len(loc) > 2 else "")
        return ".".join(map(str, loc))
    return name_of


def validate_document(document, lines: LineMap) -> ProjectDeclaration:
    if document is None:
        document = {}
    try:
        return ProjectDeclaration.model_validate(document)
    except ValidationError as error:
        problem = error.errors()[0]
        loc = tuple(problem["loc"])
        name_of = _namer(document)
        if problem["type"] == "model_type" and not loc:
            raise BadInput(f"the file must be a mapping, not {type(document).__name__}", CONFIG_NAME, 1) from None
        if problem["type"] == "extra_forbidden":
            raise BadInput(f"{name_of(loc[:-1])}: unknown key '{loc[-1]}' (accepted: {_accepted(loc[:-1])})",
                           CONFIG_NAME, lines.of(loc)) from None
        if problem["type"] == "greater_than" and loc and loc[-1] == "timeout":
            raise BadInput(f"{name_of(loc)} must be a positive number of seconds, not {problem['input']}", CONFIG_NAME,
                           lines.of(loc)) from None
        if problem["type"] == "string_pattern_mismatch" and loc and loc[-1] in _MEANING:
            raise BadInput(f"{name_of(loc)} '{problem['input']}' is not {_MEANING[loc[-1]]}", CONFIG_NAME,
                           lines.of(loc)) from None
        raise located(problem, "top level", lines.of, name_of) from None


def project_from_document(root: Path, document, lines: LineMap) -> Project:
    """The engine's Project from a parsed figgen.yaml, or a located BadInput."""
    declared = validate_document(document, lines)

    def fail(message: str, path: tuple) -> BadInput:
        return BadInput(message, CONFIG_NAME, lines.of(path))

    if declared.package == "figgen":
        raise fail("package: 'figgen' is the engine; name your own package (e.g. course)", ("package",))
    missing = missing_package(root, declared.package)
    if missing:
        raise fail(missing, ("package",))
    models = {name: _model(name, node, lines, fail) for name, node in (declared.models or {}).items()}
    settings = _settings(declared, bool(models), fail)
    settings = dataclasses.replace(settings, renderings=declared_renderings(
        declared.renderings, "", CONFIG_NAME, lines.of(("renderings",)) or None))
    from figgen.site_locale import site_languages

    default_language = site_languages(root / declared.site, settings.locale).default if any(
        isinstance(node.alt, dict) or isinstance(node.caption, dict) for node in declared.figures or []) else ""
    figures = [_figure(node, i, lines, models, settings, fail, default_language)
               for i, node in enumerate(declared.figures or [])]
    first_line: dict[str, int] = {}
    for figure in figures:
        if figure.output in first_line:
            raise BadInput(f"{figure.output} is declared twice (first at line {first_line[figure.output]})",
                           CONFIG_NAME, figure.line)
        first_line[figure.output] = figure.line
    cache_url = declared.cache.url if declared.cache else None
    problem = credential_problem(cache_url) if cache_url else None
    if problem:  # figgen.yaml is committed; its cache (.figgen/config.json) must not hold them either
        raise fail(f"cache.url must not hold credentials ({redact(cache_url)}: {problem}): give them in the "
                   "environment", ("cache", "url"))
    project = Project(root=root, package=declared.package, site=root / declared.site, content=root / declared.content,
                      models=models, figures=figures, figures_line=lines.get(("figures",), 0), settings=settings,
                      cache_url=cache_url, claims=_claims(declared, lines),
                      cache_timeout=float(declared.cache.timeout) if declared.cache else 5.0)
    _check_placeholders(project)
    _check_claims(project)
    return project


def _settings(declared: ProjectDeclaration, has_models: bool, fail) -> Settings:
    for key in ("images_dir", "data_file"):
        value = getattr(declared, key)
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise fail(f"{key} must be a path inside the site folder, not '{value}'", (key,))
    libraries = declared.libraries
    if libraries is None:
        libraries = [*DEFAULT_LIBRARIES, *(["torch"] if has_models else [])]
    return Settings(images_url=declared.images_url, images_dir=declared.images_dir, data_file=declared.data_file,
                    pixel_ratio=declared.pixel_ratio, display_dpi=declared.display_dpi, libraries=tuple(libraries),
                    rebuild_command=declared.rebuild_command, missing_image_hint=declared.missing_image_hint,
                    new_figures=declared.new_figures, new_models=declared.new_models,
                    new_recipes=declared.new_recipes, locale=_locale(declared.locale, fail),
                    metric_shortcodes=tuple(declared.metric_shortcodes),
                    claim_shortcodes=tuple(declared.claim_shortcodes), env=tuple(declared.env),
                    **(declared.check or CheckDeclaration()).model_dump())


def _locale(value: str, fail) -> str:
    if value:
        from figgen.numbers import FormatProblem, babel_locale

        try:
            babel_locale(value)
        except FormatProblem as problem:
            raise fail(str(problem), ("locale",)) from None
    return value


def _model(name: str, node: ModelDeclaration, lines: LineMap, fail) -> ModelSpec:
    path = ("models", name)
    if not IDENTIFIER.match(name):
        raise fail(f"model name '{name}' must be a Python identifier", path)
    key_lines = {key: line for key, line in lines.under(path).items()
                 if key.startswith(("architecture.", "training.")) and key.count(".") == 1}
    key_lines.update(architecture=lines.of((*path, "architecture")), training=lines.of((*path, "training")),
                     **{"class": lines.of((*path, "class")), "recipe": lines.of((*path, "recipe"))},
                     export=lines.of((*path, "export")))
    return ModelSpec(name=name, class_path=node.class_path, recipe=node.recipe, seed=node.seed,
                     architecture=dict(node.architecture or {}), training=dict(node.training or {}),
                     line=lines.of(path), timeout=float(node.timeout), key_lines=key_lines,
                     env=tuple(node.env), export=node.export or "")


def _figure(node: FigureDeclaration, index: int, lines: LineMap, models: dict, settings: Settings,
            fail, default_language: str = "") -> FigureSpec:
    from figgen.translations import NoDefaultText, split_texts

    path = ("figures", index)
    where = f"figure {node.output}"
    if not site_image_path(settings.images_url).match(node.output):
        raise fail(f"output '{node.output}' must be {ALLOWED_NAMES.format(prefix=settings.images_url)}",
                   (*path, "output"))
    texts, translations = {}, {}
    for key in ("alt", "caption"):
        try:
            texts[key], given = split_texts(getattr(node, key), default_language)
        except NoDefaultText as problem:
            raise fail(f"{where}: {key} {problem}", (*path, key)) from None
        if given:
            translations[key] = given
    if not texts["alt"]:
        raise fail(f"{where}: alt text must not be empty", (*path, "alt"))
    for key in ("models", "architectures"):
        for model in getattr(node, key):
            if model not in models:
                declared = ", ".join(sorted(models)) or "none"
                raise fail(f"{where} uses unknown model '{model}' (declared: {declared})", (*path, key))
    key_lines = lines.under(path)
    return FigureSpec(
        output=node.output, images_url=settings.images_url, draw=node.draw, alt=texts["alt"],
        models=tuple(node.models), architectures=tuple(node.architectures), params=dict(node.params or {}),
        line=lines.of(path), timeout=float(node.timeout), caption=texts["caption"], fixed=tuple(node.fixed),
        translations=translations,
        text_lines={key: key_lines[key] for key in ("alt", "caption") if key in key_lines}, key_lines=key_lines,
        renderings=declared_renderings(node.renderings, f"{where}: ", CONFIG_NAME,
                                       lines.of((*path, "renderings")) or None) or settings.renderings,
        env=tuple(node.env),
    )


def _check_placeholders(project: Project) -> None:
    from figgen.placeholders import placeholders_in, syntax_problem

    stems = {f.name for f in project.figures} | {f.name.rsplit("/", 1)[-1] for f in project.figures}
    from figgen.translations import all_texts

    for figure in project.figures:
        for key in ("alt", "caption"):
            for placeholder in (p for text in all_texts(figure, key) for p in placeholders_in(text)):
                problem = syntax_problem(placeholder, project.models, stems)
                if problem:
                    raise BadInput(f"figure {figure.output}: {key}: {problem}", CONFIG_NAME,
                                   figure.text_lines.get(key, figure.line))


def _claims(declared: ProjectDeclaration, lines: LineMap) -> tuple[ClaimSpec, ...]:
    return tuple(ClaimSpec(name, condition.strip(), lines.of(("claims", name)))
                 for name, condition in (declared.claims or {}).items())


def _check_claims(project: Project) -> None:
    from figgen.claims import syntax_problem

    stems = {f.name for f in project.figures} | {f.name.rsplit("/", 1)[-1] for f in project.figures}
    for claim in project.claims:
        if not re.fullmatch(r"[\w-]+", claim.name):
            raise BadInput(f"claim '{claim.name}': a name is letters, digits, '-' and '_'", CONFIG_NAME, claim.line)
        problem = syntax_problem(claim.condition, project.models, stems)
        if problem:
            raise BadInput(f"claim '{claim.name}': {problem}", CONFIG_NAME, claim.line)
