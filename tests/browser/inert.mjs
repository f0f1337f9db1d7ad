// node tests/browser/inert.mjs FILE.html
//
// Opens FILE.html in headless Chromium with JavaScript on, as a reader's browser would, and does what a
// reader does: waits for the page, opens every <details>, moves the pointer over and focuses every element,
// clicks every link, scrolls to the end, prints. Prints ONE JSON object on stdout:
//   {"requests": [every URL the page tried to load, beyond the file itself; all are blocked],
//    "dialogs": [messages of alert/confirm/prompt dialogs], "errors": [uncaught page errors],
//    "titleBefore", "titleAfter", "scripts": number of <script> elements, "marked": window.__ran}
// A page that runs nothing and loads nothing gives requests = dialogs = errors = [], the same title,
// scripts 0 and marked null.
// Exit status: 0 with the JSON, 2 if the file or Chromium is missing, 1 if the browser failed.
import { die, existingFile, newPage, parseArgs, runAsScript, viewportFor, visit } from "./chromium.mjs";

export async function handle(browser, argv) {
  const { positional } = parseArgs(argv);
  if (positional.length !== 1) die("usage: node inert.mjs FILE.html");
  const file = existingFile(positional[0]);
  const page = await newPage(browser, viewportFor(1280));
  const dialogs = [];
  const errors = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  // A dialog a handler opens would block the page's script, and with it this check: record it instead.
  await page.evaluateOnNewDocument(() => {
    window.__dialogs = [];
    window.__document = Math.random();  // tells this document from one a link may have replaced it with
    for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
      window[name] = (message) => void window.__dialogs.push(String(message ?? name));
    }
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await visit(page, file);
  const titleBefore = await page.title();
  await page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = !details.open;
  });
  // Every element as a pointer and the keyboard would reach it (one call: a hover each would take long).
  await page.evaluate(() => {
    for (const element of document.querySelectorAll("body *")) {
      for (const type of ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup"]) {
        element.dispatchEvent(new MouseEvent(type, { bubbles: type !== "mouseenter" }));
      }
      if (typeof element.focus === "function") element.focus();
    }
  });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.emulateMediaType("print");
  const marks = () => page.evaluate(() => ({
    scripts: document.querySelectorAll("script").length,
    marked: window.__ran === undefined ? null : String(window.__ran),
    dialogs: window.__dialogs ?? [],
    document: window.__document,
  }));
  const beforeClicks = await marks();
  // Last, as a link may replace the page (a javascript: URL that returns text does).
  await page.evaluate(() => {
    for (const link of document.querySelectorAll("a")) link.click();
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const afterClicks = await marks().catch(() => ({ scripts: 0, marked: null, dialogs: [], document: null }));
  const found = {
    titleAfter: await page.title(),
    scripts: Math.max(beforeClicks.scripts, afterClicks.scripts),
    marked: beforeClicks.marked ?? afterClicks.marked,
  };
  const sameDocument = afterClicks.document === beforeClicks.document;
  dialogs.push(...beforeClicks.dialogs, ...afterClicks.dialogs.slice(sameDocument ? beforeClicks.dialogs.length : 0));
  return JSON.stringify({ requests: page.blocked, dialogs, errors, titleBefore, ...found }) + "\n";
}

runAsScript(import.meta.url, handle);
