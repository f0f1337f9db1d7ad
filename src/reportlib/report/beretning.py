"""What a period's report is made of: its configuration, its figures and the advisor's narrative.

The report notebook calls :func:`load_beretning` once, with the figures ``reportlib run`` computed
already or, in JupyterLab, from the register itself, and then shows one section or chapter per
cell. How each is shown is :mod:`reportlib.report.sections`' part.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlib import formatting, inputs
from reportlib.exceptions import FiguresMismatch, InputRefused, LogoUnusable
from reportlib.figures.coverage import check_period
from reportlib.figures.document import figures, read_json
from reportlib.figures.network_documents import read_network
from reportlib.language import _
from reportlib.periods import Period, period_between
from reportlib.register.kommune import Advisor, Kommune, load_kommune
from reportlib.register.validate import load_register
from reportlib.report import vocabulary
from reportlib.report.edition import Edition
from reportlib.report.narrative import Narrative, narrative_path, read_narrative, recommendations
from reportlib.report.sanitize import image_source

if TYPE_CHECKING:
    from reportlib.report.sections import Notice, Section


def read_logo(kommune: Kommune, data_dir: Path) -> str | None:
    """kommune.yml's ``logo`` as the report embeds it (a data: URI), or None when kommune.yml names none.

    Raises
    ------
    LogoUnusable
        When the file is missing or unreadable, no regular file, larger than 5 MB, or not a PNG or an
        SVG that keeps a drawing once everything that could load or run is taken out.
    """
    if kommune.logo is None:
        return None
    path = Path(data_dir) / kommune.logo
    try:
        content = inputs.read_bytes(path, inputs.IMAGE)
    except InputRefused as exc:
        raise LogoUnusable(_("{reason}; kommune.yml's 'logo' names it").format(reason=exc)) from None
    except OSError as exc:
        raise LogoUnusable(_("{file}: the logo kommune.yml names cannot be read ({reason}); put the file in the "
                             "register folder, or remove 'logo' from kommune.yml").format(
            file=path, reason=exc.strerror)) from None
    declared = "image/svg+xml" if path.suffix.lower() == ".svg" else "image/png"
    source = image_source(f"data:{declared};base64,{base64.b64encode(content).decode('ascii')}")
    if source is None or (declared == "image/png" and not source.startswith("data:image/png")):
        raise LogoUnusable(_("{file}: not a PNG or SVG image the report can show (an SVG may hold drawing "
                             "elements only); save the logo as PNG").format(file=path))
    return source


@dataclass(frozen=True)
class Beretning:
    """A period's report: the configuration, the figures document and the advisor's narrative.

    Plain data, with the facts derived from it that the section templates need. The report
    notebook shows it one cell at a time through :meth:`section`, :meth:`chapter` and
    :meth:`other_chapters`, which :mod:`reportlib.report.sections` renders.
    """

    kommune: Kommune
    period: Period
    figures: dict[str, Any]
    narrative: Narrative
    data_dir: Path
    edition: Edition = field(default_factory=Edition)
    logo: str | None = None  # kommune.yml's logo as a data: URI (PNG, or SVG drawing elements only)
    network: dict[str, Any] | None = None  # the network's figures document (network.json), for "Sammenlignet ..."

    @property
    def advisor(self) -> Advisor | None:
        """Who signs the foreword (kommune.yml's ``borgerraadgiver``), or None."""
        return self.kommune.borgerraadgiver

    @property
    def interim(self) -> bool:
        """Tell whether this is an interim report: its figures count only the days the register holds so far."""
        return bool(self.figures and self.figures.get("interim_of"))

    @property
    def counted(self) -> Period:
        """The days the figures count: the period, or for an interim report the part of it the register holds."""
        return period_between(**self.figures["period"])

    @property
    def counted_label(self) -> str:
        """The days the figures count, for a caption: ``1. januar 2025 – 31. oktober 2025``."""
        return f"{formatting.format_date(self.counted.start)} – {formatting.format_date(self.counted.end)}"

    @property
    def counted_words(self) -> str:
        """The days the figures count, in a sentence: ``fra 1. januar 2025 til 31. oktober 2025``."""
        return f"fra {formatting.format_date(self.counted.start)} til {formatting.format_date(self.counted.end)}"

    @property
    def period_kind(self) -> str:
        """What the period is, for headings: ``året`` (a reporting year), ``halvåret`` or ``perioden``."""
        return "halvåret" if self.period_name.endswith("halvår") else ("perioden" if " – " in self.period_name
                                                                       else "året")

    @property
    def period_name(self) -> str:
        """The period's short name, ``2018/19``, whatever the figures count of it."""
        return formatting.period_label(self.period, self.kommune.periode_start_maaned)

    @property
    def period_label(self) -> str:
        """The period's short name as the report gives it: an interim report's says so, ``2025, foreløbig``."""
        return f"{self.period_name}, foreløbig" if self.interim else self.period_name

    @property
    def previous_label(self) -> str | None:
        """The short name of the period compared with, e.g. ``2017/18``; None when there is none."""
        previous = self.figures["previous"]
        if previous is None:
            return None
        return formatting.period_label(period_between(**previous["period"]), self.kommune.periode_start_maaned)

    @property
    def published_with_labels(self) -> list[str]:
        """The short names of the reports published before that this one's withheld counts are held to."""
        disclosure = self.figures.get("disclosure") or {}
        return [formatting.period_label(period_between(**period), self.kommune.periode_start_maaned)
                for period in disclosure.get("published_with", [])]

    @property
    def title(self) -> str:
        """The document's title, e.g. ``Beretning fra Borgerrådgiveren, Ballerup Kommune, 2018/19``."""
        return f"Beretning fra {self.kommune.funktion}, {self.kommune.kommune}, {self.period_label}"

    @property
    def funktion(self) -> str:
        """The function's name as written mid-sentence (``borgerrådgiveren``)."""
        return self.kommune.function_in_text

    def explained_categories(self) -> list[tuple[str, str]]:
        """The complaint categories with kommune.yml's one-line explanation, in kommune.yml order."""
        return [(category, text) for category in self.kommune.emner
                if (text := self.kommune.explanation(category)) is not None]

    def key_figure_labels(self) -> list[tuple[str, str]]:
        """The key figures (keys of ``figures["key_figures"]``) with their Danish names, in report order."""
        return vocabulary.key_figures(self.kommune)

    def recommendations(self) -> list[str]:
        """The short texts of the year's recommendations (the narrative's Anbefalinger chapter), in file order."""
        return recommendations(self.narrative)

    def outreach_activities(self) -> list[dict[str, Any]]:
        """The activity rows but the own-initiative investigations, which have a section of their own."""
        return [row for row in self.figures["activities"] if row["label"] != self.kommune.own_initiative_activity]

    def network_rows(self) -> list[dict[str, str]]:
        """The main figures beside the other members' averages, all and of its size, written (none without one)."""
        if self.network is None:
            return []
        from reportlib.report.network import member_rows  # draws charts elsewhere: only when there is a network

        return member_rows(self.figures["comparable"], self.network)

    def network_facts(self) -> dict[str, Any]:
        """What the section comparing the municipality says besides its figures: whom with, and what is left out."""
        from reportlib.report.network import member_facts, period_name

        return {**member_facts(self.figures["comparable"], self.network), "period": period_name(self.network["period"])}

    def topic_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The topic table split by category, in kommune.yml order."""
        rows = {row["label"]: row for row in self.figures["topics"]}
        return [(category, [rows[t] for t in topics]) for category, topics in self.kommune.emner.items()]

    # The notebook's calls. The renderer is imported when first used: it draws charts (seaborn),
    # which the narrative scaffold and `reportlib init`, building a Beretning too, never need.
    def section(self, name: str) -> Section | None:
        """Render one section of figures (one of :data:`~reportlib.report.sections.SECTIONS`); None when empty."""
        from reportlib.report import sections

        return sections.section(self, name)

    def chapter(self, name: str) -> Section | Notice:
        """Render one of the advisor's chapters, or a warning that the narrative lacks it."""
        from reportlib.report import sections

        return sections.chapter(self, name)

    def other_chapters(self) -> Section | None:
        """Render the narrative's chapters of the advisor's own naming, in file order; None if there are none."""
        from reportlib.report import sections

        return sections.other_chapters(self)


def load_beretning(data_dir: str | Path, start: str, end: str, *, min_celle: int = -1,
                   narrativ: str | Path = "", figurer: str | Path = "", dato: str = "", moede: str = "",
                   netvaerk: str | Path = "", foreloebig: bool = False) -> Beretning:
    """Load everything the report shows for one period: its figures, configuration and narrative.

    Parameters
    ----------
    data_dir : str or Path
        The register folder.
    start, end : str
        First and last day of the period, ISO dates.
    min_celle : int
        Small-cell threshold; -1 takes ``min_celle`` from kommune.yml.
    narrativ : str or Path
        The advisor's Markdown file; empty means ``beretning_START_END.md`` in ``data_dir`` if it exists.
    figurer : str or Path
        The period's figures document (JSON, as ``figures.json``), already computed from the
        validated register, as ``reportlib run`` hands it over; empty means: read and validate
        the register in ``data_dir`` and compute the figures here.
    dato, moede : str
        The date of publication (ISO) and the board meeting the report goes to, shown on its title;
        empty leaves them out.
    netvaerk : str or Path
        The network's figures (``network.json``, from ``reportlib network``) of the same period: the
        report gains the section "Sammenlignet med andre kommuner"; empty: no such section.
    foreloebig : bool
        Without ``figurer``: a period that has not ended, or reaches past the days the register is
        complete for, is counted as far as the register holds it and marked as interim
        (:func:`reportlib.figures.coverage.check_period`), instead of refused.

    In a Jupyter kernel this also makes DataFrames and inline charts display as the report shows
    them (:func:`reportlib.report.display.install`).

    Raises
    ------
    RegisterInvalid
        When the register (or, with ``figurer``, kommune.yml) breaks the input contract.
    PeriodError
        When the dates cannot be read or the period ends before it starts; without ``figurer``, when the
        period has not ended or reaches outside the days the register is complete for (and not ``foreloebig``).
    FiguresMismatch
        When ``figurer`` holds the figures of another period or small-cell threshold, or is no figures
        document as reportlib writes it (naming the key).
    EditionInvalid, LogoUnusable
        When ``dato`` is no date, or the logo kommune.yml names cannot be shown.
    NetworkInvalid
        When ``netvaerk`` is no network's figures document, or one of another period or vocabulary version,
        or the report is interim (its figures count only part of the period, and cannot be compared).
    """
    from reportlib.report import display  # matplotlib: for the notebook only, not for the scaffold

    display.install()
    period = period_between(start, end)
    threshold = None if min_celle < 0 else min_celle
    if figurer:
        kommune = load_kommune(data_dir)
        document = read_json(figurer)
        asked = {"period": period.as_dict(), "min_celle": kommune.min_celle if threshold is None else threshold}
        given = {"period": document.get("interim_of") or document.get("period"), "min_celle": document.get("min_celle")}
        if given != asked:
            raise FiguresMismatch(_("{file}: the figures of {given}, not of {asked} as asked for").format(
                file=figurer, given=given, asked=asked))
    else:
        register = load_register(data_dir)
        counted = check_period(register, period, dt.date.today(), interim=foreloebig)
        kommune = register.kommune
        document = figures(register, counted, min_celle=threshold, interim_of=period if counted != period else None)
    path = Path(narrativ) if narrativ else narrative_path(data_dir, period)
    narrative = read_narrative(path, required=bool(narrativ))
    network = (read_network(netvaerk, period=period.as_dict(), version=document["comparable"]["version"],
                            interim_of=document.get("interim_of")) if netvaerk else None)
    return Beretning(kommune, period, document, narrative, Path(data_dir), Edition.parse(dato, moede),
                     read_logo(kommune, Path(data_dir)), network)
