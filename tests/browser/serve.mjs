// node tests/browser/serve.mjs
//
// The browser checks of audit.mjs, screenshot.mjs, print.mjs and inert.mjs, served by one headless
// Chromium for as long as stdin is open: tests/browser.py starts it once per test process, so a check
// costs its page's work rather than a browser's start. Each line of stdin is {"id", "script", "argv"}
// (argv as the script takes on its own); each answer, one line of stdout: {"id", "status", "output" |
// "message"}, status 0 with what the script would print, else what it would exit with and say.
import { handle as audit } from "./audit.mjs";
import { serve } from "./chromium.mjs";
import { handle as inert } from "./inert.mjs";
import { handle as print } from "./print.mjs";
import { handle as screenshot } from "./screenshot.mjs";

await serve({ "audit.mjs": audit, "inert.mjs": inert, "print.mjs": print, "screenshot.mjs": screenshot });
