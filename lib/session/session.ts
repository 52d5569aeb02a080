/**
 * What every notebook does first: pick the backend and the run profile, say both, and know where the
 * profile's results live. Also the data a profile trains and tests on.
 */
import * as os from "os";
import { cpuCores, initBackend } from "../backend";
import type { BackendInfo } from "../backend";
import { loadFashionMnist } from "../data";
import type { FashionMnist } from "../data";
import { runDirFor } from "../paths";
import { checkSettings } from "../settings";
import { downloadProgressOnStderr } from "../terminal";
import { chooseProfile, describeProfile } from "./profile";
import type { Profile } from "./profile";

export interface Session {
  backend: BackendInfo;
  profile: Profile;
  /** Why this profile (environment variable, or the backend's default). */
  reason: string;
  /** data/runs/<profile>: the trained model, history and pictures of this profile's run. */
  runDir: string;
}

/** Every notebook must run with the profile notebook 3 trained, so the advice changes it for all of them. */
const HOW_TO_CHANGE_PROFILE =
  "Change it: start Jupyter with FMNIST_PROFILE=full, quick or smoke " +
  "(FMNIST_PROFILE=quick npm run lab), then run the notebooks from 03-training on";

export async function startSession(log: (line: string) => void = console.log): Promise<Session> {
  checkSettings();
  const backend = await initBackend();
  const { profile, reason } = chooseProfile(backend);
  log(`Profile  ${describeProfile(profile)} — ${reason}`);
  log(`         ${HOW_TO_CHANGE_PROFILE}`);
  log(`Backend  ${backend.label}`);
  if (backend.note) log(`         ${backend.note}`);
  log(`Mode     ${backend.mode}`);
  log(`Machine  ${describeMachine()}`);
  return { backend, profile, reason, runDir: runDirFor(profile.name) };
}

/** The machine the figures below come from: CPU model, cores, memory and system, e.g. for timings. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, " ").trim() || "unknown CPU";
  const memory = Math.round(os.totalmem() / 2 ** 30);
  return `${model}, ${cpuCores()} cores, ${memory} GiB, ${os.type()} ${os.arch()}, Node.js ${process.versions.node}`;
}

/** The profile's examples: the whole dataset for `full`, a seeded random subset otherwise. */
export function loadProfileData(profile: Profile): Promise<FashionMnist> {
  return loadFashionMnist({
    limitTrain: profile.trainExamples,
    limitTest: profile.testExamples,
    seed: profile.seed,
    onDownloadProgress: downloadProgressOnStderr(),
  });
}
