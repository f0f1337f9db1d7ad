// node tests/browser/jupyterlab.mjs URL --area AREA [--shots DIR] [--width W]
//
// Opens the exploration notebook in a running JupyterLab (URL: http://127.0.0.1:PORT/lab/tree/...?token=...)
// in headless Chromium, runs all cells (the command notebook:run-all-cells, which the menu Run -> Run All
// Cells runs; the server must be started with --LabApp.expose_app_in_browser=True), waits until the
// kernel is idle and the workbench's tables are drawn, reads them, chooses AREA in the area drop-down
// (the <select> of the ipywidgets Dropdown) and reads them again. Only requests to URL's own origin
// (http://127.0.0.1:PORT) are allowed; every other one is blocked and listed.
//
// Prints ONE JSON object on stdout:
//   {"blockedRequests": [urls], "consoleErrors": [texts], "cells": number of code cells,
//    "executed": code cells with an execution count, "before": STATE, "after": STATE,
//    "stderrOutputs": [texts of stderr/error outputs], "widgetErrors": [texts], "shots": [png paths]}
// STATE: {"area", "centre", "centreOptions": [labels], "centreDisabled",
//         "sections": {NAME: {"note", "tables": [{"caption", "header": [..], "rows": [[..]], "info"}],
//                             "figures": [alt texts]}}}
// With --shots DIR, PNG screenshots of the viewport (W px wide, default 1280) go to DIR/explore-*.png:
// the top of the notebook and each section, before and after the change.
//
// Exit status: 0 with the JSON; 2 on wrong arguments or a missing Chromium; 1 if the browser failed
// or the notebook did not finish running in time.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { die, newPage, parseArgs, parseWidth, run, withBrowser } from "./chromium.mjs";

const RUN_TIMEOUT_MS = 90_000;

async function waitForIdleNotebook(page) {
  // Every code cell has an execution count ("[3]:", not "[*]:" or "[ ]:") and the kernel is idle.
  await page.waitForFunction(
    () => {
      const app = window.jupyterapp;
      const panel = app && app.shell.currentWidget;
      const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
      if (!kernel || kernel.status !== "idle") return false;
      const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt")].map((p) => p.textContent.trim());
      return prompts.length > 0 && prompts.every((p) => /^\[\d+\]:$/.test(p));
    },
    { timeout: RUN_TIMEOUT_MS, polling: 250 },
  );
}

/** What the workbench shows: the drop-downs, and per section its note, tables and charts. */
async function readState(page) {
  return page.evaluate(() => {
    const text = (el) => (el ? el.innerText.replace(/\s+/g, " ").trim() : null);
    const label = (option) => option.textContent.replace(/\u00a0/g, " "); // ipywidgets' no-break spaces
    const select = (name) => document.querySelector(`.reportlib-${name} select`);
    const sections = {};
    for (const node of document.querySelectorAll(".reportlib-section")) {
      const name = [...node.classList].find((c) => c.startsWith("reportlib-section-")).slice("reportlib-section-".length);
      sections[name] = {
        note: text(node.querySelector(".reportlib-note")),
        tables: [...node.querySelectorAll(".reportlib-table-box")].map((box) => box.querySelector(".dt-container") && ({
          caption: text(box.querySelector(".reportlib-caption")),
          ...readTable(box.querySelector(".dt-container")),
        })),
        figures: [...node.querySelectorAll("figure img")].map((img) => img.getAttribute("alt")),
      };
    }
    function readTable(container) {
      return {
        header: [...container.querySelectorAll("thead th")].map(text),
        rows: [...container.querySelectorAll("tbody tr")]
          .filter((tr) => !tr.querySelector("td.dt-empty"))
          .map((tr) => [...tr.querySelectorAll("td")].map(text)),
        info: text(container.querySelector(".dt-info")),
      };
    }
    return {
      area: select("area") && label(select("area").selectedOptions[0]),
      centre: select("centre") && label(select("centre").selectedOptions[0]),
      centreOptions: select("centre") ? [...select("centre").options].map(label) : [],
      centreDisabled: select("centre") ? select("centre").disabled : null,
      sections,
    };
  });
}

async function shoot(page, dir, name, selector, shots) {
  if (!dir) return;
  await page.evaluate((sel) => {
    const el = document.querySelector(sel || ".jp-Notebook .jp-Cell");
    if (el) el.closest(".jp-Cell").scrollIntoView({ block: "start" });
  }, selector);
  await new Promise((done) => setTimeout(done, 300)); // let the scroll settle
  const path = join(dir, `explore-${name}.png`);
  await page.screenshot({ path, type: "png" });
  shots.push(path);
}

