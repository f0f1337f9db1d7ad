"""The ``reportlib`` command line: arguments, messages and exit codes, one module per kind of command.

``common`` holds what every command shares (options, loading the register, exit codes: 0 done,
1 a fault, 2 bad input); ``register_folder`` the commands that set up and check a register folder
(validate, init, template, narrative); ``period_figures`` those that print or check a period's
figures (figures, tjek); ``reports`` those that make reports (run, network). The work itself is the
library's: a command parses, calls, and says what came of it.

pandas, pydantic, papermill, nbconvert and WeasyPrint are imported inside the commands that need
them, so that a scheduled run of an up-to-date period costs little more than starting Python
(tests/publish/test_run.py holds that).
"""

from __future__ import annotations

import click

from reportlib import __version__, language
from reportlib.cli import common, period_figures, register_folder, reports


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        language.choose(value)
    return value


class _Guarded(click.Group):
    """The command group: whatever a command does not turn into a message ends in one (:func:`common.last_resort`)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            common.last_resort(exc)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportlib")
@click.option("--sprog", type=click.Choice(language.LANGUAGES), default=None, callback=_choose_language,
              is_eager=True, expose_value=False,
              help="The language of the messages: da (dansk) or en [default: REPORTLIB_SPROG, else sprog in the "
                   "register's kommune.yml, else en].")
def main() -> None:
    """Turn a citizen advisor's case register into the annual report (beretning)."""


for command in (register_folder.validate, period_figures.figures, period_figures.tjek, register_folder.narrative,
                register_folder.init, register_folder.template, reports.run, reports.network):
    main.add_command(command)
