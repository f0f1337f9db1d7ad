// node tests/browser/screenshot.mjs FILE.html OUT.png --width W [--full-page]
//
// A PNG screenshot of FILE.html in headless Chromium with a viewport W CSS px wide (900 px high, 800 for
// a phone narrower than 768 px; device scale factor 1), of the whole page's height with --full-page.
// The PNG is always W pixels wide: whatever sticks out beyond the right edge is cut off, as on screen.
// Network requests are blocked: the page must be self-contained.
// Exit status: 0; 2 if the file or Chromium is missing or the arguments are wrong; 1 if the browser failed.
import { resolve } from "node:path";
import { die, existingFile, openFile, parseArgs, parseWidth, runAsScript, viewportFor } from "./chromium.mjs";

export async function handle(browser, argv) {
  const { positional, options } = parseArgs(argv, ["full-page"]);
  if (positional.length !== 2 || options.width === undefined) die("usage: node screenshot.mjs FILE.html OUT.png --width W [--full-page]");
  const file = existingFile(positional[0]);
  const out = resolve(positional[1]);
  const width = parseWidth(options.width);
  const page = await openFile(browser, file, viewportFor(width));
  // The PNG is always `width` pixels wide, what the reader's screen shows: content that sticks out to
  // the right (see audit.mjs's overflow) is cut off at the edge, as it is on the screen.
  const height = options["full-page"]
    ? await page.evaluate(() => Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)))
    : viewportFor(width).height;
  await page.screenshot({ path: out, type: "png", clip: { x: 0, y: 0, width, height }, captureBeyondViewport: true });
  return "";
}

runAsScript(import.meta.url, handle);
