"""CPR-like numbers in text the report publishes, found without repeating them.

A CPR number is a date of birth as DDMMYY and four digits. People write it ``010190-1234``,
``0101901234`` or ``010190 1234``, a date written as a date (``01 01 90-1234``, ``01.01.90-1234``),
and Word turns the hyphen into an en dash (AutoFormat), a non-breaking hyphen or a no-break space.
Everything of the user's that reaches the public report (the narrative, kommune.yml's names and
labels, the recommendations' texts, an analyst's Markdown, the export's final HTML) is checked with
:func:`cpr_like`, and a message names the file and line with :data:`CPR_REASON`, never the number.
Imports nothing heavy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from reportlib.language import N_

# On text as reading() gives it, not part of a longer number: DDMMYY, then up to three spaces and hyphens, then
# four digits; or DD MM YY (a space or a dot after each pair), then one to three, then four digits. cpr_like()
# also checks the date. The four digits are never split ("12 34 56 78" is a phone number), and the date's pairs
# take no hyphen, so ISO dates ("2019-11-01") and case numbers ("BR-2019-0001", KLE's "27.12.08-P20") stay out.
_CPR = re.compile(r"(?<!\d)(\d\d)(?:(\d\d)(\d\d)[ -]{0,3}|[ .](\d\d)[ .](\d\d)[ -]{1,3})\d{4}(?!\d)")
# Minus signs that are not dash punctuation (Pd) in Unicode but read as a hyphen all the same.
_MINUS = frozenset({"\u2212", "\u2043", "\u02d7", "\u207b", "\u208b", "\u2796"})
# Invisible: format characters (soft hyphen, zero-width space and joiners, word joiner, byte order mark,
# direction marks), combining marks and control characters.
_INVISIBLE = frozenset({"Cf", "Mn", "Me", "Cc"})
# What the user is told of a CPR-like number in text the report publishes; the number itself is never repeated.
# In English, marked with N_: a message translates it where it is shown, as the predicate of its own
# sentence, e.g. _("the text {reason}").format(reason=_(CPR_REASON)).
CPR_REASON = N_("holds what looks like a CPR number (a date and four digits); the report is public, so remove it "
                "(the number is not repeated here)")


class _Reading(dict):
    """``str.translate``'s table for :func:`reading`, filled as characters are first met (no table to build)."""

    def __missing__(self, code: int) -> str | int | None:
        character = chr(code)
        if character.isspace():
            value: str | int | None = " "
        elif character in _MINUS or unicodedata.category(character) == "Pd":
            value = "-"
        elif unicodedata.category(character) in _INVISIBLE:
            value = None
        else:
            value = code
        self[code] = value
        return value


_READING = _Reading()


def reading(text: str) -> str:
    """Give text as a reader sees its digits: every space a plain space, every dash a hyphen, nothing invisible.

    Any Unicode space (no-break, narrow no-break, thin, a tab or a line break, which HTML shows as a
    space) becomes ``" "``; any dash or minus sign (en dash, non-breaking hyphen, U+2212) ``"-"``;
    format characters (soft hyphen, zero-width space and joiners, word joiner, byte order mark),
    combining marks and control characters are dropped. Only for finding numbers: never shown.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, and nothing to do: one space, one hyphen, nothing invisible
    return text.translate(_READING)


def cpr_like(text: str) -> bool:
    """Tell whether ``text`` holds a CPR-like number: a real date as DDMMYY, then four digits.

    Read as :func:`reading` gives it, so that no space, dash or invisible character hides one.
    Between the date and the four digits there may be nothing, spaces, a hyphen or both
    (``0101901234``, ``010190 - 1234``); the date's pairs may stand apart, each by a space or a
    dot, and then so do the four digits (``01 01 90 1234``, ``01.01.90-1234``). Any century:
    290200 is 29 February 2000, so it counts; 310290 is no date, so it does not.

    Parameters
    ----------
    text : str

    Returns
    -------
    bool
    """
    for match in _CPR.finditer(reading(text)):
        day, month, year = (int(part) for part in match.groups() if part is not None)
        if any(_is_date(century + year, month, day) for century in (1900, 2000)):
            return True
    return False


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
