/**
 * Numbers and lists in words the same way everywhere: durations, transfer rates, "a, b and c". (At the
 * bottom of lib/, so that no step imports another only for these.)
 */

/** "45s", "3m 05s", "12h 30m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** A learning rate, three significant digits and no exponent: "0.0100", "0.00571", "0.000506". */
export function formatLearningRate(rate: number): string {
  return rate >= 1e-6 || rate === 0 ? rate.toPrecision(3) : rate.toFixed(9);
}

/** "1 epoch", "1,875 batches": a count and its noun, never "epoch(s)". */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : plural}`;
}

/** "0.6 KB/s", "2.4 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6
    ? `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`
    : `${(bytesPerSecond / 1e3).toFixed(1)} KB/s`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
