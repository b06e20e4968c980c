import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/daemon/observe/metrics.js";

/**
 * The operations kit in config/monitoring: a PrometheusRule and a Grafana dashboard. Every
 * metric they name, and every label they match on, must be in the agent's /metrics output
 * (rendered here from the registry the daemon serves, createMetrics()), so a renamed metric
 * fails this test instead of silencing an alert.
 */
const ROOT = join(import.meta.dirname, "../..");
const DIR = join(ROOT, "config/monitoring");
/** Labels Prometheus adds when it scrapes (target labels), not the agent. */
const TARGET_LABELS = new Set(["namespace", "pod", "instance", "job", "le"]);

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface PrometheusRule {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: { groups: { name: string; interval?: string; rules: Rule[] }[] };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: { refId: string; expr: string }[];
}

const ruleDocs = parseAllDocuments(readFileSync(join(DIR, "prometheus-rule.yaml"), "utf8"));
const dashboard = JSON.parse(readFileSync(join(DIR, "grafana-dashboard.json"), "utf8")) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
};

/** Sample names and, per sample name, the label names seen, from the text exposition. */
const exported = new Map<string, Set<string>>();
const labelValues = new Map<string, Set<string>>();

beforeAll(async () => {
  const metrics = createMetrics();
  // Touch every metric the way a cycle would, so each family shows its samples and labels.
  metrics.observeCycle("held", 2);
  metrics.countObject("user", "create", "success");
  metrics.countScimRequest(401);
  metrics.countGraphRequest(200);
  metrics.setEscrowSize(3);
  metrics.setQuarantine("quarantined");
  metrics.setLastSuccess(new Date());
  const text = await metrics.render();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (!match || line.startsWith("#")) continue;
    const labels = exported.get(match[1]!) ?? new Set<string>();
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels.add(pair[1]!);
      const key = `${match[1]}/${pair[1]}`;
      labelValues.set(key, (labelValues.get(key) ?? new Set()).add(pair[2]!));
    }
    exported.set(match[1]!, labels);
  }
  // The families a cycle never touches in this test still print HELP and TYPE.
  for (const match of text.matchAll(/^# TYPE (\S+) (\w+)$/gm))
    if (!exported.has(match[1]!)) exported.set(match[1]!, new Set());
});

/** Every `metric{matchers}` in a PromQL expression: the name and the label names it matches on. */
function selectors(expr: string): { name: string; labels: { name: string; op: string; value: string }[] }[] {
  const out: { name: string; labels: { name: string; op: string; value: string }[] }[] = [];
  for (const match of expr.matchAll(/\b(entra_klaxoon_sync_\w+)(\{([^}]*)\})?/g)) {
    const labels = [...(match[3] ?? "").matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map((m) => ({
      name: m[1]!,
      op: m[2]!,
      value: m[3]!,
    }));
    out.push({ name: match[1]!, labels });
  }
  return out;
}

function checkExpr(where: string, expr: string): void {
  const found = selectors(expr);
  expect(found.length, `${where}: names no agent metric`).toBeGreaterThan(0);
  for (const { name, labels } of found) {
    expect(
      exported.has(name),
      `${where}: ${name} is not in /metrics (exported: ${[...exported.keys()].join(", ")})`,
    ).toBe(true);
    for (const label of labels) {
      if (TARGET_LABELS.has(label.name)) continue;
      expect(exported.get(name)?.has(label.name), `${where}: ${name} has no label ${label.name}`).toBe(true);
    }
  }
  // Balanced brackets and quotes: a cheap syntax check (promtool is not a dependency).
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, "S");
  expect(bare.includes('"'), `${where}: unbalanced quote`).toBe(false);
  for (const [open, close] of [
    ["(", ")"],
    ["{", "}"],
    ["[", "]"],
  ] as const)
    expect(bare.split(open).length, `${where}: ${open}${close}`).toBe(bare.split(close).length);
}

