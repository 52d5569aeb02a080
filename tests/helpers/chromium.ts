/**
 * Whether the browser tests can run: they use Debian's Chromium, launched as lib/web launches it.
 */
import * as fs from "node:fs";

export { launchChromium } from "../../lib/web/browser";

const CHROMIUM = "/usr/bin/chromium";

/** Why a browser test cannot run here, or false. In CI a missing browser is a failure, not a skip. */
export function chromiumMissing(): string | false {
  if (!fs.existsSync(CHROMIUM) && !process.env.CI)
    return `${CHROMIUM} is missing (apt-get install chromium, or run scripts/setup.sh)`;
  return false;
}
