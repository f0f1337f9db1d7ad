"""The publication ledger: what it holds, what a run adds to it with the report it publishes, and a report
protected against the ones published before it (the issue's case: a year, then its second half)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reportlib.cli import main
from reportlib.exceptions import RunBusy
from reportlib.figures.document import to_json
from reportlib.figures.document_format import FORMAT
from reportlib.periods import Period
from reportlib.publish import batch, ledger
from reportlib.publish.batch import Job

YEAR, FIRST, SECOND = "2018-11-01_2019-10-31", "2018-11-01_2019-04-30", "2019-05-01_2019-10-31"
THE_YEAR = Period(dt.date(2018, 11, 1), dt.date(2019, 10, 31))
THE_FIRST, THE_SECOND = Period(dt.date(2018, 11, 1), dt.date(2019, 4, 30)), Period(dt.date(2019, 5, 1),
                                                                                     dt.date(2019, 10, 31))


def document(kommune="Testby Kommune", start="2018-11-01", end="2019-10-31", cases=1):
    return {"format": FORMAT, "kommune": kommune, "period": {"start": start, "end": end},
            "key_figures": {"cases_total": cases}}


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else to_json(content), encoding="utf-8")


def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def test_the_ledger_is_every_report_folder_and_every_replaced_and_pending_report_of_the_municipality(tmp_path):
    out = tmp_path / "out"
    write(out / YEAR / "figures.json", document(cases=1))
    write(out / ledger.LEDGER / "0123.json", document(cases=2))  # a report replaced since
    write(out / ledger.LEDGER / "pending" / f"{FIRST}.{__import__('os').getpid()}.json", document(cases=3))
    write(out / ledger.LEDGER / "pending" / f"{SECOND}.{dead_pid()}.json", document(cases=4))  # a killed run's
    write(out / FIRST / "figures.json", to_json(document(cases=1)))  # the same document twice: once
    write(out / SECOND / "figures.json", document(kommune="Nabo Kommune", cases=5))  # another municipality's
    write(out / "noter" / "figures.json", document(cases=6))  # not a report folder
    write(out / f".{YEAR}.partial-1" / "figures.json", document(cases=7))  # a run's staging folder
    write(out / ledger.LEDGER / "broken.json", "{not json")
    found = ledger.published(out, "Testby Kommune")
    assert sorted(d["key_figures"]["cases_total"] for d in found) == [1, 2, 3]
    assert ledger.published(tmp_path / "nowhere", "Testby Kommune") == []


def test_an_earlier_reportlibs_figures_are_read_with_todays_keys(tmp_path):
    # Format 1 counted the problemstillinger as "problems": no reader of the ledger meets that key.
    out = tmp_path / "out"
    write(out / YEAR / "figures.json", {"kommune": "Testby Kommune", "period": {"start": "2018-11-01",
                                                                               "end": "2019-10-31"},
                                        "key_figures": {"cases_total": 1, "problems": 3}})
    [found] = ledger.published(out, "Testby Kommune")
    assert found["key_figures"] == {"cases_total": 1, "problemstillinger": 3} and found["format"] == FORMAT


def test_a_reservation_keeps_the_report_it_will_replace_and_holds_its_figures_until_the_run_ends(tmp_path):
    out, old = tmp_path / "out", document(cases=1)
    write(out / YEAR / "figures.json", old)
    seen = []
    with ledger.reserved(out / YEAR, "Testby Kommune", lambda earlier: seen.append(earlier) or document(cases=2)):
        pending = list((out / ledger.LEDGER / "pending").iterdir())
        assert [json.loads(p.read_text())["key_figures"]["cases_total"] for p in pending] == [2]
        kept = [p for p in (out / ledger.LEDGER).glob("*.json")]
        assert [json.loads(p.read_text()) for p in kept] == [old]
    assert seen == [[old]]  # made against the report it replaces
    assert list((out / ledger.LEDGER / "pending").iterdir()) == []  # the run is over: published or not
    with pytest.raises(ZeroDivisionError), ledger.reserved(out / FIRST, "Testby Kommune", lambda _: document()):
        raise ZeroDivisionError  # a failed run leaves no pending entry either
    assert list((out / ledger.LEDGER / "pending").iterdir()) == []


def test_a_reservation_waits_for_another_process_and_then_says_so(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / ledger.LEDGER).mkdir(parents=True)
    hold = ("import filelock, sys, time; lock = filelock.FileLock(sys.argv[1]);"
            "lock.acquire(); print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(out / ledger.LEDGER / ".lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(ledger, "LOCK_TIMEOUT", 0.2)
        with pytest.raises(RunBusy, match="another run has held the publication ledger"), \
                ledger.reserved(out / YEAR, "Testby Kommune", lambda _: document()):
            pass
    finally:
        holder.kill()
        holder.wait()


# The case, in a register of 20 cases: topic Partshøring is 1 in the first half, 8 in the second, 9
# in the year; Andet 5, 6 and 11. The year is published first: no count of it is small.
SAGER = "sag_id,modtaget,afsluttet,henvendelsestype\n" + "".join(
    f"{name},{day},,Anden henvendelse\n" for name, day in
    [(f"H{i}", f"2019-0{1 + i % 4}-0{1 + i}") for i in range(6)] + [(f"S{i}", f"2019-0{5 + i % 5}-1{i % 10}")
                                                                     for i in range(14)])
PROBLEMS = "sag_id,omraade,center,emne,primaer\n" + "".join(
    f"{name},Social,Jobcenter,{topic},\n" for name, topic in
    [("H0", "Partshøring"), *((f"H{i}", "Andet") for i in range(1, 6)),
     *((f"S{i}", "Partshøring") for i in range(8)), *((f"S{i}", "Andet") for i in range(8, 14))])


@pytest.fixture
def halves(make_register):
    from conftest import KOMMUNE_YML

    return make_register(kommune=KOMMUNE_YML + "min_celle: 3\n", sager=SAGER, problemstillinger=PROBLEMS,
                         aktiviteter="dato,aktivitet\n")


def topics(folder):
    return {row["label"]: row["count"] for row in json.loads((folder / "figures.json").read_text())["topics"]}


@pytest.mark.kernel
def test_a_half_published_after_its_year_does_not_give_the_other_half_away(halves, tmp_path, no_kernel):
    out = tmp_path / "out"
    run = ["run", "--data", str(halves), "--out", str(out), "--format", "html"]
    assert CliRunner().invoke(main, [*run, "--period", "2018/19"]).exit_code == 0
    assert topics(out / YEAR) == {"Partshøring": 9, "Sagsbehandlingstid": 0, "Andet": 11}
    assert CliRunner().invoke(main, [*run, "--period", "2018/19-H2"]).exit_code == 0
    # Shown, 8 would tell the first half's 1 (9 - 8); withheld, it is still 14 - 6 - 0: Andet goes too. And the
    # national themes the vocabulary maps them to by name, each the same count as its topic.
    assert topics(out / SECOND) == {"Partshøring": None, "Sagsbehandlingstid": 0, "Andet": None}
    document = json.loads((out / SECOND / "figures.json").read_text())
    assert [row["label"] for row in document["comparable"]["themes"] if row["suppressed"]] == ["partshøring", "andet"]
    assert document["disclosure"] == {"withheld": 4, "protecting": 4, "given": [], "disregarded": [],
                                      "published_with": [{"start": "2018-11-01", "end": "2019-10-31"}]}
    # Made alone, the second half withholds nothing: its counts are 8, 0 and 6.
    alone = CliRunner().invoke(main, ["figures", "--data", str(halves), "--period", "2018/19-H2",
                                      "--out", str(tmp_path / "empty")])
    assert {row["label"]: row["count"] for row in json.loads(alone.stdout)["topics"]} == {
        "Partshøring": 8, "Sagsbehandlingstid": 0, "Andet": 6}
    assert not (out / ledger.LEDGER / "pending").exists() or not any((out / ledger.LEDGER / "pending").iterdir())


@pytest.mark.kernel
def test_a_replaced_report_stays_in_the_ledger_and_one_of_another_register_version_is_named(halves, tmp_path,
                                                                                          no_kernel):
    out = tmp_path / "out"
    run = ["run", "--data", str(halves), "--out", str(out), "--format", "html"]
    assert CliRunner().invoke(main, [*run, "--period", "2018/19"]).exit_code == 0
    first = (out / YEAR / "figures.json").read_text()
    with (halves / "sager.csv").open("a", encoding="utf-8") as stream:  # a late registration: the year changes
        stream.write("L,2019-06-01,,Anden henvendelse\n")
    with (halves / "problemstillinger.csv").open("a", encoding="utf-8") as stream:
        stream.write("L,Social,Ydelser,Andet,\n")
    assert CliRunner().invoke(main, [*run, "--period", "2018/19"]).exit_code == 0
    kept = [path.read_text() for path in (out / ledger.LEDGER).glob("*.json")]
    assert kept == [first]  # the board has read it: it still counts
    disclosure = json.loads((out / YEAR / "figures.json").read_text())["disclosure"]
    # The first version's Andet (11) is not the register's now (12): it cannot be held to, and says so.
    assert disclosure["disregarded"] == [{"start": "2018-11-01", "end": "2019-10-31"}]


def test_a_batch_makes_the_years_figures_first_and_holds_every_period_in_the_ledger_until_it_ends(halves,
                                                                                                 tmp_path):
    out = tmp_path / "out"
    work = [Job(THE_SECOND, halves, out), Job(THE_FIRST, halves, out), Job(THE_YEAR, halves, out)]
    options = {"formats": ("html",)}
    with __import__("contextlib").ExitStack() as reservations:
        figures = batch._figures_in_order(work, {job: batch._plan(job, options) for job in work}, reservations, options)
        assert len(list((out / ledger.LEDGER / "pending").iterdir())) == 3
    assert list((out / ledger.LEDGER / "pending").iterdir()) == []
    assert figures[work[2]]["disclosure"]["published_with"] == []
    assert [p["start"] for p in figures[work[1]]["disclosure"]["published_with"]] == ["2018-11-01"]  # the year
    assert [p["start"] for p in figures[work[0]]["disclosure"]["published_with"]] == ["2018-11-01", "2018-11-01"]
    # The year shows 9, the first half withholds its 1 (and Andet beside it): the second half may not show 8.
    assert {row["label"]: row["count"] for row in figures[work[0]]["topics"]}["Partshøring"] is None


def test_tjek_finds_what_reports_made_apart_give_away_and_passes_what_the_ledger_made(halves, tmp_path):
    out = tmp_path / "out"
    for period, slug in (("2018/19", YEAR), ("2018/19-H2", SECOND)):  # as each was made before: alone
        made = CliRunner().invoke(main, ["figures", "--data", str(halves), "--period", period,
                                         "--out", str(tmp_path / "empty")])
        write(out / slug / "figures.json", made.stdout)
    result = CliRunner().invoke(main, ["--sprog", "da", "tjek", "--data", str(halves), "--period", "2018/19-H1",
                                       "--out", str(out)])
    assert result.exit_code == 1
    assert "emnet 'Partshøring', 2018/19, 1. halvår: mellem 1 og 1; det skal kunne være 3 eller mere" in result.output
    assert "det nationale tema 'partshøring', 2018/19, 1. halvår: mellem 1 og 1" in result.output
    assert "2 små tal kan regnes ud af det offentliggjorte" in result.output
    (out / SECOND / "figures.json").unlink()  # the year alone: the first half withholds what it must
    result = CliRunner().invoke(main, ["--sprog", "da", "tjek", "--data", str(halves), "--period", "2018/19-H1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ("2 små tal er tjekket: en læser af alle beretningerne kan ikke "
                                              "indsnævre nogen af dem til under 3.")