describe("config/monitoring/prometheus-rule.yaml", () => {
  const rule = ruleDocs[0]?.toJS() as PrometheusRule;
  const rules = rule.spec.groups.flatMap((g) => g.rules);
  const alert = (name: string) => rules.find((r) => r.alert === name)!;

  it("is one valid YAML document: a PrometheusRule of the Prometheus Operator", () => {
    expect(ruleDocs).toHaveLength(1);
    expect(ruleDocs[0]!.errors).toEqual([]);
    expect(rule).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "entra-klaxoon-sync" },
    });
    expect(rule.spec.groups.length).toBeGreaterThan(0);
    for (const group of rule.spec.groups) {
      expect(group.name).toMatch(/\S/);
      expect(group.rules.length).toBeGreaterThan(0);
    }
  });

  it("gives every alert a unique name, an expression, a severity, a summary and a valid `for`", () => {
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.alert).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(typeof r.expr).toBe("string");
      expect(["warning", "critical"]).toContain(r.labels?.["severity"]);
      expect(r.annotations?.["summary"]).toMatch(/\S/);
      if (r.for !== undefined) expect(r.for).toMatch(/^(\d+[smhdwy])+$/);
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(["alert", "expr"]));
      for (const key of Object.keys(r))
        expect(["alert", "expr", "for", "labels", "annotations", "keep_firing_for"]).toContain(key);
    }
  });

  it.each(rules.map((r) => [r.alert!, r] as const))("%s names only metrics and labels the agent exports", (name, r) => {
    checkExpr(name, r.expr);
  });

  it("alerts on the five conditions: no success for two intervals, quarantine, deletion guard, escrow growing, token refused", () => {
    expect(alert("EntraKlaxoonSyncNoRecentSuccess").expr).toMatch(
      /time\(\) - entra_klaxoon_sync_last_success_timestamp_seconds > 2 \* 40 \* 60/,
    );
    const quarantine = selectors(alert("EntraKlaxoonSyncQuarantined").expr)[0]!;
    expect(quarantine.name).toBe("entra_klaxoon_sync_quarantine_state");
    // The statuses it matches are ones the agent reports.
    const statuses = quarantine.labels.find((l) => l.name === "status")!.value.split("|");
    for (const status of statuses)
      expect(labelValues.get("entra_klaxoon_sync_quarantine_state/status")).toContain(status);
    expect(statuses).not.toContain("healthy");
    expect(alert("EntraKlaxoonSyncDeletionGuardHolding").expr).toContain(
      'entra_klaxoon_sync_cycle_duration_seconds_count{outcome="held"}',
    );
    expect(alert("EntraKlaxoonSyncEscrowGrowing").expr).toContain("deriv(entra_klaxoon_sync_escrow_size[");
    expect(alert("EntraKlaxoonSyncTokenRefused").expr).toContain(
      'entra_klaxoon_sync_scim_requests_total{status=~"401|403"}',
    );
  });
});

describe("the README's monitoring command", () => {
  it("applies the rule file, in the namespace the kustomizations use", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const line = readme.split("\n").find((l) => l.startsWith("kubectl apply") && l.includes("config/monitoring/"));
    expect(line).toBe("kubectl apply -n entra-klaxoon-sync -f config/monitoring/prometheus-rule.yaml");
    const kustomization = parseAllDocuments(
      readFileSync(join(ROOT, "config/kubernetes/kustomization.yaml"), "utf8"),
    )[0]!.toJS() as { namespace: string };
    expect(line).toContain(`-n ${kustomization.namespace} `);
  });
});

describe("config/monitoring/grafana-dashboard.json", () => {
  const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

  it("is a dashboard with a uid, unique panel ids, on a chosen Prometheus data source", () => {
    expect(dashboard.uid).toBe("entra-klaxoon-sync");
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.templating.list.find((v) => v.name === "datasource")).toMatchObject({
      type: "datasource",
      query: "prometheus",
    });
    for (const panel of dashboard.panels) {
      expect(panel.datasource?.uid, panel.title).toBe("${datasource}");
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it.each(targets.map((t) => [`${t.panel} (${t.refId})`, t] as const))(
    "%s names only metrics and labels the agent exports",
    (where, target) => {
      checkExpr(where, target.expr);
    },
  );

  it("shows every metric the agent exports", () => {
    const shown = new Set(
      targets.flatMap((t) => selectors(t.expr).map((s) => s.name.replace(/_(bucket|sum|count)$/, ""))),
    );
    const families = new Set([...exported.keys()].map((name) => name.replace(/_(bucket|sum|count)$/, "")));
    expect([...families].filter((f) => !shown.has(f))).toEqual([]);
  });
});
