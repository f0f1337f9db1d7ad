"""``kommune.yml``: the municipality's taxonomy and settings, its model and how it is loaded.

Everything municipality-specific (areas, centres, topics, labels, thresholds) lives in this file,
never in code. Problems are reported with the YAML line they are on: the YAML itself is read by
:mod:`reportlib.register.kommune_yaml`, the label rules the model cannot express are
:mod:`reportlib.register.taxonomy`'s; pydantic's errors are put in the user's words here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, ValidationError

from reportlib.exceptions import Problem, RegisterInvalid
from reportlib.labels import closest, label_key
from reportlib.language import N_, _, ngettext
from reportlib.paths import KOMMUNE_FILE
from reportlib.register.kommune_yaml import dotted, line_of, scan
from reportlib.register.national import themes_of
from reportlib.register.taxonomy import as_listed, taxonomy_defects

Label = str
_DEFAULT_COMPLAINT_TYPE = "Klage"
_DEFAULT_DROP_IN_ACTIVITY = "Åben rådgivning"


class Comparison(BaseModel):
    """How the municipality's labels map to the national vocabulary: ``sammenligning: {temaer: {...}}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A topic or a complaint category of emner -> a theme of national.yml (checked with the taxonomy).
    temaer: dict[Label, str] = Field(default_factory=dict)


