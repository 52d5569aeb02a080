/**
 * Fail (exit 1) with the real error messages when an executed notebook has errors, or with the lines that
 * are warnings or TensorFlow log records where the reader expects the tutorial's output only.
 */
import { counted } from "../lib/format";
import { errorsIn, noiseIn, readNotebook } from "./notebook-checks";

let failed = false;
for (const file of process.argv.slice(2)) {
  const notebook = readNotebook(file);
  const errors = errorsIn(notebook);
  if (errors.length > 0) {
    failed = true;
    console.error(`${file}: ${counted(errors.length, "error output")}:\n${errors.join("\n")}`);
  }
  const noise = noiseIn(notebook);
  if (noise.length > 0) {
    failed = true;
    console.error(`${file}: warnings or TensorFlow log lines in its output:\n${noise.join("\n")}`);
  }
}
process.exit(failed ? 1 : 0);
