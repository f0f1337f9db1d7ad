"""The advisor's narrative file: split at headings, recommendations last, no raw HTML published."""

import pytest

from reportlib.narrative import NarrativeError, read_narrative

TEXT = """\
<!-- note to self: ring til Jens før mødet -->
Indledende linje.

# Forord

Et *godt* år.

## Et punkt

# Anbefalinger

- Svar hurtigere.

# Tak

<script>alert(1)</script>
"""


@pytest.fixture
def narrative(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_text(TEXT, encoding="utf-8")
    return read_narrative(path)


def test_recommendations_go_after_the_figures_and_the_rest_before_in_file_order(narrative):
    assert [c.heading for c in narrative.before] == ["", "Forord", "Tak"]
    assert [c.heading for c in narrative.after] == ["Anbefalinger"]
    assert narrative.after[0].html == "<ul>\n<li>Svar hurtigere.</li>\n</ul>"


def test_markdown_is_rendered_and_subheadings_sit_below_the_chapter_heading(narrative):
    forord = narrative.before[1].html
    assert "<em>godt</em>" in forord
    assert "<h3>Et punkt</h3>" in forord  # "##" becomes h3 under the chapter's h2


def test_raw_html_is_shown_as_text_and_comments_are_left_out(narrative):
    everything = "".join(c.html for c in narrative.before + narrative.after)
    assert "<script>" not in everything
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in narrative.before[2].html
    assert "Jens" not in everything


def test_a_missing_default_file_gives_an_empty_narrative(tmp_path):
    narrative = read_narrative(tmp_path / "absent.md")
    assert (narrative.before, narrative.after, narrative.source) == ([], [], None)


def test_a_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(NarrativeError, match=r"absent\.md: narrative file not found; check the path"):
        read_narrative(tmp_path / "absent.md", required=True)


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "beretning.md"
    path.write_bytes("# Forord\nGod bæredygtighed".encode("cp1252"))
    with pytest.raises(NarrativeError, match=r"beretning\.md: byte 14: not UTF-8 text; save the file as UTF-8"):
        read_narrative(path)
