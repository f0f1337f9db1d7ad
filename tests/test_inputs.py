"""reportlib.inputs: each input file read once, and the kernel handed what the host read."""

import json
import os

import pytest

from reportlib import inputs


@pytest.fixture
def opened(monkeypatch):
    """The files opened for reading through pathlib, in order."""
    seen = []
    real = type(inputs.Path()).open

    def counting(self, mode="r", *args, **kwargs):
        if not set(mode) & set("wax"):
            seen.append(self.name)
        return real(self, mode, *args, **kwargs)

    monkeypatch.setattr(type(inputs.Path()), "open", counting)
    return seen


def test_a_file_is_read_once_however_many_readers_ask(tmp_path, opened):
    config = tmp_path / "kommune.yml"
    config.write_text("\ufeffkommune: Testby\n", encoding="utf-8")
    assert inputs.read_bytes(config) == "\ufeffkommune: Testby\n".encode()
    assert inputs.read_text(config) == "kommune: Testby\n"  # the byte-order mark is not text
    assert inputs.read_text(str(config)) == "kommune: Testby\n"
    assert opened == ["kommune.yml"]


def test_a_file_changed_since_is_read_anew(tmp_path, opened):
    config = tmp_path / "kommune.yml"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    inputs.read_text(config)
    config.write_text("kommune: Testby Kommune\n", encoding="utf-8")
    assert inputs.read_text(config) == "kommune: Testby Kommune\n"
    assert opened == ["kommune.yml", "kommune.yml"]


def test_a_process_handed_the_inputs_reads_them_from_what_it_was_handed(tmp_path, monkeypatch):
    config = tmp_path / "kommune.yml"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    inputs.read_text(config)
    handed = inputs.hand_over([config], tmp_path)
    # The file changes after the run read it: the kernel still gets the bytes the run checked.
    config.write_text("kommune: Andetby\n", encoding="utf-8")
    monkeypatch.setenv(inputs.HANDED_VARIABLE, str(handed))
    monkeypatch.setattr(inputs, "_read", {})
    inputs._handed.cache_clear()
    try:
        assert inputs.read_text(config) == "kommune: Testby\n"
        os.remove(config)
        assert inputs.read_text(config) == "kommune: Testby\n"
    finally:
        monkeypatch.delenv(inputs.HANDED_VARIABLE)
        inputs._handed.cache_clear()


def test_only_the_files_asked_for_are_handed_over(tmp_path):
    config, register = tmp_path / "kommune.yml", tmp_path / "sager.csv"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    register.write_text("sag_id\nA\n", encoding="utf-8")
    inputs.read_bytes(register)
    handed = inputs.hand_over([config, tmp_path / "beretning.md"], tmp_path)  # the narrative is not there
    assert json.loads(handed.read_text(encoding="utf-8")) == {str(config): "a29tbXVuZTogVGVzdGJ5Cg=="}


def test_what_is_kept_is_bounded_and_a_file_let_go_is_read_again(tmp_path, opened, monkeypatch):
    monkeypatch.setattr(inputs, "KEPT_BYTES", 10)
    monkeypatch.setattr(inputs, "_read", inputs.OrderedDict())
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(b"123456")
    second.write_bytes(b"abcdef")
    inputs.read_bytes(first)
    inputs.read_bytes(second)  # 12 bytes in all: the first is let go
    assert list(inputs._read) == [second]
    assert inputs.read_bytes(first) == b"123456"
    assert opened == ["a.csv", "b.csv", "a.csv"]


def test_a_missing_file_is_the_usual_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        inputs.read_bytes(tmp_path / "kommune.yml")
