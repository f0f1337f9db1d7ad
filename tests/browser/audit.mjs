// node tests/browser/audit.mjs FILE.html [--widths 1280,320]
//
// Opens FILE.html in headless Chromium at each width and prints ONE JSON object on stdout:
//   {"file", "blockedRequests": [urls the page tried to load; all are blocked],
//    "widths": [{"width",
//                "violations": [{"id", "impact", "help", "nodes": [target selectors]}],   (axe-core, WCAG 2.1 A/AA)
//                "incomplete": [same shape: what axe could not decide, e.g. contrast over an image],
//                "overflow": {"scrollWidth", "viewport", "offenders": [{"selector", "right", "width"}],
//                             "scrollers": [selectors of the elements that scroll horizontally]},
//                "charts": [{"index", "alt", "renderedWidth", "intrinsicWidth", "fontSizes", "minFontPx"}]}]}
//
// overflow.offenders are the outermost elements whose box reaches beyond the right edge of the
// viewport, not counting anything inside an element that scrolls horizontally itself (a wide table
// in a scrolling region is fine). overflow.scrollers are those scrolling regions whose content is
// wider than they are: fine on a phone, a hidden column on a laptop.
//
// charts: every <img> whose src is a data:image/svg+xml URI. The SVG is opened on its own, sized to the
// <img>'s content box (the way Chromium draws an SVG image; without a viewBox one is synthesised from
// width/height), and for every piece of text its computed font-size is multiplied by the scale of its
// transformation to the screen. minFontPx is the smallest of these: the CSS px height of the smallest
// text as the reader sees it. fontSizes are the font sizes written in the SVG, in its user units.
// Examples: width="400pt" with no viewBox and font 10px, shown 200px wide: 10 * 200 / (400 * 4/3) = 3.75;
// matplotlib's width="460.8pt" viewBox="0 0 460.8 345.6" with font 10px (meaning 10 pt), shown 614.4px
// wide: 10 * 614.4 / 460.8 = 13.3.
//
// Exit status: 0 with the JSON (whatever it found), 2 if the file or Chromium is missing or the
// arguments are wrong, 1 if the browser failed.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { die, existingFile, newPage, openFile, parseArgs, parseWidth, runAsScript, viewportFor, visit } from "./chromium.mjs";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  resultTypes: ["violations", "incomplete"],
};

async function axeResults(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (options) => {
    const result = await window.axe.run(document, options);
    const summary = (rules) =>
      rules.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" >>> ")),
      }));
    return { violations: summary(result.violations), incomplete: summary(result.incomplete) };
  }, AXE_OPTIONS);
}

async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const body = document.body;
    const viewport = window.innerWidth;
    const scrollWidth = Math.max(root.scrollWidth, body ? body.scrollWidth : 0);

    const scrollsHorizontally = (el) => {
      const overflowX = getComputedStyle(el).overflowX;
      return (overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth;
    };
    const insideScroller = (el) => {
      for (let a = el.parentElement; a && a !== body && a !== root; a = a.parentElement) {
        if (scrollsHorizontally(a)) return true;
      }
      return false;
    };
    const part = (el) => {
      if (el.id) return `${el.localName}#${CSS.escape(el.id)}`;
      let text = el.localName;
      for (const name of el.classList) text += `.${CSS.escape(name)}`;
      const parent = el.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === el.localName);
        if (same.length > 1) text += `:nth-of-type(${same.indexOf(el) + 1})`;
      }
      return text;
    };
    const selector = (el) => {
      const parts = [];
      for (let e = el; e && e !== root; e = e.parentElement) {
        parts.unshift(part(e));
        if (e.id || e === body) break;
      }
      return parts.join(" > ");
    };

    const beyond = new Set();
    for (const el of body ? body.querySelectorAll("*") : []) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right <= viewport + 0.5) continue; // sub-pixel rounding is not overflow
      if (insideScroller(el)) continue;
      beyond.add(el);
    }
    const offenders = [];
    for (const el of beyond) {
      let outermost = true;
      for (let a = el.parentElement; a; a = a.parentElement) if (beyond.has(a)) outermost = false;
      if (!outermost) continue;
      const box = el.getBoundingClientRect();
      offenders.push({ selector: selector(el), right: Math.round(box.right * 10) / 10, width: Math.round(box.width * 10) / 10 });
    }
    const scrollers = [...(body ? body.querySelectorAll("*") : [])].filter(scrollsHorizontally).map(selector);
    return { scrollWidth, viewport, offenders, scrollers };
  });
}

