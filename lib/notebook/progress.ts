/**
 * Progress bars for terminals (stderr): the dataset download and the training epochs. In a notebook the
 * training shows a live chart instead, and downloads print a line now and then; a notebook run headlessly
 * can also report to the terminal that started its kernel.
 */
import * as fs from "fs";
import { inTslab } from "./display";
import { terminalProgressSetting } from "../settings";

const BAR_WIDTH = 30;

/** `[=========.....................]` for a fraction from 0 to 1. */
function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"=".repeat(filled)}${".".repeat(width - filled)}]`;
}

/**
 * A writer of `\r`-overwritten lines on stderr that skips updates closer than `intervalMs` apart; the
 * last update (`last`) is always written, and ends the line when `newline` is set.
 */
function throttledLine(
  intervalMs: number,
): (line: string, last: boolean, newline?: boolean) => void {
  let writtenAt = 0;
  return (line, last, newline = false) => {
    const now = Date.now();
    if (!last && now - writtenAt < intervalMs) return;
    writtenAt = now;
    process.stderr.write(`\r${line}${newline ? "\n" : ""}`);
  };
}

export interface DownloadProgress {
  url: string;
  received: number;
  /** From Content-Length; undefined when the server does not say. */
  total?: number;
}

/** One line for a download: a bar when the size is known, a byte count otherwise. */
function downloadProgressLine({ url, received, total }: DownloadProgress): string {
  const name = url.slice(url.lastIndexOf("/") + 1);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (total === undefined || total === 0) return `${name}: ${mb(received)} MB`;
  const fraction = Math.min(1, received / total);
  return `${name} ${progressBar(fraction)} ${(fraction * 100).toFixed(0).padStart(3)}% of ${mb(total)} MB`;
}

/** Download progress on stderr, at most four updates a second. */
export function downloadProgressOnStderr(): (progress: DownloadProgress) => void {
  const write = throttledLine(250);
  return (progress) => {
    const done = progress.total !== undefined && progress.received >= progress.total;
    write(downloadProgressLine(progress), done, done);
  };
}

/**
 * The training progress bar on stderr, `Epoch 3 [=====.....] 120/563`, at most five updates a second.
 * Called with batch 0 it clears the line, so that the epoch's summary line can be printed in its place.
 */
export function trainingProgressBar(): (batch: number, total: number, epoch: number) => void {
  const write = throttledLine(200);
  return (batch, total, epoch) => {
    if (batch === 0) return void process.stderr.write("\r\x1b[K");
    // No newline after the last batch: the epoch's summary line replaces the finished bar (see above).
    write(`Epoch ${epoch + 1} ${progressBar(batch / total)} ${batch}/${total}`, batch >= total);
  };
}

/**
 * Where a notebook's kernel reports progress to the terminal it was started from, when
 * FMNIST_TERMINAL_PROGRESS=1 (else undefined). tslab sends `process.stderr` into the running cell, so the
 * line goes to file descriptor 2 itself, which the kernel inherited from `jupyter nbconvert`.
 */
export function kernelTerminal(): ((line: string) => void) | undefined {
  if (!inTslab() || !terminalProgressSetting()) return undefined;
  return (line) => fs.writeSync(2, `${line}\n`);
}
