"""The figures document's format: a document of format 1 read with today's keys, today's left as it is."""

from reportlib.figures.document_format import FORMAT, current

FORMAT_1 = {
    "kommune": "Testby Kommune",
    "key_figures": {"cases_total": 3, "complaints": 2, "problems": 5},
    "topics": [{"label": "problems", "count": 5}],  # a label is the municipality's word, never renamed
    "previous": {"period": {"start": "2017-11-01", "end": "2018-10-31"}, "cases_total": 2, "problems": 4,
                 "change": {"cases_total": {"diff": 1, "pct": 50}, "problems": {"diff": 1, "pct": 25}}},
    "comparable": {"version": 1, "cases": 3, "problems": 5},
}


def test_a_format_1_document_has_todays_keys_in_the_same_order():
    read = current(FORMAT_1)
    assert read["format"] == FORMAT == 2
    assert read["key_figures"] == {"cases_total": 3, "complaints": 2, "problemstillinger": 5}
    assert list(read["previous"]) == ["period", "cases_total", "problemstillinger", "change"]
    assert list(read["previous"]["change"]) == ["cases_total", "problemstillinger"]
    assert read["comparable"] == {"version": 1, "cases": 3, "problemstillinger": 5}
    assert read["topics"] == FORMAT_1["topics"]
    assert "problemstillinger" not in FORMAT_1["key_figures"]  # the document given is left as it was


def test_a_document_without_a_period_before_it_or_a_comparable_section_is_read_too():
    read = current({"kommune": "Testby Kommune", "key_figures": {"problems": 1}, "previous": None})
    assert read == {"format": FORMAT, "kommune": "Testby Kommune", "key_figures": {"problemstillinger": 1},
                    "previous": None}


def test_a_document_of_todays_format_is_read_as_it_is():
    today = {"format": FORMAT, "key_figures": {"problemstillinger": 5}}
    assert current(today) is today
