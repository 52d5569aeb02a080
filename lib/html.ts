/** Small, self-contained HTML tables for inline notebook output (inline styles only: no CSS to fetch). */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export const thousands = (n: number) => n.toLocaleString("en-US");

export interface TableOptions {
  /** Columns (by index) whose cells are right-aligned, e.g. numbers. */
  numeric?: number[];
  /** Rows (by index) drawn bold, e.g. totals. */
  bold?: number[];
  caption?: string;
}

export function htmlTable(
  header: string[],
  rows: (string | number)[][],
  options: TableOptions = {},
): string {
  const numeric = new Set(options.numeric ?? []);
  const bold = new Set(options.bold ?? []);
  const style = (col: number, rowBold = false) =>
    `style="text-align:${numeric.has(col) ? "right" : "left"};padding:2px 10px${rowBold ? ";font-weight:bold" : ""}"`;
  const text = (v: string | number) => escapeHtml(typeof v === "number" ? thousands(v) : v);
  const head = header.map((h, c) => `<th ${style(c)}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row, r) =>
        `<tr>${row.map((v, c) => `<td ${style(c, bold.has(r))}>${text(v)}</td>`).join("")}</tr>`,
    )
    .join("");
  const caption = options.caption
    ? `<caption style="caption-side:top;text-align:left">${escapeHtml(options.caption)}</caption>`
    : "";
  const table = `<table style="border-collapse:collapse;font-family:monospace">`;
  return `${table}${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
