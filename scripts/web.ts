/**
 * `npm run web`: the model of the current profile's finished run in a web page, served on 127.0.0.1 until
 * Ctrl-C; `npm run web -- --out DIR` writes the same page as a static folder instead (notebook 7).
 */
import * as path from "path";
import { parseArgs } from "util";
import { ReaderError } from "../lib/errors";
import { startSession } from "../lib/session";
import { ARTICLE_VARIANT, disposeModel, IMPROVED_VARIANT, loadFinishedRun } from "../lib/training";
import { pageFiles, pageModelOf, servePage, writePage } from "../lib/web";
import { runCommand } from "./command";

const VARIANTS = { article: ARTICLE_VARIANT, improved: IMPROVED_VARIANT };

const USAGE = `Usage: npm run web [-- --variant article|improved] [--port N] [--out DIR]

Serves a page that classifies your photos in the browser with the model of the current profile's finished
run (FMNIST_PROFILE: full, quick or smoke), on http://127.0.0.1 only.

  --variant NAME   article (default): notebook 3's MiniVGGNet; improved: notebook 6's model
  --port N         the port to serve on (default 8080; 0 takes any free port)
  --out DIR        write the page as a static folder (model files included) instead of serving it
  --help           this text`;

interface WebOptions {
  variant: (typeof VARIANTS)[keyof typeof VARIANTS];
  port: number;
  out?: string;
}

function webOptions(args: string[]): WebOptions | undefined {
  let values: { variant?: string; port?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        variant: { type: "string" },
        port: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ReaderError(
      `npm run web: ${(error as Error).message.split(". ")[0]}; put -- before the script's flags (npm run web -- --help)`,
    );
  }
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const name = values.variant ?? "article";
  if (!Object.prototype.hasOwnProperty.call(VARIANTS, name))
    throw new ReaderError(`npm run web: --variant ${name}: choose article or improved`);
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ReaderError(`npm run web: --port ${values.port}: give a port number from 0 to 65535`);
  return { variant: VARIANTS[name as keyof typeof VARIANTS], port, out: values.out };
}

async function main(): Promise<void> {
  const options = webOptions(process.argv.slice(2));
  if (options === undefined) return;
  const session = await startSession();
  // Loading the run checks that it finished and that its model files are intact.
  const run = await loadFinishedRun(session.profile, options.variant);
  disposeModel(run.model);
  const model = pageModelOf(run);
  if (options.out !== undefined) {
    const out = path.resolve(options.out);
    await writePage(out, model);
    console.log(`Wrote the page to ${out}: serve that folder with any static web server.`);
    return;
  }
  const server = await servePage(await pageFiles(model), options.port).catch((error) => {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new ReaderError(
        `npm run web: port ${options.port} is in use; choose another: npm run web -- --port 8081 (or --port 0 for any free one)`,
      );
    throw error;
  });
  console.log(`Serving ${model.description} at ${server.url}  (Ctrl-C stops it)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
}

runCommand(main);
