"""The registry of output formats: each backend found by name, written in order, and a new format one entry away."""

import datetime as dt
import importlib
import json
import subprocess
import sys
import types

import pytest
from click.testing import CliRunner

from reportlib.cli import main
from reportlib.publish import formats
from reportlib.publish.formats import DEFAULT_FORMATS, FORMATS, Format, linked, needs_print_images, write_documents

SLUG = "2018-11-01_2019-10-31"
END = dt.date(2019, 10, 31)
TEXT_WRITER = "reportlib_test_text_format"  # the fourth format's backend: a module of this test's own


def write_text(path, html, *, title, date):
    """A fourth format's writer: the report's title, date and HTML as plain text."""
    path.write_text(f"{title}\n{date.isoformat()}\n{html}", encoding="utf-8")


@pytest.fixture
def with_text(monkeypatch):
    """A copy of the registry with a fourth format, ``txt``, whose writer gets the HTML for print."""
    backend = types.ModuleType(TEXT_WRITER)
    backend.write = write_text
    monkeypatch.setitem(sys.modules, TEXT_WRITER, backend)
    text = Format("txt", ".txt", f"{TEXT_WRITER}:write", progress="writing the text", print_images=True)
    monkeypatch.setattr(formats, "FORMATS", {**FORMATS, "txt": text})


def test_each_format_names_its_backend_which_has_a_writer():
    assert list(FORMATS) == ["html", "pdf", "docx"] and set(DEFAULT_FORMATS) <= set(FORMATS)
    for name, form in FORMATS.items():
        module, function = form.writer.split(":")
        assert form.name == name and form.suffix == f".{name}" and module == f"reportlib.publish.formats.{name}"
        assert callable(getattr(importlib.import_module(module), function))
    assert [form.name for form in FORMATS.values() if form.linked] == ["pdf"]  # the one link the HTML has


def test_only_a_format_that_shows_no_svg_has_the_charts_drawn_as_png():
    assert needs_print_images(["html", "pdf", "docx"]) and not needs_print_images(["html", "pdf"])
    assert linked(["html", "pdf"], "beretning") == "beretning.pdf" and linked(["html", "docx"], "beretning") == ""


def test_reading_the_registry_imports_no_backend():
    done = subprocess.run([sys.executable, "-c", "import json, sys; import reportlib.cli; "
                                                 "print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True)
    imported = json.loads(done.stdout)
    assert "reportlib.publish.formats" in imported
    assert [name for name in imported if name.startswith("reportlib.publish.formats.")] == []
    assert {"bs4", "docx", "weasyprint"}.isdisjoint(imported)


def test_the_documents_are_written_in_the_registrys_order_each_from_its_html(with_text, tmp_path):
    said, made = [], []

    def printed():
        made.append("printed")
        return "<p>til tryk</p>"

    written = write_documents(["txt", "html", "odt"], tmp_path, "beretning", html="<p>skærm</p>", printed=printed,
                              title="Beretning", date=END, progress=said.append)
    assert written == ["beretning.html", "beretning.txt"]  # the registry's order; an unknown name writes nothing
    assert (tmp_path / "beretning.html").read_text(encoding="utf-8") == "<p>skærm</p>"
    assert (tmp_path / "beretning.txt").read_text(encoding="utf-8") == "Beretning\n2019-10-31\n<p>til tryk</p>"
    assert said == ["writing the text"] and made == ["printed"]
    write_documents(["html"], tmp_path, "r", html="<p>skærm</p>", printed=printed, title="B", date=END,
                    progress=said.append)
    assert made == ["printed"]  # made only for a format that wants it


def test_a_fourth_format_in_the_registry_is_taken_by_format_and_written_by_the_run(with_text, make_register,
                                                                                   tmp_path, no_kernel):
    out = tmp_path / "outputs"
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--data", str(make_register()), "--out", str(out),
                                       "--format", "html,txt"])
    assert result.exit_code == 0, result.output
    assert f"{SLUG}: writing the text" in result.stderr
    text = (out / SLUG / "beretning.txt").read_text(encoding="utf-8")
    assert text.startswith("Beretning") and "Den kørte notesbog er her en stand-in." in text
    manifest = json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["formats"] == ["html", "txt"]
    assert {"beretning.html", "beretning.txt"} <= set(manifest["outputs"])


def test_formats_message_names_every_registered_format(with_text):
    result = CliRunner().invoke(main, ["run", "--period", "2018/19", "--format", "html,odt"])
    assert result.exit_code == 2
    assert "'html,odt': give one or more of html, pdf, docx and txt, e.g. html,pdf,docx,txt" in result.stderr
