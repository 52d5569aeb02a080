/**
 * Rich output from a tslab cell: PNG, HTML, or one output carrying several mime types at once
 * (e.g. an interactive Plotly figure plus a PNG fallback for viewers without the Plotly renderer).
 *
 * tslab's public `display.raw(type, value)` sends exactly one mime type per output, and only as a string,
 * so a multi-mime bundle has to go through the writer tslab keeps for the running cell:
 * `lastWriteDisplayData` in `tslab/dist/jupyter.js`, a function `(content, update) => void` that sends
 * `content` (`{data, metadata, transient}`) as a Jupyter `display_data` (or `update_display_data`) message.
 *
 * Outside tslab (plain node, ts-node, scripts) nothing is displayed and nothing throws.
 */
import { randomBytes } from "crypto";

import type { MimeBundle } from "../mime";

type WriteDisplayData = (
  content: {
    data: Record<string, string | object>;
    metadata: Record<string, unknown>;
    transient: { display_id?: string };
  },
  update: boolean,
) => void;

interface TslabJupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

/**
 * tslab's executor sets `globalThis.__tslab__` (its exports/require bridge) before running any cell,
 * and nothing else does; checking it never loads tslab, which would pull in its bundled TypeScript compiler.
 */
export function inTslab(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}

let jupyterModule: TslabJupyterModule | null | undefined;

/**
 * The kernel's own `jupyter.js` module is already in the require cache. Looking it up there (instead of
 * `require("tslab/dist/jupyter")`) finds the instance the kernel writes to even when the kernel runs from
 * another tslab copy (e.g. a global install), where a fresh require would load a second, never-ready module.
 */
function kernelJupyterModule(): TslabJupyterModule | null {
  if (jupyterModule !== undefined) return jupyterModule;
  jupyterModule = null;
  for (const mod of Object.values(require.cache)) {
    if (
      mod &&
      /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(mod.filename) &&
      "lastWriteDisplayData" in mod.exports
    ) {
      jupyterModule = mod.exports as TslabJupyterModule;
      break;
    }
  }
  return jupyterModule;
}

function toWire(bundle: MimeBundle): Record<string, string | object> {
  const data: Record<string, string | object> = {};
  for (const [mime, value] of Object.entries(bundle)) {
    data[mime] =
      value instanceof Uint8Array
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")
        : value;
  }
  return data;
}

function emit(
  bundle: MimeBundle,
  metadata: Record<string, unknown>,
  displayId: string | undefined,
  update: boolean,
): void {
  if (!inTslab()) return;
  // Re-read on every call: tslab replaces the writer for each executed cell, so output goes to the current one.
  const write = kernelJupyterModule()?.lastWriteDisplayData;
  write?.(
    {
      data: toWire(bundle),
      metadata,
      transient: displayId === undefined ? {} : { display_id: displayId },
    },
    update,
  );
}

// The show* functions return nothing on purpose: a value left as a cell's last expression would be printed by tslab.

/** One output with several representations; the frontend picks the richest it can render. */
export function showMulti(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  emit(bundle, metadata, undefined, false);
}

export function showPng(png: Uint8Array, size?: { width: number; height: number }): void {
  showMulti({ "image/png": png }, size ? { "image/png": size } : {});
}

/** A photographic picture, as JPEG (notebook 6's preprocessing steps). */
export function showJpeg(jpeg: Uint8Array): void {
  showMulti({ "image/jpeg": jpeg });
}

export function showHtml(html: string): void {
  showMulti({ "text/html": html });
}

export interface LiveDisplay {
  /** The first call creates the output; later calls replace it in place (e.g. a chart redrawn every epoch). */
  show(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

export function liveDisplay(): LiveDisplay {
  const id = randomBytes(8).toString("hex");
  let shown = false;
  return {
    show(bundle, metadata = {}) {
      emit(bundle, metadata, id, shown);
      shown = true;
    },
  };
}
