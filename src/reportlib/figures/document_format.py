"""The figures document's format: the number it carries (its key ``format``), and an earlier format read as today's.

A figures document outlives the reportlib that wrote it: earlier reports' ``figures.json`` are read
from the publication ledger, and members' documents by a network. Each reader takes it through
:func:`current`, so that no reader knows an earlier key. (A ``network.json`` keeps its members'
comparable sections as they were given; a member's report reads only its measures.) Plain dicts:
nothing here needs pandas.
"""

from __future__ import annotations

from typing import Any

# 2: a count of problemstillinger is "problemstillinger" (format 1 said "problems", the word for a defect the
# validator finds). Format 1 documents carry no "format".
FORMAT = 2
# Each earlier format's keys that today's name otherwise, wherever the document has them.
_RENAMED = {"problems": "problemstillinger"}


def current(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with today's keys: a new dict for one of an earlier format, else ``document`` itself.

    Format 1's ``problems`` is ``problemstillinger`` in the key figures, the comparable section, and
    the period compared with and its changes.
    """
    if "format" in document:  # written since documents say their format: today's keys
        return document
    renamed = {key: _renamed(value) if key in ("key_figures", "comparable") else value
               for key, value in document.items()}
    if isinstance(document.get("previous"), dict):
        renamed["previous"] = {key: _renamed(value) if key == "change" else value
                               for key, value in _renamed(document["previous"]).items()}
    return {"format": FORMAT, **renamed}


def _renamed(value: Any) -> Any:
    return {_RENAMED.get(key, key): item for key, item in value.items()} if isinstance(value, dict) else value
