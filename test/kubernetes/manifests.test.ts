import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob, type ICronJob } from "kubernetes-models/batch/v1/CronJob";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { validate as isValidCron } from "node-cron";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { DEFAULT_DAEMON_SETTINGS } from "../support/daemon-settings.js";

/**
 * kubernetes-models checks types, required fields and formats against the Kubernetes OpenAPI
 * schemas, but does not reject unknown fields: the assertions below read the exact field names
 * that matter, so a misspelt one fails them. (`kubectl apply --dry-run=server` or kubeconform
 * in CI would catch the rest.)
 */
const DIR = join(import.meta.dirname, "../../config/kubernetes");

interface Manifest {
  readonly file: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly data: Record<string, unknown>;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "batch/v1/CronJob": CronJob,
};

function load(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(join(DIR, file), "utf8")).map((doc) => {
    expect(doc.errors, `${file}: YAML errors`).toEqual([]);
    return doc.toJS() as Record<string, unknown>;
  });
}

const kustomization = load("kustomization.yaml")[0] as {
  resources: string[];
  namespace: string;
  images: { name: string }[];
};
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  load(file).map((data) => ({ file, kind: String(data["kind"]), apiVersion: String(data["apiVersion"]), data })),
);
const only = <T>(kind: string): T => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!.data as T;
};
const deployment = only<IDeployment>("Deployment");
const cronJob = only<ICronJob>("CronJob");
const configMap = only<{ data: Record<string, string> }>("ConfigMap");
const secret = only<{ metadata: { name: string }; stringData: Record<string, string> }>("Secret");
const daemonPod = deployment.spec!.template.spec!;
const cronSpec = cronJob.spec!;
const cronPod = cronSpec.jobTemplate.spec!.template.spec!;
const agent = (pod: IPodSpec): IContainer => pod.containers.find((c) => c.name === "agent")!;

describe("Kubernetes manifests", () => {
  it("lists every manifest in kustomization.yaml, and nothing missing", () => {
    const onDisk = readdirSync(DIR)
      .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
      .sort();
    expect([...kustomization.resources].sort()).toEqual(onDisk);
  });

  it.each(manifests.map((m) => [`${m.file} (${m.kind})`, m] as const))(
    "%s validates against the Kubernetes schema",
    (_, manifest) => {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `no model for ${manifest.apiVersion}/${manifest.kind}`).toBeDefined();
      expect(() => new Model!(manifest.data as never).validate()).not.toThrow();
    },
  );

  it("has a validator that does reject a wrong manifest", () => {
    const broken = { ...deployment, spec: { ...deployment.spec!, replicas: "one" } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it("runs the daemon as one replica, recreated rather than rolled", () => {
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.strategy?.type).toBe("Recreate");
    expect(agent(daemonPod).args?.slice(0, 1)).toEqual(["run"]);
  });

  it("probes /healthz and /readyz on the daemon's health port", () => {
    const container = agent(daemonPod);
    const port = container.ports?.find((p) => p.name === "http");
    expect(port?.containerPort).toBe(DEFAULT_DAEMON_SETTINGS.health.port);
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: "/healthz", port: "http" });
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: "/readyz", port: "http" });
  });

  it("gives a running cycle its shutdown grace before the kubelet kills the pod", () => {
    expect(daemonPod.terminationGracePeriodSeconds).toBeGreaterThan(DEFAULT_DAEMON_SETTINGS.shutdownGraceSeconds + 5);
  });

  it("runs one-shot cycles from a CronJob that never overlaps", () => {
    expect(cronSpec.concurrencyPolicy).toBe("Forbid");
    expect(cronSpec.schedule).toBe("0,40 * * * *");
    expect(isValidCron(cronSpec.schedule)).toBe(true);
    expect(cronPod.restartPolicy).toBe("Never");
    expect(agent(cronPod).args?.slice(0, 1)).toEqual(["sync"]);
  });

  it("never runs the daemon and the CronJob at once (they share one state file)", () => {
    expect(cronSpec.suspend === true || deployment.spec?.replicas === 0).toBe(true);
  });

  it.each([
    ["daemon", daemonPod],
    ["cronjob", cronPod],
  ] as const)("%s: non-root, read-only root filesystem, no privilege escalation, no capabilities", (_, pod) => {
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext?.seccompProfile?.type).toBe("RuntimeDefault");
    const sc = agent(pod).securityContext;
    expect(sc?.readOnlyRootFilesystem).toBe(true);
    expect(sc?.allowPrivilegeEscalation).toBe(false);
    expect(sc?.capabilities?.drop).toEqual(["ALL"]);
  });

  it.each([
    ["daemon", daemonPod, deployment.spec!.template.metadata?.labels],
    ["cronjob", cronPod, cronSpec.jobTemplate.spec!.template.metadata?.labels],
  ] as const)("%s: workload identity, config, secrets and state on the claim", (_, pod, labels) => {
    expect(labels?.["azure.workload.identity/use"]).toBe("true");
    const sa = only<{ metadata: { name: string; annotations: Record<string, string> } }>("ServiceAccount");
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(sa.metadata.annotations["azure.workload.identity/client-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const pvc = only<{ metadata: { name: string } }>("PersistentVolumeClaim");
    const volume = (name: string) => pod.volumes?.find((v) => v.name === name);
    expect(volume("state")?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
    expect(volume("secrets")?.secret?.secretName).toBe(secret.metadata.name);
    expect(volume("config")?.configMap?.name).toBe(only<{ metadata: { name: string } }>("ConfigMap").metadata.name);
    const mounts = Object.fromEntries((agent(pod).volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
    expect(mounts).toMatchObject({
      config: "/etc/entra-klaxoon-sync",
      secrets: "/var/run/secrets/entra-klaxoon-sync",
      state: "/var/lib/entra-klaxoon-sync",
    });
    expect(agent(pod).args).toEqual([expect.any(String), "--config", "/etc/entra-klaxoon-sync/config.yaml"]);
    expect(agent(pod).image).toBe(kustomization.images[0]!.name);
  });

  it("ships placeholder secrets only", () => {
    for (const value of Object.values(secret.stringData)) expect(value).toMatch(/^REPLACE-/);
  });

  it("holds a configuration that passes the schema and reads every secret from the mounted Secret", () => {
    const config = configSchema.parse(parseAllDocuments(configMap.data["config.yaml"]!)[0]!.toJS());
    expect(config.state.path.startsWith("/var/lib/entra-klaxoon-sync/")).toBe(true);
    expect(config.mappings).toBe("/app/config/klaxoon.mappings.yaml");
    const files = [
      config.klaxoon.secretToken,
      config.graph.credential.type === "clientSecret" ? config.graph.credential.clientSecret : null,
    ];
    for (const ref of files) {
      expect(ref && "file" in ref ? ref.file : null).toMatch(/^\/var\/run\/secrets\/entra-klaxoon-sync\//);
      const key = ref && "file" in ref ? ref.file.split("/").at(-1)! : "";
      expect(Object.keys(secret.stringData)).toContain(key);
    }
  });
});