run(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  if (positional.length !== 1 || !options.area) die("usage: node jupyterlab.mjs URL --area AREA [--shots DIR] [--width W]");
  const url = new URL(positional[0]);
  if (url.protocol !== "http:" || url.hostname !== "127.0.0.1") die(`URL must be http://127.0.0.1:PORT/..., not ${url.href}`);
  const width = parseWidth(options.width || "1280");
  const dir = options.shots ? resolve(options.shots) : null;
  if (dir) mkdirSync(dir, { recursive: true });

  return withBrowser(async (browser) => {
    const page = await newPage(browser, { width, height: 900, deviceScaleFactor: 1 }, [url.origin]);
    const consoleErrors = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    const shots = [];

    await page.goto(url.href, { waitUntil: "load" });
    await page.waitForFunction(() => window.jupyterapp && document.querySelector(".jp-Notebook .jp-Cell"), { timeout: RUN_TIMEOUT_MS });
    await page.waitForFunction(
      () => {
        const panel = window.jupyterapp.shell.currentWidget;
        const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
        return kernel && kernel.status === "idle";
      },
      { timeout: RUN_TIMEOUT_MS, polling: 250 },
    );
    await page.evaluate(() => window.jupyterapp.commands.execute("notebook:run-all-cells"));
    await waitForIdleNotebook(page);
    // The widgets draw after the kernel is idle: wait for every section's tables.
    await page.waitForFunction(
      () => {
        const sections = [...document.querySelectorAll(".reportlib-section")];
        return sections.length > 0 && sections.every((s) => s.querySelector(".dt-container tbody"));
      },
      { timeout: RUN_TIMEOUT_MS, polling: 250 },
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const before = await readState(page);

    await shoot(page, dir, "01-top", null, shots);
    await shoot(page, dir, "02-overview", ".jp-Cell:nth-child(5) .jp-OutputArea", shots);
    for (const [n, name] of ["cases", "distributions", "areas_by_type", "centres_by_outcome", "handling_time",
      "centre_change", "seasonality"].entries()) {
      await shoot(page, dir, `${String(n + 3).padStart(2, "0")}-${name}`, `.reportlib-section-${name}`, shots);
    }

    // Choose the area as a user does: pick the option and let the select fire its change event.
    const chosen = await page.evaluate((area) => {
      const select = document.querySelector(".reportlib-area select");
      // ipywidgets shows the labels with no-break spaces.
      const label = (o) => o.textContent.replace(/\u00a0/g, " ");
      const option = [...select.options].find((o) => label(o) === area);
      if (!option) return [...select.options].map(label);
      select.value = option.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      return null;
    }, options.area);
    if (chosen) throw new Error(`no area ${JSON.stringify(options.area)} in the drop-down; it lists ${JSON.stringify(chosen)}`);
    // The kernel recomputes and the tables redraw: wait for the centres table to name the new area.
    await page.waitForFunction(
      (area) => [...document.querySelectorAll(".reportlib-section-distributions .reportlib-caption")]
        .some((caption) => caption.textContent === `Problemstillinger pr. center i ${area}`),
      { timeout: RUN_TIMEOUT_MS, polling: 250 },
      options.area,
    );
    await waitForIdleNotebook(page);
    await new Promise((done) => setTimeout(done, 500)); // the last redraws after the kernel went idle
    const after = await readState(page);
    await shoot(page, dir, "10-controls-after", ".reportlib-area", shots);
    await shoot(page, dir, "11-cases-after", ".reportlib-section-cases", shots);
    await shoot(page, dir, "12-distributions-after", ".reportlib-section-distributions", shots);

    const outputs = await page.evaluate(() => ({
      cells: document.querySelectorAll(".jp-CodeCell").length,
      executed: [...document.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt")].filter((p) => /\[\d+\]/.test(p.textContent)).length,
      stderrOutputs: [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')].map((o) => o.innerText),
      widgetErrors: [...document.querySelectorAll(".jp-OutputArea-output")].map((o) => o.innerText).filter((t) => /Error displaying widget|Failed to load model|model not found/i.test(t)),
    }));
    return `${JSON.stringify({ blockedRequests: page.blocked, consoleErrors, ...outputs, before, after, shots })}\n`;
  });
});
