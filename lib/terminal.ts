/**
 * Lines for terminals (stderr), overwritten in place: progress bars, and the dataset download's progress.
 * (Shared by the session, which loads the data, and notebook/, which shows the training's progress.)
 */
import type { DownloadProgress } from "./data";
import { formatDuration, formatRate } from "./format";

const BAR_WIDTH = 30;

/** `[=========.....................]` for a fraction from 0 to 1. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"=".repeat(filled)}${".".repeat(width - filled)}]`;
}

/**
 * A writer of `\r`-overwritten lines on stderr that skips updates closer than `intervalMs` apart; the
 * last update (`last`) is always written, and ends the line when `newline` is set.
 */
export function throttledLine(
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

/** One line for a download: a bar when the size is known, a byte count otherwise; its rate and time left. */
function downloadProgressLine(progress: DownloadProgress): string {
  const { url, received, total, bytesPerSecond, secondsLeft } = progress;
  const name = url.slice(url.lastIndexOf("/") + 1);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const speed = ` · ${formatRate(bytesPerSecond)}`;
  if (total === undefined || total === 0) return `${name}: ${mb(received)} MB${speed}`;
  const fraction = Math.min(1, received / total);
  const left =
    secondsLeft !== undefined && fraction < 1 ? ` · ${formatDuration(secondsLeft)} left` : "";
  return `${name} ${progressBar(fraction)} ${(fraction * 100).toFixed(0).padStart(3)}% of ${mb(total)} MB${speed}${left}`;
}

/** Download progress on stderr, at most four updates a second. */
export function downloadProgressOnStderr(): (progress: DownloadProgress) => void {
  const write = throttledLine(250);
  return (progress) => {
    const done = progress.total !== undefined && progress.received >= progress.total;
    write(downloadProgressLine(progress), done, done);
  };
}
