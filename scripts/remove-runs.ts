/**
 * `remove-runs.ts DIR`: delete the run folders in DIR, as the test command does with its own runs before a
 * fresh smoke run. Refuses, deleting nothing, while any of them is being trained (its lock is live).
 */
import { removeRunFolders } from "../lib/training";
import { runCommand } from "./command";

runCommand(async () => {
  const [dir, ...rest] = process.argv.slice(2);
  if (dir === undefined || rest.length > 0) throw new Error("usage: remove-runs.ts DIR");
  await removeRunFolders(dir);
});
