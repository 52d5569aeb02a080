/** The mime type of a Plotly figure in a notebook output (Plotly's JupyterLab renderer reads it). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
