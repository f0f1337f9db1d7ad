"""What the advisor did and found (the register's optional parts), on a hand-made register worked out in comments.

KOMMUNE_PARTS_YML (conftest): areas Social and Teknik; methods Vejledning, Dialog, Undersøgelse;
results Kritik and Delvis kritik (kind kritik), Ingen kritik, Ikke undersøgt; own-initiative
activity Egen drift; statuses Ny, Igangsat (not followed) and Fulgt (followed). 2018/19 is
1 November 2018 to 31 October 2019; the year before, 2017/18, holds P1-P3.
"""

import datetime as dt

import pytest

from conftest import COMPLETE_FROM_2017_18, KOMMUNE_PARTS_YML, TODAY
from parts_register import AKTIVITETER, ANBEFALINGER, PROBLEMSTILLINGER, SAGER, YEAR
from reportlib import load_register
from reportlib.figures import parts, stats
from reportlib.periods import Period


def year_of(first: int) -> Period:
    return Period(dt.date(first, 11, 1), dt.date(first + 1, 10, 31))


@pytest.fixture
def register(make_register):
    return load_register(make_register(kommune=KOMMUNE_PARTS_YML, complete=COMPLETE_FROM_2017_18, sager=SAGER,
                                       problemstillinger=PROBLEMSTILLINGER,
                                       aktiviteter=AKTIVITETER, anbefalinger=ANBEFALINGER), today=TODAY)


@pytest.fixture
def year(register):
    return stats.select(register, YEAR)


def rows(frame):
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_methods_overall(year):
    # A, B, C, F Undersøgelse; D Dialog; E Vejledning; G is open, with no method: 1, 1, 4 of 6 cases.
    # 16.7, 16.7, 66.7: the two equal 1s take both missing points -> 17, 17, 66.
    assert rows(parts.methods(year)) == [("Vejledning", 1, 17), ("Dialog", 1, 17), ("Undersøgelse", 4, 66)]


def test_methods_by_area_count_cases_by_their_primary_area(year):
    # Social: A, B, C Undersøgelse, D Dialog (G has none): 0, 1, 3 -> 0, 25, 75 %. Teknik: E Vejledning, F Undersøgelse.
    assert rows(parts.methods_by_area(year)) == [
        ("Social", "Vejledning", 0, 0), ("Social", "Dialog", 1, 25), ("Social", "Undersøgelse", 3, 75),
        ("Teknik", "Vejledning", 1, 50), ("Teknik", "Dialog", 0, 0), ("Teknik", "Undersøgelse", 1, 50)]


def test_results(year):
    # Kritik A, Delvis kritik B, Ingen kritik C and F, Ikke undersøgt D and E; G has none: 1, 1, 2, 2 of 6
    # -> 16.7, 16.7, 33.3, 33.3: the two 1s have the larger remainder and take both missing points.
    assert rows(parts.results(year)) == [("Kritik", 1, 17), ("Delvis kritik", 1, 17), ("Ingen kritik", 2, 33),
                                            ("Ikke undersøgt", 2, 33)]


def test_criticism_counts_examined_cases_and_criticism_of_either_label(register, year):
    # Examined: A, B (kind kritik), C, F (ingen kritik) = 4; criticised: A and B = 2 -> 50 %.
    assert parts.criticism(year) == {"examined": 4, "criticised": 2, "rate_pct": 50}
    # 2017/18: P1 (Kritik) and P2 (Ingen kritik) examined, P3 not: 1 of 2.
    assert parts.criticism(stats.select(register, year_of(2017))) == {"examined": 2, "criticised": 1,
                                                                         "rate_pct": 50}
    # A year without cases has no rate.
    assert parts.criticism(stats.select(register, year_of(2015))) == {"examined": 0, "criticised": 0,
                                                                         "rate_pct": None}


def test_criticism_by_area(year):
    # Social: A, B, C examined, A and B criticised: 2 of 3 = 66.7 -> 67 %. Teknik: F examined, not criticised.
    assert [(r[0], r[1], r[2], r[3]) for r in rows(parts.criticism_by_area(year))] == [
        ("Social", 3, 2, 67), ("Teknik", 1, 0, 0)]


