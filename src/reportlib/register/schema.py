"""The register's contract: every table and every column, declared once.

A column says what it is (its kind, whether it is required, an optional part, or may simply not be
kept), which kommune.yml list its labels come from, how case-system exports head it, and how the
workbench and the report name it. Everything else derives from this module: the reader
(:mod:`reportlib.register.read`), the validator (:mod:`reportlib.register.validate`), ``init
--from``'s proposals (:mod:`reportlib.register.propose`), the workbook template
(:mod:`reportlib.register.workbook`), the privacy check, the workbench's case table and the report's
"not recorded" sentence (:mod:`reportlib.report.vocabulary`). A new column is one :class:`Column`
here (and its figure).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlib.language import N_


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name : str
        The contract's name, the header a register writes unless kommune.yml's ``kolonner`` maps its own.
    kind : str
        How its values are read: ``id``, ``date``, ``label``, ``centre``, ``bool``, ``count``, ``period``,
        ``text``; ``free`` for free text, which is never read (it may hold names and CPR numbers).
    required : bool
        The header must have it and no row may leave it empty.
    labels : str, optional
        The :class:`~reportlib.register.kommune.Kommune` attribute listing its labels (a key of :data:`LISTS`).
    what : str
        How messages name one of its labels, in English (marked with ``N_``, shown translated).
    part : str
        For an optional part of the register (``Register.parts``, present when the header has it):
        the kommune.yml key (a :class:`~reportlib.register.kommune.Kommune` attribute) whose setting
        gives it a place in the workbook template.
    not_recorded : str
        For a column a register may simply not keep: what the report then cannot count, in the
        report's Danish words ("Om tallene"); its figures are unknown, not zero.
    exported : tuple of str
        Its headers in municipalities' case-system exports, for ``init --from`` (compared without
        case, dots and extra spaces).
    shown : str
        Its header in the workbench's case table (Danish); a column without one is not in it.
    guide : str
        Its line in the workbook's "Vejledning" sheet, in Danish, for the advisor who fills it in.
    """

    name: str
    kind: str
    required: bool = False
    labels: str | None = None
    what: str = ""
    part: str = ""
    not_recorded: str = ""
    exported: tuple[str, ...] = ()
    shown: str = ""
    guide: str = ""

    @property
    def drop_down(self) -> str | None:
        """The list (a key of :data:`LISTS`) the workbook's drop-down offers; None without one."""
        return {"label": self.labels, "centre": "centres", "bool": "yes_no"}.get(self.kind)


@dataclass(frozen=True)
class Table:
    """One table: its columns in the order the template writes them, free text last.

    ``optional`` tables are read when present and their absence is no problem (``part``: the
    kommune.yml key whose setting gives one a sheet in the workbook template); ``may_be_empty``
    tables may have a header and no rows; ``not_recorded`` is, for a required table a register may
    simply not keep, what the report then cannot count (see :attr:`Column.not_recorded`).
    """

    name: str
    columns: tuple[Column, ...]
    optional: bool = False
    may_be_empty: bool = False
    not_recorded: str = ""
    part: str = ""

    @property
    def read(self) -> tuple[Column, ...]:
        """The columns that are read: all but the free text."""
        return tuple(c for c in self.columns if c.kind != "free")

    @property
    def free_text(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "free")


