"""kommune.yml's label rules: unique labels, one category per topic, defaults and forms that name listed labels."""

from conftest import KOMMUNE_YML, kommune_problems


def test_duplicate_label_in_a_list_names_its_line(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, telefon]")
    [message] = kommune_problems(tmp_path, text)
    assert message.startswith(f"{tmp_path}/kommune.yml:5: key 'kanaler.2': value 'telefon': duplicate label")
    assert "same as 'Telefon'" in message


def test_topic_in_two_categories(tmp_path):
    text = KOMMUNE_YML.replace("    - Andet\n", "    - Partshøring\n")
    [message] = kommune_problems(tmp_path, text)
    assert message.startswith(f"{tmp_path}/kommune.yml:19: key 'emner.Øvrige.0': value 'Partshøring': "
                              "topic already listed")


def test_complaint_type_must_be_a_listed_type(tmp_path):
    [message] = kommune_problems(tmp_path, KOMMUNE_YML + "klagetype: Klager\n")
    assert message == (f"{tmp_path}/kommune.yml:20: key 'klagetype': value 'Klager': "
                       "not one of the labels listed ('Anden henvendelse', 'Klage')")


def test_forms_and_explanations_must_name_listed_labels(tmp_path):
    text = KOMMUNE_YML + "typer_i_tekst:\n  Klager: [klage, klager]\nforklaring:\n  Teknik: Veje.\n"
    assert kommune_problems(tmp_path, text) == [
        f"{tmp_path}/kommune.yml:21: key 'typer_i_tekst.Klager': value 'Klager': not one of the labels of "
        "'henvendelsestyper' ('Anden henvendelse', 'Klage')",
        f"{tmp_path}/kommune.yml:23: key 'forklaring.Teknik': value 'Teknik': not one of the labels of 'emner' "
        "('Forvaltningsloven', 'Øvrige')",
    ]


def test_a_type_needs_both_its_forms(tmp_path):
    assert kommune_problems(tmp_path, KOMMUNE_YML + "typer_i_tekst:\n  Klage: [klage]\n") == [
        f"{tmp_path}/kommune.yml:21: key 'typer_i_tekst.Klage': value '['klage']': give the type's singular and "
        "plural as they read in a sentence, e.g. [klage, klager]"]
