import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { DIR, type Doc, kubectl, kustomize, MODELS, parseDocs } from "./support.js";

/**
 * What `kubectl apply -k` would send, rendered offline by `kubectl kustomize` (no cluster), for
 * the default kustomization and each overlay; every rendered document is checked against the
 * Kubernetes schema. Skipped, saying so, where kubectl is not installed.
 */
const NAMESPACE = "entra-klaxoon-sync";
const IMAGE = "ghcr.io/example/entra-klaxoon-sync:0.1.0";
const rendered: Record<string, Doc[]> = {};
let copy = "";

if (!kubectl)
  console.warn(
    "[kustomize-render] kubectl is not installed: the kustomizations are not rendered (manifests.test.ts still checks the files)",
  );

beforeAll(async () => {
  if (!kubectl) return;
  // A copy of the folder, so the opt-in overlay's secret files can exist without touching the checkout.
  copy = await mkdtemp(join(tmpdir(), "eks-kustomize-"));
  await cp(DIR, copy, { recursive: true });
  await writeFile(join(copy, "overlays/secret-from-files/secrets/graph-client-secret"), "placeholder-graph-secret");
  await writeFile(join(copy, "overlays/secret-from-files/secrets/klaxoon-secret-token"), "placeholder-klaxoon-token");
  for (const dir of [".", "overlays/cronjob", "overlays/secret-from-files"])
    rendered[dir] = await kustomize(join(copy, dir));
});
afterAll(async () => {
  if (copy !== "") await rm(copy, { recursive: true, force: true });
});

const kinds = (docs: Doc[]) => docs.map((d) => d.kind).sort();
const find = <T>(docs: Doc[], kind: string) => docs.find((d) => d.kind === kind) as T;
function podOf(docs: Doc[]): IPodSpec {
  const deployment = find<IDeployment | undefined>(docs, "Deployment");
  return deployment
    ? deployment.spec!.template.spec!
    : find<ICronJob>(docs, "CronJob").spec!.jobTemplate.spec!.template.spec!;
}

describe.runIf(kubectl)("kubectl kustomize (offline)", () => {
  it.each([".", "overlays/cronjob", "overlays/secret-from-files"])(
    "%s: every document validates against the Kubernetes schema, in the namespace, with the image",
    (dir) => {
      const docs = rendered[dir]!;
      for (const doc of docs) {
        const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
        expect(Model, `no model for ${doc.apiVersion}/${doc.kind}`).toBeDefined();
        expect(() => new Model!(doc as never).validate(), `${doc.kind} ${doc.metadata?.name}`).not.toThrow();
        if (doc.kind !== "Namespace") expect(doc.metadata?.namespace, `${doc.kind}`).toBe(NAMESPACE);
      }
      expect(podOf(docs).containers.map((c) => c.image)).toEqual([IMAGE]);
    },
  );

  it("default (kubectl apply -k config/kubernetes): the daemon, no CronJob, no Secret", () => {
    expect(kinds(rendered["."]!)).toEqual([
      "ConfigMap",
      "Deployment",
      "Namespace",
      "PersistentVolumeClaim",
      "ServiceAccount",
    ]);
  });

  it("overlays/cronjob: the CronJob, no Deployment, no Secret", () => {
    expect(kinds(rendered["overlays/cronjob"]!)).toEqual([
      "ConfigMap",
      "CronJob",
      "Namespace",
      "PersistentVolumeClaim",
      "ServiceAccount",
    ]);
  });

  it("overlays/secret-from-files: the daemon and a Secret made from the local files, which the pod mounts", () => {
    const docs = rendered["overlays/secret-from-files"]!;
    expect(kinds(docs)).toEqual([
      "ConfigMap",
      "Deployment",
      "Namespace",
      "PersistentVolumeClaim",
      "Secret",
      "ServiceAccount",
    ]);
    const secret = find<{ metadata: { name: string }; data: Record<string, string> }>(docs, "Secret");
    expect(
      Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()])),
    ).toEqual({
      "graph-client-secret": "placeholder-graph-secret",
      "klaxoon-secret-token": "placeholder-klaxoon-token",
    });
    expect(podOf(docs).volumes?.find((v) => v.name === "secrets")?.secret?.secretName).toBe(secret.metadata.name);
  });

  it.each([".", "overlays/cronjob"])(
    "%s: the pod mounts the generated ConfigMap, whose config passes the schema",
    (dir) => {
      const docs = rendered[dir]!;
      const configMap = find<{ metadata: { name: string }; data: Record<string, string> }>(docs, "ConfigMap");
      expect(configMap.metadata.name).toMatch(/^entra-klaxoon-sync-config-[a-z0-9]+$/);
      expect(podOf(docs).volumes?.find((v) => v.name === "config")?.configMap?.name).toBe(configMap.metadata.name);
      expect(() => configSchema.parse(parse(configMap.data["config.yaml"]!))).not.toThrow();
      expect(podOf(docs).volumes?.find((v) => v.name === "secrets")?.secret?.secretName).toBe("entra-klaxoon-sync");
    },
  );

  it("renders exactly the kustomizations the README applies (kubectl apply -k)", async () => {
    const readme = await readFile(join(DIR, "../../README.md"), "utf8");
    const applied = [...readme.matchAll(/^kubectl apply -k config\/kubernetes(\/\S+)?$/gm)].map((m) =>
      (m[1] ?? "/.").slice(1),
    );
    expect(applied.sort()).toEqual(Object.keys(rendered).sort());
  });

  it("the README's Secret, created once out of band, is the one the pods mount (kubectl create secret --dry-run=client)", async () => {
    const readme = await readFile(join(DIR, "../../README.md"), "utf8");
    const namespace = readme.split("\n").find((l) => l.startsWith("kubectl create namespace"));
    expect(namespace).toBe(`kubectl create namespace ${NAMESPACE}`);
    const ns = await promisify(execFile)(
      "kubectl",
      [...namespace!.replace(/^kubectl /, "").split(/\s+/), "--dry-run=client", "-o", "yaml"],
      { timeout: 30_000 },
    );
    expect(parseDocs(ns.stdout, "kubectl create namespace")[0]).toMatchObject({
      kind: "Namespace",
      metadata: { name: NAMESPACE },
    });
    const command = readme.split("\n").find((l) => l.startsWith("kubectl -n entra-klaxoon-sync create secret generic"));
    expect(command, "the README's kubectl create secret line").toBeDefined();
    const args = command!.replace(/^kubectl /, "").split(/\s+/);
    await writeFile(join(copy, "graph-client-secret"), "placeholder-graph-secret");
    await writeFile(join(copy, "klaxoon-secret-token"), "placeholder-klaxoon-token");
    const { stdout } = await promisify(execFile)("kubectl", [...args, "--dry-run=client", "-o", "yaml"], {
      cwd: copy,
      timeout: 30_000,
    });
    const [secret] = parseDocs(stdout, "kubectl create secret");
    expect(() => new MODELS["v1/Secret"]!(secret as never).validate()).not.toThrow();
    expect(secret?.metadata).toMatchObject({ name: "entra-klaxoon-sync", namespace: NAMESPACE });
    expect(Object.keys((secret as unknown as { data: Record<string, string> }).data).sort()).toEqual([
      "graph-client-secret",
      "klaxoon-secret-token",
    ]);
  });
});
