/**
 * A rich output as Jupyter takes it: one value per mime type. Plots make them, notebook/ shows them.
 */

/** Values of a bundle: text, a JSON-able object (e.g. a Plotly figure), or bytes (sent base64-encoded). */
type MimeValue = string | Uint8Array | object;
export type MimeBundle = Record<string, MimeValue>;
