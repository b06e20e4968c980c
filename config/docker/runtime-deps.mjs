// Reduces a built checkout's node_modules to what dist/agent.mjs loads at run time, for the
// image's runtime stage (Dockerfile, stage "runtime-deps"); run from the folder holding
// package.json, package-lock.json and node_modules:
//   1. package.json keeps only the dependencies the bundle leaves external: the `--external:`
//      flags of its "bundle" script (re2, pino, pino-pretty), at their declared versions;
//   2. `npm prune --omit=dev` removes every package outside their dependency trees (versions
//      come from package-lock.json; nothing is downloaded);
//   3. re2's build leftovers go: only build/Release/re2.node is loaded (no C++ sources, no
//      object files, no vendored RE2 and Abseil).
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const externals = [...manifest.scripts.bundle.matchAll(/--external:([^\s"']+)/g)].map((m) => m[1]);
if (externals.length === 0) throw new Error("package.json: no --external: flag in the bundle script");
const dependencies = {};
for (const name of externals) {
  const version = manifest.dependencies?.[name];
  if (version === undefined) throw new Error(`package.json: the bundle leaves ${name} external, but it is not a dependency`);
  dependencies[name] = version;
}
const { name, version, type, license } = manifest;
writeFileSync("package.json", `${JSON.stringify({ name, version, type, license, dependencies }, null, 2)}\n`);

execFileSync("npm", ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { stdio: "inherit" });

const re2 = join("node_modules", "re2");
for (const entry of readdirSync(re2)) {
  if (!["package.json", "re2.js", "re2.d.ts", "LICENSE", "build"].includes(entry)) rmSync(join(re2, entry), { recursive: true, force: true });
}
for (const entry of readdirSync(join(re2, "build"))) if (entry !== "Release") rmSync(join(re2, "build", entry), { recursive: true, force: true });
for (const entry of readdirSync(join(re2, "build", "Release"))) if (entry !== "re2.node") rmSync(join(re2, "build", "Release", entry), { recursive: true, force: true });
process.stdout.write(`runtime dependencies: ${externals.join(", ")} and their dependency trees\n`);
