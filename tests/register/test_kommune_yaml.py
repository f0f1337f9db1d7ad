"""kommune.yml as YAML: syntax errors, what plain YAML never needs, duplicate keys and CPR-like values, by line."""

import pytest

from conftest import KOMMUNE_YML, kommune_problems
from reportlib import RegisterInvalid, load_kommune


def test_missing_file(tmp_path):
    with pytest.raises(RegisterInvalid, match=r"kommune\.yml: file not found"):
        load_kommune(tmp_path)


def test_duplicate_area_key_is_caught_although_yaml_would_keep_the_last(tmp_path):
    text = KOMMUNE_YML.replace("  Teknik:\n", "  Social:\n")
    [message] = kommune_problems(tmp_path, text)
    assert message == (f"{tmp_path}/kommune.yml:12: key 'omraader': value 'Social': duplicate key; "
                       "each key and label may appear once")


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig")
    [message] = kommune_problems(tmp_path, text)
    # libyaml notices the unclosed bracket on the next line; the message points back to where it opened.
    assert message.startswith(f"{tmp_path}/kommune.yml:6: not valid YAML: did not find expected ',' or ']'")
    assert "flow sequence started on line 5" in message


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
    [message] = kommune_problems(tmp_path, KOMMUNE_YML.replace(*replace))
    assert message.startswith(f"{tmp_path}/kommune.yml:{line}: {reason}")


def test_nesting_too_deep_for_the_parser_is_a_message(tmp_path):
    assert kommune_problems(tmp_path, KOMMUNE_YML + "dyb: " + "[" * 5000 + "]" * 5000 + "\n") == [
        f"{tmp_path}/kommune.yml:20: nested too deeply; kommune.yml holds plain keys, text, numbers, dates and lists, "
        "at most a few levels deep"]


def test_a_cpr_like_number_in_a_name_or_label_is_named_by_line_and_never_repeated(tmp_path):
    text = KOMMUNE_YML.replace("kanaler: [Telefon, Skriftlig]", "kanaler: [Telefon, Skriftlig, 'Jens 010190-1234']")
    text = text.replace("kommune: Testby Kommune", "kommune: Testby Kommune 2411871234")
    found = kommune_problems(tmp_path, text)
    assert [p.split(": ", 1)[0] for p in found] == [f"{tmp_path}/kommune.yml:1", f"{tmp_path}/kommune.yml:5"]
    assert all("looks like a CPR number" in p and "1234" not in p for p in found)


def test_a_number_that_is_no_date_is_no_cpr_number(tmp_path):
    (tmp_path / "kommune.yml").write_text(KOMMUNE_YML.replace("Vej/park", "Vej 3102901234"), encoding="utf-8")
    assert load_kommune(tmp_path).omraader["Teknik"] == ["Vej 3102901234"]  # 31 February is no date
