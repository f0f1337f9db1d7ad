"""reportlib.inputs: each input file read once, and the kernel handed what the host read."""

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
    handed = inputs.hand_over(tmp_path)
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


def test_a_missing_file_is_the_usual_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        inputs.read_bytes(tmp_path / "kommune.yml")
