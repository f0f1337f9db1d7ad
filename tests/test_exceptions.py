"""How problems are told: one line per distinct problem, with how many rows and which."""

from reportlib.exceptions import Problem, grouped


def test_the_same_reason_for_the_same_value_is_one_line_and_anything_else_its_own():
    mail = [Problem("sager.csv", line, "kanal", "Mail", "unknown channel") for line in (3, 9, 4)]
    other = Problem("sager.csv", 5, "kanal", "Fax", "unknown channel")
    assert grouped([*mail, other], rows_shown=2) == [
        "sager.csv: column 'kanal': value 'Mail': unknown channel (3 rows: lines 3, 9 and 1 more)",
        "sager.csv:5: column 'kanal': value 'Fax': unknown channel"]
    assert grouped(mail[:2]) == ["sager.csv: column 'kanal': value 'Mail': unknown channel (2 rows: lines 3, 9)"]


def test_the_same_value_in_another_file_or_column_is_another_problem():
    problems = [Problem("sager.csv", 2, "kanal", "x", "r"), Problem("aktiviteter.csv", 2, "kanal", "x", "r"),
                Problem("sager.csv", 3, "udfald", "x", "r")]
    assert grouped(problems) == [str(p) for p in problems]