function decodeDataUri(uri) {
  const comma = uri.indexOf(",");
  const meta = uri.slice(5, comma);
  const data = uri.slice(comma + 1);
  if (/;base64$/i.test(meta)) return Buffer.from(decodeURIComponent(data), "base64").toString("utf8");
  try {
    return decodeURIComponent(data);
  } catch {
    return data;
  }
}

async function charts(browser, page, scratch, blocked) {
  const images = await page.evaluate(() =>
    [...document.images]
      .map((img, index) => ({ img, index }))
      .filter(({ img }) => /^data:image\/svg\+xml[;,]/i.test(img.getAttribute("src") || ""))
      .map(({ img, index }) => {
        const style = getComputedStyle(img);
        const box = img.getBoundingClientRect();
        const px = (name) => parseFloat(style[name]) || 0;
        return {
          index,
          alt: img.getAttribute("alt"),
          src: img.getAttribute("src"),
          width: box.width - px("paddingLeft") - px("paddingRight") - px("borderLeftWidth") - px("borderRightWidth"),
          height: box.height - px("paddingTop") - px("paddingBottom") - px("borderTopWidth") - px("borderBottomWidth"),
        };
      }),
  );
  const results = [];
  const svgPage = images.length ? await newPage(browser, viewportFor(1280)) : null;
  for (const image of images) {
    const svgPath = join(scratch, `chart-${image.index}.svg`);
    writeFileSync(svgPath, decodeDataUri(image.src));
    await visit(svgPage, svgPath);
    const measured = await svgPage.evaluate(
      (width, height) => {
        const svg = document.documentElement;
        if (svg.localName !== "svg") return { error: `not an SVG document (root element <${svg.localName}>)` };
        const fixed = (name) => /^\s*[\d.]+\s*(px|pt|pc|mm|cm|in)?\s*$/.test(svg.getAttribute(name) || "");
        const intrinsic = svg.getBoundingClientRect();
        const intrinsicWidth = fixed("width") ? intrinsic.width : null;
        if (!svg.hasAttribute("viewBox") && fixed("width") && fixed("height")) {
          svg.setAttribute("viewBox", `0 0 ${intrinsic.width} ${intrinsic.height}`);
        }
        svg.setAttribute("width", `${width}px`);
        svg.setAttribute("height", `${height}px`);
        svg.style.width = `${width}px`;
        svg.style.height = `${height}px`;
        const fontSizes = new Set();
        let minFontPx = null;
        for (const el of svg.querySelectorAll("text, tspan, textPath")) {
          if (el.closest("defs, clipPath, mask, pattern, marker, symbol")) continue;
          const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
          if (!ownText) continue;
          const style = getComputedStyle(el);
          if (style.display === "none" || style.visibility === "hidden") continue;
          const size = parseFloat(style.fontSize);
          fontSizes.add(Math.round(size * 100) / 100);
          const m = el.getScreenCTM();
          const scale = m ? Math.hypot(m.c, m.d) : 1; // how long one unit of the text's y axis is on screen
          if (width > 0 && (minFontPx === null || size * scale < minFontPx)) minFontPx = size * scale;
        }
        return { intrinsicWidth, fontSizes: [...fontSizes].sort((a, b) => a - b), minFontPx };
      },
      image.width,
      image.height,
    );
    const round = (x) => (x === null || x === undefined ? x : Math.round(x * 100) / 100);
    results.push({
      index: image.index,
      alt: image.alt,
      renderedWidth: round(image.width),
      intrinsicWidth: round(measured.intrinsicWidth),
      fontSizes: measured.fontSizes,
      minFontPx: round(measured.minFontPx),
      ...(measured.error ? { error: measured.error } : {}),
    });
  }
  if (svgPage) {
    svgPage.blocked.forEach((url) => blocked.add(url));
    await svgPage.close();
  }
  return results;
}

export async function handle(browser, argv, scratch) {
  const { positional, options } = parseArgs(argv);
  if (positional.length !== 1) die("usage: node audit.mjs FILE.html [--widths 1280,320]");
  const file = existingFile(positional[0]);
  const widths = String(options.widths ?? "1280,320")
    .split(",")
    .map((w) => parseWidth(w.trim(), "--widths"));

  const blocked = new Set();
  const perWidth = [];
  for (const width of widths) {
    const page = await openFile(browser, file, viewportFor(width));
    const { violations, incomplete } = await axeResults(page);
    perWidth.push({ width, violations, incomplete, overflow: await overflow(page), charts: await charts(browser, page, scratch, blocked) });
    page.blocked.forEach((url) => blocked.add(url));
    await page.close();
  }
  return `${JSON.stringify({ file, blockedRequests: [...blocked], widths: perWidth })}\n`;
}

runAsScript(import.meta.url, handle);
