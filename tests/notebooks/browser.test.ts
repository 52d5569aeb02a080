/**
 * The executed notebooks in a real browser (Debian's Chromium, headless, driven by playwright-core):
 * - each notebook's HTML export opens with every image decoded, no console or page errors;
 * - each Plotly figure in the outputs renders with the plotly.js-dist-min from node_modules.
 * Nothing may come from the network: only file: and data: URLs load, anything else is aborted and fails the test.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "../helpers/chromium";
import { PLOTLY_MIME } from "../helpers/plotly";
import { outputsOf, pngCount, readNotebook, type Notebook } from "../../scripts/notebook-checks";

const PLOTLY_JS = require.resolve("plotly.js-dist-min/plotly.min.js");

// nbconvert's default (lab) template loads require.js and MathJax in <head>: from cdnjs upstream, and in Debian's
// nbconvert from file:///usr/share/javascript/..., which exists only with libjs-requirejs and libjs-mathjax installed.
// Neither is needed to show outputs, so both become empty inline scripts; the rest of the page (CSS inlined) is kept.
const NBCONVERT_HTML = [
  "nbconvert",
  "--to",
  "html",
  "--log-level=WARN",
  "--HTMLExporter.require_js_url=data:text/javascript,",
  "--HTMLExporter.mathjax_url=data:text/javascript,",
];

interface PlotlyFigure {
  data: unknown[];
  layout?: Record<string, unknown>;
}

interface PlotlyGlobal {
  newPlot(
    root: HTMLElement,
    data: unknown[],
    layout?: Record<string, unknown>,
  ): Promise<HTMLElement>;
}

const runDir = process.env.NOTEBOOK_RUN_DIR;
const notebookFiles =
  runDir && fs.existsSync(runDir)
    ? fs
        .readdirSync(runDir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
    : [];

function skipReason(): string | false {
  if (!runDir)
    return "NOTEBOOK_RUN_DIR is not set (npm test sets it after executing the notebooks)";
  if (notebookFiles.length === 0) return `no executed notebooks in NOTEBOOK_RUN_DIR (${runDir})`;
  return chromiumMissing();
}

const isLocal = (url: string): boolean => url.startsWith("file:") || url.startsWith("data:");

/** A page in its own context that records console errors, page errors, failed loads and any network request. */
async function guardedPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext();
  await context.route("**/*", (route) =>
    isLocal(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
  );
  const page = await context.newPage();
  page.on("request", (request) => {
    if (!isLocal(request.url())) problems.push(`network request: ${request.url()}`);
  });
  page.on("websocket", (socket) => problems.push(`websocket: ${socket.url()}`));
  page.on("requestfailed", (request) =>
    problems.push(`failed to load ${request.url().slice(0, 120)}: ${request.failure()?.errorText}`),
  );
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

function plotlyFigures(notebook: Notebook): PlotlyFigure[] {
  return outputsOf(notebook).flatMap((output) => {
    const figure = output.data?.[PLOTLY_MIME];
    return figure === undefined ? [] : [figure as PlotlyFigure];
  });
}

describe("executed notebooks in headless Chromium", { skip: skipReason() }, () => {
  const dir = runDir ?? "";
  let htmlDir = "";
  let browser: Browser | undefined;

  before(async () => {
    htmlDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-html-"));
    execFileSync(
      path.join(__dirname, "..", "..", ".venv", "bin", "jupyter"),
      [...NBCONVERT_HTML, "--output-dir", htmlDir, ...notebookFiles.map((f) => path.join(dir, f))],
      { stdio: "pipe" },
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (htmlDir) fs.rmSync(htmlDir, { recursive: true, force: true });
  });

  async function withPage(check: (page: Page, problems: string[]) => Promise<void>): Promise<void> {
    assert.ok(browser, "Chromium did not start");
    const { context, page, problems } = await guardedPage(browser);
    try {
      await check(page, problems);
    } finally {
      await context.close();
    }
  }

  for (const file of notebookFiles) {
    const notebook = readNotebook(path.join(dir, file));

    it(`${file}: the HTML export shows every image, without errors or network access`, () =>
      withPage(async (page, problems) => {
        const html = path.join(htmlDir, file.replace(/\.ipynb$/, ".html"));
        await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
        const images = await page.$$eval("img", (imgs) =>
          imgs.map((img) => ({
            src: img.src.slice(0, 80),
            loaded: img.complete && img.naturalWidth > 0,
          })),
        );
        // One comparison, so that a failure shows everything that went wrong at once.
        assert.deepEqual(
          {
            images: images.length,
            notLoaded: images.filter((img) => !img.loaded).map((img) => img.src),
            problems,
          },
          { images: pngCount(notebook), notLoaded: [], problems: [] },
          "one decoded <img> per image/png output, and no errors or network requests",
        );
      }));

    plotlyFigures(notebook).forEach((figure, index) => {
      it(`${file}: Plotly figure ${index + 1} renders its ${figure.data.length} traces`, () =>
        withPage(async (page, problems) => {
          await page.setContent('<div id="plot"></div>');
          await page.addScriptTag({ path: PLOTLY_JS });
          const traces = await page.evaluate(async (fig) => {
            const root = document.getElementById("plot") as HTMLElement;
            await (window as unknown as { Plotly: PlotlyGlobal }).Plotly.newPlot(
              root,
              fig.data,
              fig.layout,
            );
            // Each trace gets a <g class="trace"> in its type's layer (scatterlayer, barlayer, ...).
            return root.querySelectorAll("svg.main-svg g.trace").length;
          }, figure);
          assert.equal(traces, figure.data.length, "traces drawn in the Plotly SVG");
          assert.deepEqual(problems, []);
        }));
    });
  }
});
