import { execFile, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parseAllDocuments } from "yaml";

export const ROOT = join(import.meta.dirname, "../..");
export const DIR = join(ROOT, "config/kubernetes");

export type Doc = Record<string, unknown> & {
  kind: string;
  apiVersion: string;
  metadata?: { name?: string; namespace?: string };
};

/** kubernetes-models checks types, required fields and formats against the Kubernetes OpenAPI schemas. */
export const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "batch/v1/CronJob": CronJob,
};

export function parseDocs(text: string, source: string): Doc[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc.toJS() as Doc;
  });
}

export function loadYaml(path: string): Doc[] {
  return parseDocs(readFileSync(path, "utf8"), relative(ROOT, path));
}

/** Every YAML file under config/kubernetes, relative to it. */
export function yamlFiles(dir = DIR): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return entry.endsWith(".yaml") ? [relative(DIR, path)] : [];
  });
}

export const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

const run = promisify(execFile);

/** `kubectl kustomize <dir>`, offline: the documents `kubectl apply -k <dir>` would send. */
export async function kustomize(dir: string): Promise<Doc[]> {
  const { stdout } = await run("kubectl", ["kustomize", dir], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  return parseDocs(stdout, `kubectl kustomize ${relative(ROOT, dir)}`);
}
