"""Which language a page is written in, and so how its numbers are written.

A Hugo site says it in its configuration (hugo.toml, hugo.yaml or config.*):
`defaultContentLanguage`, `languageCode` or `locale`, and for a multilingual site each entry of
`languages` (its `locale`/`languageCode`, its `contentDir`). A page is in the language of its
file name (`page.fr.md`), else of its content folder, else the site's default. figgen.yaml's
`locale:` names the default language's locale outright.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json")


@dataclass(frozen=True)
class SiteLanguages:
    default: str  # Hugo's language key of the default content language ("en")
    locales: dict[str, str] = field(default_factory=dict)  # language key -> locale ("en-US")
    content_dirs: dict[str, Path] = field(default_factory=dict)  # language key -> its content folder

    def locale(self, language: str) -> str:
        return self.locales.get(language) or language

    def language_of(self, page: Path, content: Path) -> str:
        suffixes = page.suffixes
        if len(suffixes) >= 2 and suffixes[-2][1:].lower() in self.locales:
            return suffixes[-2][1:].lower()
        for language, folder in self.content_dirs.items():
            if folder.resolve() in page.resolve().parents:
                return language
        return self.default


def _lower_keys(node):
    if isinstance(node, dict):
        return {str(key).lower(): _lower_keys(value) for key, value in node.items()}
    return node


def hugo_config(site: Path) -> dict:
    """The site's own configuration file, keys lower-cased as Hugo reads them; {} if none."""
    for name in CONFIG_NAMES:
        path = site / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if name.endswith(".toml"):
            return _lower_keys(tomllib.loads(text))
        if name.endswith(".json"):
            return _lower_keys(json.loads(text))
        import yaml

        return _lower_keys(yaml.safe_load(text) or {})
    return {}


def site_languages(site: Path, locale_setting: str = "") -> SiteLanguages:
    config = hugo_config(site)
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    locales = {default: str(config.get("locale") or config.get("languagecode") or default)}
    folders = {}
    for language, settings in (config.get("languages") or {}).items():
        settings = settings if isinstance(settings, dict) else {}
        locales[language.lower()] = str(settings.get("locale") or settings.get("languagecode") or language)
        if settings.get("contentdir"):
            folders[language.lower()] = site / settings["contentdir"]
    if locale_setting:
        locales[default] = locale_setting
    return SiteLanguages(default, locales, folders)
