"""Each value decoded, and a problem for every bad cell: dates, yes/no, counts, labels, centres, periods."""

import pytest

from conftest import (
    AKTIVITETER,
    KOMMUNE_PARTS_YML,
    PARTS_ANBEFALINGER,
    PARTS_SAGER,
    PROBLEMSTILLINGER,
    SAGER,
    TODAY,
    problems_of,
)
from reportlib import load_register


def test_an_empty_centre_is_an_empty_required_value_only(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Social,Ydelser,", "Social,,"))
    assert problems_of(folder) == [f"{folder}/problemstillinger.csv:4: column 'center': value '': "
                                   "required value is empty"]


@pytest.mark.parametrize("written", ["2019-01-10", "10-01-2019", "10.01.2019", "10/01/2019", "2019-1-10", "10-1-2019",
                                     "10/1-2019", "10.1.2019", "10-01-19", "10/1-19", "10. januar 2019",
                                     "10. jan. 2019", "10 jan 2019", "10.Januar 2019"])
def test_date_forms(make_register, written):
    register = load_register(make_register(sager=SAGER.replace("2019-01-10", written)), today=TODAY)
    assert register.sager["modtaget"].iloc[0].date().isoformat() == "2019-01-10"


@pytest.mark.parametrize("written,expected", [("ja", True), ("J", True), ("1", True), ("TRUE", True), ("x", True),
                                              ("nej", False), ("n", False), ("0", False), ("false", False),
                                              ("", False)])
def test_boolean_forms(make_register, written, expected):
    sager = SAGER.replace("Vejledt,ja,", f"Vejledt,{written},")
    assert load_register(make_register(sager=sager), today=TODAY).sager["moede_deltaget"].tolist() == [expected, False]


def test_empty_required_value(make_register):
    folder = make_register(sager=SAGER.replace(",Anden henvendelse,", ",,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'henvendelsestype': value '': required value is empty"]


@pytest.mark.parametrize("written", ["1. febuar 2019", "1 2 2019", "1/2.2019", "1-2/2019"])
def test_unparseable_date(make_register, written):
    folder = make_register(sager=SAGER.replace("2019-02-01", written))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'modtaget': value '{written}': not a date; write it as "
        "YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY, D/M-YYYY or 17. oktober 2024"
    ]


@pytest.mark.parametrize("written,expected", [("01-02-19", "2019-02-01"), ("01-02-95", "1995-02-01"),
                                              ("1/2-26", "2026-02-01")])
def test_a_two_digit_year_is_read_in_the_century_between_1990_and_today(make_register, written, expected):
    register = load_register(make_register(sager=SAGER.replace("2019-02-01", written)), today=TODAY)
    assert register.sager["modtaget"].iloc[1].date().isoformat() == expected


def test_a_two_digit_year_in_neither_century_asks_for_four_digits(make_register):
    folder = make_register(sager=SAGER.replace("2019-02-01", "01-02-50"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'modtaget': value '01-02-50': a two-digit year that is not between 1990 "
        "and today; write the year with four digits"]


def test_a_named_month_that_is_no_date_is_named(make_register):
    folder = make_register(sager=SAGER.replace("2019-02-01", "30. februar 2019"))
    assert problems_of(folder) == [f"{folder}/sager.csv:3: column 'modtaget': value '30. februar 2019': "
                                   "no such date in the calendar; check day and month (day comes first)"]


def test_impossible_date(make_register):
    folder = make_register(aktiviteter=AKTIVITETER.replace("2019-09-02", "31-09-2019"))
    assert problems_of(folder) == [
        f"{folder}/aktiviteter.csv:2: column 'dato': value '31-09-2019': "
        "no such date in the calendar; check day and month (day comes first)"
    ]


def test_date_in_the_future(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-20", "2091-01-20"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'afsluttet': value '2091-01-20': "
        "date lies in the future (today is 2026-11-26); check the year"
    ]


def test_unknown_label_suggests_the_closest(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Social,Jobcenter", "Social,Jobcentret"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:2: column 'center': value 'Jobcentret': unknown centre; "
        "did you mean 'Jobcenter'? allowed: 'Jobcenter', 'Ydelser' (labels are set in kommune.yml)"
    ]


def test_unknown_label_without_a_close_one(make_register):
    folder = make_register(sager=SAGER.replace(",Telefon,", ",Brevdue,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'kanal': value 'Brevdue': unknown channel; "
        "allowed: 'Telefon', 'Skriftlig'; add 'Brevdue' to kanaler in kommune.yml, or under synonymer as another "
        "spelling of one of them"
    ]


def test_centre_outside_its_area(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Teknik,Vej/park", "Social,Vej/park"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:3: column 'center': value 'Vej/park': "
        "centre does not belong to area 'Social'; its centres are: 'Jobcenter', 'Ydelser'"
    ]


@pytest.mark.parametrize("count,reason", [
    ("-2", "a number of citizens cannot be negative; write 0 or more"),
    ("2,5", "not a whole number; write a count such as 0, 2 or 15"),
    ("tre", "not a whole number; write a count such as 0, 2 or 15"),
])
def test_bad_citizen_count(make_register, count, reason):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f',"{count}",'))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{count}': {reason}"]


def test_bad_boolean(make_register):
    folder = make_register(sager=SAGER.replace("Vejledt,ja,", "Vejledt,måske,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'moede_deltaget': value 'måske': "
        "not a yes/no value; write ja/nej, j/n, 1/0, true/false, or x/empty"
    ]


@pytest.mark.parametrize("table,written", [("sager", "1019-01-10"), ("sager", "10-01-1019"),
                                           ("aktiviteter", "1019-09-02")])
def test_a_date_before_1990_is_a_mistyped_year(make_register, table, written):
    text = {"sager": SAGER.replace("2019-01-10", written), "aktiviteter": AKTIVITETER.replace("2019-09-02", written)}
    folder = make_register(**{table: text[table]})
    column = "modtaget" if table == "sager" else "dato"
    assert problems_of(folder) == [
        f"{folder}/{table}.csv:2: column '{column}': value '{written}': date lies before 1990; check the year"]


@pytest.mark.parametrize("written", ["\uff11\uff12", "\u0663", "\u0967\u0968"])  # fullwidth, Arabic-Indic, Devanagari
def test_digits_other_than_0_to_9_are_named_not_lost(make_register, written):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f",{written},"))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{written}': "
                                   "write the number with the digits 0-9"]


