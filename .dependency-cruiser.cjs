/**
 * The project's layers (`npm run lint`): lib/ has one folder per step, each reached through the entry
 * file beside it (lib/data.ts for lib/data/); the tutorial's steps — data, model, training, evaluation —
 * never reach into presentation (display, progress, plots), which reaches them through callbacks and
 * return values; nothing imports in a circle; scripts never import the tests. Notebooks and scripts use a
 * step through its entry file, which exports what they use; tests may import a step's files directly. The
 * web page (web/) runs in a browser: it imports only the lib/ files that run there too, and those import
 * nothing of Node's.
 */
const STEP_FOLDERS = "backend|data|model|training|evaluation|photos|plots|notebook|session|web";
/** The lib/ files the web page shares with Node: pure TypeScript, no Node module, no native package. */
const BROWSER_SAFE = [
  "^lib/(shape|errors)\\.ts$",
  "^lib/photos/(image-header|pipeline|steps|top-k)\\.ts$",
];

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "An import cycle (type-only ones included) ties two pieces that should stand apart.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "steps-stay-apart-from-presentation",
      comment:
        "data/, model/, training/ and evaluation/ return values and take callbacks; showing them is " +
        "notebook/'s and plots/' work.",
      severity: "error",
      from: {
        path: "^lib/(data|model|training|evaluation)(/|\\.ts$)",
      },
      to: { path: "^lib/(notebook|plots)(/|\\.ts$)" },
    },
    {
      name: "other-steps-through-their-entry-file",
      comment:
        "Another step's folder is reached through its entry file (../data, not ../data/shape): the " +
        "entry file is that step's surface.",
      severity: "error",
      from: { path: `^lib/(${STEP_FOLDERS})/` },
      to: {
        path: `^lib/(${STEP_FOLDERS})/`,
        pathNot: ["^lib/$1/"],
      },
    },
    {
      name: "backend-parts-through-their-entry-files",
      comment:
        "Graph mode, the native kernels and the wasm kernels are each reached through their entry file " +
        "(lib/backend/graph-mode.ts for lib/backend/graph-mode/), from the rest of backend/ too.",
      severity: "error",
      from: { path: "^lib/backend/([\\w-]+)" },
      to: {
        path: "^lib/backend/(graph-mode|native-kernels|wasm-kernels)/",
        pathNot: ["^lib/backend/$1/"],
      },
    },
    {
      name: "scripts-through-entry-files",
      comment:
        "Scripts use lib/ as the notebooks do, through the entry files (tests may reach a step's own files).",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: `^lib/(${STEP_FOLDERS})/` },
    },
    {
      name: "web-page-imports-browser-safe-lib",
      comment: "The page is bundled for the browser: lib/ files that need Node would not run there.",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^lib/", pathNot: BROWSER_SAFE },
    },
    {
      name: "browser-safe-lib-needs-no-node",
      comment: "The web page bundles these files: a Node module or a native package would break it.",
      severity: "error",
      from: { path: BROWSER_SAFE },
      to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-optional"] },
    },
    {
      name: "scripts-never-import-tests",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^tests/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|out|data|notebooks)/" },
    // Type-only imports count: a cycle of types still ties the two files together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
