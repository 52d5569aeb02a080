/**
 * A server for the page's files (kept in memory: nothing is written), on 127.0.0.1 only: what `npm run web`
 * starts, and what notebook 7 and the tests open in Chromium.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".bin": "application/octet-stream",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** A client that stops reading is dropped after this long, not waited for forever. */
const IDLE_TIMEOUT_MS = 30_000;

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `files` (by their path in the page's folder) at http://127.0.0.1:`port`/ (port 0: any free one). */
export function servePage(
  files: Readonly<Record<string, Uint8Array | string>>,
  port = 0,
): Promise<PageServer> {
  const server = http.createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let name = new URL(request.url ?? "/", "http://127.0.0.1").pathname.slice(1);
    if (name === "" || name.endsWith("/")) name += "index.html";
    const body = Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined;
    if (body === undefined) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    response.writeHead(200, {
      "Content-Type": CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  server.setTimeout(IDLE_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
