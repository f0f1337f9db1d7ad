"""The rules of kommune.yml's labels that its model cannot express: unique labels, one category per
topic, defaults and explanations that name a listed label, synonyms of one label each, themes of the
national vocabulary.

They work on the raw YAML data and skip parts of the wrong shape (the model reports those), so
that every problem is found in one pass; each defect is (key path, value, reason).
"""

from __future__ import annotations

import datetime as dt

from reportlib.labels import closest, label_key
from reportlib.language import N_, _
from reportlib.register.national import vocabulary


def as_listed(label: str, labels: list[str]) -> str | None:
    return next((listed for listed in labels if label_key(listed) == label_key(label)), None)


def taxonomy_defects(data: dict) -> list[tuple[tuple, str, str]]:
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
                if as_listed(str(label), [str(v) for v in labels]) is None:
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
                and as_listed(chosen, [str(v) for v in values]) is None):
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
        if as_listed(str(label), own) is None:
            guess = closest(str(label), own)
            hint = _("did you mean '{label}'? ").format(label=guess) if guess else ""
            found.append((("sammenligning", "temaer", label), str(label),
                          _("not a topic or complaint category of emner; {hint}map the labels of emner to the "
                            "national themes").format(hint=hint)))
        if not isinstance(theme, str) or as_listed(theme, themes) is None:
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