@pytest.mark.parametrize("written", ["99999999999999999999", "100001"])
def test_a_number_of_citizens_too_large_to_be_true(make_register, written):
    folder = make_register(aktiviteter=AKTIVITETER.replace(",3,", f",{written},"))
    assert problems_of(folder) == [f"{folder}/aktiviteter.csv:2: column 'antal_borgere': value '{written}': "
                                   "more than 100,000 citizens is surely a typing error; check the number"]


def test_a_centre_under_an_unknown_area_is_reported_as_an_unknown_area_only(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("S2,Social,Ydelser", "S2,Sociall,Ydelser"))
    [message] = problems_of(folder)
    assert message.startswith(f"{folder}/problemstillinger.csv:4: column 'omraade': value 'Sociall': unknown area; "
                              "did you mean 'Social'?")


@pytest.mark.parametrize("first,second", [("10/01/2019", "31/01/2019"), ("10/1/2019", "1/2/2019")])
def test_slashed_dates_are_read_day_first_as_danish_exports_write_them(make_register, first, second):
    sager = SAGER.replace("2019-01-10", first).replace("2019-02-01", second)
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-01-10", "2019-01-31" if first.startswith("10/01") else "2019-02-01"]


def test_a_column_that_shows_the_month_first_is_read_month_first(make_register):
    # 12/25/2019 can only be 25 December: so 01/10/2019 in the same column is 10 January.
    sager = SAGER.replace("2019-01-10", "01/10/2019").replace("2019-02-01", "12/25/2019")
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == ["2019-01-10", "2019-12-25"]


@pytest.mark.parametrize("first,second,expected", [
    ("12/11/2019", "12/25/2019", ["2019-12-11", "2019-12-25"]),  # 12 first is no evidence of the day first
    ("11/12/2019", "25/12/2019", ["2019-12-11", "2019-12-25"]),  # 12 second is no evidence of the month first
])
def test_twelve_shows_neither_order(make_register, first, second, expected):
    sager = SAGER.replace("2019-01-20", "2019-12-31").replace("2019-01-10", first).replace("2019-02-01", second)
    register = load_register(make_register(sager=sager), today=TODAY)
    assert register.sager["modtaget"].dt.strftime("%Y-%m-%d").tolist() == expected


