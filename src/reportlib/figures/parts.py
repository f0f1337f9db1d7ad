"""What the advisor did and found, from the register's optional parts: tidy DataFrames, no plotting.

How cases were handled (``metode``), what the advisor found (``resultat``, each label of one kind:
``kritik``, ``ingen kritik`` or ``ikke undersøgt``), the investigations taken up on the advisor's
own initiative (the ``egen_drift`` activity), and how the recommendations of earlier periods were
followed (the ``anbefalinger`` table). Like :mod:`reportlib.figures.stats`, every distribution lists every
label of kommune.yml in its order, and counts category codes with ``numpy.bincount``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportlib.figures import stats
from reportlib.figures.percent import rate
from reportlib.formatting import period_label
from reportlib.periods import Period
from reportlib.register.model import Register

EXAMINED = ("kritik", "ingen kritik")  # the kinds of result of a case the advisor examined


def methods(register: Register) -> pd.DataFrame:
    """Cases by ``metode``, among cases with a method registered."""
    return stats.distribution(register.sager["metode"])


def methods_by_area(register: Register) -> pd.DataFrame:
    """Cases by method within the area of their primary problem: ``area, label, count, pct``.

    Percentages sum to 100 within each area; cases without a method are not counted.
    """
    labels, areas = register.kommune.metoder, register.kommune.areas
    area = stats.primary(register, "omraade").cat.codes.to_numpy()
    method = register.sager["metode"].cat.codes.to_numpy()
    known = method >= 0
    counts = np.bincount(area[known] * len(labels) + method[known], minlength=len(areas) * len(labels))
    parts = [stats.table(labels, counts[a * len(labels):(a + 1) * len(labels)]).assign(area=name)
             for a, name in enumerate(areas)]
    return pd.concat(parts, ignore_index=True)[["area", "label", "count", "pct"]]


def results(register: Register) -> pd.DataFrame:
    """Cases by ``resultat``, among cases with a result registered."""
    return stats.distribution(register.sager["resultat"])


def examined_results(register: Register) -> pd.DataFrame:
    """The examined cases by ``resultat`` (the labels of kind ``kritik`` or ``ingen kritik``), as shares of them.

    The same cases as :func:`criticism`'s ``examined``, so a table of these rows and the sentence
    "criticised in 1 of 5 examined cases (20 %)" count the same things.
    """
    kommune = register.kommune
    labels = [label for label in kommune.result_labels if kommune.resultater[label] in EXAMINED]
    return stats.distribution(register.sager["resultat"].cat.set_categories(labels))


def _kinds(register: Register) -> np.ndarray:
    """The kind of each case's result (``kritik``, ``ingen kritik``, ``ikke undersøgt``), "" where none."""
    kinds = np.array([register.kommune.resultater[label] for label in register.kommune.result_labels] + [""])
    return kinds[register.sager["resultat"].cat.codes.to_numpy()]


def criticism(register: Register) -> dict[str, int | None]:
    """Cases examined (result of kind ``kritik`` or ``ingen kritik``), criticised (``kritik``), and the rate."""
    kinds = _kinds(register)
    examined, criticised = int(np.isin(kinds, EXAMINED).sum()), int((kinds == "kritik").sum())
    return {"examined": examined, "criticised": criticised, "rate_pct": rate(criticised, examined)}


def criticism_by_area(register: Register) -> pd.DataFrame:
    """Examined and criticised cases by the area of their primary problem: ``label, examined, criticised, rate_pct``.

    ``rate_pct`` is missing for an area with no examined case.
    """
    areas = register.kommune.areas
    area = stats.primary(register, "omraade").cat.codes.to_numpy()
    kinds = _kinds(register)
    examined = np.bincount(area[np.isin(kinds, EXAMINED)], minlength=len(areas))
    criticised = np.bincount(area[kinds == "kritik"], minlength=len(areas))
    rates = [rate(int(c), int(e)) for c, e in zip(criticised, examined, strict=True)]
    return pd.DataFrame({"label": areas, "examined": examined, "criticised": criticised,
                         "rate_pct": pd.array(rates, dtype="Int64")})


def own_initiative(register: Register) -> pd.DataFrame:
    """The own-initiative investigations (activities of kommune.yml's ``egen_drift``) by area.

    An investigation without an area is not counted here; :func:`own_initiative_total` counts all.
    """
    chosen = register.aktiviteter[register.aktiviteter["aktivitet"] == register.kommune.own_initiative_activity]
    return stats.distribution(chosen["omraade"])


def own_initiative_total(register: Register) -> int:
    """The number of own-initiative investigations."""
    return int((register.aktiviteter["aktivitet"] == register.kommune.own_initiative_activity).sum())


def followup(register: Register, period: Period) -> pd.DataFrame:
    """The recommendations of earlier periods still reported on in ``period``, with their status.

    A recommendation (one ``periode`` and ``nr``; a row per status) is reported on when it was made
    in a period that ended before ``period`` starts, has a status dated by the end of ``period``,
    and its latest status dated before ``period`` starts, if any, is not a followed one (one
    followed before is no longer reported on). Its status is the latest dated by the end of
    ``period``.

    Returns
    -------
    DataFrame
        ``periode`` (the label, e.g. ``2018/19``), ``nr``, ``anbefaling``, ``omraade``,
        ``status``, ``followed`` (bool), ``status_dato`` (ISO date), in the order the
        recommendations were made; the text and area of the row of that status.
    """
    rows = register.anbefalinger
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    followed = rows["status"].map(register.kommune.anbefaling_status).astype(object) == "fulgt"
    rows = rows.assign(followed=followed.to_numpy(), key=rows["nr"].str.casefold())
    rows = rows[(rows["periode_slut"] < start) & (rows["status_dato"] <= end)].sort_values("status_dato", kind="stable")
    recommendation = ["periode_start", "periode_slut", "key"]
    before = rows[rows["status_dato"] < start].groupby(recommendation, sort=False)["followed"].last()
    done = before[before].index
    shown = rows.groupby(recommendation, sort=False).tail(1).set_index(recommendation)
    shown = shown[~shown.index.isin(done)].reset_index()
    number = pd.to_numeric(shown["nr"].where(shown["nr"].str.fullmatch(r"[0-9]+")), errors="coerce")
    shown = shown.assign(number=number).sort_values(["periode_start", "periode_slut", "number", "key"])
    start_month = register.kommune.periode_start_maaned
    return pd.DataFrame({
        "periode": [period_label(Period(s.date(), e.date()), start_month)
                    for s, e in zip(shown["periode_start"], shown["periode_slut"], strict=True)],
        "nr": shown["nr"].to_numpy(object),
        "anbefaling": shown["anbefaling"].to_numpy(object),
        "omraade": pd.Series([None if pd.isna(a) else a for a in shown["omraade"].astype(object)], dtype=object),
        "status": shown["status"].astype(str).to_numpy(object),
        "followed": shown["followed"].to_numpy(bool),
        "status_dato": shown["status_dato"].dt.strftime("%Y-%m-%d").to_numpy(object),
    })
