"""CPR-like numbers: found in every form people and Word write one, and never in an ordinary Danish number."""

import pytest

from conftest import KOMMUNE_PARTS_YML, KOMMUNE_YML, problems_of
from reportlib import RegisterInvalid, load_kommune
from reportlib.identifiers import cpr_like, reading

# 1 January 1990 and four digits, as they are written: by hand, or as Word changes them as one types.
CPR_FORMS = [
    pytest.param("010190-1234", id="hyphen"),
    pytest.param("0101901234", id="ten digits"),
    pytest.param("010190 1234", id="space"),
    pytest.param("010190  1234", id="two spaces"),
    pytest.param("010190\u00a01234", id="no-break space (Ctrl+Shift+Space)"),
    pytest.param("010190\u202f1234", id="narrow no-break space"),
    pytest.param("010190\u20091234", id="thin space"),
    pytest.param("010190\t1234", id="tab"),
    pytest.param("010190\n1234", id="line break, which HTML shows as a space"),
    pytest.param("010190\u20131234", id="en dash (AutoFormat)"),
    pytest.param("010190\u20141234", id="em dash"),
    pytest.param("010190\u20111234", id="non-breaking hyphen (Ctrl+Shift+-)"),
    pytest.param("010190\u20101234", id="Unicode hyphen"),
    pytest.param("010190\u22121234", id="minus sign"),
    pytest.param("010190\uff0d1234", id="full-width hyphen"),
    pytest.param("010190 - 1234", id="spaced hyphen"),
    pytest.param("010190\u00a0\u2013\u00a01234", id="spaced en dash"),
    pytest.param("010190\u200b1234", id="zero-width space"),
    pytest.param("010190\u200c1234", id="zero-width non-joiner"),
    pytest.param("010190\u200d1234", id="zero-width joiner"),
    pytest.param("010190\u20601234", id="word joiner"),
    pytest.param("010190\ufeff1234", id="byte order mark"),
    pytest.param("010190\u00ad-1234", id="soft hyphen before the hyphen"),
    pytest.param("0101\u00ad90-1234", id="soft hyphen inside the date"),
    pytest.param("\u200b".join("0101901234"), id="zero-width space between every digit"),
    pytest.param("0101\u033290-1234", id="combining mark"),
    pytest.param("01 01 90 1234", id="date in pairs"),
    pytest.param("01 01 90-1234", id="date in pairs, hyphen"),
    pytest.param("01\u00a001\u00a090\u00a01234", id="date in pairs, no-break spaces"),
    pytest.param("01.01.90-1234", id="date with dots, hyphen"),
    pytest.param("01.01.90 1234", id="date with dots, space"),
    pytest.param("\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff14", id="full-width digits"),
    pytest.param("CPR:0101901234", id="after a colon"),
    pytest.param("https://example.dk/?cpr=010190-1234", id="in a link's address"),
]


@pytest.mark.parametrize("number", CPR_FORMS)
def test_a_cpr_number_is_found_in_every_form_it_is_written(number):
    assert cpr_like(f"Borgeren {number} klagede.")


@pytest.mark.parametrize("number", ["290200-1234", "311299-4321", "010105 1234", "31 12 05 0001"])
def test_a_cpr_number_of_either_century_is_found(number):  # 29 February 2000 is a date; 1999; 2005
    assert cpr_like(number)


@pytest.mark.parametrize("text", [
    pytest.param("Ring på 12 34 56 78", id="phone number in pairs"),
    pytest.param("Tlf. +45 33 66 33 66", id="phone number with country code"),
    pytest.param("Tlf. 3366 3366", id="phone number in fours"),
    pytest.param("Tlf. 33663366", id="phone number in one"),
    pytest.param("+45 31203901", id="phone number after the country code"),
    pytest.param("I alt 1.234.567 kr.", id="amount with dots"),
    pytest.param("12.345,50 kr.", id="amount with decimals"),
    pytest.param("1 234 567 kr.", id="amount with spaces"),
    pytest.param("1.203.901.234 kr.", id="ten digits as an amount"),
    pytest.param("2019 2020 2021", id="years"),
    pytest.param("2018/19 og 2019/20", id="reporting years"),
    pytest.param("01.11.2018\u201331.10.2019", id="period with dots"),
    pytest.param("2018-11-01 \u2013 2019-10-31", id="period as ISO dates"),
    pytest.param("Sagsnr. 2019-123456", id="case number"),
    pytest.param("BR-2019-0001", id="case id"),
    pytest.param("KLE 27.12.08-P20-1-19", id="journal number"),
    pytest.param("CVR 12345678", id="CVR number"),
    pytest.param("EAN 5798000123456", id="EAN number"),
    pytest.param("10 % af 1234 sager", id="share and count"),
    pytest.param("kl. 12.30 den 01.01.2019", id="time and date"),
    pytest.param("310290-1234", id="31 February is no date"),
    pytest.param("321390-1234", id="day 32, month 13"),
    pytest.param("01019012345", id="eleven digits"),
    pytest.param("1010190-1234", id="seven digits before the hyphen"),
    pytest.param("010190-12 34", id="the four digits split"),
    pytest.param("01-01-90-1234", id="date with hyphens"),
    pytest.param("0101 901234", id="grouped as no one writes a CPR number"),
])
def test_an_ordinary_danish_number_is_no_cpr_number(text):
    assert not cpr_like(text)


def test_reading_maps_spaces_and_dashes_and_drops_what_is_invisible():
    assert reading("a\u00a0b\u202fc\td\ne\u2013f\u2011g\u2212h\u00adi\u200bj\u2060k\ufeffl") == "a b c d e-f-g-hijkl"
    assert reading("Ærø 12 % – ½") == "Ærø 12 % - ½"  # letters, digits and signs are kept


# -- Every caller reads with the one recogniser ---------------------------------------------------------------


def test_kommune_yml_refuses_a_cpr_number_word_wrote_with_a_no_break_space_or_an_en_dash(tmp_path):
    text = KOMMUNE_YML.replace("kommune: Testby Kommune", "kommune: Testby Kommune 010190\u00a01234")
    text = text.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, 'Jens 01 01 90\u20131234']")
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RegisterInvalid) as caught:
        load_kommune(tmp_path)
    found = [str(p) for p in caught.value.problems]
    assert [p.split(": ", 1)[0] for p in found] == [f"{tmp_path}/kommune.yml:1", f"{tmp_path}/kommune.yml:5"]
    assert all("looks like a CPR number" in p and "1234" not in p for p in found)


def test_a_recommendation_with_a_cpr_number_written_with_a_zero_width_space_is_refused_by_line(make_register):
    table = ("periode,nr,anbefaling,omraade,status,status_dato\n"
             "2018/19,1,Svar inden for fristen,Social,Ny,2019-10-31\n"
             "2018/19,2,Ring til 010190\u200b1234 om klagevejledning,,Ny,2019-10-31\n")
    folder = make_register(kommune=KOMMUNE_PARTS_YML, anbefalinger=table)
    assert problems_of(folder) == [
        f"{folder}/anbefalinger.csv:3: column 'anbefaling': the text holds what looks like a CPR number (a date "
        "and four digits); the report is public, so remove it (the number is not repeated here)"]
