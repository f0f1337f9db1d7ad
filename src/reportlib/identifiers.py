"""CPR-like numbers in text the report publishes, found without repeating them.

A CPR number is a date of birth as DDMMYY and four digits, often written with a hyphen:
``010190-1234``. Everything of the user's that reaches the public report (the narrative,
kommune.yml's names and labels, the recommendations' texts, an analyst's Markdown) is checked with
:func:`cpr_like`, and a message names the file and line with :data:`CPR_REASON`, never the number.
Imports nothing heavy.
"""

from __future__ import annotations

import datetime as dt
import re

from reportlib.language import N_

# DDMMYY-NNNN, with or without the hyphen, not part of a longer number; cpr_like() also checks the date.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})-?\d{4}(?!\d)")
# What the user is told of a CPR-like number in text the report publishes; the number itself is never repeated.
# In English, marked with N_: a message translates it where it is shown, as the predicate of its own
# sentence, e.g. _("the text {reason}").format(reason=_(CPR_REASON)).
CPR_REASON = N_("holds what looks like a CPR number (a date and four digits); the report is public, so remove it "
                "(the number is not repeated here)")


def cpr_like(text: str) -> bool:
    """Whether ``text`` holds a CPR-like number: a real date as DDMMYY, then four digits, with or without a hyphen.

    Any century: 290200 is 29 February 2000, so it counts; 310290 is no date, so it does not.
    """
    for match in _CPR.finditer(text):
        day, month, year = (int(part) for part in match.groups())
        if any(_is_date(century + year, month, day) for century in (1900, 2000)):
            return True
    return False


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
