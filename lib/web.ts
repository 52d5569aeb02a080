/**
 * Step 7, the model in a web page (notebook 7, `npm run web`): the page built as a static folder, a local
 * server for it, and headless Chromium to look at it.
 */
export { pageFiles, pageModelOf, writePage } from "./web/build";
export { classifyInPage, openPage } from "./web/browser";
export { servePage } from "./web/serve";
