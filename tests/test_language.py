"""The messages' language: the Danish catalogue covers every message of the code, and the choice of language."""

import ast
import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import ROOT
from reportlib import language
from reportlib.language import _, ngettext

PACKAGE = ROOT / "src" / "reportlib"
CATALOGUE = PACKAGE / "locale" / "da" / "LC_MESSAGES" / "reportlib.po"
MARKERS = {"_", "N_", "ngettext"}


def code_messages() -> set[str | tuple[str, str]]:
    """Every message the code marks, as Babel's extractor (what `make messages` runs) finds it."""
    return {message for _file, _line, message, _comments, _context in extract_from_dir(str(PACKAGE))}


def catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="da")


def placeholders(text: str) -> set[str]:
    return {field for _text, field, _spec, _conversion in string.Formatter().parse(text) if field is not None}


def test_every_message_of_the_code_has_its_danish_text_with_the_same_placeholders():
    danish = catalogue()
    missing, mismatched = [], []
    for message in code_messages():
        entry = danish.get(message[0] if isinstance(message, tuple) else message)
        texts = entry and (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if not texts or not all(texts):
            missing.append(message)
            continue
        english = message if isinstance(message, tuple) else (message,)
        if any(placeholders(text) != placeholders(english[-1]) for text in texts):
            mismatched.append(message)
    assert not missing, f"run `make messages` and translate in {CATALOGUE.name}: {missing}"
    assert not mismatched, f"a Danish text's {{placeholders}} differ from its English one's: {mismatched}"


def test_the_catalogue_holds_no_message_the_code_no_longer_has():
    in_code = {message[0] if isinstance(message, tuple) else message for message in code_messages()}
    stale = [entry.id for entry in catalogue() if entry.id and
             (entry.id[0] if isinstance(entry.id, tuple) else entry.id) not in in_code]
    assert not stale, f"`make messages` drops them: {stale}"


def _marked_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
            yield node


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_message_is_looked_up_as_written_and_never_shadowed(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _marked_calls(tree):
        # An f-string, a concatenation or a formatted text is built before it is looked up: it is never found in the
        # catalogue. `_(name)` translates a text marked with N_ where it is defined.
        built = [arg for arg in call.args[:2] if isinstance(arg, (ast.JoinedStr, ast.BinOp, ast.Call))
                 or (call.func.id != "_" and not isinstance(arg, ast.Constant))]
        assert not built, (f"{path.name}:{call.lineno}: {call.func.id}() takes the message as written, placeholders "
                           "filled in afterwards with .format()")
    imports_translation = any(isinstance(node, ast.ImportFrom) and node.module == "reportlib.language"
                              and any(alias.name == "_" for alias in node.names) for node in ast.walk(tree))
    if imports_translation:
        shadowing = [node.lineno for node in ast.walk(tree)
                     if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
        assert not shadowing, f"{path.name}: `_` is the translation here; rename the variable on lines {shadowing}"


def test_the_catalogue_says_how_danish_forms_its_plural():
    assert catalogue().plural_expr == "(n != 1)"


def test_english_is_the_default_and_danish_is_chosen_by_use(monkeypatch):
    assert _("column '{name}'") == "column '{name}'"
    with language.use("da"):
        assert _("column '{name}'") == "kolonne '{name}'"
        assert language.current() == "da"
    assert language.current() == "en"


def test_the_environment_chooses_the_language_and_use_overrides_it(monkeypatch):
    monkeypatch.setenv(language.ENVIRONMENT_VARIABLE, "da")
    assert _("value '{value}'") == "værdi '{value}'"
    with language.use("en"):
        assert _("value '{value}'") == "value '{value}'"
    monkeypatch.setenv(language.ENVIRONMENT_VARIABLE, "klingon")
    assert language.current() == "en"  # an unknown language in the environment is no reason to fail


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="'fr': choose one of en, da"):
        language.choose("fr")


def test_a_message_without_a_translation_reads_in_english():
    with language.use("da"):
        assert _("a text the catalogue does not have") == "a text the catalogue does not have"


def test_danish_plurals_and_numbers():
    with language.use("da"):
        assert ngettext("{count} problem in the register:", "{count} problems in the register:", 1) == (
            "{count} fejl i registret:")
        assert language.number(12345) == "12.345"
    assert language.number(12345) == "12,345"


def test_every_danish_text_keeps_the_quotes_and_commands_of_its_english_one():
    """A command to type (`reportlib validate`) or an option (--alle) must survive translation unchanged."""
    for entry in catalogue():
        if not entry.id:
            continue
        english = " ".join(entry.id) if isinstance(entry.id, tuple) else entry.id
        danish = " ".join(entry.string) if isinstance(entry.string, tuple) else entry.string
        for command in re.findall(r"`[^`]+`|--[a-z][a-z-]*", english):
            assert command in danish, (english, command)
