/** Fail (exit 1) with the real error messages when an executed notebook has errors. */
import { errorsIn, readNotebook } from "./notebook-checks";

let failed = false;
for (const file of process.argv.slice(2)) {
  const errors = errorsIn(readNotebook(file));
  if (errors.length > 0) {
    failed = true;
    console.error(`${file}: ${errors.length} error output(s):\n${errors.join("\n")}`);
  }
}
process.exit(failed ? 1 : 0);
