"""Registers unlike the example, and every sentence their reports say checked against figures counted here.

Each shape is a small register written out in tests/shapes.py; tests/claims.py counts what a sentence may claim
straight from its CSV text, without reportlib, and holds each sentence the sections can say to those
counts: it may appear only where what it asserts is true, and the sentences that must appear do.
The shapes: one problem per case (a one-sheet register), no activities, one complaint
category, a calendar year, a tiny municipality whose cells are mostly withheld, a year without
complaints, a half-year, a partial year as an interim report, every optional part, and a year with
more than ten closed cases.
"""

from __future__ import annotations

import pytest

from claims import check_every_claim, facts, rendered
from conftest import DEFAULT_TABLES, text_of
from reportlib.report.beretning import load_beretning
from shapes import SHAPES, YEAR, write_shape


@pytest.fixture(params=list(SHAPES))
def shape(request, make_register):
    spec = SHAPES[request.param]
    folder, tables = write_shape(make_register, request.param)
    start, end = spec.get("period", YEAR)
    beretning = load_beretning(folder, start, end, foreloebig=spec.get("interim", False))
    counted = beretning.figures["period"]
    written = {**DEFAULT_TABLES, **tables}  # what make_register wrote: its defaults, but for a table given or None
    return request.param, beretning, facts(written, counted["start"], counted["end"])


def test_every_sentence_holds_for_the_register_it_was_made_from(shape):
    name, beretning, counted = shape
    html = rendered(beretning)
    text = text_of(html).replace("\u00a0", " ")
    check_every_claim(name, beretning, html, text, counted)
