// typescript-eslint's recommended rules on the TypeScript of lib/, tests/ and scripts/ (`npm run lint`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "out/", ".jupyter/", ".venv/", "notebooks/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The test reporter and summary run as plain Node modules.
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly" } },
  },
  {
    // dependency-cruiser's configuration is a CommonJS module.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable" } },
  },
  {
    files: ["**/*.ts"],
    rules: {
      // Unused arguments named _x are deliberate (callbacks with a fixed signature).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
);
