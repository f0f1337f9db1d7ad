"""Decode a table's text cells into typed columns, recording a problem for every bad cell.

Every check runs over whole columns at once: the reader gives every column but the ids as a
categorical, so a value is checked once however many rows repeat it, and the result reaches the
rows through the categorical's codes. Each :class:`~reportlib.register.schema.Column` kind has its
``_parse_KIND`` method.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reportlib.exceptions import PeriodError, Problem
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.labels import label_key, unknown_centre_reason, unknown_label_reason
from reportlib.language import N_, _, number
from reportlib.periods import EARLIEST_DATE, parse_period
from reportlib.register.kommune import Kommune
from reportlib.register.raw import RawTable
from reportlib.register.schema import LISTS, Column

TRUE_WORDS = frozenset({"ja", "j", "1", "true", "x"})
FALSE_WORDS = frozenset({"nej", "n", "0", "false", ""})
# Digits are 0-9 only: Python's \d also matches other scripts' digits, which pandas cannot read.
_ISO_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
# Day and month in either order, decided per column (the day first unless a column shows otherwise); the year
# in four digits or two (a two-digit year is read in the one century that puts it between 1990 and today).
_DAY_MONTH_DATE = r"^([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})$"
# 3/4-2025, as Danes write by hand, is 3/4/2025.
_SLASH_DASH_DATE = (r"^([0-9]{1,2})/([0-9]{1,2})-([0-9]{2,4})$", r"\1/\2/\3")
# 17. oktober 2024, 17. okt. 2024, 17 okt 2024: the month named in Danish, in full or cut short.
_NAMED_MONTH_DATE = r"^([0-9]{1,2})(?:\.\s*|\s+)([a-zæøå]+)(?:\.\s*|\s+)([0-9]{4})$"
_MONTHS = {name: number for number, names in enumerate(
    [("januar", "jan"), ("februar", "feb"), ("marts", "mar", "mrt"), ("april", "apr"), ("maj",), ("juni", "jun"),
     ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_DATE_FORMS = N_("YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY, D/M-YYYY or 17. oktober 2024")
MAX_COUNT = 100_000  # citizens at one activity: more is a typing error

def _distinct(text: pd.Series) -> pd.Series:
    """The distinct values of a categorical column, each checked once."""
    return pd.Series(text.cat.categories, dtype=object)


def _spread(per_value: pd.Series | np.ndarray, text: pd.Series) -> pd.Series:
    """Give every row of ``text`` the result computed for its value (``per_value`` follows ``_distinct(text)``)."""
    return pd.Series(np.asarray(per_value)[text.cat.codes.to_numpy()], index=text.index)


def _label_codes(labels: pd.Series, allowed: list[str], synonyms: dict[str, str] | None = None) -> np.ndarray:
    """Each distinct value's position in ``allowed`` (matched as labels are compared), -1 when not there.

    A value may also be one of the labels' other spellings (kommune.yml's ``synonymer``).
    """
    positions = {label_key(a): i for i, a in enumerate(allowed)}
    positions |= {spelling: positions[label_key(label)] for spelling, label in (synonyms or {}).items()}
    return labels.str.strip().str.casefold().map(positions).fillna(-1).to_numpy(np.int64)


class TableChecker:
    """Parse one table's columns, recording a Problem for every bad cell."""

    def __init__(self, table: RawTable, kommune: Kommune | None, today: dt.date):
        self.table, self.kommune, self.today = table, kommune, today
        self.problems: list[Problem] = []

    def flag(self, bad: pd.Series, column: str, reason) -> None:
        """Record a problem for each row where ``bad`` is True; ``reason`` may be a function of the value."""
        if not bad.any():
            return
        reasons: dict[str, str] = {}  # once per value: a "did you mean" compares the value with every label
        for line, value in self.table.frame.loc[bad, column].items():
            if value not in reasons:
                reasons[value] = reason(value) if callable(reason) else reason
            self.problems.append(self.table.problem(int(line), column, value, reasons[value]))

    def run(self, columns: tuple[Column, ...], *, may_be_empty: bool) -> dict[str, pd.Series]:
        frame = self.table.frame
        present = [c for c in columns if c.name in frame.columns]
        for column in columns:
            if column.required and column.name not in frame.columns:
                header = ", ".join(self.table.header_names) or _("(nothing)")
                reason = _("required column is missing; the header has: {header}").format(header=header)
                self.problems.append(self.table.problem(1, column.name, None, reason))
        if frame.index.empty and not may_be_empty:
            self.problems.append(self.table.problem(2, None, None, _("the table has a header but no rows; the "
                                                                     "register needs at least one")))
        parsed = {}
        for column in present:
            text = frame[column.name]
            if column.required:
                self.flag(text == "", column.name, _("required value is empty"))
            parsed[column.name] = getattr(self, f"_parse_{column.kind}")(column, text)
        return parsed

    def _parse_id(self, column: Column, text: pd.Series) -> pd.Series:
        return text

    def _parse_date(self, column: Column, text: pd.Series) -> pd.Series:
        values = _distinct(text)
        parts = values.str.replace(*_SLASH_DASH_DATE, regex=True).str.extract(_DAY_MONTH_DATE)
        is_day_month = parts[0].notna()
        month_first = self._month_first(column, text, parts)
        day, month = (parts[2], parts[0]) if month_first else (parts[0], parts[2])
        year, two_digit_year = self._full_year(parts[3])
        named = values.str.casefold().str.extract(_NAMED_MONTH_DATE)
        named_month = named[1].map(_MONTHS)
        is_named = named_month.notna()
        looks_like_date = values.str.fullmatch(_ISO_DATE) | (is_day_month & ~two_digit_year) | is_named
        iso = values.where(~is_day_month, year + "-" + month + "-" + day)
        iso = iso.where(~is_named, named[2] + "-" + named_month.astype("Int64").astype(str) + "-" + named[0])
        dates = pd.to_datetime(iso.where(looks_like_date), format="%Y-%m-%d", errors="coerce")
        self.flag(_spread(two_digit_year, text), column.name,
                  _("a two-digit year that is not between {first} and today; write the year with four digits").format(
                      first=EARLIEST_DATE.year))
        self.flag(_spread((values != "") & ~looks_like_date & ~two_digit_year, text), column.name,
                  _("not a date; write it as {forms}").format(forms=_(_DATE_FORMS)))
        if month_first:
            no_such_date = _("no such date in the calendar; check day and month (month comes first in this column)")
        else:
            no_such_date = _("no such date in the calendar; check day and month (day comes first)")
        self.flag(_spread(looks_like_date & dates.isna(), text), column.name, no_such_date)
        self.flag(_spread(dates > pd.Timestamp(self.today), text), column.name,
                  _("date lies in the future (today is {today}); check the year").format(today=self.today.isoformat()))
        self.flag(_spread(dates < pd.Timestamp(EARLIEST_DATE), text), column.name,
                  _("date lies before {year}; check the year").format(year=EARLIEST_DATE.year))
        return _spread(dates, text)

    def _full_year(self, year: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Each year in four digits, and where a two-digit year fits neither 19YY from 1990 nor 20YY up to today."""
        short = year.str.len() == 2
        yy = pd.to_numeric(year.where(short), errors="coerce")
        recent, nineties = yy <= self.today.year % 100, yy >= EARLIEST_DATE.year % 100
        full = year.where(~short, ("20" + year).where(recent, ("19" + year).where(nineties)))
        return full, short & ~recent & ~nineties

    def _month_first(self, column: Column, text: pd.Series, parts: pd.DataFrame) -> bool:
        """Whether this column writes dates month first (12/25/2019), as some exports do.

        Decided per column: a first number above 12 shows the day first, a second above 12 the
        month first. A column showing both is a problem on the first row that breaks the rule of
        the row before it; its dates are then read day first.
        """
        first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[2], errors="coerce")
        day_evidence = _spread((first > 12) & (second <= 12), text)
        month_evidence = _spread((second > 12) & (first <= 12), text)
        if not month_evidence.any():
            return False
        if not day_evidence.any():
            return True
        day_line, month_line = day_evidence.idxmax(), month_evidence.idxmax()
        later, earlier = max(day_line, month_line), min(day_line, month_line)
        if later == day_line:
            reason = _("this date reads day first, but the one on line {line} ({date}) reads month first; "
                       "write every date in the column the same way")
        else:
            reason = _("this date reads month first, but the one on line {line} ({date}) reads day first; "
                       "write every date in the column the same way")
        self.problems.append(self.table.problem(int(later), column.name, text[later],
                                                reason.format(line=earlier, date=text[earlier])))
        return False

    def _parse_bool(self, column: Column, text: pd.Series) -> pd.Series:
        words = _distinct(text).str.casefold()
        self.flag(_spread(~words.isin(TRUE_WORDS | FALSE_WORDS), text), column.name,
                  _("not a yes/no value; write ja/nej, j/n, 1/0, true/false, or x/empty"))
        return _spread(words.isin(TRUE_WORDS), text)

    def _parse_count(self, column: Column, text: pd.Series) -> pd.Series:
        values = _distinct(text)
        whole, negative = values.str.fullmatch(r"[0-9]+"), values.str.fullmatch(r"-[0-9]+")
        other_digits = values.str.fullmatch(r"-?\d+") & ~whole & ~negative
        counts = pd.to_numeric(values.where(whole), errors="coerce")  # float, so no size overflows
        too_large = counts > MAX_COUNT
        self.flag(_spread(negative, text), column.name, _("a number of citizens cannot be negative; write 0 or more"))
        self.flag(_spread(other_digits, text), column.name, _("write the number with the digits 0-9"))
        self.flag(_spread(too_large, text), column.name,
                  _("more than {count} citizens is surely a typing error; check the number").format(
                      count=number(MAX_COUNT)))
        self.flag(_spread((values != "") & ~whole & ~negative & ~other_digits, text), column.name,
                  _("not a whole number; write a count such as 0, 2 or 15"))
        return _spread(counts.where(~too_large), text).astype("Int64")

    def _parse_text(self, column: Column, text: pd.Series) -> pd.Series:
        # The report publishes these texts (a recommendation's, say): no CPR number may be among them.
        identifying = _spread(_distinct(text).map(cpr_like), text)
        reason = _("the text {reason}").format(reason=_(CPR_REASON))
        self.problems += [self.table.problem(int(line), column.name, None, reason)
                          for line in text.index[identifying.to_numpy(bool)]]
        return text.astype(object)

    def _parse_period(self, column: Column, text: pd.Series) -> pd.Series:
        """A reporting period (YYYY/YY, YYYY/YY-H1/H2 or START:END) against kommune.yml's start month."""
        if self.kommune is None:
            return text
        values = _distinct(text)
        periods, reasons = [], {}
        for value in values:
            try:
                periods.append(parse_period(value, self.kommune.periode_start_maaned) if value else None)
            except PeriodError as exc:
                periods.append(None)
                reasons[value] = _period_reason(exc)
        self.flag(_spread(values.isin(list(reasons)), text), column.name, reasons.get)
        return _spread(np.array(periods, dtype=object), text)

    def _parse_label(self, column: Column, text: pd.Series) -> pd.Series:
        if self.kommune is None:
            return text
        allowed = list(getattr(self.kommune, column.labels))
        values = _distinct(text)
        codes = _label_codes(values, allowed, self.kommune.synonyms(allowed))
        key = LISTS[column.labels]
        self.flag(_spread((values != "") & (codes < 0), text), column.name,
                  lambda value: unknown_label_reason(value, allowed, column.what, key))
        return _labelled(_spread(codes, text), allowed)

    def _parse_centre(self, column: Column, text: pd.Series) -> pd.Series:
        """Centres are checked against the row's own area: a centre belongs to one area."""
        if self.kommune is None or "omraade" not in self.table.frame.columns:
            return text
        omraader = self.kommune.omraader
        area_names = list(omraader)
        areas = self.table.frame["omraade"]
        area = _spread(_label_codes(_distinct(areas), area_names, self.kommune.synonyms(area_names)), areas).to_numpy()
        centres = [c for listed in omraader.values() for c in listed]
        values = _distinct(text)
        # One row per area (and a last one, of -1s, for an unknown area): each distinct value's centre there.
        under = np.full((len(omraader) + 1, len(values)), -1)
        for row, listed in enumerate(omraader.values()):
            codes = _label_codes(values, listed, self.kommune.synonyms(listed))
            under[row] = np.array([centres.index(c) for c in listed] + [-1])[codes]
        codes = pd.Series(under[area, text.cat.codes.to_numpy()], index=text.index)
        # A row whose area is unknown gets that problem only: its centre cannot be checked against it.
        reasons: dict[tuple[str, int], str] = {}
        for row in np.flatnonzero(((text != "") & (codes < 0)).to_numpy() & (area >= 0)):
            value, key = text.iat[row], (text.iat[row], area[row])
            if key not in reasons:
                reasons[key] = unknown_centre_reason(value, area_names[area[row]], omraader)
            self.problems.append(self.table.problem(int(text.index[row]), column.name, value, reasons[key]))
        return _labelled(codes, centres)


def _period_reason(exc: PeriodError) -> str:
    """Why a value is no period, and the forms that are (the problem names the value already).

    The error's ``reason`` (:func:`reportlib.periods.parse_period`'s, without the value); None when the
    value has none of the forms.
    """
    reason = getattr(exc, "reason", None)
    if reason is None:
        return _("not a period; write the period the recommendation was made in as YYYY/YY (e.g. 2018/19), "
                 "YYYY/YY-H1, YYYY/YY-H2, or START:END with ISO dates (2018-11-01:2019-10-31)")
    return reason


def _labelled(codes: pd.Series, labels: list[str]) -> pd.Series:
    """Label positions (-1: none) as a categorical of the labels, each label once, in kommune.yml order."""
    unique = list(dict.fromkeys(labels))
    recode = np.array([unique.index(label) for label in labels] + [-1], dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(recode[codes.to_numpy()], categories=unique), index=codes.index)
