/**
 * Temporary folders for a test file, all removed when the file's tests are done (also when they fail).
 * Call `temporaryDirs()` at the top level of the test file; it registers its own `after` hook.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after } from "node:test";

export function temporaryDirs(prefix: string): () => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
