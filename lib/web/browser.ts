/**
 * The page in Debian's Chromium, headless, driven by playwright-core (which never downloads a browser of its
 * own): notebook 7's screenshot and its Node-versus-browser table, and the tests. Every request that would
 * leave 127.0.0.1 is refused and recorded.
 */
import * as fs from "fs";
import * as path from "path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { ReaderError } from "../errors";

const CHROMIUM = "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps trying to reach Google services (refused here).
// Playwright gives every launch a fresh temporary profile, so no --user-data-dir is needed.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Longest wait for the page to start (bundle, backend, model) or to classify one photo. */
const PAGE_TIMEOUT_MS = 120_000;

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new ReaderError(
      `${CHROMIUM} is missing: install Debian's Chromium (sudo apt-get install chromium, as scripts/setup.sh does)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    timeout: PAGE_TIMEOUT_MS,
  });
}

export interface OpenPage {
  page: Page;
  /** The TensorFlow.js backend the page chose. */
  backend: string;
  /** The page's own line: model, TensorFlow.js version, backend, time to load the model. */
  status: string;
  /** Requests that would have left 127.0.0.1 (refused). */
  offsite: string[];
  /** Errors the page's scripts threw. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Open the page at `url` in headless Chromium and wait until its model is loaded. */
export async function openPage(url: string): Promise<OpenPage> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    const offsite: string[] = [];
    await context.route("**/*", (route) => {
      const target = new URL(route.request().url());
      if (target.hostname === "127.0.0.1") return route.continue();
      offsite.push(target.href);
      return route.abort();
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(url, { timeout: PAGE_TIMEOUT_MS });
    await page.waitForSelector("body[data-ready]", { timeout: PAGE_TIMEOUT_MS });
    const status = (await page.textContent("#status")) ?? "";
    if ((await page.getAttribute("body", "data-ready")) !== "true") throw new Error(status);
    const backend = (await page.getAttribute("#status", "data-backend")) ?? "unknown";
    return { page, backend, status, offsite, pageErrors, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export interface PageAnswer {
  file: string;
  /** One probability per class, as the page computed them; empty when the page showed an error. */
  probabilities: number[];
  /** The page's error message, or "". */
  error: string;
  /** How long the page took, as it shows it. */
  time: string;
}

/** Give the page `file` through its file picker, as a reader would, and read its answer. */
export async function classifyInPage(page: Page, file: string): Promise<PageAnswer> {
  const name = path.basename(file);
  await page.setInputFiles("#file", file);
  // Plain selectors rather than functions run in the page: the tslab kernel compiles lib/ without DOM types.
  const result = (state: string) =>
    `#result[data-file=${JSON.stringify(name)}][data-state="${state}"]`;
  await page.waitForSelector(`${result("done")}, ${result("error")}`, { timeout: PAGE_TIMEOUT_MS });
  const values = await page.locator("#all-classes data").all();
  const answer = {
    probabilities: await Promise.all(
      values.map(async (value) => Number(await value.getAttribute("value"))),
    ),
    error: (await page.textContent("#error")) ?? "",
    time: (await page.textContent("#classify-time")) ?? "",
  };
  return { file: name, ...answer };
}
