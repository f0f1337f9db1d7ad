"""The language of the messages a user reads: English, or Danish from the package's gettext catalogue.

Messages are written in English in the code, marked with :func:`_` (or :func:`N_` where the text is
named before it is shown), with named placeholders filled in after translation::

    _("{file}: file not found").format(file=shown)

The Danish texts are in ``locale/da/LC_MESSAGES/reportlib.po``, the standard gettext catalogue,
read with Babel (no compiled ``.mo`` file to keep in step); ``tests/test_language.py`` checks that
every marked message has its Danish text with the same placeholders. A message without a
translation reads in English.

The language is chosen, first to last, by :func:`use` (a context), the environment variable
``REPORTLIB_SPROG`` (which the command line sets from ``--sprog`` or kommune.yml's ``sprog``, so a
notebook kernel or worker process it starts speaks the same language), and English.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
import os
from collections.abc import Iterator
from pathlib import Path

LANGUAGES = ("en", "da")
DEFAULT_LANGUAGE = "en"
ENVIRONMENT_VARIABLE = "REPORTLIB_SPROG"
_DOMAIN = "reportlib"
_LOCALE_DIR = Path(__file__).parent / "locale"
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("reportlib_language", default=None)


def current() -> str:
    """The language messages are given in now: ``"en"`` or ``"da"``."""
    chosen = _chosen.get() or os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


@contextlib.contextmanager
def use(language: str) -> Iterator[None]:
    """Give messages in ``language`` within the ``with`` block (this thread and task only)."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    token = _chosen.set(language)
    try:
        yield
    finally:
        _chosen.reset(token)


def choose(language: str) -> None:
    """Give messages in ``language`` from now on, in this process and the processes it starts."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    os.environ[ENVIRONMENT_VARIABLE] = language


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or where it has no translation)."""
    return _translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the current language."""
    return _translations(current()).ngettext(singular, plural, n)


def number(value: int) -> str:
    """A whole number as the current language writes it in a message: ``1,234`` or ``1.234``."""
    text = f"{value:,}"
    return text.replace(",", ".") if current() == "da" else text


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; :func:`_` translates it where it is shown."""
    return message


@functools.cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    # Imported here: English, the default, costs nothing of Babel's import.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(_LOCALE_DIR / language / "LC_MESSAGES" / f"{_DOMAIN}.po", "rb") as po:
        catalogue = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
