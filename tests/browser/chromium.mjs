// Shared by audit.mjs, screenshot.mjs and print.mjs: find Debian's Chromium, start it headless with a
// fresh temporary profile, and open a self-contained HTML file with every network request blocked.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

export const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

// Without the background-networking flags Chromium tries to reach Google's servers at start-up, and
// on a closed network those attempts are refused (and slow things down).
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--font-render-hinting=none",
];

export const TIMEOUT_MS = 90_000;

/** A failure with the exit status a script ends with: 2 for usage or something missing, 1 for the browser. */
export class ScriptError extends Error {
  constructor(message, status = 2) {
    super(message);
    this.status = status;
  }
}

/** Stop the script with a message and an exit status (2: usage or something missing). */
export function die(message, status = 2) {
  throw new ScriptError(message, status);
}

/** The Chromium executable: $REPORTLIB_CHROMIUM, else the first of CANDIDATES that exists. */
export function findChromium() {
  const fromEnv = process.env.REPORTLIB_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) die(`REPORTLIB_CHROMIUM=${fromEnv}: no such file`);
    return fromEnv;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    die(
      `Chromium not found: none of ${CANDIDATES.join(", ")} exists and REPORTLIB_CHROMIUM is not set. ` +
        "Install it with `apt-get install chromium` (Debian/Ubuntu) or point REPORTLIB_CHROMIUM at a Chromium or Chrome binary.",
    );
  }
  return found;
}

/** The absolute path of an existing input file (exits with a message if it does not exist). */
export function existingFile(path) {
  if (!path) die("missing FILE argument");
  const absolute = resolve(path);
  if (!existsSync(absolute)) die(`${path}: no such file`);
  return absolute;
}

/** Start Chromium, run `fn(browser, scratchDir)`, and always close the browser and remove its profile. */
export async function withBrowser(fn) {
  const executablePath = findChromium();
  const scratch = mkdtempSync(join(tmpdir(), "reportlib-chromium-"));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // Chromium's own --headless (in CHROMIUM_ARGS) instead of puppeteer's equivalent --headless=new.
      ignoreDefaultArgs: ["--headless=new"],
      pipe: true, // DevTools over a pipe: no debugging port to open
      userDataDir: join(scratch, "profile"),
      args: CHROMIUM_ARGS,
      protocolTimeout: TIMEOUT_MS,
      timeout: TIMEOUT_MS,
    });
    return await fn(browser, scratch);
  } finally {
    if (browser) await browser.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A new page with the given viewport. Every request other than the file being visited, data:/blob:
 * URIs and the origins in `allowedOrigins` is blocked (the reports must be self-contained) and recorded
 * in `page.blocked`. `allowedOrigins` is for a local server such as JupyterLab: exact origins like
 * "http://127.0.0.1:8888" (scheme, host and port must all match), never a whole host or a pattern.
 */
export async function newPage(browser, viewport, allowedOrigins = []) {
  for (const origin of allowedOrigins) {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(origin)) die(`only http://127.0.0.1:PORT may be allowed, not ${JSON.stringify(origin)}`);
  }
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.setBypassCSP(true);
  await page.setViewport(viewport);
  page.blocked = [];
  page.allowed = null;
  await page.setRequestInterception(true);
  const originOf = (url) => {
    try {
      return new URL(url).origin;
    } catch {
      return null;
    }
  };
  page.on("request", (request) => {
    const requested = request.url();
    if (requested === page.allowed || /^(data|blob|about):/.test(requested) || allowedOrigins.includes(originOf(requested))) {
      request.continue();
    } else {
      page.blocked.push(requested);
      request.abort("blockedbyclient");
    }
  });
  return page;
}

/** Load the file at `path` into `page` and wait until it and its fonts are loaded. */
export async function visit(page, path) {
  page.allowed = pathToFileURL(path).href;
  await page.goto(page.allowed, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/** Open the file at `path` in a new page with the given viewport (see newPage). */
export async function openFile(browser, path, viewport) {
  return visit(await newPage(browser, viewport), path);
}

/** Viewport for a width: 900 px high, 800 px for a phone (narrower than 768 px); never a mobile user agent. */
export function viewportFor(width) {
  return { width, height: width < 768 ? 800 : 900, deviceScaleFactor: 1, isMobile: false, hasTouch: false };
}

/** Parse `--name value` options and positional arguments. */
export function parseArgs(argv, flags = []) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (flags.includes(name)) options[name] = true;
      else if (i + 1 < argv.length) options[name] = argv[++i];
      else die(`option ${arg} needs a value`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/** A positive integer width, or exit with a message. */
export function parseWidth(text, what = "--width") {
  const width = Number(text);
  if (!Number.isInteger(width) || width < 100 || width > 4000) die(`${what}: expected a width in CSS px (100-4000), got ${JSON.stringify(text)}`);
  return width;
}

function failure(error) {
  return error instanceof ScriptError
    ? { status: error.status, message: error.message }
    : { status: 1, message: `${process.argv[1]}: ${error && error.stack ? error.stack : error}` };
}

/**
 * Run `main`; whatever text it returns goes to stdout (flushed before exiting, which matters when stdout
 * is a pipe). A ScriptError becomes its message on stderr and its status; any other error status 1.
 */
export function run(main) {
  main().then(
    (text) => (text ? process.stdout.write(text, () => process.exit(0)) : process.exit(0)),
    (error) => {
      const { status, message } = failure(error);
      process.stderr.write(`${message}\n`, () => process.exit(status));
    },
  );
}

/**
 * Run a script on its own: `handle(browser, argv, scratch)` with a browser started for it, when the
 * module is the one node was started with (not when serve.mjs imports it).
 */
export function runAsScript(moduleUrl, handle) {
  if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === moduleUrl) {
    run(() => withBrowser((browser, scratch) => handle(browser, process.argv.slice(2), scratch)));
  }
}

/**
 * Serve many checks with one browser: each line of stdin is {"id", "script", "argv"}, answered on
 * stdout by one line {"id", "status", "output" | "message"}, as the script on its own would exit and
 * print. Each check gets a browser context of its own, closed after it. Ends with stdin.
 */
export async function serve(handlers) {
  await withBrowser(async (browser, scratch) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const { id, script, argv } = JSON.parse(line);
      const context = await browser.createBrowserContext();
      let answer;
      try {
        if (!handlers[script]) die(`no such check: ${script}`);
        answer = { id, status: 0, output: (await handlers[script](context, argv, scratch)) ?? "" };
      } catch (error) {
        answer = { id, ...failure(error) };
      } finally {
        await context.close().catch(() => {});
      }
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
  });
}
