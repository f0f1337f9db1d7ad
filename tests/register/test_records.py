"""The byte scan of a CSV file: records, their cells and quoted line breaks, as the csv module reads them."""

import codecs
import csv
import io
import random

import pytest

from reportlib.register import records
from reportlib.register.records import Records


def scan(text: str, separator: str = ",") -> tuple[list[str], list[int], bool]:
    raw = text.encode()
    found = Records.scan(raw, 0, separator)
    texts = [raw[s:e].decode() for s, e in zip(found.starts, found.ends, strict=True)]
    return texts, found.cells.tolist(), found.unclosed


def test_records_end_at_every_kind_of_line_break():
    assert scan("a,b\nc,d\r\ne\rf") == (["a,b", "c,d", "e", "f"], [2, 2, 1, 1], False)


def test_a_line_break_in_a_quoted_cell_belongs_to_the_record():
    assert scan('1,"two\r\nlines",3\n4,5,6\n') == (['1,"two\r\nlines",3', "4,5,6"], [3, 3], False)


def test_separators_in_quoted_cells_are_not_counted():
    # The second record's first cell is x",y: a doubled quote is a quote and the cell stays open.
    assert scan('"a,b",c\n"x"",y",z\n') == (['"a,b",c', '"x"",y",z'], [2, 2], False)


def test_a_quote_inside_an_unquoted_cell_is_just_a_character():
    assert scan('a"b,c\nd,e"\nf,g\n') == (['a"b,c', 'd,e"', "f,g"], [2, 2, 2], False)


def test_empty_lines_are_records_without_cells():
    assert scan("a\n\n\r\nb\n") == (["a", "", "", "b"], [1, 0, 0, 1], False)


def test_a_quote_never_closed_takes_the_rest_of_the_file():
    assert scan('a,b\n"c,d\ne,f\n') == (["a,b", '"c,d\ne,f\n'], [2, 1], True)


def test_the_scan_starts_after_a_byte_order_mark():
    raw = codecs.BOM_UTF8 + b"a;b\nc;d"
    found = Records.scan(raw, len(codecs.BOM_UTF8), ";")
    assert (found.starts.tolist(), found.ends.tolist(), found.cells.tolist()) == ([3, 7], [6, 10], [2, 2])


def test_an_empty_file_has_no_records():
    assert scan("") == ([], [], False)


PIECES = ["a", "b c", ",", ";", '"', '""', "\n", "\r", "\r\n", " ", "æ"]


@pytest.mark.parametrize("chunk", [records.CHUNK, 3])
def test_the_scan_agrees_with_the_csv_module(monkeypatch, chunk):
    """Seeded random texts, also scanned in chunks of three bytes: every record and its cells as csv reads them."""
    monkeypatch.setattr(records, "CHUNK", chunk)
    rng = random.Random(12)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(15)))
        separator = rng.choice(",;")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        found, cells, _ = scan(text, separator)
        assert cells == [len(row) for row in rows], repr(text)
        assert [next(csv.reader(io.StringIO(record, newline=""), delimiter=separator), []) for record in found] == rows
