/** Starts a Klaxoon emulator and a SCIM client pointed at it; and raw HTTP for wire-level checks. */
import { createScimClient, type ScimClient } from "../../src/scim/index.js";
import type { ScimClientDeps } from "../../src/scim/create-scim-client.js";
import type { ScimClientSettings } from "../../src/scim/settings.js";
import { scimSettings } from "../support/adapter-settings.js";
import { startKlaxoonEmulator, type KlaxoonEmulator, type KlaxoonEmulatorOptions } from "../emulators/klaxoon/index.js";
import { systemClock } from "../../src/model/index.js";

export interface Pair {
  readonly emulator: KlaxoonEmulator;
  readonly client: ScimClient;
  close(): Promise<void>;
}

export async function startPair(
  emulatorOptions: KlaxoonEmulatorOptions = {},
  settings: Partial<ScimClientSettings> = {},
  deps: ScimClientDeps = { clock: systemClock },
): Promise<Pair> {
  const emulator = await startKlaxoonEmulator(emulatorOptions);
  const client = createScimClient(
    scimSettings({
      tenantUrl: emulator.url,
      token: emulator.token,
      requestsPerSecond: 1000,
      retryBaseDelayMs: 10,
      maxRetryDelayMs: 2000,
      ...settings,
    }),
    deps,
  );
  return {
    emulator,
    client,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly json: unknown;
  readonly headers: Headers;
}

/** A plain fetch against the emulator, for checking the server side on its own. */
export async function raw(
  emulator: KlaxoonEmulator,
  method: string,
  path: string,
  body?: unknown,
  token = emulator.token,
): Promise<RawResponse> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === "" ? undefined : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

export const USER_PATHS = [
  "userName",
  "externalId",
  "active",
  "name.givenName",
  "name.familyName",
  'emails[type eq "work"].value',
] as const;

export function userAttributes(
  userName: string,
  extra: Record<string, string | boolean> = {},
): Record<string, string | boolean> {
  return {
    userName,
    externalId: `ext-${userName}`,
    active: true,
    "name.givenName": "Ada",
    "name.familyName": "Lovelace",
    'emails[type eq "work"].value': userName.includes("@") ? userName : `${userName}@example.com`,
    ...extra,
  };
}

export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}
