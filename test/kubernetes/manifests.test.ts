import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { validate as isValidCron } from "node-cron";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { DEFAULT_DAEMON_SETTINGS } from "../support/daemon-settings.js";
import { DIR, loadYaml, MODELS, ROOT, yamlFiles } from "./support.js";

/**
 * The manifest files as written, without kubectl (kustomize-render.test.ts renders them).
 * kubernetes-models does not reject unknown fields: the assertions below read the exact field
 * names that matter, so a misspelt one fails them.
 */
interface Kustomization {
  kind: string;
  resources?: string[];
  components?: string[];
  configMapGenerator?: { name: string; files: string[] }[];
  secretGenerator?: { name: string; files: string[] }[];
}

const kustomizationFiles = yamlFiles().filter((f) => f.endsWith("kustomization.yaml"));
const kustomizations = Object.fromEntries(
  kustomizationFiles.map((f) => [dirname(f), loadYaml(join(DIR, f))[0] as unknown as Kustomization]),
);
/** Files a kustomization lists as resources (not folders, which are kustomizations themselves). */
const listedFiles = Object.entries(kustomizations).flatMap(([dir, k]) =>
  (k.resources ?? []).map((r) => join(dir, r)).filter((r) => r.endsWith(".yaml")),
);
const generatedFrom = Object.entries(kustomizations).flatMap(([dir, k]) =>
  [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) => g.files.map((f) => join(dir, f))),
);
const manifests = yamlFiles()
  .filter((f) => !f.endsWith("kustomization.yaml") && !generatedFrom.includes(f))
  .flatMap((file) => loadYaml(join(DIR, file)).map((data) => ({ file, data })));
