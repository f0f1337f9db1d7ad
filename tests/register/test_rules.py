"""The rules between rows and tables: unique case ids, cases and their problems, one primary problem,
dates in order, one status of a recommendation per date."""

from conftest import (
    KOMMUNE_PARTS_YML,
    PARTS_ANBEFALINGER,
    PROBLEMSTILLINGER,
    SAGER,
    problems_of,
)


def test_duplicate_case_id(make_register):
    folder = make_register(sager=SAGER + "S1,2019-03-01,,Klage,,,,,\n")
    assert problems_of(folder) == [
        f"{folder}/sager.csv:4: column 'sag_id': value 'S1': duplicate sag_id; first used on line 2; "
        "every case needs its own"
    ]


def test_closed_before_received(make_register):
    folder = make_register(sager=SAGER.replace("2019-01-20", "09.01.2019"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:2: column 'afsluttet': value '09.01.2019': "
        "case closed before it was received (modtaget 2019-01-10); check both dates"
    ]


def test_problem_row_without_case(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER + "S9,Social,Ydelser,Andet,\n")
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:5: column 'sag_id': value 'S9': "
        f"no case with this sag_id in {folder}/sager.csv; add the case or correct the id"
    ]


def test_case_without_problem_row(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("S2,", "S1,"))
    assert problems_of(folder) == [
        f"{folder}/sager.csv:3: column 'sag_id': value 'S2': "
        f"case has no row in {folder}/problemstillinger.csv; every case needs at least one problem"
    ]


def test_more_than_one_primary_problem(make_register):
    folder = make_register(problemstillinger=PROBLEMSTILLINGER.replace("Partshøring,", "Partshøring,x"))
    assert problems_of(folder) == [
        f"{folder}/problemstillinger.csv:3: column 'primaer': value 'ja': "
        "case 'S1' already has its primary problem on line 2; mark at most one per case"
    ]


def test_the_same_status_date_twice_for_one_recommendation(make_register):
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=PARTS_ANBEFALINGER.replace(
        "Fulgt,2019-10-31", "Fulgt,31-10-2018"))
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'status_dato': value '31-10-2018': recommendation 1 of 2017/18 has a "
        "status of this date on line 2 already; give each status of a recommendation its own date, or remove one "
        "of the rows"]


def test_a_repeated_status_is_found_even_when_another_row_lacks_its_date(make_register):
    # Row 4 has no status date (one problem); rows 2 and 3 give recommendation 1 the same date (another).
    table = PARTS_ANBEFALINGER.replace("Fulgt,2019-10-31", "Fulgt,2018-10-31").replace("igangsat,2019-04-30",
                                                                                       "igangsat,")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'status_dato': value '2018-10-31': recommendation 1 of 2017/18 has a "
        "status of this date on line 2 already; give each status of a recommendation its own date, or remove one "
        "of the rows",
        f"{folder}/anbefalinger.csv:4: column 'status_dato': value '': required value is empty",
    ]


def test_rows_without_a_period_or_number_are_not_called_repeated_statuses(make_register):
    # Two statuses of one date for a recommendation without a period, and two for one without a number:
    # each empty cell is named once, and no row is called a repeat of another.
    table = ("periode,nr,anbefaling,omraade,status,status_dato\n"
             ",1,Svar inden for fristen,,Ny,2018-10-31\n,1,Svar inden for fristen,,Fulgt,2018-10-31\n"
             "2018/19,,Klar klagevejledning,,Ny,2019-10-31\n2018/19,,Klar klagevejledning,,Fulgt,2019-10-31\n")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:{line}: column '{column}': value '': required value is empty"
        for line, column in ((2, "periode"), (3, "periode"), (4, "nr"), (5, "nr"))
    ]
