"""``python -m reportlib``: the same as the ``reportlib`` command."""

from reportlib.cli import main

main(prog_name="reportlib")
