"""The exploration notebook in a real JupyterLab, in headless Chromium: run all cells, change the area.

The test starts JupyterLab on a free local port with a token, in a temporary folder laid out like the
project (the notebook in notebooks/, the example register linked as data/raw), with settings of its
own (no news or update checks, every cell rendered) and config, data and runtime folders of its own.
tests/browser/jupyterlab.mjs then runs all cells, reads the workbench's tables, chooses another area
and reads them again. Every browser request outside the server's own http://127.0.0.1:PORT is
blocked and reported; there must be none. Screenshots go to /tmp/shots/explore-*.png.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import jupyterlab, require_browser
from conftest import ROOT
from reportlib import load_register
from reportlib.paths import DATA_RAW
from reportlib.workbench import selection, tables

SHOTS = Path("/tmp/shots")
SECOND_AREA = "Børn og Unge/Skole/Kultur"
SETTINGS = {  # JupyterLab user settings for the run
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},  # render every cell
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab serving a copy of the project layout; yields (base URL, token); always terminated."""
    require_browser()  # before starting a server the test could not use
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "raw").symlink_to(DATA_RAW)
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", root / "notebooks" / "explore.ipynb")
    for name, values in SETTINGS.items():
        path = tmp_path / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython")}
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={token}",
               f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
               "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run the command "Run All Cells"
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
               f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
               "--LabApp.extension_manager=readonly"]  # no look-ups in a package index
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log_tail = (tmp_path / "jupyterlab.log").read_text()[-3000:]
                pytest.fail(f"JupyterLab did not answer on {base}:\n{log_tail}")
            time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def expected_cases(area: str = "", centre: str = "") -> int:
    """How many cases of the register's latest year (2020/21) the case table should list, from reportlib directly."""
    register = load_register(DATA_RAW)
    return len(tables.case_table(register, selection.period_of(register, "2020/21"), omraade=area, center=centre))


@pytest.mark.kernel
@pytest.mark.browser
def test_the_exploration_notebook_runs_in_jupyterlab_and_follows_the_area(lab):
    base, token = lab
    result = jupyterlab(f"{base}/lab/tree/notebooks/explore.ipynb?token={token}", SECOND_AREA, shots=SHOTS)

    assert result["blockedRequests"] == []  # nothing was asked of anything but the local server
    assert result["executed"] == result["cells"] == 12  # every code cell ran
    assert result["stderrOutputs"] == [] and result["widgetErrors"] == []
    assert result["consoleErrors"] == []

    before, after = result["before"], result["after"]
    # The defaults follow the register: its latest year, every area (so no centre to choose yet).
    assert (before["area"], before["centre"], before["centreDisabled"]) == ("Alle områder", "Alle centre", True)
    cases = before["sections"]["cases"]["tables"][0]
    assert cases["header"][:3] == ["Sag", "Modtaget", "Afsluttet"] and "note" not in cases["header"]
    assert cases["info"] == f"Række 1 til 10 af {expected_cases()}"

    # After choosing the other area: its centres to choose from, and every table that follows the area redrawn.
    assert after["area"] == SECOND_AREA and after["centre"] == "Alle centre" and not after["centreDisabled"]
    assert after["centreOptions"] == ["Alle centre", "Familie", "Handicap", "Dagtilbud", "Skoler", "Kultur"]
    cases = after["sections"]["cases"]["tables"][0]
    assert cases["info"] == f"Række 1 til 10 af {expected_cases(SECOND_AREA)}"
    assert "Område" not in cases["header"] and "Center" in cases["header"]  # the area is chosen, the centre not
    centres = after["sections"]["distributions"]["tables"][1]
    assert centres["caption"] == f"Problemstillinger pr. center i {SECOND_AREA}"
    assert [row[0] for row in centres["rows"]] == ["Familie", "Handicap", "Dagtilbud", "Skoler", "Kultur"]
    assert after["sections"]["distributions"]["tables"][0] == before["sections"]["distributions"]["tables"][0]
    assert after["sections"]["centre_change"]["tables"] != before["sections"]["centre_change"]["tables"]
    assert SECOND_AREA in after["sections"]["seasonality"]["note"]
    # Charts carry Danish alt text.
    assert after["sections"]["handling_time"]["figures"][0].startswith("Boksdiagram over sagsbehandlingstiden")
    assert len(result["shots"]) == 12 and all(Path(shot).stat().st_size > 10_000 for shot in result["shots"])
