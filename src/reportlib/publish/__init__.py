"""Publishing: a period's report made and put in place, once and whole, whatever happens.

Owns whether a published report is current (freshness), executing the report notebook, exporting
it to the board's HTML and finishing the page, the output formats (``formats``: one backend each,
HTML, PDF with the report's own typeface, and Word), the manifest, the atomic publish of the
folder, many periods in a batch, and a network's comparison report. Imports report, figures,
register and the base modules; never the workbench. Its modules import nothing heavy at the top
where an up-to-date run passes.
"""
