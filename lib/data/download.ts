/**
 * Download a URL to a file atomically: bytes go to a temporary file beside the destination, are checked,
 * and only then renamed into place, so an interrupted or failed download never leaves a half-written
 * file where a later run would find and trust it.
 */
import * as fs from "fs";
import * as path from "path";
import { tempPathFor } from "../files";
import type { DownloadProgress } from "../notebook/progress";

export type { DownloadProgress } from "../notebook/progress";

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Abort when no bytes arrive for this long (default 30 s). */
  idleTimeoutMs?: number;
  /** Inspect the complete temporary file before it is renamed into place; throw to reject it. */
  validate?: (tempFile: string) => Promise<void> | void;
}

export class DownloadError extends Error {
  constructor(
    readonly url: string,
    problem: string,
  ) {
    super(`download of ${url} failed: ${problem}`);
    this.name = "DownloadError";
  }
}

export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const { onProgress, idleTimeoutMs = 30_000, validate } = options;
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const temp = tempPathFor(dest);
  const abort = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  const resetIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => abort.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)),
      idleTimeoutMs,
    );
  };
  try {
    resetIdleTimer();
    let response: Response;
    try {
      response = await fetch(url, { signal: abort.signal, redirect: "follow" });
    } catch (error) {
      throw new DownloadError(url, describeFetchError(error));
    }
    if (!response.ok || response.body === null) {
      throw new DownloadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const header = response.headers.get("content-length");
    const total = header === null ? undefined : Number(header);
    const out = await fs.promises.open(temp, "w");
    let received = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw new DownloadError(
            url,
            `connection lost after ${received} bytes (${describeFetchError(error)})`,
          );
        }
        if (chunk.done) break;
        resetIdleTimer();
        await out.write(chunk.value);
        received += chunk.value.length;
        onProgress?.({ url, received, total });
      }
    } finally {
      await out.close();
    }
    if (total !== undefined && received !== total) {
      throw new DownloadError(url, `connection closed after ${received} of ${total} bytes`);
    }
    await validate?.(temp);
    await fs.promises.rename(temp, dest);
  } finally {
    clearTimeout(idleTimer);
    await fs.promises.rm(temp, { force: true });
  }
}

/** fetch() hides the useful part ("ECONNREFUSED", "terminated", …) in `cause`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : cause !== undefined ? String(cause) : "";
  return detail && detail !== error.message ? `${error.message}: ${detail}` : error.message;
}
