/**
 * The main job's times: `scripts/run-notebooks.sh --in-place` calls this with each notebook's seconds
 * (`01-dataset=12 02-model=9 …`), and it writes them, with the date, commit and machine, to a new
 * data/benchmarks/tutorial-<profile>-<date>.json (`-2` and on when the day has one: never over an earlier
 * file). run-notebooks.sh calls it only once every notebook has run, so a job cut short records nothing.
 * On a work tree with uncommitted changes nothing is recorded (the times could not name the code they ran).
 */
import * as path from "path";
import { initBackend } from "../lib/backend";
import { chooseProfile } from "../lib/session";
import { ReaderError } from "../lib/errors";
import { runCommand } from "./command";
import { writeDatedFigures } from "./dated-figures";

async function main(): Promise<void> {
  const seconds = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const [name, value] = arg.split("=");
      if (!name || !/^\d+$/.test(value ?? "")) throw new Error(`not NAME=SECONDS: ${arg}`);
      return [name, Number(value)];
    }),
  );
  const { profile } = chooseProfile(await initBackend());
  let file: string;
  try {
    // The notebooks were just executed in place, and earlier measurements may be uncommitted.
    file = await writeDatedFigures(
      `tutorial-${profile.name}`,
      {
        profile: profile.name,
        command: "npm run tutorial",
        finished: new Date().toISOString(),
        seconds,
        total: Object.values(seconds).reduce((a, b) => a + b, 0),
      },
      ["notebooks", "data/benchmarks"],
    );
  } catch (error) {
    if (!(error instanceof ReaderError)) throw error;
    // The notebooks ran; only their times cannot be dated to a commit.
    console.error(`[notebooks] times not recorded: ${error.message}`);
    return;
  }
  console.error(`[notebooks] times written to ${path.relative(process.cwd(), file)}`);
}

runCommand(main);