# The tables, in the order the reader and the template take them (paths.TABLE_NAMES finds their files).
SCHEMA: dict[str, Table] = {
    "sager": Table("sager", (
        Column("sag_id", "id", required=True, shown="Sag",
               exported=("sag id", "sagsnr", "sagsnummer", "sag nr", "sags id", "løbenr", "løbenummer", "id"),
               guide=("Sagens nummer i registret, fx BR-2024-001. Hvert nummer bruges kun én gang. "
                      "Offentliggøres aldrig.")),
        Column("modtaget", "date", required=True, shown="Modtaget",
               exported=("modtaget", "dato modtaget", "modtaget dato", "modtagelsesdato", "oprettet", "dato"),
               guide="Datoen, sagen kom ind. Afgør, hvilken periode sagen tælles i."),
        Column("afsluttet", "date", shown="Afsluttet",
               exported=("afsluttet", "dato afsluttet", "afsluttet dato", "afslutningsdato", "lukket"),
               guide="Datoen, sagen blev afsluttet. Tom, så længe sagen er åben."),
        Column("henvendelsestype", "label", True, "henvendelsestyper", N_("type"), shown="Type",
               exported=("henvendelsestype", "type af henvendelse", "type", "sagstype", "henvendelse"),
               guide="Vælg typen fra listen, fx klage eller anden henvendelse."),
        Column("kanal", "label", False, "kanaler", N_("channel"), shown="Kanal",
               not_recorded="sagernes kontaktform",
               exported=("kanal", "kontaktform", "henvendelsesform", "kontaktkanal"),
               guide="Hvordan borgeren henvendte sig. Vælg fra listen."),
        Column("udfald", "label", False, "udfald", N_("outcome"), shown="Udfald", not_recorded="sagernes udfald",
               exported=("udfald", "udfald af sagen", "afslutning"),
               guide="Hvad der kom ud af sagen. Vælg fra listen; tom, så længe sagen er åben."),
        Column("moede_deltaget", "bool", shown="Møde", not_recorded="møder med forvaltningen",
               exported=("moede deltaget", "møde deltaget", "deltog i møde", "møde", "møde med forvaltningen"),
               guide="ja, hvis du deltog i et møde mellem borgeren og forvaltningen."),
        Column("klagebistand", "bool", shown="Klagebistand", not_recorded="hjælp til at klage til en klageinstans",
               exported=("klagebistand", "hjælp til klage", "bistand til klage"),
               guide="ja, hvis du hjalp borgeren med at skrive en klage til en klageinstans."),
        Column("metode", "label", False, "metoder", N_("method"), part="metoder",
               guide=("Hvordan du behandlede sagen, fx vejledning eller dialog med forvaltningen. Vælg fra "
                      "listen; tom, så længe sagen er åben.")),
        Column("resultat", "label", False, "result_labels", N_("result"), part="resultater",
               guide=('Hvad du kom frem til, hvis du undersøgte sagen (kritik eller ingen kritik), ellers "ikke '
                      'undersøgt". Vælg fra listen.')),
        Column("note", "free",
               exported=("note", "noter", "bemærkning", "bemærkninger", "kommentar", "kommentarer", "notat"),
               guide=("Dine egne noter. Læses aldrig af beretningen og offentliggøres aldrig; skriv alligevel "
                      "så lidt personligt som muligt.")),
    )),
    "problemstillinger": Table("problemstillinger", (
        Column("sag_id", "id", required=True,
               guide=("Nummeret på den sag, problemstillingen hører til (fra arket sager). En sag kan have "
                      "flere rækker.")),
        Column("omraade", "label", True, "areas", N_("area"), shown="Område",
               exported=("omraade", "område", "forvaltning", "direktørområde"),
               guide="Det område, problemstillingen hører under. Vælg fra listen."),
        Column("center", "centre", required=True, shown="Center", exported=("center", "afdeling", "enhed"),
               guide="Centret under området. Vælg fra listen; det skal høre til det valgte område."),
        Column("emne", "label", True, "topics", N_("topic"), shown="Emne",
               exported=("emne", "problemstilling", "tema"),
               guide="Hvad problemstillingen handler om. Vælg fra listen."),
        Column("primaer", "bool",
               guide=("ja ved sagens vigtigste problemstilling (højst én pr. sag). Uden ja gælder sagens første "
                      "række.")),
    )),
    # A register may have no activities yet, or keep none at all; it cannot be reported without cases.
    "aktiviteter": Table("aktiviteter", (
        Column("dato", "date", required=True,
               guide="Datoen for aktiviteten."),
        Column("aktivitet", "label", True, "aktiviteter", N_("activity"),
               guide="Fx oplæg eller åben rådgivning. Vælg fra listen."),
        Column("antal_borgere", "count",
               guide="Hvor mange borgere der kom (åben rådgivning). Et helt tal, 0 eller mere."),
        Column("omraade", "label", False, "areas", N_("area"), part="egen_drift",
               guide="Det område, en undersøgelse af egen drift handlede om. Vælg fra listen; kan være tom."),
        Column("beskrivelse", "free",
               guide="Dine egne noter om aktiviteten. Offentliggøres aldrig."),
    ), may_be_empty=True, not_recorded="udadrettede aktiviteter som oplæg og åben rådgivning"),
    # The status history of the recommendations made in earlier periods.
    "anbefalinger": Table("anbefalinger", (
        Column("periode", "period", required=True,
               guide="Den beretning, anbefalingen blev givet i, fx 2018/19."),
        Column("nr", "id", required=True,
               guide="Anbefalingens nummer i den beretning, fx 1."),
        Column("anbefaling", "text", required=True,
               guide="Anbefalingen med få ord. Offentliggøres i beretningen."),
        Column("omraade", "label", False, "areas", N_("area"),
               guide="Det område, anbefalingen gælder. Tom, hvis den gælder hele kommunen."),
        Column("status", "label", True, "status_labels", N_("status"),
               guide=("Hvor langt anbefalingen er fulgt. Vælg fra listen. Skriv en ny række, hver gang status "
                      "ændres.")),
        Column("status_dato", "date", required=True,
               guide="Datoen for status."),
    ), optional=True, may_be_empty=True, part="anbefaling_status"),
}

# The lists a column's labels come from (Column.labels, Column.drop_down), in the order the workbook's
# lists sheet has them: the Kommune attribute -> the kommune.yml key that lists them (None: no key).
LISTS = {"henvendelsestyper": "henvendelsestyper", "kanaler": "kanaler", "udfald": "udfald",
         "aktiviteter": "aktiviteter", "areas": "omraader", "centres": "omraader", "topics": "emner", "yes_no": None,
         "metoder": "metoder", "result_labels": "resultater", "status_labels": "anbefaling_status"}


def tables(*, optional: bool) -> tuple[str, ...]:
    """The required tables, or the optional ones."""
    return tuple(name for name, table in SCHEMA.items() if table.optional == optional)


def free_text() -> frozenset[str]:
    """Every table's free-text columns: never read, and kept out of everything reportlib writes."""
    return frozenset(name for table in SCHEMA.values() for name in table.free_text)


def ids() -> frozenset[str]:
    """The identifier columns, read as text: nearly every value differs."""
    return frozenset(c.name for table in SCHEMA.values() for c in table.columns if c.kind == "id")


def parts() -> tuple[tuple[str, str], ...]:
    """The optional columns of the tables, (table, column), each an optional part when the header has it."""
    return tuple((table.name, c.name) for table in SCHEMA.values() for c in table.columns if c.part)


def not_recorded() -> dict[str, str]:
    """What a register may simply not keep, as ``Register.not_recorded`` names it (``sager.kanal``, ``aktiviteter``),
    with the report's words for what it then cannot count: the columns, then the tables."""
    columns = {f"{table.name}.{c.name}": c.not_recorded for table in SCHEMA.values() for c in table.columns
               if c.not_recorded}
    return columns | {table.name: table.not_recorded for table in SCHEMA.values() if table.not_recorded}
