"""The one Jinja environment of reportlib's templates (``templates/``), with the Danish filters.

The report's sections (``sections.html.j2``, autoescaped: a label ``<script>`` prints as text), the
narrative scaffold (``narrative.md.j2``) and a new municipality's ``kommune.yml`` (``kommune.yml.j2``)
are rendered by it. Each caller hands its own globals (the report its charts and vocabulary) to the
template it renders; the environment holds only what every template may use.
"""

from __future__ import annotations

import datetime as dt
import functools
import json

import jinja2
import yaml
from markupsafe import Markup

from reportlib import formatting


@functools.cache
def environment() -> jinja2.Environment:
    """The environment: templates from the package, HTML ones autoescaped, strict about undefined names."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("reportlib", "templates"),
                             autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(n=formatting.format_int, pct=formatting.format_pct, dec=formatting.format_decimal,
                       date=formatting.format_date, month=formatting.format_month, change=formatting.format_change,
                       noun=formatting.format_count, count=formatting.format_count_spelled,
                       spell=formatting.format_number_spelled, days=formatting.format_days,
                       isodate=dt.date.fromisoformat,
                       breakable=breakable, yaml=yaml_scalar)
    return env


def breakable(label: str) -> Markup:
    """A label that may break after a slash.

    "God forvaltningsskik/Forvaltningsloven" is one word to a browser, wider than the table beside
    its chart on a laptop, where it would push the share column out of sight.
    """
    return Markup("/<wbr>").join(label.split("/"))


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML value that reads back as exactly this text: plain where it can be, else quoted."""
    try:
        plain = yaml.safe_load(f"key: {text}")
    except yaml.YAMLError:
        plain = None
    return text if plain == {"key": text} else json.dumps(text, ensure_ascii=False)  # JSON strings are YAML
