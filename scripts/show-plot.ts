/**
 * The training plot from a terminal: opens the same interactive Plotly figure the evaluation notebook shows,
 * via nodeplotlib (a local server and your browser). Usage: npm run plot [-- PROFILE]  (default: the
 * profile FMNIST_PROFILE or the backend would choose).
 */
import { plot } from "nodeplotlib";
import { plotlyFigure } from "../lib/plots";
import { PROFILES, startSession } from "../lib/session";
import type { ProfileName } from "../lib/session";
import { loadRunHistory } from "../lib/training";
import { runCommand } from "./command";

async function main(): Promise<void> {
  const requested = process.argv[2] as ProfileName | undefined;
  if (requested !== undefined && !(requested in PROFILES))
    throw new Error(`unknown profile '${requested}' (${Object.keys(PROFILES).join(", ")})`);
  const profile = requested ? PROFILES[requested] : (await startSession()).profile;
  const history = await loadRunHistory(profile);
  const figure = plotlyFigure(history);
  plot(figure.data, figure.layout);
  console.log(
    `Showing the ${profile.name} run's training plot in your browser (Ctrl+C to stop the server).`,
  );
}

runCommand(main);