def test_own_initiative(register, year):
    # 2018/19: 20 November 2018 (Social), 1 May 2019 (no area), 1 June 2019 (Teknik); 4 November 2019 is 2019/20.
    assert parts.own_initiative_total(year) == 3
    # By area only those with one: Social 1, Teknik 1.
    assert rows(parts.own_initiative(year)) == [("Social", 1, 50), ("Teknik", 1, 50)]
    assert parts.own_initiative_total(stats.select(register, year_of(2017))) == 0


def test_followup_of_the_recommendations_of_earlier_periods(register):
    # In 2018/19 (1 November 2018 - 31 October 2019):
    # - 2016/17 no. 1 was followed on 1 June 2018, before the year: no longer reported on;
    # - 2017/18 no. 1: Fulgt on 1 May 2019, during the year: reported, followed;
    # - 2017/18 no. 2: Igangsat on 31 October 2019 (the last day counts); its Fulgt of 1 November 2019 comes after;
    # - 2017/18 no. 10: still Ny; listed after no. 2 (numbers sort as numbers);
    # - 2018/19 no. 1 and the half-year 2018/19-H1's no. 1 were made in periods that had not ended when it began.
    shown = parts.followup(register, YEAR)
    assert rows(shown) == [
        ("2017/18", "1", "Svar inden for fristen", "Social", "Fulgt", True, "2019-05-01"),
        ("2017/18", "2", "Klar klagevejledning", None, "Igangsat", False, "2019-10-31"),
        ("2017/18", "10", "Tiende", None, "Ny", False, "2018-10-31"),
    ]


def test_followup_a_year_later(register):
    # 2019/20: 2017/18 no. 1 was followed (1 May 2019) before it: gone. No. 2 was Igangsat when it began and
    # Fulgt on its first day. The half-year (ended 30 April 2019) comes before the year 2018/19 that began with it.
    assert [(r[0], r[1], r[4], r[5]) for r in rows(parts.followup(register, year_of(2019)))] == [
        ("2017/18", "2", "Fulgt", True), ("2017/18", "10", "Ny", False),
        ("2018/19, 1. halvår", "1", "Ny", False), ("2018/19", "1", "Ny", False)]
    # 2017/18: only 2016/17 no. 1, followed on 1 June 2018, during that year.
    assert [(r[0], r[4]) for r in rows(parts.followup(register, year_of(2017)))] == [("2016/17", "Fulgt")]
    # 2015/16: nothing made before it.
    assert parts.followup(register, year_of(2015)).empty


def test_trend_goes_back_to_the_register_s_first_year(register):
    # The first date is P1's, 1 December 2017, in 2017/18. 2017/18: P3 Anden henvendelse, P1 and P2 Klage: 1 and 2
    # of 3 -> 33 and 67 %. 2018/19: E, G and A-D, F: 2 and 5 of 7 -> 28.6 and 71.4 -> 29 and 71 %.
    assert rows(stats.trend(register, YEAR)) == [
        (dt.date(2017, 11, 1), dt.date(2018, 10, 31), "Anden henvendelse", 1, 33),
        (dt.date(2017, 11, 1), dt.date(2018, 10, 31), "Klage", 2, 67),
        (dt.date(2018, 11, 1), dt.date(2019, 10, 31), "Anden henvendelse", 2, 29),
        (dt.date(2018, 11, 1), dt.date(2019, 10, 31), "Klage", 5, 71),
    ]
    assert stats.trend(register, YEAR).index.tolist() == [0, 1, 2, 3]  # one tidy table, not the parts' indexes


def test_a_half_year_s_trend_is_the_same_half_of_each_year(register):
    # 2018/19-H2 (May-October 2019) holds G; the same half of 2017/18 holds P3 (1 May 2018). The half before that,
    # May-October 2017, ended before the register's first date.
    second_half = Period(dt.date(2019, 5, 1), dt.date(2019, 10, 31))
    assert stats.trend_periods(register, second_half) == [Period(dt.date(2018, 5, 1), dt.date(2018, 10, 31)),
                                                          second_half]
    assert stats.trend(register, second_half)["count"].tolist() == [1, 0, 1, 0]


def test_the_trend_shows_at_most_ten_periods(register):
    periods = stats.trend_periods(register, year_of(2030))
    assert len(periods) == 10 and periods[0] == year_of(2021) and periods[-1] == year_of(2030)
