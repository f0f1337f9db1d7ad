"""kommune.yml: reading, and a message with line and key for each malformed form."""

import re

import pytest

from conftest import KOMMUNE_YML
from reportlib import RegisterInvalid, load_kommune


def problems(tmp_path, text):
    (tmp_path / "kommune.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RegisterInvalid) as caught:
        load_kommune(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_reads_labels_in_file_order(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML, encoding="utf-8")
    kommune = load_kommune(tmp_path)
    assert kommune.kommune == "Testby Kommune"
    assert kommune.areas == ["Social", "Teknik"]
    assert kommune.topics == ["Partshøring", "Sagsbehandlingstid", "Andet"]
    assert kommune.topic_category()["Andet"] == "Øvrige"
    assert (kommune.min_celle, kommune.indbyggere, kommune.klagetype) == (0, None, "Klage")


def test_missing_file(tmp_path):
    with pytest.raises(RegisterInvalid, match=r"kommune\.yml: file not found"):
        load_kommune(tmp_path)


def test_missing_key_is_named(tmp_path):
    text = KOMMUNE_YML.replace("periode_start_maaned: 11\n", "")
    assert problems(tmp_path, text) == [
        f"{tmp_path}/kommune.yml:1: key 'periode_start_maaned': required key is missing"]


def test_duplicate_label_in_a_list_names_its_line(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, telefon]")
    [message] = problems(tmp_path, text)
    assert message.startswith(f"{tmp_path}/kommune.yml:5: key 'kanaler.2': value 'telefon': duplicate label")
    assert "same as 'Telefon'" in message


def test_duplicate_area_key_is_caught_although_yaml_would_keep_the_last(tmp_path):
    text = KOMMUNE_YML.replace("  Teknik:\n", "  Social:\n")
    [message] = problems(tmp_path, text)
    assert message == (f"{tmp_path}/kommune.yml:12: key 'omraader': value 'Social': duplicate key; "
                       "each key and label may appear once")


def test_topic_in_two_categories(tmp_path):
    text = KOMMUNE_YML.replace("    - Andet\n", "    - Partshøring\n")
    [message] = problems(tmp_path, text)
    assert message.startswith(f"{tmp_path}/kommune.yml:19: key 'emner.Øvrige.0': value 'Partshøring': "
                              "topic already listed")


def test_every_problem_is_reported_in_one_pass(tmp_path):
    text = KOMMUNE_YML.replace("periode_start_maaned: 11", "periode_start_maaned: 13").replace(
        "udfald: [Vejledt, Afvist]", "udfald: [Vejledt, Vejledt]")
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert found[0].startswith(f"{tmp_path}/kommune.yml:3: key 'periode_start_maaned': value '13': "
                               "input should be less")


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig")
    [message] = problems(tmp_path, text)
    # libyaml notices the unclosed bracket on the next line; the message points back to where it opened.
    assert message.startswith(f"{tmp_path}/kommune.yml:6: not valid YAML: did not find expected ',' or ']'")
    assert "flow sequence started on line 5" in message


def test_complaint_type_must_be_a_listed_type(tmp_path):
    [message] = problems(tmp_path, KOMMUNE_YML + "klagetype: Klager\n")
    assert message == (f"{tmp_path}/kommune.yml:20: key 'klagetype': value 'Klager': "
                       "not one of the labels listed ('Anden henvendelse', 'Klage')")


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


def test_forms_and_explanations_must_name_listed_labels(tmp_path):
    text = KOMMUNE_YML + "typer_i_tekst:\n  Klager: [klage, klager]\nforklaring:\n  Teknik: Veje.\n"
    assert problems(tmp_path, text) == [
        f"{tmp_path}/kommune.yml:21: key 'typer_i_tekst.Klager': value 'Klager': not one of the labels of "
        "'henvendelsestyper' ('Anden henvendelse', 'Klage')",
        f"{tmp_path}/kommune.yml:23: key 'forklaring.Teknik': value 'Teknik': not one of the labels of 'emner' "
        "('Forvaltningsloven', 'Øvrige')",
    ]


def test_a_type_needs_both_its_forms(tmp_path):
    assert problems(tmp_path, KOMMUNE_YML + "typer_i_tekst:\n  Klage: [klage]\n") == [
        f"{tmp_path}/kommune.yml:21: key 'typer_i_tekst.Klage': value '['klage']': give the type's singular and "
        "plural as they read in a sentence, e.g. [klage, klager]"]


@pytest.mark.parametrize("replace,line,reason", [
    (("kommune: Testby Kommune", "kommune: !Ref Testby"), 1, "YAML tag '!Ref' is not read; remove it."),
    (("kommune: Testby Kommune", "kommune: !!python/object/apply:os.system [echo]"), 1,
     "YAML tag '!!python/object/apply:os.system' is not read; remove it."),
    (("kanaler: [Telefon, Skriftlig]", "kanaler: &k [Telefon, Skriftlig]\nudfald2: *k"), 5,
     "YAML anchors and aliases (& and *) are not read; write the values out."),
    (("kommune: Testby Kommune", "kommune: Testby Kommune\n? [a, b]\n: c"), 2,
     "a key must be plain text, not a list or mapping."),
    (("kommune: Testby Kommune", "kommune: Testby Kommune\ndyb: " + "[" * 12 + "]" * 12), 2, "nested too deeply;"),
])
def test_yaml_beyond_plain_values_is_refused_before_it_is_loaded(tmp_path, replace, line, reason):
    [message] = problems(tmp_path, KOMMUNE_YML.replace(*replace))
    assert message.startswith(f"{tmp_path}/kommune.yml:{line}: {reason}")


def test_nesting_too_deep_for_the_parser_is_a_message(tmp_path):
    assert problems(tmp_path, KOMMUNE_YML + "dyb: " + "[" * 5000 + "]" * 5000 + "\n") == [
        f"{tmp_path}/kommune.yml:20: nested too deeply; kommune.yml holds plain keys, text, numbers, dates and lists, "
        "at most a few levels deep"]


@pytest.mark.parametrize("written", ["true", '"11"', "11.0"])
def test_the_start_month_is_a_whole_number(tmp_path, written):
    [message] = problems(tmp_path, KOMMUNE_YML.replace("periode_start_maaned: 11", f"periode_start_maaned: {written}"))
    assert message.startswith(f"{tmp_path}/kommune.yml:3: key 'periode_start_maaned': ")


@pytest.mark.parametrize("key", ["kanaler", "udfald", "aktiviteter", "henvendelsestyper"])
def test_a_list_of_labels_may_not_be_empty(tmp_path, key):
    text = re.sub(rf"^{key}: \[.*\]$", f"{key}: []", KOMMUNE_YML, flags=re.M)
    [message] = problems(tmp_path, text)
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
    assert problems(tmp_path, text) == [  # in line order
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


def test_a_cpr_like_number_in_a_name_or_label_is_named_by_line_and_never_repeated(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, 'Jens 010190-1234']")
    text = text.replace("kommune: Testby Kommune", "kommune: Testby Kommune 2411871234")
    found = problems(tmp_path, text)
    assert [p.split(": ", 1)[0] for p in found] == [f"{tmp_path}/kommune.yml:1", f"{tmp_path}/kommune.yml:5"]
    assert all("looks like a CPR number" in p and "1234" not in p for p in found)


def test_a_number_that_is_no_date_is_no_cpr_number(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML.replace("Vej/park", "Vej 3102901234"), encoding="utf-8")
    assert load_kommune(tmp_path).omraader["Teknik"] == ["Vej 3102901234"]  # 31 February is no date


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
    assert any(expected in message for message in problems(tmp_path, KOMMUNE_YML + extra))


def test_a_misspelt_key_is_named_with_the_key_it_resembles_and_an_unrelated_one_is_ignored(tmp_path):
    [message] = problems(tmp_path, KOMMUNE_YML + "min_cell: 3\n")
    assert message == f"{tmp_path}/kommune.yml:20: key 'min_cell': not a key of kommune.yml; did you mean 'min_celle'?"
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML + "vores_noter: husk at opdatere\n", encoding="utf-8")
    assert load_kommune(tmp_path).min_celle == 0  # a key of the municipality's own, far from every known one
