"""Browser checks of HTML pages for the tests, in a real headless Chromium (not a test file itself).

    from browser import audit, inert, screenshot, print_pdf, require_browser, page_lines, page_last_lines, jupyterlab

Each function runs one of the node scripts in tests/browser/ (puppeteer-core driving Debian's
Chromium; axe-core for accessibility). The page checks (audit, screenshot, print, inert) are served
by tests/browser/serve.mjs, one Chromium per test process, each check in a browser context of its
own; every script also runs on its own (``node tests/browser/audit.mjs FILE.html``).

Start every test that uses them with ``require_browser()``:
it skips the test, saying what is missing and how to install it, when Chromium, node or the npm
packages are missing, and fails it instead when the environment variable CI is ``true`` (in CI a
missing browser is an error, not a reason to skip).

Chromium is ``$REPORTLIB_CHROMIUM``, else the first of /usr/bin/chromium, /usr/bin/chromium-browser,
/usr/bin/google-chrome that exists. Pages are opened from file with every network request blocked:
the reports are self-contained files. :func:`jupyterlab` drives a local JupyterLab instead, and lets
through only the requests to that server's own http://127.0.0.1:PORT.
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "browser"
NODE_MODULES = SCRIPTS / "node_modules"
NPM_PACKAGES = ("axe-core", "puppeteer-core")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

#: Seconds one node call (one browser start plus its work) may take before it is killed.
TIMEOUT = 240


class BrowserCheckError(RuntimeError):
    """A node script failed; the message has its exit status and stderr."""


def chromium_path() -> str | None:
    """The Chromium the scripts will use, or None."""
    from_env = os.environ.get("REPORTLIB_CHROMIUM")
    if from_env:
        return from_env if Path(from_env).exists() else None
    return next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)


def missing() -> list[str]:
    """What the browser checks need and this machine lacks, each with how to install it."""
    problems = []
    if chromium_path() is None:
        where = (f"REPORTLIB_CHROMIUM={os.environ['REPORTLIB_CHROMIUM']} does not exist"
                 if os.environ.get("REPORTLIB_CHROMIUM") else f"none of {', '.join(CHROMIUM_CANDIDATES)} exists")
        problems.append(f"Chromium is not installed ({where}): `apt-get install chromium` "
                        "(or set REPORTLIB_CHROMIUM to a Chromium or Chrome binary)")
    if shutil.which("node") is None:
        problems.append("node is not on PATH: install Node.js 18 or newer (`apt-get install nodejs npm`)")
    absent = [name for name in NPM_PACKAGES if not (NODE_MODULES / name / "package.json").is_file()]
    if absent:
        where = NODE_MODULES.relative_to(ROOT) if NODE_MODULES.is_relative_to(ROOT) else NODE_MODULES
        problems.append(f"the npm packages {', '.join(absent)} are not in {where}: "
                        "`npm ci --prefix tests/browser` (`make test` does it when npm is on PATH)")
    return problems


def require_browser() -> None:
    """Skip the calling test (fail it when CI=true) unless Chromium, node and the npm packages are present."""
    problems = missing()
    if not problems:
        return
    message = "browser checks unavailable: " + "; ".join(problems)
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# The checks tests/browser/serve.mjs serves with one browser; any other script runs in a node process of its own.
SERVED = ("audit.mjs", "inert.mjs", "print.mjs", "screenshot.mjs")


class _Server:
    """tests/browser/serve.mjs, started once per test process: one Chromium for every check (each in a context of
    its own), so that a check costs its page's work rather than a browser's start."""

    def __init__(self, node: str):
        self.process = subprocess.Popen([node, str(SCRIPTS / "serve.mjs")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.answers: queue.Queue = queue.Queue()
        self.errors: collections.deque = collections.deque(maxlen=40)
        threading.Thread(target=self._read, args=(self.process.stdout, self.answers.put, None), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append, ""), daemon=True).start()
        self.asked = 0

    @staticmethod
    def _read(stream, put, ended) -> None:
        for line in stream:
            put(line)
        put(ended)  # the server ended

    def ask(self, script: str, args: tuple[str, ...]) -> dict:
        self.asked += 1
        self.process.stdin.write(json.dumps({"id": self.asked, "script": script, "argv": list(args)}) + "\n")
        self.process.stdin.flush()
        try:
            line = self.answers.get(timeout=TIMEOUT)
        except queue.Empty:
            self.close()
            raise BrowserCheckError(f"{script} took more than {TIMEOUT} s") from None
        if line is None:
            raise BrowserCheckError(f"the browser server ended:\n{''.join(self.errors)}")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_server: _Server | None = None


def _node(script: str, *args: str) -> str:
    global _server
    node = shutil.which("node")
    if node is None:
        raise BrowserCheckError("node is not on PATH")
    if script in SERVED:
        if _server is None or _server.process.poll() is not None:
            _server = _Server(node)
            atexit.register(_server.close)
        answer = _server.ask(script, args)
        status, output, message = answer["status"], answer.get("output", ""), answer.get("message", "")
    else:
        try:
            done = subprocess.run([node, str(SCRIPTS / script), *args], capture_output=True, text=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired as error:
            raise BrowserCheckError(f"{script} took more than {TIMEOUT} s: {error.stderr or ''}") from None
        status, output, message = done.returncode, done.stdout, done.stderr
    if status != 0:
        raise BrowserCheckError(f"{script} {' '.join(args)} exited with status {status}:\n{message.strip()}")
    return output


def audit(html_path: str | os.PathLike, widths=(1280, 320)) -> dict:
    """Accessibility (axe-core, WCAG 2.1 A and AA), horizontal overflow and chart text sizes at each width.

    Returns ``{"file", "blockedRequests", "widths": [{"width", "violations", "incomplete", "overflow",
    "charts"}]}``; see tests/browser/audit.mjs for the fields.
    """
    output = _node("audit.mjs", str(html_path), "--widths", ",".join(str(int(w)) for w in widths))
    try:
        return json.loads(output)
    except json.JSONDecodeError as error:
        raise BrowserCheckError(f"audit.mjs printed something that is not JSON ({error}):\n{output[:2000]}") from None


def screenshot(html_path: str | os.PathLike, png_path: str | os.PathLike, width: int, full_page: bool = True) -> Path:
    """A PNG of the page in a viewport ``width`` CSS px wide (the PNG is that many pixels wide)."""
    _node("screenshot.mjs", str(html_path), str(png_path), "--width", str(int(width)),
          *(["--full-page"] if full_page else []))
    return Path(png_path)


def jupyterlab(url: str, area: str, shots: str | os.PathLike | None = None, width: int = 1280) -> dict:
    """Run the exploration notebook in a running JupyterLab at ``url``, then choose ``area`` in its area drop-down.

    Only requests to ``url``'s own origin (http://127.0.0.1:PORT) are let through. Returns what
    tests/browser/jupyterlab.mjs prints: the tables before and after, blocked requests, stderr outputs,
    console errors and the screenshots taken into ``shots``.
    """
    args = [url, "--area", area, "--width", str(int(width))]
    if shots is not None:
        args += ["--shots", str(shots)]
    output = _node("jupyterlab.mjs", *args)
    try:
        return json.loads(output)
    except json.JSONDecodeError as error:
        raise BrowserCheckError(f"jupyterlab.mjs printed something that is not JSON ({error}):\n"
                                f"{output[:2000]}") from None


def inert(html_path: str | os.PathLike) -> dict:
    """Open the page with JavaScript on and act as a reader would (open, click, hover, print); what ran or loaded.

    Returns what tests/browser/inert.mjs prints: ``requests`` (every URL the page tried to load, all
    blocked), ``dialogs``, ``errors``, ``titleBefore``/``titleAfter``, ``scripts`` and ``marked``.
    """
    output = _node("inert.mjs", str(html_path))
    try:
        return json.loads(output)
    except json.JSONDecodeError as error:
        raise BrowserCheckError(f"inert.mjs printed something that is not JSON ({error}):\n{output[:2000]}") from None


def print_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike) -> Path:
    """What the browser's File -> Print gives: print media, A4 unless the page's @page says otherwise, no backgrounds.
    """
    _node("print.mjs", str(html_path), str(pdf_path))
    return Path(pdf_path)


def page_lines(pdf_path: str | os.PathLike) -> list[list[str]]:
    """The non-empty text lines of each page of a PDF, stripped, in reading order."""
    from pypdf import PdfReader

    return [[line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
            for page in PdfReader(pdf_path).pages]


def page_last_lines(pdf_path: str | os.PathLike) -> list[str]:
    """The last non-empty text line of each page ("" for a page without text). Chromium prints no footer here."""
    return [lines[-1] if lines else "" for lines in page_lines(pdf_path)]
