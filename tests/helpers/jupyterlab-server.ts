/**
 * A JupyterLab server for a browser test: the project's .venv, 127.0.0.1 on a free port, a random token,
 * the project's kernelspec, and configuration, data and runtime folders of its own (a reader's ~/.jupyter
 * neither changes it nor is changed). `stop()` always ends it and its kernels.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
export const JUPYTER = path.join(ROOT, ".venv", "bin", "jupyter");

export interface JupyterLabServer {
  /** http://127.0.0.1:PORT */
  base: string;
  token: string;
  /** What the server printed so far (its log), for failure messages. */
  log(): string;
  /** GET or DELETE on the server's REST API. */
  api(method: "GET" | "DELETE", route: string): Promise<unknown>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The folder JupyterLab shows (its root_dir). */
  rootDir: string;
  /** Configuration, data and runtime folders go below this one. */
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** JupyterLab settings, by plugin id, written as the user's settings before the server starts. */
  settings?: Record<string, Record<string, unknown>>;
  startTimeoutMs?: number;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startJupyterLab(options: ServerOptions): Promise<JupyterLabServer> {
  const { rootDir, stateDir, startTimeoutMs = 90_000 } = options;
  const dirs = {
    JUPYTER_CONFIG_DIR: path.join(stateDir, "config"),
    JUPYTER_DATA_DIR: path.join(stateDir, "data"),
    JUPYTER_RUNTIME_DIR: path.join(stateDir, "runtime"),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  for (const [plugin, values] of Object.entries(options.settings ?? {})) {
    // "@jupyterlab/notebook-extension:tracker" lives in lab/user-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings
    const [pkg, name] = plugin.split(":");
    const file = path.join(
      dirs.JUPYTER_CONFIG_DIR,
      "lab",
      "user-settings",
      pkg,
      `${name}.jupyterlab-settings`,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(values));
  }

  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const base = `http://127.0.0.1:${port}`;
  const args = [
    "lab",
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    // Another free port is not looked for: the test must talk to the port it chose.
    "--ServerApp.port_retries=0",
    `--ServerApp.root_dir=${rootDir}`,
    // Nothing from the network: no news feed, no update check.
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  let output = "";
  const child = spawn(JUPYTER, args, {
    cwd: rootDir,
    // The token through the environment, so that it is not visible in the process list.
    env: { ...options.env, ...dirs, JUPYTER_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const api = async (method: "GET" | "DELETE", route: string): Promise<unknown> => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { Authorization: `token ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status}`);
    return method === "GET" ? response.json() : undefined;
  };

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The kernels first, through the API (as JupyterLab's own "Shut Down All" does), so none outlives the server.
    try {
      const kernels = (await api("GET", "/api/kernels")) as { id: string }[];
      await Promise.all(kernels.map((k) => api("DELETE", `/api/kernels/${k.id}`)));
    } catch {
      // The server may not answer any more; SIGTERM below still shuts its kernels down.
    }
    child.kill("SIGTERM");
    if (!(await exited(child, 20_000))) {
      child.kill("SIGKILL");
      await exited(child, 5_000);
    }
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`jupyter lab exited with code ${child.exitCode}:\n${output}`);
    }
    try {
      await api("GET", "/api/status");
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `jupyter lab did not answer on ${base} within ${startTimeoutMs} ms:\n${output}`,
        );
      }
      await sleep(500);
    }
  }
  return { base, token, log: () => output, api, stop };
}
