"""Read and check ``kommune.yml``: the municipality's taxonomy and settings.

Everything municipality-specific (areas, centres, topics, labels, thresholds) lives in this file,
never in code. Problems are reported with the YAML line they are on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, ValidationError

from reportlib.exceptions import Problem, RegisterInvalid
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.labels import closest, label_key
from reportlib.language import N_, _, ngettext
from reportlib.paths import KOMMUNE_FILE
from reportlib.register.national import themes_of, vocabulary

Label = str
# PyYAML's safe loader, in C (libyaml, which PyYAML's wheels carry) where it is there: the same tree and
# line numbers, fourteen times faster than the Python one, which every command pays for.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
        return _as_listed(self.klagetype, self.henvendelsestyper)

    @property
    def drop_in_activity(self) -> str | None:
        """The drop-in activity as spelled in ``aktiviteter``, or None if it is not listed."""
        return _as_listed(self.aaben_raadgivning, self.aktiviteter)

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
        return _line_of(self._lines, tuple(path))

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
        return _as_listed(self.egen_drift, self.aktiviteter) if self.egen_drift else None

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


def _as_listed(label: str, labels: list[str]) -> str | None:
    return next((listed for listed in labels if label_key(listed) == label_key(label)), None)


def _taxonomy_defects(data: dict) -> list[tuple[tuple, str, str]]:
    """Label rules the schema cannot express: unique labels, one category per topic, known defaults.

    Works on the raw YAML data and skips parts of the wrong shape (the schema reports those), so
    that every problem is found in one pass.
    """
    found: list[tuple[tuple, str, str]] = []
    for key in ("henvendelsestyper", "kanaler", "udfald", "aktiviteter", "metoder"):
        found += _label_defects(data.get(key), (key,), _DUPLICATE_LABEL)
    for key in ("resultater", "anbefaling_status"):
        if isinstance(data.get(key), dict):  # a duplicate is named by its own key, on its own line
            labels = [str(label) for label in data[key]]
            found += [((key, labels[path[-1]]), value, reason)
                      for path, value, reason in _label_defects(labels, (key,), _DUPLICATE_LABEL)]
    for key, empty, duplicate in (("omraader", N_("needs at least one centre"), _DUPLICATE_CENTRE),
                                  ("emner", N_("needs at least one topic"), _DUPLICATE_TOPIC)):
        groups = data.get(key)
        if not isinstance(groups, dict):
            continue
        for group, members in groups.items():
            if isinstance(members, list) and not members:
                found.append(((key, group), str(group), _(empty)))
            found += _label_defects(members, (key, group), duplicate)
    category_of: dict[str, str] = {}
    for category, topics in (data.get("emner") or {}).items() if isinstance(data.get("emner"), dict) else ():
        for i, topic in enumerate(topics if isinstance(topics, list) else []):
            other = category_of.setdefault(label_key(str(topic)), category)
            if other != category:
                found.append((("emner", category, i), str(topic),
                              _("topic already listed under category '{other}'; each topic belongs to one "
                                "category").format(other=other)))
    for key, list_key in (("typer_i_tekst", "henvendelsestyper"), ("forklaring", "emner")):
        given, labels = data.get(key), data.get(list_key)
        if isinstance(given, dict) and isinstance(labels, (list, dict)):
            listing = ", ".join(f"'{label}'" for label in labels)
            for label in given:
                if _as_listed(str(label), [str(v) for v in labels]) is None:
                    found.append(((key, label), str(label), _("not one of the labels of '{key}' ({listing})").format(
                        key=list_key, listing=listing)))
    found += _comparison_defects(data)
    forms_of = data.get("typer_i_tekst")
    for label, forms in forms_of.items() if isinstance(forms_of, dict) else ():
        if not (isinstance(forms, list) and len(forms) == 2 and all(isinstance(f, str) and f.strip() for f in forms)):
            found.append((("typer_i_tekst", label), str(forms),
                          _("give the type's singular and plural as they read in a sentence, e.g. [klage, klager]")))
    found += _synonym_defects(data)
    first, last = data.get("komplet_fra"), data.get("komplet_til")
    if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
        found.append((("komplet_til",), last.isoformat(), _("before komplet_fra ({first}); the register is complete "
                                                           "from komplet_fra through komplet_til").format(
            first=first.isoformat())))
    for key, list_key in (("klagetype", "henvendelsestyper"), ("aaben_raadgivning", "aktiviteter"),
                          ("egen_drift", "aktiviteter")):
        chosen, values = data.get(key), data.get(list_key)
        if (isinstance(chosen, str) and isinstance(values, list)
                and _as_listed(chosen, [str(v) for v in values]) is None):
            listing = ", ".join(f"'{v}'" for v in values)
            found.append(((key,), chosen, _("not one of the labels listed ({listing})").format(listing=listing)))
    return found


def _comparison_defects(data: dict) -> list[tuple[tuple, str, str]]:
    """Each key of ``sammenligning.temaer`` a topic or category of ``emner``, each value a national theme."""
    comparison, emner = data.get("sammenligning"), data.get("emner")
    mapping = comparison.get("temaer") if isinstance(comparison, dict) else None
    if not isinstance(mapping, dict):
        return []
    themes = list(vocabulary().themes)
    own = ([str(c) for c in emner] + [str(t) for topics in emner.values() if isinstance(topics, list) for t in topics]
           if isinstance(emner, dict) else [])
    found = []
    for label, theme in mapping.items():
        if _as_listed(str(label), own) is None:
            guess = closest(str(label), own)
            hint = _("did you mean '{label}'? ").format(label=guess) if guess else ""
            found.append((("sammenligning", "temaer", label), str(label),
                          _("not a topic or complaint category of emner; {hint}map the labels of emner to the "
                            "national themes").format(hint=hint)))
        if not isinstance(theme, str) or _as_listed(theme, themes) is None:
            guess = closest(str(theme), themes)
            hint = _("did you mean '{label}'? ").format(label=guess) if guess else ""
            found.append((("sammenligning", "temaer", label), str(theme),
                          _("not a national theme; {hint}the themes are {themes}").format(
                              hint=hint, themes=", ".join(f"'{t}'" for t in themes))))
    return found


def _label_lists(data: dict) -> dict[str, list[str]]:
    """Every list of labels in the raw YAML data, by the name messages give it."""
    def labels(value: object) -> list[str]:
        if isinstance(value, dict):
            return [str(k) for k in value]
        return [str(v) for v in value] if isinstance(value, list) else []

    groups = {key: data.get(key) if isinstance(data.get(key), dict) else {} for key in ("omraader", "emner")}
    return {**{key: labels(data.get(key)) for key in ("henvendelsestyper", "kanaler", "udfald", "aktiviteter",
                                                      "metoder", "resultater", "anbefaling_status")},
            "omraader": labels(groups["omraader"]),
            "centres": [str(c) for centres in groups["omraader"].values() for c in labels(centres)],
            "emner": [str(t) for topics in groups["emner"].values() for t in labels(topics)]}


def _synonym_defects(data: dict) -> list[tuple[tuple, str, str]]:
    """Synonyms must belong to a label, differ from every label of its list, and name one label per list."""
    synonyms = data.get("synonymer")
    if not isinstance(synonyms, dict):
        return []
    found: list[tuple[tuple, str, str]] = []
    lists = _label_lists(data)
    taken: dict[tuple[str, str], str] = {}  # (list, spelling) -> the label it stands for
    for label, spellings in synonyms.items():
        homes = [name for name, labels in lists.items() if label_key(str(label)) in map(label_key, labels)]
        if not homes:
            found.append((("synonymer", label), str(label), _("not a label of any list in kommune.yml; synonyms are "
                                                              "listed under the label they stand for")))
            continue
        if not isinstance(spellings, list):
            continue  # the schema reports a value that is not a list
        for i, spelling in enumerate(spellings):
            if not isinstance(spelling, str) or not spelling.strip():
                found.append((("synonymer", label, i), str(spelling), _("a synonym must be non-empty text")))
                continue
            for home in homes:
                if label_key(spelling) in map(label_key, lists[home]):
                    found.append((("synonymer", label, i), spelling,
                                  _("is itself a label of '{home}'; a synonym must be another spelling").format(
                                      home=home)))
                elif taken.setdefault((home, label_key(spelling)), str(label)) != str(label):
                    found.append((("synonymer", label, i), spelling,
                                  _("is also a synonym of '{label}'; a spelling can stand for one label only").format(
                                      label=taken[(home, label_key(spelling))])))
    return found


# A label given twice in one list, by the kind of list.
_DUPLICATE_LABEL = N_("duplicate label (same as '{other}', ignoring case); each label may appear once")
_DUPLICATE_CENTRE = N_("duplicate centre label (same as '{other}', ignoring case); each label may appear once")
_DUPLICATE_TOPIC = N_("duplicate topic label (same as '{other}', ignoring case); each label may appear once")


def _label_defects(labels: object, path: tuple, duplicate: str) -> list[tuple[tuple, str, str]]:
    """Empty, non-text and duplicate (ignoring case) labels in one list.

    ``duplicate`` is the message for a duplicate, marked with ``N_``, with ``{other}`` for its first spelling.
    """
    if not isinstance(labels, list):
        return []
    found = []
    first: dict[str, int] = {}
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip():
            found.append(((*path, i), str(label), _("a label must be non-empty text")))
            continue
        j = first.setdefault(label_key(label), i)
        if j != i:
            found.append(((*path, i), label, _(duplicate).format(other=labels[j])))
    return found


def _line_map(node: yaml.Node, path: tuple = ()) -> tuple[dict[tuple, int], list[tuple[tuple, str, int]]]:
    """Walk a composed YAML tree: the 1-based line of every key path, and duplicate keys.

    PyYAML silently keeps the last of two equal keys; a duplicated area would vanish unseen.
    """
    lines: dict[tuple, int] = {path: node.start_mark.line + 1}
    duplicates: list[tuple[tuple, str, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                duplicates.append(((*path, key), key, key_node.start_mark.line + 1))
            seen.add(key)
            sub_lines, sub_dups = _line_map(value_node, (*path, key))
            sub_lines[(*path, key)] = key_node.start_mark.line + 1
            lines.update(sub_lines)
            duplicates += sub_dups
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub_lines, sub_dups = _line_map(item, (*path, i))
            lines.update(sub_lines)
            duplicates += sub_dups
    return lines, duplicates


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
_PLAIN_YAML = N_("kommune.yml holds plain keys, text, numbers, dates and lists, at most a few levels deep")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq",
                                                         "map")}
_MAX_DEPTH = 8
_DATE_TAG = "tag:yaml.org,2002:timestamp"  # what YAML reads 2025-12-31 as


def _a_date(node: yaml.ScalarNode) -> bool:
    """Tell whether YAML can make a date of a node it reads as one (2025-02-30 has the form, not the day)."""
    try:
        yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    except ValueError:
        return False
    return True


def _unsafe_nodes(root: yaml.Node) -> list[tuple[int, str]]:
    """What a plain kommune.yml never needs and a loader should not meet: tags, aliases, complex keys, depth.

    Found on the composed tree, before anything is constructed, each with its line.
    """
    found, seen = [], set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            found.append((line, _("YAML anchors and aliases (& and *) are not read; write the values out. "
                                  "{plain}").format(plain=_(_PLAIN_YAML))))
            continue
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            found.append((line, _("YAML tag '{tag}' is not read; remove it. {plain}").format(tag=tag,
                                                                                           plain=_(_PLAIN_YAML))))
        elif node.tag == _DATE_TAG and not _a_date(node):
            found.append((line, _("'{value}' is not a date in the calendar; write it as YYYY-MM-DD, e.g. "
                                  "2025-12-31").format(value=node.value)))
        elif depth > _MAX_DEPTH:
            found.append((line, _("nested too deeply; {plain}").format(plain=_(_PLAIN_YAML))))
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    found.append((key.start_mark.line + 1, _("a key must be plain text, not a list or mapping. "
                                                             "{plain}").format(plain=_(_PLAIN_YAML))))
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]
    return sorted(set(found))


def _cpr_lines(root: yaml.Node) -> list[int]:
    """The lines of the keys and values that hold a CPR-like number."""
    found, stack = set(), [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if cpr_like(str(node.value)):
                found.add(node.start_mark.line + 1)
        elif isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return sorted(found)


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
            found.append(Problem(shown, _line_of(lines, (key,)), key, None,
                                 _("not a key of kommune.yml; did you mean '{guess}'?").format(guess=guess),
                                 kind="key"))
    return found


def _line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


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
    if not path.is_file():
        raise RegisterInvalid([Problem(shown, None, None, None,
                                       _("file not found; every register folder needs its kommune.yml"))])
    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except UnicodeDecodeError as exc:
        raise RegisterInvalid([Problem(shown, None, None, None, _("not UTF-8 text ({reason}); save the file as "
                                                                  "UTF-8").format(reason=exc.reason))]) from None
    except OSError as exc:
        reason = _("cannot be read ({reason}); check the file's permissions").format(reason=exc.strerror)
        raise RegisterInvalid([Problem(shown, None, None, None, reason)]) from None
    except RecursionError:
        raise RegisterInvalid([Problem(shown, None, None, None,
                                       _("nested too deeply; {plain}").format(plain=_(_PLAIN_YAML)))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit
            raise RegisterInvalid([Problem(shown, line, None, None,
                                           _("nested too deeply; {plain}").format(plain=_(_PLAIN_YAML)))]) from None
        problem = getattr(exc, "problem", None) or exc  # the YAML reader's own words, in English
        if getattr(exc, "context", None) and exc.context_mark is not None:
            reason = _("not valid YAML: {problem} ({context} started on line {line}); check indentation and "
                       "quoting").format(problem=problem, context=exc.context.removeprefix("while parsing "),
                                         line=exc.context_mark.line + 1)
        else:
            reason = _("not valid YAML: {problem}; check indentation and quoting").format(problem=problem)
        raise RegisterInvalid([Problem(shown, line, None, None, reason)]) from None
    if node is None or not isinstance(node, yaml.MappingNode):
        raise RegisterInvalid([Problem(shown, 1, None, None,
                                       _("must be a mapping of keys such as 'kommune:' and 'omraader:'"))])

    unsafe = _unsafe_nodes(node)
    if unsafe:
        raise RegisterInvalid([Problem(shown, line, None, None, reason) for line, reason in unsafe])
    lines, duplicates = _line_map(node)
    # Names and labels are published; their text may hold no CPR number (nor may any other value).
    problems = [Problem(shown, line, None, None, _("a value {reason}").format(reason=_(CPR_REASON)))
                for line in _cpr_lines(node)]
    problems += [
        Problem(shown, line, _dotted(p[:-1]) or None, key, _("duplicate key; each key and label may appear once"),
                kind="key")
        for p, key, line in duplicates
    ]
    data = yaml.load(text, Loader=SAFE_LOADER)
    kommune = None
    try:
        kommune = Kommune.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            value = err.get("input")
            shown_value = None if isinstance(value, (dict, list)) or err["type"] == "missing" else str(value)
            problems.append(Problem(shown, _line_of(lines, loc), _dotted(loc), shown_value, _reason(err), kind="key"))
    problems += [
        Problem(shown, _line_of(lines, path), _dotted(path), value, reason, kind="key")
        for path, value, reason in _taxonomy_defects(data)
    ]
    problems += _misspelt_keys(data, lines, shown)
    if problems:
        raise RegisterInvalid(problems)
    kommune._lines = lines
    return kommune
