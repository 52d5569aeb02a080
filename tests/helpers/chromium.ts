/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which never downloads a browser of its own).
 */
import * as fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

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

/** Why a browser test cannot run here, or false. In CI a missing browser is a failure, not a skip. */
export function chromiumMissing(): string | false {
  if (!fs.existsSync(CHROMIUM) && !process.env.CI)
    return `${CHROMIUM} is missing (apt-get install chromium, or run scripts/setup.sh)`;
  return false;
}

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing; CI must run the browser checks (scripts/setup.sh installs chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
