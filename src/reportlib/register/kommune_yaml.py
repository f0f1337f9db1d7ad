"""kommune.yml as YAML: read safely, with the line of every key, and its text's problems in the user's words.

Everything is found on the composed tree before anything is constructed: what a plain kommune.yml
never needs (tags, aliases, complex keys, deep nesting) is refused, duplicate keys (which PyYAML
would silently keep the last of) and CPR-like values are problems, each with its line.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from reportlib.exceptions import Problem, RegisterInvalid
from reportlib.identifiers import CPR_REASON, cpr_like
from reportlib.inputs import KOMMUNE_FILE, read_text
from reportlib.language import N_, _
from reportlib.paths import present

# PyYAML's safe loader, in C (libyaml, which PyYAML's wheels carry) where it is there: the same tree and
# line numbers, fourteen times faster than the Python one, which every command pays for.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scan(path: Path) -> tuple[object, dict[tuple, int], list[Problem]]:
    """Read kommune.yml as plain YAML: its data, the line of every key path, and the problems of its text.

    The problems returned (a CPR-like value, a duplicate key) leave the data readable; what does not
    raises.

    Raises
    ------
    RegisterInvalid
        When the file is missing, unreadable, not valid YAML, not a mapping, or holds what a plain
        kommune.yml never needs (tags, aliases, complex keys, deep nesting).
    """
    shown = str(path)
    if not present(path):
        raise RegisterInvalid([Problem(shown, None, None, None,
                                       _("file not found; every register folder needs its kommune.yml"))])
    try:
        node = compose(read_text(path, KOMMUNE_FILE))
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

    unsafe = unsafe_nodes(node)
    if unsafe:
        raise RegisterInvalid([Problem(shown, line, None, None, reason) for line, reason in unsafe])
    lines, duplicates = line_map(node)
    # Names and labels are published; their text may hold no CPR number (nor may any other value).
    problems = [Problem(shown, line, None, None, _("a value {reason}").format(reason=_(CPR_REASON)))
                for line in cpr_lines(node)]
    problems += [
        Problem(shown, line, dotted(p[:-1]) or None, key, _("duplicate key; each key and label may appear once"),
                kind="key")
        for p, key, line in duplicates
    ]
    return construct(node), lines, problems


@functools.lru_cache(maxsize=8)
def compose(text: str) -> yaml.Node | None:
    """kommune.yml's node tree: the one reading of its YAML, made once for a text however often it is asked for.

    Everything reportlib takes from kommune.yml comes from this tree: :func:`scan` checks and
    constructs it, and a run's first look (``publish.freshness``: the language, the reporting
    year's first month, the logo) reads single values from it without building the rest.
    """
    return yaml.compose(text, Loader=SAFE_LOADER)


def construct(node: yaml.Node) -> object:
    """The Python value of a node of :func:`compose`'s tree, as loading the text would build it."""
    return SAFE_LOADER("").construct_document(node)


def line_map(node: yaml.Node, path: tuple = ()) -> tuple[dict[tuple, int], list[tuple[tuple, str, int]]]:
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
            sub_lines, sub_dups = line_map(value_node, (*path, key))
            sub_lines[(*path, key)] = key_node.start_mark.line + 1
            lines.update(sub_lines)
            duplicates += sub_dups
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub_lines, sub_dups = line_map(item, (*path, i))
            lines.update(sub_lines)
            duplicates += sub_dups
    return lines, duplicates


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


def unsafe_nodes(root: yaml.Node) -> list[tuple[int, str]]:
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


def cpr_lines(root: yaml.Node) -> list[int]:
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


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