MIXED = "write every date in the column the same way"


@pytest.mark.parametrize("first,second,expected", [
    # Day first on line 2, month first on line 3: the column is read day first, so 12/13/2019 is no date either.
    ("13/12/2019", "12/13/2019", [
        f"3: column 'modtaget': value '12/13/2019': this date reads month first, but the one on line 2 (13/12/2019) "
        f"reads day first; {MIXED}",
        "3: column 'modtaget': value '12/13/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
    ("12/25/2019", "25/12/2019", [
        f"3: column 'modtaget': value '25/12/2019': this date reads day first, but the one on line 2 (12/25/2019) "
        f"reads month first; {MIXED}",
        "2: column 'modtaget': value '12/25/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
    # 14/13 and 13/14 are no dates in either order, so they show neither: the column keeps the other's order.
    ("12/25/2019", "14/13/2019", [
        "3: column 'modtaget': value '14/13/2019': no such date in the calendar; check day and month (month comes "
        "first in this column)"]),
    ("25/12/2019", "13/14/2019", [
        "3: column 'modtaget': value '13/14/2019': no such date in the calendar; check day and month (day comes "
        "first)"]),
])
def test_the_order_of_a_column_and_its_problems(make_register, first, second, expected):
    sager = SAGER.replace("2019-01-20", "2019-12-31").replace("2019-01-10", first).replace("2019-02-01", second)
    folder = make_register(sager=sager)
    assert sorted(problems_of(folder)) == sorted(f"{folder}/sager.csv:{line}" for line in expected)


def test_a_column_that_mixes_day_first_and_month_first_names_an_example_row(make_register):
    sager = SAGER.replace("2019-01-10", "25/12/2019").replace("2019-02-01", "12/25/2019")
    folder = make_register(sager=sager)
    assert (f"{folder}/sager.csv:3: column 'modtaget': value '12/25/2019': this date reads month first, but the one "
            "on line 2 (25/12/2019) reads day first; write every date in the column the same way") in (
        problems_of(folder))


def test_an_unknown_method_or_result_is_an_unknown_label(make_register):
    sager = PARTS_SAGER.replace("undersøgelse,Delvis kritik", "Undersøgning,Kritisk")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, sager=sager)
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'metode': value 'Undersøgning': unknown method; did you mean 'Undersøgelse'? "
        "allowed: 'Vejledning', 'Dialog', 'Undersøgelse'; add 'Undersøgning' to metoder in kommune.yml, or under "
        "synonymer as another spelling of 'Undersøgelse'",
        f"{folder}/sager.csv:2: column 'resultat': value 'Kritisk': unknown result; did you mean 'Kritik'? "
        "allowed: 'Kritik', 'Delvis kritik', 'Ingen kritik', 'Ikke undersøgt'; add 'Kritisk' to resultater in "
        "kommune.yml, or under synonymer as another spelling of 'Kritik'",
    ]


@pytest.mark.parametrize("written,reason", [
    ("2018-19", "not a period; write the period the recommendation was made in as YYYY/YY (e.g. 2018/19), "
                "YYYY/YY-H1, YYYY/YY-H2, or START:END with ISO dates (2018-11-01:2019-10-31)"),
    ("2018/20", "the years must follow each other, e.g. 2018/19"),
    ("2019-05-01:2019-04-30", "ends before it starts; put the earlier date first"),
])
def test_a_period_that_cannot_be_read(make_register, written, reason):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=PARTS_ANBEFALINGER.replace("2017/18,1,Svar",
                                                                                        f"{written},1,Svar", 1))
    assert problems_of(folder) == [f"{folder}/anbefalinger.csv:2: column 'periode': value '{written}': {reason}"]


def test_a_recommendation_text_with_a_cpr_like_number_is_named_by_line_not_repeated(make_register):
    table = PARTS_ANBEFALINGER.replace("Klar klagevejledning", "Ring til borgeren 0101901234 om klagevejledning")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    found = problems_of(folder)
    assert found == [f"{folder}/anbefalinger.csv:4: column 'anbefaling': the text holds what looks like a CPR number "
                     "(a date and four digits); the report is public, so remove it (the number is not repeated here)"]
