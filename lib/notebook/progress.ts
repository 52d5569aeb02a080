/**
 * The training's progress in terminals (stderr): a bar per epoch. In a notebook the training shows a live
 * chart instead; a notebook run headlessly can also report to the terminal that started its kernel.
 */
import * as fs from "fs";
import { inTslab } from "./display";
import { terminalProgressSetting } from "../settings";
import { progressBar, throttledLine } from "../terminal";

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
