/**
 * Download a URL to a file atomically: bytes go to a temporary file beside the destination, are checked,
 * and only then renamed into place, so an interrupted or failed download never leaves a half-written
 * file where a later run would find and trust it.
 */
import * as fs from "fs";
import * as path from "path";
import { FileProblemError, hideFields, ReaderError } from "../errors";
import { makeDirs, tempPathFor } from "../files";
import { formatDuration, formatRate } from "../format";

/** How far a download has got, for a progress line. */
export interface DownloadProgress {
  url: string;
  received: number;
  /** From Content-Length; undefined when the server does not say. */
  total?: number;
  /** The average rate so far. */
  bytesPerSecond: number;
  /** At that rate, how long the rest takes; undefined when the size is unknown. */
  secondsLeft?: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Abandon the download when fewer than `minBytesPerWindow` bytes arrive within this long (default 30 s):
   * a connection that trickles is as stuck as a silent one.
   */
  stallWindowMs?: number;
  /** Default 16 KiB: dial-up speed. */
  minBytesPerWindow?: number;
  /**
   * The most bytes the file may have: a server that sends more (an endless body, the wrong file) is cut
   * off there, and a Content-Length above it is refused before anything is written.
   */
  maxBytes?: number;
  /**
   * Give up when, after `minObservationMs` (default a minute), the average rate so far would take longer
   * than this to fetch the rest (default an hour): a trickle that stays above the stall limit would
   * otherwise go on for hours. The size is Content-Length or, where the server does not say, `maxBytes`.
   */
  maxSecondsLeft?: number;
  minObservationMs?: number;
  /** Inspect the complete temporary file before it is renamed into place; throw to reject it. */
  validate?: (tempFile: string) => Promise<void> | void;
  /** What to do when the source is at fault (too slow, too large, not the file): a mirror, another copy. */
  advice?: string;
}

class DownloadError extends ReaderError {
  declare readonly url: string;

  constructor(url: string, problem: string) {
    super(`download of ${url} failed: ${problem}`);
    hideFields<DownloadError>(this, { url });
  }
}

export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const {
    onProgress,
    stallWindowMs = 30_000,
    minBytesPerWindow = 16 * 1024,
    maxBytes = Infinity,
    maxSecondsLeft = 3600,
    minObservationMs = 60_000,
    validate,
    advice = "try again later",
  } = options;
  await makeDirs(path.dirname(dest));
  const temp = tempPathFor(dest);
  const abort = new AbortController();
  let received = 0;
  let receivedBeforeWindow = 0;
  let total: number | undefined;
  const started = Date.now();
  const rate = () => received / Math.max(1e-3, (Date.now() - started) / 1000);
  const secondsLeft = () => {
    const size = total ?? maxBytes;
    return Number.isFinite(size)
      ? Math.max(0, size - received) / Math.max(rate(), 1e-9)
      : undefined;
  };
  const stallCheck = setInterval(() => {
    const progress = received - receivedBeforeWindow;
    receivedBeforeWindow = received;
    if (progress < minBytesPerWindow) {
      abort.abort(
        new Error(
          `stalled: ${progress} bytes in the last ${stallWindowMs / 1000} s (after ${received} in all)`,
        ),
      );
      return;
    }
    const left = secondsLeft();
    if (Date.now() - started >= minObservationMs && left !== undefined && left > maxSecondsLeft) {
      abort.abort(
        new Error(
          `too slow: ${formatRate(rate())} on average over ${formatDuration((Date.now() - started) / 1000)}, ` +
            `so the rest would take about ${formatDuration(left)} (more than ${formatDuration(maxSecondsLeft)}); ${advice}`,
        ),
      );
    }
  }, stallWindowMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: abort.signal, redirect: "follow" });
    } catch (error) {
      throw new DownloadError(url, describeFetchError(error, abort.signal));
    }
    if (!response.ok || response.body === null) {
      throw new DownloadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const header = response.headers.get("content-length");
    total = header === null ? undefined : Number(header);
    const tooLarge = (bytes: number) =>
      `it sends more than the ${maxBytes} bytes this file can have (${bytes} bytes); ${advice}`;
    if (total !== undefined && total > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new DownloadError(url, tooLarge(total));
    }
    const out = await fs.promises.open(temp, "w");
    try {
      const reader = response.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          const why = describeFetchError(error, abort.signal);
          // Given up on (stalled, too slow): that is the reason, not a lost connection.
          throw new DownloadError(
            url,
            abort.signal.aborted ? why : `connection lost after ${received} bytes (${why})`,
          );
        }
        if (chunk.done) break;
        received += chunk.value.length;
        if (received > maxBytes) {
          await reader.cancel().catch(() => {});
          throw new DownloadError(url, tooLarge(received));
        }
        await out.write(chunk.value);
        onProgress?.({ url, received, total, bytesPerSecond: rate(), secondsLeft: secondsLeft() });
      }
    } finally {
      await out.close();
    }
    if (total !== undefined && received !== total) {
      throw new DownloadError(url, `connection closed after ${received} of ${total} bytes`);
    }
    try {
      await validate?.(temp);
    } catch (error) {
      // The file's own advice (delete a cached copy) does not fit a download: this one's does.
      const problem =
        error instanceof FileProblemError
          ? `${error.file}: ${error.problem}`
          : (error as Error).message;
      throw new DownloadError(url, `what it sent is not the expected file (${problem}); ${advice}`);
    }
    await fs.promises.rename(temp, dest);
  } finally {
    clearInterval(stallCheck);
    await fs.promises.rm(temp, { force: true });
  }
}

/**
 * fetch() hides the useful part ("ECONNREFUSED", "terminated", …) in `cause`; an abort's reason (the
 * stall) is the signal's.
 */
function describeFetchError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason.message;
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : cause !== undefined ? String(cause) : "";
  return detail && detail !== error.message ? `${error.message}: ${detail}` : error.message;
}
