/**
 * Import boundaries of src/ (`npm run check:imports`). The layer order, lowest first, as ARCHITECTURE.md
 * draws it:
 *
 *   model, net → retry → scope, mapping, plan, state, log → apply → cycle → graph, scim → config → daemon, cli → main
 *
 * Each layer lists the folders it may import (besides its own, subfolders included); anything else in src/
 * is a back edge or a sideways edge and fails. `main` (src/main/ and the files directly in src/) is the
 * composition root: it may import everything and nothing imports it. Type-only imports count like any
 * other (tsPreCompilationDeps), so a cycle made of `import type` fails too. No exceptions here: fix the
 * import instead.
 */

/** A folder of src/ (with its subfolders), as a regular expression. */
const folder = (names) => `^src/(?:${names.join("|")})/`;

/**
 * One rule per layer folder: it may import its own folder and the `allowed` ones, and nothing else of src/.
 * `name` comes out as `<folder>-imports-only-<allowed>`.
 */
function layer(name, allowed, comment) {
  return {
    name: allowed.length === 0 ? `${name}-imports-nothing-of-ours` : `${name}-imports-only-${allowed.join("-")}`,
    comment,
    severity: "error",
    from: { path: folder([name]) },
    to: { path: "^src/", pathNot: folder([name, ...allowed]) },
  };
}

const CORE = ["model", "retry"];

module.exports = {
  forbidden: [
    layer("model", [], "model holds the domain types and errors: it is the bottom layer."),
    layer("net", [], "net is how a connection is made (proxy, private CA, what failed): it imports nothing of ours."),
    layer("retry", ["model"], "retry is the pure retry and back-off policy."),
    // The pure core: none of these five imports another.
    ...["scope", "mapping", "plan", "state", "log"].map((name) =>
      layer(name, CORE, `${name} is part of the pure core, which may import model and retry only.`),
    ),
    layer("apply", ["plan", "model", "retry", "log"], "apply executes a plan through the writer port it defines."),
    layer(
      "cycle",
      ["apply", "log", "mapping", "model", "plan", "scope", "state", "retry"],
      "cycle is one reconcile over the core; it defines the read ports and never sees an adapter.",
    ),
    layer(
      "graph",
      ["cycle", "model", "retry", "log", "net"],
      "graph is an adapter: it implements the ports of cycle; it does not know scim.",
    ),
    layer(
      "scim",
      ["cycle", "apply", "model", "retry", "log", "net"],
      "scim is an adapter: it implements the ports of cycle and the writer port of apply; it does not know graph.",
    ),
    layer(
      "config",
      ["model", "mapping", "scope", "retry", "log"],
      "config owns every schema and default; it must not import what it configures (daemon, graph, scim, cycle).",
    ),
    {
      ...layer("daemon", ["cycle", "log", "model", "config", "net"], ""),
      name: "daemon-imports-only-cycle-log-model-and-config-types",
      comment: "daemon schedules cycles; of config it may import types only (next rule).",
    },
    {
      name: "daemon-imports-config-types-only",
      comment: "daemon may see the config's types, never its code (config is built by the composition root).",
      severity: "error",
      from: { path: folder(["daemon"]) },
      to: { path: folder(["config"]), dependencyTypesNot: ["type-only"] },
    },
    layer(
      "cli",
      ["config", "cycle", "plan", "apply", "state", "log", "model"],
      "cli parses, dispatches and renders; it reaches adapters, stores and the daemon only through the " +
        "Composition port that main implements, and never imports main.",
    ),
    {
      name: "src-imports-nothing-of-test",
      comment: "Production code must not depend on tests or test support; move shared code into src/.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      comment: "Import cycles, type-only ones included, are not allowed anywhere in src/.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-orphans",
      comment: "A module of src/ that imports nothing and that nothing imports is dead code.",
      severity: "error",
      from: { orphan: true, path: "^src/", pathNot: "(?:^|/)tsconfig\\.json$|\\.d\\.[cm]?ts$" },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve is a typo or a missing dependency.",
      severity: "error",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
    {
      name: "src-not-to-dev-dependency",
      comment: "The agent ships without devDependencies: src/ may import them for types only.",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    // `import type` and `import { type X }` count as imports: type-only cycles and back edges fail too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(?:dist|coverage|bench-results)/" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
