"""A period's Beretning: what load_beretning reads, what it refuses, and the facts it derives."""

import base64
import json
import re
import subprocess
import sys

import pytest

from conftest import COMPLETE_FROM_2017_18
from reportlib.exceptions import FiguresMismatch, LogoUnusable
from reportlib.figures.document import figures, to_json
from reportlib.periods import PeriodError, period_between
from reportlib.register.validate import load_register
from reportlib.report.beretning import load_beretning, read_logo
from reportlib.report.narrative import CHAPTERS, NarrativeError
from reportlib.report.sections import SECTIONS
from stats_register import AKTIVITETER, PROBLEMSTILLINGER, SAGER

YEAR = ("2018-11-01", "2019-10-31")


@pytest.fixture
def folder(make_register):
    return make_register(sager=SAGER, problemstillinger=PROBLEMSTILLINGER, aktiviteter=AKTIVITETER,
                         complete=COMPLETE_FROM_2017_18)


def test_a_named_narrative_must_exist(folder):
    with pytest.raises(NarrativeError, match="narrative file not found"):
        load_beretning(folder, *YEAR, narrativ=folder / "nope.md")


@pytest.mark.parametrize("start,end,message", [
    ("2019-02-30", "2019-03-01", "day is out of range"),
    ("2019-03-01", "2019-02-01", "ends before it starts"),
])
def test_bad_dates_are_refused(folder, start, end, message):
    with pytest.raises(PeriodError, match=message):
        load_beretning(folder, start, end)


def handed_over(folder, tmp_path, start, end, min_celle=None):
    """The figures document as ``reportlib run`` hands it to the kernel."""
    path = tmp_path / "figures.json"
    path.write_text(to_json(figures(load_register(folder), period_between(start, end), min_celle=min_celle)),
                    encoding="utf-8")
    return path


def test_the_figures_handed_over_give_the_same_report_byte_for_byte(folder, tmp_path):
    (folder / "beretning_2018-11-01_2019-10-31.md").write_text("# Forord\n\nGodt år.\n", encoding="utf-8")
    given = load_beretning(folder, *YEAR, min_celle=2, figurer=handed_over(folder, tmp_path, *YEAR, min_celle=2))
    computed = load_beretning(folder, *YEAR, min_celle=2)
    assert given.figures == computed.figures
    for name in SECTIONS:
        assert repr(given.section(name)) == repr(computed.section(name))
        assert getattr(given.section(name), "html", None) == getattr(computed.section(name), "html", None)
    for name in CHAPTERS:
        assert given.chapter(name)._repr_mimebundle_() == computed.chapter(name)._repr_mimebundle_()


@pytest.mark.parametrize("asked", [("2019-11-01", "2020-10-31", -1), (*YEAR, 3)])
def test_figures_of_another_period_or_threshold_are_refused(folder, tmp_path, asked):
    *period, min_celle = asked
    with pytest.raises(FiguresMismatch, match="figures.json: the figures of .* not of .* as asked for"):
        load_beretning(folder, *period, min_celle=min_celle, figurer=handed_over(folder, tmp_path, *YEAR))


def spoilt(path, change):
    """The figures document at ``path`` changed, written back as json.dumps writes it (NaN, Infinity)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


AGAIN = ("the figures document is not as reportlib writes it, so make it again with `reportlib figures` or "
         "`reportlib run`")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["comparable"].update(cases_per_10000=float("inf")),
     "Infinity is no number reportlib writes (its documents hold finite numbers only); give the figures document as "
     "`reportlib figures` prints it (a report's figures.json)"),
    (lambda d: d["comparable"].update(cases_per_10000=1e308),
     f"comparable.cases_per_10000 is missing or not as reportlib writes it; {AGAIN}"),
    (lambda d: d["areas"][0].update(count=1e300), f"areas[0].count is missing or not as reportlib writes it; {AGAIN}"),
    (lambda d: d["handling_days"].update(median=-1), f"handling_days.median is missing or not as reportlib writes it; "
                                                     f"{AGAIN}"),
    (lambda d: d["key_figures"].pop("cases_total"), f"key_figures.cases_total is missing or not as reportlib writes "
                                                    f"it; {AGAIN}"),
    (lambda d: d.update(format=3), f"format is missing or not as reportlib writes it; {AGAIN}"),
])
def test_figures_handed_over_that_are_not_as_reportlib_writes_them_are_refused_naming_the_key(folder, tmp_path, change,
                                                                                               message):
    path = spoilt(handed_over(folder, tmp_path, *YEAR), change)
    with pytest.raises(FiguresMismatch) as caught:
        load_beretning(folder, *YEAR, figurer=path)
    assert str(caught.value) == f"{path}: {message}"


def test_the_period_is_named_with_the_year_before_it_when_the_register_reaches_back(folder):
    # A, received 2018-10-31, falls in 2017/18: that year is compared with; nothing precedes 2017/18.
    beretning = load_beretning(folder, *YEAR)
    assert (beretning.period_label, beretning.previous_label) == ("2018/19", "2017/18")
    assert beretning.title == "Beretning fra Borgerrådgiveren, Testby Kommune, 2018/19"
    assert load_beretning(folder, "2017-11-01", "2018-10-31").previous_label is None


LOADS_A_BERETNING = """\
import json, sys
from reportlib.report.beretning import load_beretning, read_logo
beretning = load_beretning(sys.argv[1], "2018-11-01", "2019-10-31")
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def test_a_beretning_is_data_its_loading_draws_no_chart(folder):
    # The scaffold and `reportlib init` build one too; charts (seaborn) are the renderer's.
    done = subprocess.run([sys.executable, "-c", LOADS_A_BERETNING, str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "seaborn" not in json.loads(done.stdout)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea2a9d2e70000000049454e44ae426082")


def test_the_logo_is_embedded_and_an_svg_keeps_its_drawing_only(folder):
    (folder / "logo.png").write_bytes(PNG)
    kommune = load_beretning(folder, *YEAR).kommune.model_copy(update={"logo": "logo.png"})
    assert read_logo(kommune, folder).startswith("data:image/png;base64,iVBORw0KGgo")
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)'
                                     '</script><rect width="10" height="10" fill="#0173b2"/></svg>', encoding="utf-8")
    source = read_logo(kommune.model_copy(update={"logo": "logo.svg"}), folder)
    svg = base64.b64decode(source.split(",", 1)[1]).decode()
    assert "<rect" in svg and "script" not in svg and "onload" not in svg and "alert" not in svg
    assert read_logo(kommune.model_copy(update={"logo": None}), folder) is None


@pytest.mark.parametrize("name,content,message", [
    ("mangler.png", None, "the logo kommune.yml names cannot be read (No such file or directory); put the file in "
                          "the register folder, or remove 'logo' from kommune.yml"),
    ("logo.png", b"GIF89a....", "not a PNG or SVG image the report can show"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     "an SVG may hold drawing elements only"),
])
def test_a_logo_the_report_cannot_show_is_refused_with_the_fix(folder, name, content, message):
    if content is not None:
        (folder / name).write_bytes(content)
    kommune = load_beretning(folder, *YEAR).kommune.model_copy(update={"logo": name})
    with pytest.raises(LogoUnusable, match=re.escape(message)):
        read_logo(kommune, folder)
