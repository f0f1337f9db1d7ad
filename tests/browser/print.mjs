// node tests/browser/print.mjs FILE.html OUT.pdf
//
// What a board member gets from the browser's File -> Print: FILE.html with the print media type on
// A4 (or the size its @page rule asks for), without background graphics (the browser's default) and
// without the browser's header and footer. Network requests are blocked: the page must be self-contained.
// Exit status: 0; 2 if the file or Chromium is missing or the arguments are wrong; 1 if the browser failed.
import { resolve } from "node:path";
import { die, existingFile, openFile, parseArgs, runAsScript, viewportFor, TIMEOUT_MS } from "./chromium.mjs";

export async function handle(browser, argv) {
  const { positional } = parseArgs(argv);
  if (positional.length !== 2) die("usage: node print.mjs FILE.html OUT.pdf");
  const file = existingFile(positional[0]);
  const out = resolve(positional[1]);
  const page = await openFile(browser, file, viewportFor(1280));
  await page.emulateMediaType("print");
  await page.pdf({
    path: out,
    format: "A4",
    printBackground: false,
    preferCSSPageSize: true,
    displayHeaderFooter: false,
    timeout: TIMEOUT_MS,
  });
  return "";
}

runAsScript(import.meta.url, handle);
