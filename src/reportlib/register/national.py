"""The national vocabulary: types, themes and kinds of result every municipality's figures can be compared in.

Shipped with the package as ``national.yml`` and versioned. A municipality maps its own topics (or
whole complaint categories) to the themes under ``sammenligning: temaer:`` in kommune.yml; a topic
spelt like a theme needs no mapping, and one that maps to none counts as :data:`OTHER`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from reportlib.labels import label_key

_FILE = Path(__file__).with_name("national.yml")
OTHER = "andet"


@dataclass(frozen=True)
class Vocabulary:
    """One version of the national vocabulary."""

    version: int
    types: tuple[str, ...]
    themes: tuple[str, ...]
    result_kinds: tuple[str, ...]


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary this version of reportlib counts in."""
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return Vocabulary(data["version"], tuple(data["typer"]), tuple(data["temaer"]), tuple(data["resultater"]))


def _mapped(topics_by_category: dict[str, list[str]], mapping: dict[str, str]) -> dict[str, str | None]:
    """Each topic's theme by its own mapping, its category's, or its spelling; None where none of them gives one."""
    mapped = {label_key(own): theme for own, theme in mapping.items()}
    themes = {label_key(theme): theme for theme in vocabulary().themes}
    return {topic: mapped.get(label_key(topic)) or mapped.get(label_key(category)) or themes.get(label_key(topic))
            for category, topics in topics_by_category.items() for topic in topics}


def themes_of(topics_by_category: dict[str, list[str]], mapping: dict[str, str]) -> dict[str, str]:
    """The national theme of every topic: its own mapping, else its category's, else its spelling, else "andet".

    Parameters
    ----------
    topics_by_category : dict
        kommune.yml's ``emner``: category -> topics.
    mapping : dict
        kommune.yml's ``sammenligning.temaer``: a topic or a category -> a theme.
    """
    return {topic: theme or OTHER for topic, theme in _mapped(topics_by_category, mapping).items()}


def unmapped(topics_by_category: dict[str, list[str]], mapping: dict[str, str]) -> list[str]:
    """The topics no mapping, category or spelling gives a theme: counted as "andet", and named as such."""
    return [topic for topic, theme in _mapped(topics_by_category, mapping).items() if theme is None]
