// node tests/browser/inert.mjs FILE.html
//
// Opens FILE.html in headless Chromium with JavaScript on, as a reader's browser would, and does what a
// reader does: waits for the page, opens every <details>, clicks every link, hovers every element, scrolls
// to the end, prints. Prints ONE JSON object on stdout:
//   {"requests": [every URL the page tried to load, beyond the file itself; all are blocked],
//    "dialogs": [messages of alert/confirm/prompt dialogs], "errors": [uncaught page errors],
//    "titleBefore", "titleAfter", "scripts": number of <script> elements, "marked": window.__ran}
// A page that runs nothing and loads nothing gives requests = dialogs = errors = [], the same title,
// scripts 0 and marked null.
// Exit status: 0 with the JSON, 2 if the file or Chromium is missing, 1 if the browser failed.
import { die, existingFile, newPage, parseArgs, run, viewportFor, visit, withBrowser } from "./chromium.mjs";

run(async () => {
  const { positional } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1) die("usage: node inert.mjs FILE.html");
  const file = existingFile(positional[0]);
  return withBrowser(async (browser) => {
    const page = await newPage(browser, viewportFor(1280));
    const dialogs = [];
    const errors = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    await visit(page, file);
    const titleBefore = await page.title();
    await page.evaluate(() => {
      for (const details of document.querySelectorAll("details")) details.open = !details.open;
    });
    for (const element of (await page.$$("body *")).slice(0, 400)) await element.hover().catch(() => {});
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.emulateMediaType("print");
    const marks = () => page.evaluate(() => ({
      scripts: document.querySelectorAll("script").length,
      marked: window.__ran === undefined ? null : String(window.__ran),
    }));
    const beforeClicks = await marks();
    // Last, as a link may replace the page (a javascript: URL that returns text does).
    await page.evaluate(() => {
      for (const link of document.querySelectorAll("a")) link.click();
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const afterClicks = await marks().catch(() => ({ scripts: 0, marked: null }));
    const found = {
      titleAfter: await page.title(),
      scripts: Math.max(beforeClicks.scripts, afterClicks.scripts),
      marked: beforeClicks.marked ?? afterClicks.marked,
    };
    return JSON.stringify({ requests: page.blocked, dialogs, errors, titleBefore, ...found }) + "\n";
  });
});
