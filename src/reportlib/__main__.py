"""``python -m reportlib``: the same as the ``reportlib`` command."""

from .cli import main

main(prog_name="reportlib")
