/** Reading the agent's provisioning records (pino JSON lines on stderr) in end-to-end tests. */
import type { AgentEnvironment, AgentRun } from "./agent-environment.js";

export const EXIT_OK = 0;
export const EXIT_FAILURES = 4;
export const isWrite = (e: { method: string }): boolean => e.method !== "GET";
export const upn = (n: number): string => `member${String(n).padStart(2, "0")}@contoso.example`;

export interface ProvisioningLine {
  cycleId: string;
  kind: string;
  action: string;
  object: string;
  status: string;
  httpStatus?: number | null;
  error?: string | null;
}

/** The provisioning records among the agent's JSON log lines on stderr. */
export function provisioningRecords(run: AgentRun): ProvisioningLine[] {
  const records: ProvisioningLine[] = [];
  for (const line of run.stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { provisioning?: ProvisioningLine };
    if (entry.provisioning) records.push(entry.provisioning);
  }
  return records;
}

export function failures(run: AgentRun): ProvisioningLine[] {
  return provisioningRecords(run).filter((r) => r.status !== "success");
}

/** "action object" of each failed record, sorted: a name twice means it was logged twice. */
export function failedKeys(run: AgentRun): string[] {
  return failures(run)
    .map((r) => `${r.action} ${r.object}`)
    .sort();
}

export function userNamesHeld(env: AgentEnvironment): string[] {
  return [...env.klaxoon.store.users.values()].map((u) => String(u["userName"]).toLowerCase()).sort();
}
