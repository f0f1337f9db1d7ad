"""The words for the figures, in Danish, shared by the report, its scaffold and the workbench.

A figure is called the same wherever the advisor or the board meets it, and by kommune.yml's own
names where it has them: the drop-in activity is called what the municipality calls it
(``aaben_raadgivning``), the function by its name in running text (``funktion_i_tekst``).
"""

from __future__ import annotations

from reportlib.register import schema
from reportlib.register.kommune import Kommune

OPEN_AT_END = "Åbne sager ved periodens slutning"
MEDIAN_DAYS = "Halvdelen af sagerne var afsluttet inden for"


def key_figures(kommune: Kommune) -> list[tuple[str, str]]:
    """The key figures (keys of the figures document's ``key_figures``) with their Danish names, in report order."""
    drop_in = kommune.drop_in_activity or kommune.aaben_raadgivning
    return [("cases_total", "Sager i alt"), ("complaints", "Heraf klager"), ("problemstillinger", "Problemstillinger"),
            ("meetings_attended", f"Møder med forvaltningen, hvor {kommune.function_in_text} deltog"),
            ("complaint_letters", "Hjælp til at klage til en klageinstans"),
            ("drop_in_sessions", f"{drop_in}, antal gange"), ("drop_in_citizens", f"{drop_in}, antal borgere")]


def not_recorded(figures: dict) -> list[str]:
    """What the register of a figures document does not record, in words, for "Om tallene" (the contract's words)."""
    absent = set(figures.get("not_recorded", []))
    unknown = [words for column, words in schema.not_recorded().items() if column in absent]
    if figures.get("methods") is None:
        unknown.append("sagernes behandling")
    if figures.get("criticism") is None:
        unknown.append("resultatet af borgerrådgiverens undersøgelser")
    return unknown


# The measures a network compares (reportlib.figures.network), as the comparison report and a member's
# section "Sammenlignet med andre kommuner" name them; a national theme's share is named by its theme.
NETWORK_MEASURES = {
    "cases_per_10000": "Sager pr. 10.000 indbyggere",
    "complaints_per_10000": "Klager pr. 10.000 indbyggere",
    "complaint_share": "Klagernes andel af sagerne",
    "criticism_rate": "Undersøgte sager, der endte med kritik",
    "handling_median": "Dage, før halvdelen af sagerne var afsluttet",
    "handling_p90": "Dage, før ni ud af ti sager var afsluttet",
    "within_target": "Sager afsluttet inden for kommunens eget mål",
}
# Why a municipality's figure is not in an average (reportlib.figures.network's reasons), after its name.
NETWORK_MISSING = {
    "suppressed": "tallet er skjult, fordi det er lille",
    "no_inhabitants": "indbyggertallet er ikke oplyst",
    "no_cases": "ingen sager i perioden",
    "not_recorded": "registrerer ikke resultatet af undersøgelser",
    "none_examined": "undersøgte ingen sager",
    "none_closed": "afsluttede ingen sager",
    "no_target": "har intet mål for sagsbehandlingstiden",
    "not_mapped": "ingen af kommunens emner er knyttet til temaet",
    "mapping_unknown": "tallene er lavet med en ældre reportlib, der ikke siger, om temaet er kortlagt",
}


def network_measure(key: str) -> str:
    """The Danish name of a network's measure; a theme's share (``theme:partshøring``) by its theme."""
    theme = key.partition("theme:")[2]
    if not theme:
        return NETWORK_MEASURES[key]
    return "Problemstillinger om andre emner" if theme == "andet" else f"Problemstillinger om {theme}"