class Advisor(BaseModel):
    """Who signs the report's foreword: ``borgerraadgiver: {navn: ..., titel: ...}`` in kommune.yml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    navn: str = Field(min_length=1, max_length=200)
    titel: str = Field(default="Borgerrådgiver", min_length=1, max_length=200)


class Kommune(BaseModel):
    """The municipality's configuration, as read from ``kommune.yml``.

    Label lists keep the order and spelling of the file: reports show labels as written there and
    tables list categories in that order.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    kommune: str = Field(min_length=1)
    funktion: str = Field(min_length=1)
    # Strict: `true` is no month, and "12" in quotes is text.
    indbyggere: StrictInt | None = Field(default=None, gt=0, lt=100_000_000)
    periode_start_maaned: StrictInt = Field(ge=1, le=12)
    henvendelsestyper: list[Label] = Field(min_length=1)
    kanaler: list[Label] = Field(min_length=1)
    udfald: list[Label] = Field(min_length=1)
    aktiviteter: list[Label] = Field(min_length=1)
    omraader: dict[Label, list[Label]] = Field(min_length=1)
    emner: dict[Label, list[Label]] = Field(min_length=1)
    min_celle: StrictInt = Field(default=0, ge=0, le=1000)
    maal_sagsbehandlingstid_dage: StrictInt | None = Field(default=None, gt=0, le=3650)
    # Which type counts as a complaint, and which activity is one drop-in session. The contract's
    # labels are the defaults, so a v1 kommune.yml needs neither key; a default that is not among
    # the labels simply counts nothing, while an explicit value must be one of them.
    klagetype: Label = _DEFAULT_COMPLAINT_TYPE
    aaben_raadgivning: Label = _DEFAULT_DROP_IN_ACTIVITY
    # How the report writes in running text, all optional: the function's name mid-sentence
    # (default: `funktion` with a lower-case first letter), each type's singular and plural
    # (e.g. `Klage: [klage, klager]`), and a one-line explanation of each complaint category.
    funktion_i_tekst: str | None = Field(default=None, min_length=1)
    typer_i_tekst: dict[Label, list[str]] = Field(default_factory=dict)
    forklaring: dict[Label, str] = Field(default_factory=dict)
    # Optional parts of the register (docs/register.md): how a case was handled, what the advisor
    # found (each result label is of one kind), the activity that is an own-initiative
    # investigation, and the statuses of earlier recommendations (each counts as followed or not).
    metoder: list[Label] = Field(default_factory=list)
    resultater: dict[Label, Literal["kritik", "ingen kritik", "ikke undersøgt"]] = Field(default_factory=dict)
    egen_drift: Label | None = None
    anbefaling_status: dict[Label, Literal["fulgt", "ikke fulgt"]] = Field(default_factory=dict)
    # A municipality's own register as it is: per table, the contract's column -> its own header;
    # per table, its own sheet name in register.xlsx; per label, other spellings found in the register.
    # Who speaks: the advisor who signs the foreword, and the municipality's logo (a PNG or SVG file
    # in the register folder, shown on the report's title), both optional.
    borgerraadgiver: Advisor | None = None
    logo: str | None = Field(default=None, min_length=1, pattern=r"^[^/\\]+\.(?i:png|svg)$")
    # The national vocabulary its figures are compared in (register/national.py); optional.
    sammenligning: Comparison = Field(default_factory=Comparison)
    # The language of the messages reportlib gives (reportlib.language); --sprog and REPORTLIB_SPROG override it.
    sprog: Literal["da", "en"] | None = None
    # The days the register holds every case and activity of, both optional: without them, from the first
    # day of the month of its earliest date through the last day of the month of its latest
    # (reportlib.figures.coverage). A period reaching outside is not reported as if it were complete.
    komplet_fra: dt.date | None = None
    komplet_til: dt.date | None = None
    kolonner: dict[str, dict[str, str]] = Field(default_factory=dict)
    ark: dict[str, str] = Field(default_factory=dict)
    synonymer: dict[Label, list[str]] = Field(default_factory=dict)
    _lines: dict[tuple, int] = PrivateAttr(default_factory=dict)

    @property
    def complaint_type(self) -> str | None:
        """The complaint type as spelled in ``henvendelsestyper``, or None if it is not listed."""
        return as_listed(self.klagetype, self.henvendelsestyper)

    @property
    def drop_in_activity(self) -> str | None:
        """The drop-in activity as spelled in ``aktiviteter``, or None if it is not listed."""
        return as_listed(self.aaben_raadgivning, self.aktiviteter)

    @property
    def function_in_text(self) -> str:
        """The function's name as written mid-sentence: ``borgerrådgiveren``."""
        return self.funktion_i_tekst or self.funktion[:1].lower() + self.funktion[1:]

    def type_in_text(self, label: str) -> tuple[str, str] | None:
        """A type's singular and plural for running text, or None when kommune.yml gives none."""
        forms = next((forms for key, forms in self.typer_i_tekst.items() if label_key(key) == label_key(label)), None)
        return None if forms is None else (forms[0], forms[1])

    def explanation(self, category: str) -> str | None:
        """The one-line explanation of a complaint category, or None when kommune.yml gives none."""
        return next((text for key, text in self.forklaring.items() if label_key(key) == label_key(category)), None)

    def line(self, *path: str | int) -> int | None:
        """The line of kommune.yml that holds a key path (or the nearest key above it), for messages."""
        return line_of(self._lines, tuple(path))

    def header_of(self, table: str, column: str) -> str | None:
        """The register's own header for a contract column, when ``kolonner`` maps it."""
        mapping = next((m for t, m in self.kolonner.items() if label_key(t) == label_key(table)), {})
        return next((own for name, own in mapping.items() if label_key(name) == label_key(column)), None)

    def sheet_of(self, table: str) -> str | None:
        """The workbook's own sheet name for a table, when ``ark`` maps it."""
        return next((own for name, own in self.ark.items() if label_key(name) == label_key(table)), None)

    def synonyms(self, labels: list[str]) -> dict[str, str]:
        """Other spellings of these labels, each as labels are compared, mapped to the label."""
        listed = {label_key(label): label for label in labels}
        return {label_key(spelling): listed[label_key(label)] for label, spellings in self.synonymer.items()
                if label_key(label) in listed for spelling in spellings}

    @property
    def own_initiative_activity(self) -> str | None:
        """The own-initiative activity as spelled in ``aktiviteter``, or None without ``egen_drift``."""
        return as_listed(self.egen_drift, self.aktiviteter) if self.egen_drift else None

    @property
    def result_labels(self) -> list[str]:
        """The result labels of ``resultater``, in file order."""
        return list(self.resultater)

    @property
    def status_labels(self) -> list[str]:
        """The status labels of ``anbefaling_status``, in file order."""
        return list(self.anbefaling_status)

    def topic_category(self) -> dict[str, str]:
        """Map each topic label to the category it belongs to."""
        return {t: cat for cat, topics in self.emner.items() for t in topics}

    @property
    def areas(self) -> list[str]:
        """All area labels, in configured order."""
        return list(self.omraader)

    @property
    def topics(self) -> list[str]:
        """All topic labels, in configured order."""
        return [t for topics in self.emner.values() for t in topics]

    @property
    def topic_theme(self) -> dict[str, str]:
        """Map each topic label to its theme of the national vocabulary (``sammenligning``; "andet" if none)."""
        return themes_of(self.emner, self.sammenligning.temaer)


