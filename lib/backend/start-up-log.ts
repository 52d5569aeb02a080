/**
 * TensorFlow's library logs notes (oneDNN, CPU features) to standard error while it loads, before its
 * logging has read TF_CPP_MIN_LOG_LEVEL, so the setting cannot hide them. `requireWithStartUpLog` loads a
 * module with standard error captured (a small addon that set-up builds: native/stderr-capture), then
 * passes on what TF_CPP_MIN_LOG_LEVEL lets through. Without the addon the module loads as it is.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the addon and the module are found at run time */
import * as fs from "fs";
import * as path from "path";
import { withPrivateTempDir } from "../files";
import { PROJECT_ROOT } from "../paths";

interface StderrCapture {
  begin(file: string): number;
  end(saved: number): void;
}

const ADDON = path.join(PROJECT_ROOT, "native/stderr-capture/build/Release/stderr_capture.node");

// absl's record header: severity letter, date, time, thread, file:line]. The letters by TensorFlow's levels.
const RECORD = /^([IWEF])\d{4} [\d:.]+ +\d+ [^\]]+\] /;
const SEVERITIES = "IWEF";
const ABSL_PREAMBLE = /^WARNING: All log messages before absl::InitializeLog\(\) is called/;

/**
 * The lines of `text` that TF_CPP_MIN_LOG_LEVEL (0: all, 1: no INFO, 2: no WARNING either, 3: no ERROR
 * either) lets through: a record's continuation lines go with it, and absl's note on logging before its
 * set-up goes once anything is hidden. Lines that are not TensorFlow's pass.
 */
function filterStartUpLog(text: string, minLevel: number): string {
  if (minLevel <= 0) return text;
  let keepRecord = true;
  const kept = text.split(/(?<=\n)/).filter((line) => {
    if (ABSL_PREAMBLE.test(line)) return false;
    const record = RECORD.exec(line);
    if (record) keepRecord = SEVERITIES.indexOf(record[1]) >= minLevel;
    return keepRecord;
  });
  return kept.join("");
}

function minLogLevel(): number {
  const level = Number(process.env.TF_CPP_MIN_LOG_LEVEL ?? "0");
  return Number.isInteger(level) ? level : 0;
}

/** `require(id)`, with TensorFlow's start-up notes below TF_CPP_MIN_LOG_LEVEL left out of standard error. */
export function requireWithStartUpLog(id: string): unknown {
  if (!fs.existsSync(ADDON)) return require(id);
  const capture = require(ADDON) as StderrCapture;
  return withPrivateTempDir("start-up-log", (dir) => {
    const file = path.join(dir, "stderr");
    const saved = capture.begin(file);
    try {
      return require(id);
    } finally {
      capture.end(saved);
      const passed = filterStartUpLog(fs.readFileSync(file, "utf8"), minLogLevel());
      if (passed) process.stderr.write(passed);
    }
  });
}
