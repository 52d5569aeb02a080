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

export async function startSession(log: (line: string) => void = console.log): Promise<Session> {
  checkSettings();
  const backend = await initBackend();
  const { profile, reason } = chooseProfile(backend);
  // Every notebook runs with the profile notebook 3 trained: README's "Run profiles" says how to change it.
  log(`Profile  ${describeProfile(profile)} — ${reason} (README: "Run profiles")`);
  log(`Backend  ${backend.label}, ${backend.mode}`);
  if (backend.note) log(`         ${backend.note}`);
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
