/** Shared wiring for Graph adapter tests: the emulator, a real credential, a recording sleep. */
import { createCredential, type GraphLogger, type GraphSettings } from "../../../src/graph/index.js";
import { graphSettings } from "../../support/adapter-settings.js";
import type { SnapshotRequest } from "../../../src/cycle/index.js";
import type { GraphEmulator } from "../../emulators/graph/index.js";
import { type Clock, systemClock } from "../../../src/model/index.js";

export function secretCredential(emu: GraphEmulator, secret = emu.clientSecret) {
  return createCredential(
    { kind: "clientSecret", tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: secret },
    { authorityHost: emu.authorityHost },
  );
}

export function settingsFor(emu: GraphEmulator, extra: Partial<GraphSettings> = {}): GraphSettings {
  return graphSettings({ endpoint: emu.url, authorityHost: emu.authorityHost, ...extra });
}

export function assignedRequest(
  emu: GraphEmulator,
  attributes: readonly string[] = ["mail", "displayName", "department"],
): SnapshotRequest {
  return { app: { appId: emu.appId }, scope: "assigned", userAttributes: attributes, groupAttributes: ["displayName"] };
}

/** A clock that records every wait the adapter asks for, without waiting (the real date otherwise). */
export function recordingSleep(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: systemClock.now,
    monotonicMs: systemClock.monotonicMs,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

export interface LogLine {
  level: "info" | "warn" | "debug";
  obj: object;
  msg: string;
}

export function memoryLogger(): GraphLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: "info", obj, msg }),
    warn: (obj, msg) => lines.push({ level: "warn", obj, msg }),
    debug: (obj, msg) => lines.push({ level: "debug", obj, msg }),
  };
}
