"""A small French corpus written for the course, its tokenizer and its vocabulary.

corpus_fr.txt holds everyday sentences and short dialogues, one per line. It lives in its own
package folder so that editing it retrains only the language model: a package's data files
count as part of that package's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CORPUS_FILE = Path(__file__).with_name("corpus_fr.txt")
PAD = "<vide>"  # fills short lines up to the batch's length; never predicted

# Lowercase words (hyphenated ones kept whole: "peut-être", "est-ce"), elided articles and
# pronouns as their own word ("l'", "qu'"), and every punctuation mark as a token.
_TOKEN = re.compile(r"aujourd'hui|(?:jusqu|lorsqu|puisqu|qu|[cdjlmnst])'|\w+(?:-\w+)*|[^\w\s]")
# The same words for a browser: JavaScript's \w is ASCII only, so a letter is \p{L} there (with the
# "u" flag); tests/test_export_course.py checks that both split the corpus alike.
BROWSER_TOKEN = r"aujourd'hui|(?:jusqu|lorsqu|puisqu|qu|[cdjlmnst])'|[\p{L}\p{N}_]+(?:-[\p{L}\p{N}_]+)*|[^\p{L}\p{N}_\s]"


def tokenize(text: str) -> list[str]:
    """'Bonjour, comment ça va ?' -> ['bonjour', ',', 'comment', 'ça', 'va', '?']"""
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


@lru_cache(maxsize=1)
def sentences() -> tuple[tuple[str, ...], ...]:
    """The corpus as tokenized lines (blank lines skipped)."""
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(tuple(tokenize(line)) for line in lines if line.strip())


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]  # index -> word; index 0 is PAD

    def __len__(self) -> int:
        return len(self.words)

    @property
    def index(self) -> dict[str, int]:
        return {word: i for i, word in enumerate(self.words)}

    def encode(self, tokens) -> list[int]:
        index = self.index
        unknown = [t for t in tokens if t not in index]
        if unknown:
            raise KeyError(f"not in the corpus vocabulary: {', '.join(unknown)}")
        return [index[t] for t in tokens]

    def decode(self, ids) -> list[str]:
        return [self.words[int(i)] for i in ids]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Every token of the corpus, sorted (so the ids never depend on line order), PAD first."""
    return Vocabulary((PAD, *sorted({t for line in sentences() for t in line})))
