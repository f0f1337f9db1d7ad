"""Shared fixtures: a small hand-made register whose figures can be worked out on paper."""

from __future__ import annotations

import datetime as dt
import html
import http.server
import re
import threading
from pathlib import Path

import matplotlib
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

matplotlib.use("Agg")  # no screen in CI

from reportlib import RegisterInvalid, load_register

ROOT = Path(__file__).resolve().parents[1]  # the clone the tests run in
FIXTURES = ROOT / "tests" / "fixtures"
LOCK = ROOT / "requirements.lock"
TODAY = dt.date(2026, 11, 26)

KOMMUNE_YML = """\
kommune: Testby Kommune
funktion: Borgerrådgiveren
periode_start_maaned: 11
henvendelsestyper: [Anden henvendelse, Klage]
kanaler: [Telefon, Skriftlig]
udfald: [Vejledt, Afvist]
aktiviteter: [Eksternt oplæg, Åben rådgivning]
omraader:
  Social:
    - Jobcenter
    - Ydelser
  Teknik:
    - Vej/park
emner:
  Forvaltningsloven:
    - Partshøring
    - Sagsbehandlingstid
  Øvrige:
    - Andet
"""

SAGER = """\
sag_id,modtaget,afsluttet,henvendelsestype,kanal,udfald,moede_deltaget,klagebistand,note
S1,2019-01-10,2019-01-20,Klage,Telefon,Vejledt,ja,,Jytte Testesen 010190-1234
S2,2019-02-01,,Anden henvendelse,,,,,
"""

PROBLEMSTILLINGER = """\
sag_id,omraade,center,emne,primaer
S1,Social,Jobcenter,Partshøring,
S1,Teknik,Vej/park,Andet,ja
S2,Social,Ydelser,Sagsbehandlingstid,
"""

AKTIVITETER = """\
dato,aktivitet,antal_borgere,beskrivelse
2019-09-02,Åben rådgivning,3,Biblioteket
"""

DEFAULT_TABLES = {"sager": SAGER, "problemstillinger": PROBLEMSTILLINGER, "aktiviteter": AKTIVITETER}

# KOMMUNE_YML with the keys of the register's optional parts (docs/register.md): methods, results of
# three kinds, an own-initiative activity, and the statuses of recommendations.
KOMMUNE_PARTS_YML = KOMMUNE_YML.replace("aktiviteter: [Eksternt oplæg, Åben rådgivning]",
                                        "aktiviteter: [Eksternt oplæg, Åben rådgivning, Egen drift]") + """\
metoder: [Vejledning, Dialog, Undersøgelse]
resultater:
  Kritik: kritik
  Delvis kritik: kritik
  Ingen kritik: ingen kritik
  Ikke undersøgt: ikke undersøgt
egen_drift: Egen drift
anbefaling_status:
  Ny: ikke fulgt
  Igangsat: ikke fulgt
  Fulgt: fulgt
"""


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, as seaborn's own suite does."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def make_register(tmp_path):
    """Return a function writing a register folder; pass a table's CSV text to replace or add it, None to omit it."""

    def make(kommune: str | None = KOMMUNE_YML, encoding: str = "utf-8", **tables: str | None) -> Path:
        folder = tmp_path / "register"
        folder.mkdir(exist_ok=True)
        if kommune is not None:
            (folder / "kommune.yml").write_text(kommune, encoding="utf-8")
        for name, default in {**DEFAULT_TABLES, **tables}.items():
            text = tables.get(name, default)
            if text is not None:
                (folder / f"{name}.csv").write_bytes(text.encode(encoding))
        return folder

    return make


@pytest.fixture
def parts_folder(make_register):
    """The register of tests/test_findings.py, which has every optional part; its figures are worked out there."""
    import test_findings

    return make_register(kommune=KOMMUNE_PARTS_YML, sager=test_findings.SAGER,
                         problemstillinger=test_findings.PROBLEMSTILLINGER, aktiviteter=test_findings.AKTIVITETER,
                         anbefalinger=test_findings.ANBEFALINGER)


@pytest.fixture
def probe():
    """A local HTTP server that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def published_report(folder: Path, files: dict[str, str], key: str = "the key of an earlier run") -> Path:
    """Write ``folder`` as a run publishes a report: the files, and a manifest that lists them with their digests."""
    import hashlib
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    outputs = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}
    (folder / "manifest.json").write_text(json.dumps({"cache_key": key, "outputs": outputs}), encoding="utf-8")
    return folder


def text_of(markup: str) -> str:
    """The visible text of HTML, whitespace collapsed (a <wbr> is a place to break, not a space)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<wbr\s*/?>", "", markup))).split())


def problems_of(folder: Path) -> list[str]:
    """Return the problem messages loading ``folder`` raises."""
    with pytest.raises(RegisterInvalid) as caught:
        load_register(folder, today=TODAY)
    return [str(p) for p in caught.value.problems]


def locked_versions() -> dict[str, str]:
    """The packages requirements.lock installs on this platform and Python: normalised name -> version."""
    versions = {}
    for line in re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8")).splitlines():
        if line[:1].isalnum():  # an entry: name==version ; marker --hash=... (comments are indented or #)
            requirement = Requirement(line.split(" --hash=")[0])
            if requirement.marker is None or requirement.marker.evaluate():
                versions[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return versions
