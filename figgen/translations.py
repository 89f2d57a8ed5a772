"""A figure's alt text and caption in each language of the site.

figgen.yaml writes either one text (the site's default language) or one per language:

    alt:
      en: "Accuracy climbs to {@accuracy.best:percent:1}"
      de: "Die Genauigkeit steigt auf {@accuracy.best:percent:1}"

figgen.json's figure entry keeps the default language's texts in `alt` and `caption`, and under
`languages` each other language of the site: its own words where figgen.yaml gives them, else
the default's, every number in that language's notation ("86.1%" on an English page, "86,1 %"
on a German one). The Hugo component picks the entry of the page's language
(_partials/figgen/localized.html).
"""

from __future__ import annotations

KEYS = ("alt", "caption")


class NoDefaultText(ValueError):
    """A mapping of texts that gives none for the site's default language."""


def split_texts(value, default_language: str) -> tuple[str, dict[str, str]]:
    """figgen.yaml's `alt:` or `caption:` -> (the default language's text, {other language: text})."""
    if isinstance(value, str):
        return value.strip(), {}
    texts = {str(language).lower(): text.strip() for language, text in value.items()}
    if default_language not in texts:
        given = ", ".join(sorted(texts)) or "none"
        raise NoDefaultText(f"gives no text for the site's default language '{default_language}' (given: {given})")
    default = texts.pop(default_language)
    return default, {language: text for language, text in texts.items() if text}


def texts_of(figure, key: str) -> dict[str, str]:
    """{language: template} of a figure's alt or caption, other than the default language's."""
    return dict((figure.translations or {}).get(key, {}))


def all_texts(figure, key: str) -> list[str]:
    """Every template of the key, the default language's first: what checks read."""
    return [text for text in (getattr(figure, key), *texts_of(figure, key).values()) if text]


def language_entries(figure, languages, render) -> dict:
    """`languages` of a figure's figgen.json entry: {language: {alt, caption, translated}} for each
    language of the site other than the default. `render(text, locale)` fills placeholders."""
    result = {}
    for language in languages.locales:
        if language == languages.default:
            continue
        locale = languages.locale(language)
        texts, translated = {}, True
        for key in KEYS:
            template = texts_of(figure, key).get(language) or getattr(figure, key)
            if not template:
                continue
            translated = translated and language in texts_of(figure, key)
            texts[key] = render(template, locale)
        result[language] = {**texts, "translated": translated}
    return result


def untranslated(figure, languages) -> list[str]:
    """The site's other languages for which figgen.yaml gives this figure no alt or caption."""
    return [language for language in sorted(languages.locales) if language != languages.default
            and any(getattr(figure, key) and language not in texts_of(figure, key) for key in KEYS)]
