"""Matching of user-written labels against the labels configured in ``kommune.yml``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from reportlib.language import N_, _


def label_key(label: str) -> str:
    """Return the form labels are compared in: case and surrounding spaces ignored."""
    return label.strip().casefold()


def closest(value: str, allowed: Iterable[str]) -> str | None:
    """Return the allowed label most like ``value``, or None when none is close."""
    by_key = {label_key(a): a for a in allowed}
    match = difflib.get_close_matches(label_key(value), list(by_key), n=1, cutoff=0.6)
    return by_key[match[0]] if match else None


def unknown_label_reason(value: str, allowed: list[str], what: str, key: str | None = None) -> str:
    """Describe an unknown label: the close match, if any, every allowed label, and the fix.

    ``what`` names the kind of label in English, marked with ``N_`` where it is defined (``"channel"``);
    ``key`` is the kommune.yml list the label belongs in (``kanaler``); with it the fix is named:
    add the label to that list, or make it another spelling of one (``synonymer``).
    """
    listing = ", ".join(f"'{a}'" for a in allowed) or _("(none configured)")
    guess = closest(value, allowed)
    hint = _("did you mean '{label}'? ").format(label=guess) if guess else ""
    fields = {"what": _(what), "hint": hint, "listing": listing, "value": value, "key": key, "guess": guess}
    if key is None:
        return _("unknown {what}; {hint}allowed: {listing} (labels are set in kommune.yml)").format(**fields)
    if not allowed:
        return _("unknown {what}; {hint}allowed: {listing}; add '{value}' to {key} in kommune.yml").format(**fields)
    if guess:
        return _("unknown {what}; {hint}allowed: {listing}; add '{value}' to {key} in kommune.yml, or under "
                 "synonymer as another spelling of '{guess}'").format(**fields)
    return _("unknown {what}; {hint}allowed: {listing}; add '{value}' to {key} in kommune.yml, or under "
             "synonymer as another spelling of one of them").format(**fields)


def unknown_centre_reason(value: str, area: str | None, omraader: dict[str, list[str]]) -> str:
    """Describe a centre not found under ``area`` (None when the area is unknown itself).

    A centre listed under another area is named as such; any other value is an unknown label.
    """
    every_centre = [c for centres in omraader.values() for c in centres]
    if area is not None and label_key(value) in {label_key(c) for c in every_centre}:
        listing = ", ".join(f"'{c}'" for c in omraader[area])
        return _("centre does not belong to area '{area}'; its centres are: {listing}").format(area=area,
                                                                                                listing=listing)
    return unknown_label_reason(value, omraader[area] if area is not None else every_centre, N_("centre"))
