"""The analyst's workbench in the exploration notebook: drop-downs that update tables and charts in place.

:class:`Workbench` holds four drop-downs (period, area, centre within the area, type of inquiry), a
button that saves the tables to Excel, and the sections that the notebook shows one per cell
(:meth:`Workbench.section`). Changing a drop-down recomputes every section from
:mod:`reportlib.workbench.tables` and updates its tables and charts in place, without rerunning a cell.

Tables are itables' ``ITable`` widget (:class:`reportlib.workbench.panels.Table`): sortable and
searchable, with its JavaScript inside the Python package, so nothing is loaded from the network.
A section that counts only a column the register does not keep (:data:`NEEDS`) shows a notice
instead of a grid of 0, on screen and in the Excel export.

Run headless (papermill, nbval, ``jupyter nbconvert --execute``) nothing draws widgets, so every
section and the controls also carry a static rendering of the current (default) selection: the
accessible Danish tables of :func:`reportlib.report.display.table_html` and SVG charts with alt text. That is
what an executed notebook shows where no widget can be drawn; JupyterLab draws the widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from itables.widget import ITable
from markupsafe import Markup

from reportlib.figures import coverage, stats
from reportlib.formatting import MONTHS, format_count, format_int, format_month, period_label
from reportlib.language import _
from reportlib.periods import Period
from reportlib.register.model import Register
from reportlib.register.schema import SCHEMA
from reportlib.report import charts, vocabulary
from reportlib.report.display import Displayed, chart_html, show
from reportlib.workbench import selection, tables
from reportlib.workbench.panels import Content, Panel, Table

#: The sections of the workbench, in notebook order: name -> Danish title.
WORKBENCH_SECTIONS = {
    "cases": "Sagerne",
    "distributions": "Fordelinger",
    "areas_by_type": "Område og henvendelsestype",
    "centres_by_outcome": "Center og udfald",
    "handling_time": "Sagsbehandlingstid",
    "centre_change": "Udvikling pr. center",
    "seasonality": "Sæson",
}
#: Which choices each section follows (the others do not change it).
FOLLOWS = {
    "cases": ("period", "kind", "area", "centre"),
    "distributions": ("period", "kind", "area", "centre"),
    "areas_by_type": ("period",),
    "centres_by_outcome": ("period", "kind", "area"),
    "handling_time": ("period", "kind"),
    "centre_change": ("period", "kind", "area"),
    "seasonality": ("kind", "area", "centre"),
}
#: The sections that count one column of the register and nothing else: where the register does not
#: keep it, the section shows a notice, and the Excel export a sheet saying so, instead of a grid of 0.
NEEDS = {"centres_by_outcome": "sager.udfald"}
ALL_AREAS, ALL_CENTRES, ALL_TYPES = "Alle områder", "Alle centre", "Alle henvendelsestyper"

#: Danish headers of the case table (the contract's Column.shown).
CASE_HEADERS = {c.name: c.shown for table in ("sager", "problemstillinger") for c in SCHEMA[table].columns if c.shown}


class WorkbenchSection(Panel):
    """One section of the workbench: its tables as ITable widgets and its charts, updated in place."""

    def __init__(self, name: str):
        super().__init__(WORKBENCH_SECTIONS[name], layout=widgets.Layout(width="100%"))
        self.name = name
        self.add_class("reportlib-section")
        self.add_class(f"reportlib-section-{name}")  # for the browser test, and for styling
        self.content = Content("", [])
        self.note = widgets.HTML()
        self.itables: list[ITable] = []
        self.captions: list[widgets.HTML] = []  # above each table (ITable's own caption is lost when it draws)
        self.charts: list[widgets.HTML] = []
        self.static_html = self._static

    def show(self, content: Content) -> None:
        """Show new content, updating the existing table and chart widgets where their number is unchanged."""
        self.content = content
        self.note.value = content.note
        if len(self.itables) == len(content.tables):
            for widget, table in zip(self.itables, content.tables, strict=True):
                widget.update(table.cells(), **table.options())  # update() forgets options not given again
        else:
            self.itables = [ITable(table.cells(), **table.options()) for table in content.tables]
            self.captions = [widgets.HTML() for _table in content.tables]
        for caption, table in zip(self.captions, content.tables, strict=True):
            caption.value = str(Markup('<p class="reportlib-caption" style="margin: 0.6em 0 0"><strong>{}</strong></p>')
                                .format(table.caption))
        if len(self.charts) != len(content.charts):
            self.charts = [widgets.HTML(layout=widgets.Layout(width="100%")) for _chart in content.charts]
        for widget, chart in zip(self.charts, content.charts, strict=True):
            widget.value = chart
        boxes = [widgets.VBox([caption, table]).add_class("reportlib-table-box")
                 for caption, table in zip(self.captions, self.itables, strict=True)]
        tables = widgets.Box(boxes, layout=widgets.Layout(display="flex", flex_flow="row wrap",
                                                          align_items="flex-start", grid_gap="0.5em 2.5em"))
        self.children = [self.note, tables, *self.charts]

    def _static(self) -> str:
        parts = [self.content.note, *(str(t.html()) for t in self.content.tables), *self.content.charts]
        return "\n".join(part for part in parts if part)


def period_options(register: Register, chosen: Period | None = None) -> list[tuple[str, Period]]:
    """The periods to choose from: each reporting year the register covers, followed by its halves.

    Parameters
    ----------
    register : Register
    chosen : Period, optional
        Listed first when it is none of these (e.g. a ``START:END`` period given as a parameter).

    Returns
    -------
    list of (label, Period)
        Labels as :func:`reportlib.formatting.period_label` writes them (``2018/19``,
        ``2018/19, 1. halvår``): the periods the register covers, the year under way included, each
        the days the register holds of it (:func:`reportlib.workbench.selection.counted_periods`).
    """
    options = selection.counted_periods(register)
    if chosen is not None and chosen not in [period for _label, period in options]:
        options.insert(0, (period_label(chosen, register.kommune.periode_start_maaned), chosen))
    return options


def _wide(tidy: pd.DataFrame, rows: Sequence[str], column: str, value: str, headers: dict[str, str]) -> pd.DataFrame:
    """Spread a tidy table: one row per ``rows`` key (in order), one column per ``column`` value (in order)."""
    wide = tidy.pivot_table(index=list(rows), columns=column, values=value, sort=False, aggfunc="sum", observed=True)
    wide = wide.reindex(columns=pd.unique(tidy[column])).reset_index()
    wide.columns = [headers.get(c, c) for c in wide.columns]
    return wide


class Workbench:
    """The exploration notebook's controls and the sections they update.

    Parameters
    ----------
    register : Register
        The whole register.
    periode : str
        The period shown first, in any form :func:`reportlib.workbench.selection.period_of` reads (``2018/19``,
        ``2018/19-H1``, ``START:END``).
    omraade, center, henvendelsestype : str
        The area, centre and type shown first (labels as in kommune.yml, case and spaces ignored);
        empty for all. A centre given without its area brings its area.
    excel_dir : path, optional
        Where the Excel button saves (default ``outputs/intern/``, never published).

    Raises
    ------
    PeriodError, LabelError
        When a parameter is not a period, or not a label of kommune.yml.

    Attributes
    ----------
    period, area, centre, kind : ipywidgets.Dropdown
        The controls; setting ``.value`` from Python updates the sections as a click does.
    sections : dict of str to WorkbenchSection
        By the names of :data:`WORKBENCH_SECTIONS`.
    """

    def __init__(self, register: Register, *, periode: str = "", omraade: str = "", center: str = "",
                 henvendelsestype: str = "", excel_dir: Path | str | None = None):
        self.register = register
        kommune = register.kommune
        chosen = selection.period_of(register, periode)
        kind, area, centre = selection.resolve(register, henvendelsestype=henvendelsestype, omraade=omraade,
                                             center=center)
        wide = {"style": {"description_width": "initial"}}
        self.period = widgets.Dropdown(options=period_options(register, chosen), value=chosen,
                                       description="Periode", **wide)
        self.area = widgets.Dropdown(options=[(ALL_AREAS, "")] + [(a, a) for a in kommune.areas], value=area,
                                     description="Område", **wide)
        self.centre = widgets.Dropdown(options=self._centre_options(area), value=centre, description="Center",
                                       disabled=not area, **wide)
        self.kind = widgets.Dropdown(options=[(ALL_TYPES, "")] + [(t, t) for t in kommune.henvendelsestyper],
                                     value=kind, description="Henvendelsestype", **wide)
        controls = (("period", self.period), ("area", self.area), ("centre", self.centre), ("kind", self.kind))
        for name, control in controls:
            control.add_class(f"reportlib-{name}")
        self.excel_dir = Path(excel_dir) if excel_dir is not None else tables.INTERNAL
        self.excel_button = widgets.Button(description="Gem tabellerne i Excel", icon="download",
                                           tooltip="Gemmer alle tabeller for det valgte udsnit i en Excel-fil "
                                                   "til internt brug",
                                           layout=widgets.Layout(width="auto"))
        self.excel_status = widgets.HTML()
        self.sections = {name: WorkbenchSection(name) for name in WORKBENCH_SECTIONS}
        self._holding = False
        self.area.observe(self._area_changed, names="value")
        for control in (self.period, self.centre, self.kind):
            control.observe(self._changed, names="value")
        self.excel_button.on_click(lambda _button: self._save())
        self.refresh()

    # -- the controls ---------------------------------------------------------------------------

    def _centre_options(self, area: str) -> list[tuple[str, str]]:
        centres = self.register.kommune.omraader[area] if area else []
        return [(ALL_CENTRES, "")] + [(c, c) for c in centres]

    def _area_changed(self, change: dict) -> None:
        """A new area lists its own centres (all of them chosen), then everything is recomputed once."""
        self._holding = True
        try:
            self.centre.options = self._centre_options(change["new"])
            self.centre.value = ""
            self.centre.disabled = not change["new"]
        finally:
            self._holding = False
        self.refresh()

    def _changed(self, change: dict) -> None:
        if not self._holding:
            self.refresh()

    def controls(self) -> Panel:
        """The drop-downs and the Excel button, for the notebook to display (statically: the selection)."""
        row = widgets.Box([self.period, self.area, self.centre, self.kind],
                          layout=widgets.Layout(display="flex", flex_flow="row wrap", grid_gap="0.3em 1.5em"))
        panel = Panel("Valg", children=[row, widgets.HBox([self.excel_button, self.excel_status])])
        panel.static_html = lambda: Markup("<p>Udsnit: {}</p>").format(
            self.describe(("period", "kind", "area", "centre")))
        return panel

    def describe(self, choices: Sequence[str]) -> str:
        """The current choices among ``choices`` (``period``, ``kind``, ``area``, ``centre``) in words."""
        words = {"period": self.period.label, "kind": self.kind.value or "alle henvendelsestyper",
                 "area": self.area.value or "alle områder",
                 "centre": self.centre.value or ("alle centre" if self.area.value else "")}
        return " · ".join(words[c] for c in choices if words[c])

    # -- the sections ---------------------------------------------------------------------------

    def section(self, name: str) -> WorkbenchSection:
        """The section ``name`` (one of :data:`WORKBENCH_SECTIONS`), for the notebook to display."""
        if name not in self.sections:
            raise ValueError(_("section '{name}': unknown; the sections are: {sections}").format(
                name=name, sections=", ".join(WORKBENCH_SECTIONS)))
        return self.sections[name]

    def refresh(self) -> None:
        """Recompute every section for the current choices and update it in place."""
        for name, content in self.contents().items():
            self.sections[name].show(content)

    def contents(self) -> dict[str, Content]:
        """What every section shows for the current choices."""
        register, period = self.register, self.period.value
        kind, area, centre = self.kind.value, self.area.value, self.centre.value
        label = self.period.label
        of_kind = selection.cases_of(register, henvendelsestype=kind)
        chosen = stats.select(of_kind, period)
        parts = {
            "cases": self._cases(period, kind, area, centre, label),
            "distributions": self._distributions(chosen, area, centre),
            "areas_by_type": self._areas_by_type(period, label),
            "centres_by_outcome": self._centres_by_outcome(chosen, area, label),
            "handling_time": self._handling_time(of_kind, period, label),
            "centre_change": self._centre_change(of_kind, period, area, label),
            "seasonality": self._seasonality(selection.cases_of(of_kind, omraade=area, center=centre)),
        }
        for name, content in parts.items():
            note = Markup('<p class="reportlib-note" style="line-height: 1.4; margin: 0.3em 0">'
                          'Vist for: <strong>{}</strong>{}</p>').format(
                self.describe(FOLLOWS[name]), Markup(" ") + content.note if content.note else "")
            content.note = str(note)
        return parts

    def _cases(self, period: Period, kind: str, area: str, centre: str, label: str) -> Content:
        cases = tables.case_table(self.register, period, henvendelsestype=kind, omraade=area, center=centre)
        frame = cases.rename(columns=CASE_HEADERS)
        chosen = [CASE_HEADERS[c] for c, value in (("henvendelsestype", kind), ("omraade", area), ("center", centre))
                  if value]
        return Content(f"{format_count(len(frame), 'sag', 'sager')}. Tabellen viser sagsnumre: kun til internt brug.",
                       [Table(f"Sager modtaget i {label}", frame, "Sager", paged=True, cut=True, hide=tuple(chosen))])

    def _distributions(self, chosen: Register, area: str, centre: str) -> Content:
        areas = stats.areas(chosen).rename(columns={"label": "Område", "count": "Sager", "pct": "Andel"})
        if area:
            centres = tables.centres_in(chosen, area).rename(columns={"label": "Center"})
            topics = stats.topics(selection.problemstillinger_of(chosen, area, centre))
            where = f" i {centre or area}"
        else:
            centres = stats.centres(chosen).rename(columns={"area": "Område", "label": "Center"})
            topics = stats.topics(chosen)
            where = ""
        rows = {"count": "Problemstillinger", "pct": "Andel"}
        return Content("", [
            Table("Sager pr. område (primær problemstilling)", areas, "Områder", ("Andel",)),
            Table(f"Problemstillinger pr. center{' i ' + area if area else ''}", centres.rename(columns=rows),
                  "Centre", ("Andel",)),
            Table(f"Problemstillinger pr. emne{where}", topics.rename(columns={"label": "Emne", **rows}), "Emner",
                  ("Andel",)),
        ])

    def _areas_by_type(self, period: Period, label: str) -> Content:
        tidy = tables.areas_by_type(stats.select(self.register, period))
        counts = _wide(tidy, ["area"], "type", "count", {"area": "Område"})
        counts["I alt"] = counts.iloc[:, 1:].sum(axis=1)
        shares = _wide(tidy, ["area"], "type", "pct", {"area": "Område"})
        types = tuple(shares.columns[1:])
        return Content("Alle henvendelsestyper og områder; sagerne efter deres primære problemstilling.", [
            Table(f"Sager pr. område og henvendelsestype, {label}", counts, "Område x type, antal"),
            Table("Andel af områdets sager", shares, "Område x type, andel", types),
        ])

    def _centres_by_outcome(self, chosen: Register, area: str, label: str) -> Content:
        unknown = self.not_recorded().get("centres_by_outcome")
        if unknown:
            return Content(unknown, [])
        tidy = tables.centres_by_outcome(chosen, area)
        keys = ["centre"] if area else ["area", "centre"]
        headers = {"area": "Område", "centre": "Center"}
        counts = _wide(tidy, keys, "outcome", "count", headers)
        counts["I alt"] = counts.iloc[:, len(keys):].sum(axis=1)
        shares = _wide(tidy, keys, "outcome", "pct", headers)
        return Content("Sager med et registreret udfald, efter centret i deres primære problemstilling.", [
            Table(f"Sager pr. center og udfald, {label}", counts, "Center x udfald, antal"),
            Table("Andel af centrets sager med udfald", shares, "Center x udfald, andel",
                  tuple(shares.columns[len(keys):])),
        ])

    def _handling_time(self, register: Register, period: Period, label: str) -> Content:
        target = register.kommune.maal_sagsbehandlingstid_dage
        summary = tables.handling_time_by_area(register, period)
        headers = {"area": "Område", "closed": "Afsluttede sager", "q1": "Nedre kvartil (dage)",
                   "median": "Median (dage)", "q3": "Øvre kvartil (dage)", "p90": "90 % inden for (dage)",
                   "max": "Længste (dage)", "within_target": f"Inden for {format_int(target)} dage",
                   "within_target_pct": "Andel inden for målet"}
        frame = summary.rename(columns=headers)
        if target is None:
            frame = frame.drop(columns=[headers["within_target"], headers["within_target_pct"]])
        note = (f"Sager afsluttet i {label}, uanset hvornår de kom ind; "
                f"målet i kommune.yml er {format_int(target)} dage." if target is not None
                else f"Sager afsluttet i {label}. kommune.yml sætter intet mål for sagsbehandlingstiden.")
        chart = charts.handling_time_spread(stats.handling_days(register, period), target=target)
        return Content(note, [Table("Sagsbehandlingstid pr. område", frame, "Sagsbehandlingstid",
                                    ("Andel inden for målet",))],
                       [str(chart_html(chart.figure, charts.handling_time_alt_text(summary, target),
                                        caption="Sagsbehandlingstid pr. område: hver prik er en sag, "
                                                "kassen rummer den midterste halvdel"))])

    def _centre_change(self, register: Register, period: Period, area: str, label: str) -> Content:
        table = tables.centre_change(register, period, area)
        before = period.previous()
        before_label = period_label(before, register.kommune.periode_start_maaned)
        headers = {"area": "Område", "centre": "Center", "count": label, "previous": before_label,
                   "diff": "Ændring", "pct": "Ændring i %"}
        frame = table.rename(columns=headers)
        if area:
            frame = frame.drop(columns="Område")
        if not coverage.holds_before(self.register, before):  # the year before is unknown, not 0
            frame = frame.drop(columns=[before_label, "Ændring", "Ændring i %"])
            note = (f"Problemstillinger pr. center i {label}. Registret er ikke komplet for {before_label}, så der "
                    "er intet at sammenligne med.")
            return Content(note, [Table("Udvikling pr. center", frame, "Udvikling pr. center")])
        note = f"Problemstillinger pr. center i {label} mod {before_label}, største stigning først."
        drawn = []
        if len(table):
            chart = charts.centre_change_bars(table)
            caption = f"Ændring i problemstillinger pr. center fra {before_label} til {label}"
            drawn.append(str(chart_html(chart.figure, charts.centre_change_alt_text(table), caption=caption)))
        return Content(note, [Table("Udvikling pr. center", frame, "Udvikling pr. center", ("Ændring i %",))], drawn)

    def _seasonality(self, register: Register) -> Content:
        tidy = tables.seasonality(register)
        if tidy.empty:
            return Content("Ingen sager i udsnittet.", [])
        months = tidy.assign(name=[MONTHS[int(m[5:7]) - 1] for m in tidy["month"]])
        wide = _wide(months, ["name"], "year", "count", {"name": "Måned"})
        chart = charts.seasonality_lines(tidy)
        return Content("Sager pr. måned i hvert beretningsår, uanset den valgte periode.", [
            Table("Sager pr. måned og beretningsår", wide, "Sæson")],
            [str(chart_html(chart.figure, charts.seasonality_alt_text(tidy),
                             caption="Sager pr. måned og beretningsår"))])

    # -- static parts and Excel -----------------------------------------------------------------

    def overview(self) -> Displayed:
        """The key figures of every reporting year side by side (a column each), as a static Danish table."""
        # The report's own names for the figures (kommune.yml's for the drop-in activity and the function).
        names = {**dict(vocabulary.key_figures(self.register.kommune)), "open_at_end": vocabulary.OPEN_AT_END,
                 "median_days": f"{vocabulary.MEDIAN_DAYS} (dage)"}
        frame = tables.overview(self.register).set_index("period").T.rename(index=names)
        frame.index.name, frame.columns.name = "Nøgletal", None
        return show(frame, caption="Nøgletal pr. beretningsår")

    def monthly_trend(self) -> Displayed:
        """Cases per month and type over the whole register, as a chart with Danish alt text."""
        months = tables.cases_by_month(self.register)
        first, last = (format_month(months["month"].iloc[i]) for i in (0, -1)) if len(months) else ("", "")
        totals = months.groupby("type", sort=False)["count"].sum()
        summary = ", ".join(f"{kind} {format_int(n)}" for kind, n in totals.items())
        alt = (f"Linjediagram over sager pr. måned fra {first} til {last}, én linje pr. henvendelsestype "
               f"(i alt: {summary}). Tallene pr. måned står i tabellen i afsnittet Sæson.")
        # Not show(): the workbench is read on the office's screens, so the phone-size check would only be noise.
        caption = "Sager pr. måned og henvendelsestype, hele registret"
        return Displayed(chart_html(charts.monthly_trend(months), alt, caption=caption), f"<figur: {alt}>")

    def not_recorded(self) -> dict[str, str]:
        """The sections of :data:`NEEDS` whose column the register does not keep, each with its Danish notice."""
        notices = {}
        for name, source in NEEDS.items():
            if not selection.recorded(self.register, source):
                table, _dot, column = source.partition(".")
                what = f"Kolonnen {column} i {table}" if column else f"Tabellen {table}"
                notices[name] = (f"{what} er {selection.NOT_RECORDED} (den mangler i registret eller er tom), "
                                 "så der er ingen tal at vise.")
        return notices

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the current selection by its sheet name, percentages headed ``(%)``, for Excel.

        A section of :meth:`not_recorded` has a sheet of its own with its notice, so the export says why
        its tables are missing.
        """
        found = {}
        unknown = self.not_recorded()
        for name, section in self.sections.items():
            if name in unknown:
                found[WORKBENCH_SECTIONS[name]] = pd.DataFrame({WORKBENCH_SECTIONS[name]: [unknown[name]]})
            for table in section.content.tables:
                found[table.sheet] = table.frame.rename(columns={c: f"{c} (%)" for c in table.percent})
        return found

    def to_excel(self, path: Path | str | None = None) -> Path:
        """Save :meth:`tables` with :func:`reportlib.workbench.tables.to_excel`; by default in ``excel_dir``."""
        if path is None:
            path = self.excel_dir / f"udtraek-{dt.datetime.now():%Y%m%d-%H%M%S}.xlsx"
        return tables.to_excel(self.tables(), path)

    def _save(self) -> None:
        try:
            path = self.to_excel()
        except Exception as error:  # shown to the analyst beside the button, not lost in a log
            self.excel_status.value = str(Markup("<span>Kunne ikke gemme: {}</span>").format(error))
        else:
            self.excel_status.value = str(Markup("<span>Gemt i <code>{}</code>. Kun til internt brug: "
                                                 "må ikke offentliggøres.</span>").format(path))