# Pydantic's messages, where a plainer one says what to write, or in pydantic's own words (lower-cased,
# with its context's values as placeholders) so that they can be translated; marked with N_, translated
# where they are shown (_reason). Any other message is pydantic's own, in English.
_REASONS = {"missing": N_("required key is missing"), "too_short": N_("needs at least one label"),
            "int_type": N_("must be a whole number, written without quotes"),
            # Only `logo` has a pattern, and only `borgerraadgiver` forbids other keys or is a model.
            "string_pattern_mismatch": N_("must name a PNG or SVG file in the register folder, e.g. logo.png"),
            "extra_forbidden": N_("is not a key here; borgerraadgiver takes navn and titel"),
            "model_type": N_("input should be a valid dictionary or instance of Advisor"),
            "string_type": N_("input should be a valid string"),
            "list_type": N_("input should be a valid list"),
            "dict_type": N_("input should be a valid dictionary"),
            "bool_type": N_("input should be a valid boolean"),
            "bool_parsing": N_("input should be a valid boolean, unable to interpret input"),
            "int_parsing": N_("input should be a valid integer, unable to parse string as an integer"),
            "int_from_float": N_("input should be a valid integer, got a number with a fractional part"),
            "greater_than": N_("input should be greater than {gt}"),
            "greater_than_equal": N_("input should be greater than or equal to {ge}"),
            "less_than": N_("input should be less than {lt}"),
            "less_than_equal": N_("input should be less than or equal to {le}")}


def _misspelt_keys(data: object, lines: dict[tuple, int], shown: str) -> list[Problem]:
    """A top-level key kommune.yml does not know but one it does closely resembles: a typo, named.

    Other unknown keys are ignored (a municipality may keep notes of its own there); ``min_cell: 3``
    must not silently leave small numbers shown.
    """
    if not isinstance(data, dict):
        return []
    known = list(Kommune.model_fields)
    found = []
    for key in data:
        if isinstance(key, str) and key not in known and (guess := closest(key, known)) is not None:
            found.append(Problem(shown, line_of(lines, (key,)), key, None,
                                 _("not a key of kommune.yml; did you mean '{guess}'?").format(guess=guess),
                                 kind="key"))
    return found


def _reason(err: dict) -> str:
    """A pydantic error as the user reads it: plainer where :data:`_REASONS` has it, in the current language."""
    kind, context = err["type"], err.get("ctx") or {}
    if kind == "literal_error" and (choices := _literal_choices(tuple(err["loc"]))):
        # Pydantic's own words, its list of choices rebuilt so that its "or" is translated too.
        shown = [repr(choice) for choice in choices]
        expected = shown[0] if len(shown) == 1 else _("{choices} or {last}").format(choices=", ".join(shown[:-1]),
                                                                                     last=shown[-1])
        return _("input should be {expected}").format(expected=expected)
    if kind == "string_too_short" and "min_length" in context:
        return ngettext("string should have at least {min_length} character",
                        "string should have at least {min_length} characters",
                        context["min_length"]).format(min_length=context["min_length"])
    if kind == "string_too_long" and "max_length" in context:
        return ngettext("string should have at most {max_length} character",
                        "string should have at most {max_length} characters",
                        context["max_length"]).format(max_length=context["max_length"])
    if kind in _REASONS:
        try:
            return _(_REASONS[kind]).format(**context)
        except (KeyError, IndexError):  # a context without the value the message names: pydantic's own
            pass
    return err["msg"][0].lower() + err["msg"][1:]


def _literal_choices(loc: tuple) -> tuple | None:
    """The values a Literal-typed key of kommune.yml takes (``resultater``' kinds), or None."""
    field = Kommune.model_fields.get(loc[0]) if loc and isinstance(loc[0], str) else None
    stack = [field.annotation] if field is not None else []
    while stack:
        annotation = stack.pop()
        if get_origin(annotation) is Literal:
            return get_args(annotation)
        stack += get_args(annotation)
    return None


def load_kommune(folder: Path | str) -> Kommune:
    """Read ``kommune.yml`` from a register folder and check it.

    Parameters
    ----------
    folder : path
        The register folder holding ``kommune.yml``.

    Returns
    -------
    Kommune

    Raises
    ------
    RegisterInvalid
        When the file is missing, is not valid YAML, or breaks the contract; every problem is
        listed with its line.
    """
    path = Path(folder) / KOMMUNE_FILE
    shown = str(path)
    data, lines, problems = scan(path)
    kommune = None
    try:
        kommune = Kommune.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            value = err.get("input")
            shown_value = None if isinstance(value, (dict, list)) or err["type"] == "missing" else str(value)
            problems.append(Problem(shown, line_of(lines, loc), dotted(loc), shown_value, _reason(err), kind="key"))
    problems += [
        Problem(shown, line_of(lines, path), dotted(path), value, reason, kind="key")
        for path, value, reason in taxonomy_defects(data)
    ]
    problems += _misspelt_keys(data, lines, shown)
    if problems:
        raise RegisterInvalid(problems)
    kommune._lines = lines
    return kommune
