"""The edition: the date of publication and the board meeting, read from the notebook's parameters and given back."""

import datetime as dt

import pytest

from reportlib.exceptions import EditionInvalid
from reportlib.report.edition import Edition


def test_the_edition_is_a_date_and_a_line_of_text():
    assert Edition.parse("2019-12-02", " Byrådets møde 12. december 2019 ") == Edition(
        dt.date(2019, 12, 2), "Byrådets møde 12. december 2019")
    assert Edition.parse() == Edition(None, "")
    with pytest.raises(EditionInvalid, match=r"--dato '2\. december': not a date; write it as YYYY-MM-DD"):
        Edition.parse("2. december")
    with pytest.raises(EditionInvalid, match="give the meeting on one line"):
        Edition.parse("", "Byrådet\n<script>")


def test_the_edition_gives_back_the_parameters_it_is_read_from():
    for edition in (Edition(), Edition(dt.date(2019, 12, 2), "Byrådets møde 12. december 2019")):
        assert Edition.parse(**edition.parameters()) == edition
    assert Edition.parse(" 2019-12-02 ", " Byrådets møde ").parameters() == {"dato": "2019-12-02",
                                                                            "moede": "Byrådets møde"}
