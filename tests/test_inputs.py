"""reportlib.inputs: each input file read once, and the kernel handed what the host read."""

import io
import json
import os
import socket
import zipfile

import pytest

from reportlib import inputs
from reportlib.exceptions import InputRefused

LIMIT = inputs.Limit("a test file", 64, unpacked=1000)


@pytest.fixture
def opened(monkeypatch):
    """The files opened for reading, in order."""
    seen = []
    real = os.open

    def counting(path, flags, *args, **kwargs):
        if not flags & (os.O_WRONLY | os.O_RDWR):
            seen.append(os.path.basename(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(inputs.os, "open", counting)
    return seen


def test_a_file_is_read_once_however_many_readers_ask(tmp_path, opened):
    config = tmp_path / "kommune.yml"
    config.write_text("\ufeffkommune: Testby\n", encoding="utf-8")
    assert inputs.read_bytes(config, LIMIT) == "\ufeffkommune: Testby\n".encode()
    assert inputs.read_text(config, LIMIT) == "kommune: Testby\n"  # the byte-order mark is not text
    assert inputs.read_text(str(config), LIMIT) == "kommune: Testby\n"
    assert opened == ["kommune.yml"]


def test_a_file_changed_since_is_read_anew(tmp_path, opened):
    config = tmp_path / "kommune.yml"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    inputs.read_text(config, LIMIT)
    config.write_text("kommune: Testby Kommune\n", encoding="utf-8")
    assert inputs.read_text(config, LIMIT) == "kommune: Testby Kommune\n"
    assert opened == ["kommune.yml", "kommune.yml"]


def test_a_process_handed_the_inputs_reads_them_from_what_it_was_handed(tmp_path, monkeypatch):
    config = tmp_path / "kommune.yml"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    inputs.read_text(config, LIMIT)
    handed = inputs.hand_over([(config, LIMIT)], tmp_path)
    # The file changes after the run read it: the kernel still gets the bytes the run checked.
    config.write_text("kommune: Andetby\n", encoding="utf-8")
    monkeypatch.setenv(inputs.HANDED_VARIABLE, str(handed))
    monkeypatch.setattr(inputs, "_read", {})
    inputs._handed.cache_clear()
    try:
        assert inputs.read_text(config, LIMIT) == "kommune: Testby\n"
        os.remove(config)
        assert inputs.read_text(config, LIMIT) == "kommune: Testby\n"
    finally:
        monkeypatch.delenv(inputs.HANDED_VARIABLE)
        inputs._handed.cache_clear()


def test_only_the_files_asked_for_are_handed_over(tmp_path):
    config, register = tmp_path / "kommune.yml", tmp_path / "sager.csv"
    config.write_text("kommune: Testby\n", encoding="utf-8")
    register.write_text("sag_id\nA\n", encoding="utf-8")
    inputs.read_bytes(register, LIMIT)
    # The narrative is not there.
    handed = inputs.hand_over([(config, LIMIT), (tmp_path / "beretning.md", LIMIT)], tmp_path)
    assert json.loads(handed.read_text(encoding="utf-8")) == {str(config): "a29tbXVuZTogVGVzdGJ5Cg=="}


def test_what_is_kept_is_bounded_and_a_file_let_go_is_read_again(tmp_path, opened, monkeypatch):
    monkeypatch.setattr(inputs, "KEPT_BYTES", 10)
    monkeypatch.setattr(inputs, "_read", inputs.OrderedDict())
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(b"123456")
    second.write_bytes(b"abcdef")
    inputs.read_bytes(first, LIMIT)
    inputs.read_bytes(second, LIMIT)  # 12 bytes in all: the first is let go
    assert list(inputs._read) == [second]
    assert inputs.read_bytes(first, LIMIT) == b"123456"
    assert opened == ["a.csv", "b.csv", "a.csv"]


def test_a_missing_file_is_the_usual_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        inputs.read_bytes(tmp_path / "kommune.yml", LIMIT)


def test_a_folder_is_the_usual_error(tmp_path):
    with pytest.raises(IsADirectoryError):
        inputs.read_bytes(tmp_path, LIMIT)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "sager.csv"
    os.mkfifo(pipe)
    with pytest.raises(InputRefused, match=r"sager\.csv: a named pipe \(FIFO\), not a regular file; a test file"):
        inputs.read_bytes(pipe, LIMIT)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="the platform has no /dev/zero")
def test_a_device_is_refused_unread_also_behind_a_symbolic_link(tmp_path):
    logo = tmp_path / "logo.png"
    logo.symlink_to("/dev/zero")
    with pytest.raises(InputRefused, match=r"logo\.png: a device, not a regular file"):
        inputs.read_bytes(logo, LIMIT)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="the platform has no Unix sockets")
def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputRefused, match=r"s: a socket, not a regular file"):
            inputs.read_bytes(path, LIMIT)


def test_a_file_over_its_limit_is_refused_before_it_is_read(tmp_path, opened, monkeypatch):
    big = tmp_path / "figures.json"
    big.write_bytes(b"x" * 65)
    with pytest.raises(InputRefused, match=r"figures\.json: larger than 0 MB, more than a test file may be"):
        inputs.read_bytes(big, LIMIT)
    assert not inputs._read.get(big)  # nothing kept
    big.write_bytes(b"x" * 64)  # at the limit: read
    assert inputs.read_bytes(big, LIMIT) == b"x" * 64


def test_a_file_that_grows_past_its_limit_while_it_is_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "sager.csv"
    path.write_bytes(b"x" * 10)
    real = os.fstat

    def growing(descriptor):  # the size seen when opened, before it grew
        status = real(descriptor)
        path.write_bytes(b"x" * 100)
        return status

    monkeypatch.setattr(inputs.os, "fstat", growing)
    with pytest.raises(InputRefused, match="larger than"):
        inputs.read_bytes(path, LIMIT)


def test_a_symbolic_link_loop_is_a_message(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputRefused, match=r"a: a symbolic link that leads back to itself \(a loop\)"):
        inputs.read_bytes(tmp_path / "a", LIMIT)
    with pytest.raises(InputRefused, match="leads back to itself"):
        inputs.read_bytes(tmp_path / "a" / "kommune.yml", LIMIT)


def _archive(**members: bytes) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return stream.getvalue()


def test_an_archive_is_bounded_by_what_it_unpacks_to():
    assert inputs.unpacked(_archive(a=b"0" * 600, b=b"0" * 400), "x.docx", LIMIT).namelist() == ["a", "b"]
    bomb = _archive(a=b"0" * 600, b=b"0" * 401)  # a few hundred bytes packed
    assert len(bomb) < LIMIT.unpacked
    with pytest.raises(InputRefused, match=r"x\.docx: unpacks to more than 0 MB"):
        inputs.unpacked(bomb, "x.docx", LIMIT)


def test_an_archive_that_lies_about_its_sizes_is_refused(tmp_path):
    honest = _archive(a=b"0" * 2000)
    # The member's header says 10 bytes: unpacked beyond them, the content is found to differ from its checksum.
    lying = honest.replace((2000).to_bytes(4, "little"), (10).to_bytes(4, "little"))
    with pytest.raises(zipfile.BadZipFile):
        inputs.unpacked(lying, "x.xlsx", inputs.Limit("a test file", 64, unpacked=100))
