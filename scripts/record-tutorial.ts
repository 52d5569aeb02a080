/**
 * The main job's times: `scripts/run-notebooks.sh --in-place` calls this with each notebook's seconds
 * (`01-dataset=12 02-model=9 …`), and it adds them as one run to
 * data/benchmarks/tutorial-<profile>-<date>.json, with the date, commit and machine. A run that a stop cut short and that was started again
 * adds a second run to the same day's file: the job's time is then the sum of its runs. On a work tree with
 * uncommitted changes nothing is recorded (the times could not name the code they ran).
 */
import * as fs from "fs";
import * as path from "path";
import { initBackend } from "../lib/backend";
import { writeFileAtomic } from "../lib/files";
import { BENCHMARKS_DIR } from "../lib/paths";
import { chooseProfile, describeMachine } from "../lib/session";
import { projectCommit, runCommand } from "./command";

interface TutorialTimes {
  date: string;
  machine: string;
  profile: string;
  command: string;
  runs: { commit: string; finished: string; seconds: Record<string, number>; total: number }[];
}

async function main(): Promise<void> {
  const seconds = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const [name, value] = arg.split("=");
      if (!name || !/^\d+$/.test(value ?? "")) throw new Error(`not NAME=SECONDS: ${arg}`);
      return [name, Number(value)];
    }),
  );
  let commit: string;
  try {
    commit = projectCommit(["notebooks", "data/benchmarks"]);
  } catch (error) {
    // The notebooks ran; only their times cannot be dated to a commit.
    console.error(`[notebooks] times not recorded: ${(error as Error).message}`);
    return;
  }
  const { profile } = chooseProfile(await initBackend());
  const date = new Date().toISOString().slice(0, 10);
  const file = path.join(BENCHMARKS_DIR, `tutorial-${profile.name}-${date}.json`);
  const earlier = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as TutorialTimes)
    : undefined;
  const sameJob = earlier?.machine === describeMachine();
  const times: TutorialTimes = {
    date,
    machine: describeMachine(),
    profile: profile.name,
    command: "npm run tutorial",
    runs: [
      ...(sameJob ? earlier.runs : []),
      {
        commit,
        finished: new Date().toISOString(),
        seconds,
        total: Object.values(seconds).reduce((a, b) => a + b, 0),
      },
    ],
  };
  await writeFileAtomic(file, `${JSON.stringify(times, null, 1)}\n`);
  console.error(`[notebooks] times written to ${path.relative(process.cwd(), file)}`);
}

runCommand(main);
