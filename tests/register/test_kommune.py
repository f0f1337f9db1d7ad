"""kommune.yml: reading, and a message with line and key for each malformed form."""

import re

import pytest

from conftest import KOMMUNE_YML, kommune_problems
from reportlib import load_kommune


def test_reads_labels_in_file_order(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert kommune.kommune == "Testby Kommune"
    assert kommune.areas == ["Social", "Teknik"]
    assert kommune.topics == ["Partshøring", "Sagsbehandlingstid", "Andet"]
    assert kommune.topic_category()["Andet"] == "Øvrige"
    assert (kommune.min_celle, kommune.indbyggere, kommune.klagetype) == (0, None, "Klage")


def test_missing_key_is_named(tmp_path):
    text = KOMMUNE_YML.replace("periode_start_maaned: 11\n", "")
    assert kommune_problems(tmp_path, text) == [
        f"{tmp_path}/kommune.yml:1: key 'periode_start_maaned': required key is missing"]


def test_every_problem_is_reported_in_one_pass(tmp_path):
    text = KOMMUNE_YML.replace("periode_start_maaned: 11", "periode_start_maaned: 13").replace(
        "udfald: [Vejledt, Afvist]", "udfald: [Vejledt, Vejledt]")
    found = kommune_problems(tmp_path, text)
    assert len(found) == 2
    assert found[0].startswith(f"{tmp_path}/kommune.yml:3: key 'periode_start_maaned': value '13': "
                               "input should be less")


def test_default_complaint_type_may_be_absent(tmp_path):
    text = KOMMUNE_YML.replace("[Anden henvendelse, Klage]", "[Vejledning, Klage over afgørelse]")
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert kommune.henvendelsestyper == ["Vejledning", "Klage over afgørelse"]
    assert kommune.complaint_type is None


def test_complaint_type_and_drop_in_activity_resolve_to_the_listed_spelling(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + "klagetype: ' KLAGE'\naaben_raadgivning: åben RÅDGIVNING\n",
                                          encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert (kommune.complaint_type, kommune.drop_in_activity) == ("Klage", "Åben rådgivning")


def test_running_text_forms_and_explanations_are_optional_and_read_ignoring_case(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    plain = load_kommune(tmp_path)
    assert (plain.function_in_text, plain.type_in_text("Klage"), plain.explanation("Øvrige")) == (
        "borgerrådgiveren", None, None)
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + (
        "funktion_i_tekst: Borgerrådgiveren i Testby\n"
        "typer_i_tekst:\n  klage: [klage, klager]\n"
        "forklaring:\n  øvrige: Alt andet.\n"), encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert kommune.function_in_text == "Borgerrådgiveren i Testby"  # a name that keeps its capital
    assert kommune.type_in_text("Klage") == ("klage", "klager")
    assert kommune.explanation("Øvrige") == "Alt andet."


@pytest.mark.parametrize("written", ["true", '"11"', "11.0"])
def test_the_start_month_is_a_whole_number(tmp_path, written):
    text = KOMMUNE_YML.replace("periode_start_maaned: 11", f"periode_start_maaned: {written}")
    [message] = kommune_problems(tmp_path, text)
    assert message.startswith(f"{tmp_path}/kommune.yml:3: key 'periode_start_maaned': ")


@pytest.mark.parametrize("key", ["kanaler", "udfald", "aktiviteter", "henvendelsestyper"])
def test_a_list_of_labels_may_not_be_empty(tmp_path, key):
    text = re.sub(rf"^{key}: \[.*\]$", f"{key}: []", KOMMUNE_YML, flags=re.M)
    [message] = kommune_problems(tmp_path, text)
    assert message.endswith(f"key '{key}': needs at least one label")


def test_the_keys_of_the_optional_parts(tmp_path):
    from conftest import KOMMUNE_PARTS_YML

    (tmp_path / "kommune.yml").write_text(KOMMUNE_PARTS_YML, encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert kommune.metoder == ["Vejledning", "Dialog", "Undersøgelse"]
    assert kommune.result_labels == ["Kritik", "Delvis kritik", "Ingen kritik", "Ikke undersøgt"]
    assert kommune.resultater["Delvis kritik"] == "kritik"
    assert kommune.own_initiative_activity == "Egen drift"
    assert kommune.status_labels == ["Ny", "Igangsat", "Fulgt"] and kommune.anbefaling_status["Fulgt"] == "fulgt"
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    plain = load_kommune(tmp_path)  # all optional: a v1 kommune.yml has none of them
    assert (plain.metoder, plain.result_labels, plain.own_initiative_activity, plain.status_labels) == (
        [], [], None, [])


def test_the_own_initiative_activity_resolves_to_the_listed_spelling(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + "egen_drift: ÅBEN rådgivning\n", encoding="utf-8")
    assert load_kommune(tmp_path).own_initiative_activity == "Åben rådgivning"


def test_the_keys_of_the_optional_parts_are_checked_with_their_lines(tmp_path):
    text = KOMMUNE_YML + ("metoder: [Vejledning, vejledning]\n"                      # line 20
                          "resultater:\n  Kritik: kritik\n  Kritisk: måske\n  kritik: ingen kritik\n"  # 21-24
                          "egen_drift: Egen drift\n"                                 # 25
                          "anbefaling_status:\n  Fulgt: ja\n")                       # 26-27
    assert kommune_problems(tmp_path, text) == [  # in line order
        f"{tmp_path}/kommune.yml:20: key 'metoder.1': value 'vejledning': duplicate label (same as 'Vejledning', "
        "ignoring case); each label may appear once",
        f"{tmp_path}/kommune.yml:23: key 'resultater.Kritisk': value 'måske': "
        "input should be 'kritik', 'ingen kritik' or 'ikke undersøgt'",
        f"{tmp_path}/kommune.yml:24: key 'resultater.kritik': value 'kritik': duplicate label (same as 'Kritik', "
        "ignoring case); each label may appear once",
        f"{tmp_path}/kommune.yml:25: key 'egen_drift': value 'Egen drift': "
        "not one of the labels listed ('Eksternt oplæg', 'Åben rådgivning')",
        f"{tmp_path}/kommune.yml:27: key 'anbefaling_status.Fulgt': value 'ja': "
        "input should be 'fulgt' or 'ikke fulgt'",
    ]


def test_the_advisor_and_the_logo_are_optional_and_read_as_written(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + "borgerraadgiver:\n  navn: Karin Holm\nlogo: Logo.PNG\n",
                                          encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert (kommune.borgerraadgiver.navn, kommune.borgerraadgiver.titel, kommune.logo) == (
        "Karin Holm", "Borgerrådgiver", "Logo.PNG")  # the title defaults to the function's usual one
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    assert (load_kommune(tmp_path).borgerraadgiver, load_kommune(tmp_path).logo) == (None, None)


@pytest.mark.parametrize("extra,expected", [
    ("logo: ../fælles/logo.png\n", "key 'logo': value '../fælles/logo.png': must name a PNG or SVG file in the "
                                   "register folder, e.g. logo.png"),
    ("logo: logo.gif\n", "key 'logo': value 'logo.gif': must name a PNG or SVG file"),
    ("borgerraadgiver:\n  name: Karin\n", "key 'borgerraadgiver.navn': required key is missing"),
])
def test_a_logo_outside_the_folder_or_an_advisor_without_a_name_is_refused(tmp_path, extra, expected):
    assert any(expected in message for message in kommune_problems(tmp_path, KOMMUNE_YML + extra))


def test_a_misspelt_key_is_named_with_the_key_it_resembles_and_an_unrelated_one_is_ignored(tmp_path):
    [message] = kommune_problems(tmp_path, KOMMUNE_YML + "min_cell: 3\n")
    assert message == f"{tmp_path}/kommune.yml:20: key 'min_cell': not a key of kommune.yml; did you mean 'min_celle'?"
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + "vores_noter: husk at opdatere\n", encoding="utf-8")
    assert load_kommune(tmp_path).min_celle == 0  # a key of the municipality's own, far from every known one
