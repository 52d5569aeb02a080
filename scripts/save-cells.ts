/**
 * `npm run save-cells`: write the code cells marked `// @save lib/…` into their lib files (saved-cells.ts),
 * each only when its text changes, and say which changed. With `--check` (CI) it writes nothing and fails
 * when a committed file differs from its cells.
 */
import * as path from "path";
import { ReaderError } from "../lib/errors";
import { writeFileAtomic } from "../lib/files";
import { runCommand } from "./command";
import { generatedFiles, staleFiles } from "./saved-cells";

async function main(): Promise<void> {
  const files = await generatedFiles();
  const stale = staleFiles(files);
  if (process.argv.includes("--check")) {
    if (stale.length > 0)
      throw new ReaderError(
        `save-cells: ${stale.join(", ")} ${stale.length === 1 ? "differs" : "differ"} from the notebook cells saved to ${stale.length === 1 ? "it" : "them"}: run npm run save-cells and commit the result`,
      );
    return;
  }
  for (const [file, text] of files) {
    if (!stale.includes(file)) continue;
    await writeFileAtomic(path.join(__dirname, "..", file), text);
    console.log(`save-cells: wrote ${file}`);
  }
}

runCommand(main);