const only = <T>(kind: string): T => {
  const found = manifests.filter((m) => m.data.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!.data as T;
};
const deployment = only<IDeployment>("Deployment");
const cronJob = only<ICronJob>("CronJob");
const daemonPod = deployment.spec!.template.spec!;
const cronSpec = cronJob.spec!;
const cronPod = cronSpec.jobTemplate.spec!.template.spec!;
const agent = (pod: IPodSpec): IContainer => pod.containers.find((c) => c.name === "agent")!;
const configText = readFileSync(join(DIR, "base/config.yaml"), "utf8");

describe("Kubernetes manifests (files)", () => {
  it("lists every manifest file in exactly one kustomization, and every listed file exists", () => {
    const onDisk = manifests.map((m) => m.file).sort();
    expect([...new Set(onDisk)]).toEqual([...listedFiles].sort());
    for (const [dir, k] of Object.entries(kustomizations)) {
      for (const ref of [...(k.resources ?? []), ...(k.components ?? [])]) {
        const path = join(DIR, dir, ref);
        expect(
          ref.endsWith(".yaml")
            ? yamlFiles().includes(join(dir, ref))
            : kustomizationFiles.includes(join(dir, ref, "kustomization.yaml")),
          `${dir}: ${ref} (${path})`,
        ).toBe(true);
      }
    }
  });

  it("ships no Secret: no manifest file holds one, and only the opt-in overlay generates one, from local files", () => {
    expect(manifests.filter((m) => m.data.kind === "Secret")).toEqual([]);
    const generators = Object.entries(kustomizations).filter(([, k]) => k.secretGenerator);
    expect(generators.map(([dir]) => dir)).toEqual(["overlays/secret-from-files"]);
    expect(readFileSync(join(DIR, "overlays/secret-from-files/secrets/.gitignore"), "utf8")).toMatch(/^\*$/m);
  });

  it.each(manifests.map((m) => [`${m.file} (${m.data.kind})`, m] as const))(
    "%s validates against the Kubernetes schema",
    (_, manifest) => {
      const Model = MODELS[`${manifest.data.apiVersion}/${manifest.data.kind}`];
      expect(Model, `no model for ${manifest.data.apiVersion}/${manifest.data.kind}`).toBeDefined();
      expect(() => new Model!(manifest.data as never).validate()).not.toThrow();
    },
  );

  it("has a validator that does reject a wrong manifest", () => {
    const broken = { ...deployment, spec: { ...deployment.spec!, replicas: "one" } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it("offers the daemon and the CronJob as components, each in its own kustomization", () => {
    expect(kustomizations["components/daemon"]).toMatchObject({ kind: "Component", resources: ["deployment.yaml"] });
    expect(kustomizations["components/cronjob"]).toMatchObject({ kind: "Component", resources: ["cronjob.yaml"] });
    expect(kustomizations["."]).toMatchObject({ resources: ["base"], components: ["components/daemon"] });
    expect(kustomizations["overlays/cronjob"]).toMatchObject({
      resources: ["../../base"],
      components: ["../../components/cronjob"],
    });
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

  it("runs one-shot cycles from a CronJob that never overlaps, not suspended once chosen", () => {
    expect(cronSpec.concurrencyPolicy).toBe("Forbid");
    expect(cronSpec.schedule).toBe("0,40 * * * *");
    expect(isValidCron(cronSpec.schedule)).toBe(true);
    expect(cronSpec.suspend).toBeUndefined();
    expect(cronPod.restartPolicy).toBe("Never");
    expect(agent(cronPod).args?.slice(0, 1)).toEqual(["sync"]);
  });

  it.each([
    ["daemon", daemonPod],
    ["cronjob", cronPod],
  ] as const)("%s: non-root, read-only root filesystem, no privilege escalation, no capabilities", (_, pod) => {
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).toBe(1000);
    expect(pod.securityContext?.seccompProfile?.type).toBe("RuntimeDefault");
    const sc = agent(pod).securityContext;
    expect(sc?.readOnlyRootFilesystem).toBe(true);
    expect(sc?.allowPrivilegeEscalation).toBe(false);
    expect(sc?.capabilities?.drop).toEqual(["ALL"]);
  });

  it.each([
    ["daemon", daemonPod, deployment.spec!.template.metadata?.labels],
    ["cronjob", cronPod, cronSpec.jobTemplate.spec!.template.metadata?.labels],
  ] as const)(
    "%s: workload identity, config, secrets and state mounted where the image and the config expect them",
    (_, pod, labels) => {
      expect(labels?.["azure.workload.identity/use"]).toBe("true");
      const sa = only<{ metadata: { name: string; annotations: Record<string, string> } }>("ServiceAccount");
      expect(pod.serviceAccountName).toBe(sa.metadata.name);
      expect(sa.metadata.annotations["azure.workload.identity/client-id"]).toMatch(/^[0-9a-f-]{36}$/);
      const pvc = only<{ metadata: { name: string } }>("PersistentVolumeClaim");
      const volume = (name: string) => pod.volumes?.find((v) => v.name === name);
      expect(volume("state")?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);
      expect(volume("secrets")?.secret?.secretName).toBe("entra-klaxoon-sync");
      expect(volume("config")?.configMap?.name).toBe(kustomizations["base"]!.configMapGenerator![0]!.name);
      const mounts = Object.fromEntries((agent(pod).volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
      expect(mounts).toMatchObject({
        config: "/etc/entra-klaxoon-sync",
        secrets: "/run/secrets/entra-klaxoon-sync",
        state: "/var/lib/entra-klaxoon-sync",
        tmp: "/tmp",
      });
      expect(agent(pod).args).toEqual([expect.any(String), "--config", "/etc/entra-klaxoon-sync/config.yaml"]);
      expect(agent(pod).image).toBe("entra-klaxoon-sync");
    },
  );

  it("makes the ConfigMap from a config that passes the schema, reads every secret from the mounted Secret, and equals the container config", () => {
    expect(kustomizations["base"]!.configMapGenerator).toEqual([
      { name: "entra-klaxoon-sync-config", files: ["config.yaml"] },
    ]);
    const config = configSchema.parse(parse(configText));
    expect(config.state.path.startsWith("/var/lib/entra-klaxoon-sync/")).toBe(true);
    expect(config.mappings).toBe("/app/config/klaxoon.mappings.yaml");
    const refs = [
      config.klaxoon.secretToken,
      config.graph.credential.type === "clientSecret" ? config.graph.credential.clientSecret : null,
    ];
    const keys = readFileSync(join(DIR, "overlays/secret-from-files/kustomization.yaml"), "utf8");
    for (const ref of refs) {
      const file = ref && "file" in ref ? ref.file : "";
      expect(file).toMatch(/^\/run\/secrets\/entra-klaxoon-sync\/[a-z-]+$/);
      expect(keys).toContain(`secrets/${file.split("/").at(-1)}`);
    }
    expect(parse(configText)).toEqual(parse(readFileSync(join(ROOT, "config/config.container.yaml"), "utf8")));
  });
});
