/**
 * `test-connection`: what Entra's "Test Connection" button checks, for both sides. Klaxoon:
 * `GET /Users?filter=userName eq "<random GUID>"` must answer 200 with an empty list. Graph:
 * the configured credential gets a token and reads the configured app's service principal.
 * The probes are a port built in connection-probes.ts; this file only runs and renders them.
 */
import type { AgentConfig } from "../config/index.js";

export type ProbeResult =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly reason: string };

export interface ConnectionProbes {
  checkGraph(): Promise<ProbeResult>;
  checkKlaxoon(): Promise<ProbeResult>;
}

export interface SideReport {
  /** What was checked, without secrets: the tenant and app, or the Tenant URL. */
  readonly target: string;
  readonly result: ProbeResult;
}

export interface ConnectionReport {
  readonly ok: boolean;
  readonly graph: SideReport;
  readonly klaxoon: SideReport;
}

export async function testConnection(config: AgentConfig, probes: ConnectionProbes): Promise<ConnectionReport> {
  const [graph, klaxoon] = await Promise.all([settle(() => probes.checkGraph()), settle(() => probes.checkKlaxoon())]);
  return {
    ok: graph.ok && klaxoon.ok,
    graph: { target: describeGraphTarget(config), result: graph },
    klaxoon: { target: describeTenantUrl(config.klaxoon.tenantUrl), result: klaxoon },
  };
}

/** One line per side: `Graph    OK      …` / `Klaxoon  FAILED  …`. */
export function renderConnectionReport(report: ConnectionReport): string {
  const line = (name: string, side: SideReport): string => {
    const verdict = side.result.ok ? "OK" : "FAILED";
    const text = side.result.ok ? side.result.detail : side.result.reason;
    return `${name.padEnd(8)} ${verdict.padEnd(7)} ${side.target}: ${text}`;
  };
  return `${line("Graph", report.graph)}\n${line("Klaxoon", report.klaxoon)}\n`;
}

/** A probe is not supposed to throw; if it does, that is its failure, not the command's. */
async function settle(probe: () => Promise<ProbeResult>): Promise<ProbeResult> {
  try {
    return await probe();
  } catch (error) {
    return { ok: false, reason: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function describeGraphTarget(config: AgentConfig): string {
  const app =
    config.app.appId !== undefined
      ? `app ${config.app.appId}`
      : `service principal ${config.app.servicePrincipalId ?? "?"}`;
  return `tenant ${config.graph.tenantId}, ${app}`;
}

/** The Tenant URL without user info, query or fragment (where a careless URL could hold a secret). */
export function describeTenantUrl(tenantUrl: string): string {
  try {
    const url = new URL(tenantUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(invalid Tenant URL)";
  }
}
