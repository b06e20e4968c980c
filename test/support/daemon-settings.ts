import { daemonSchema, type DaemonSettings, type DaemonSettingsInput } from "../../src/config/daemon-schema.js";

/** What `daemon: {}` (or no key) gives: the Entra-like defaults. */
export const DEFAULT_DAEMON_SETTINGS: DaemonSettings = Object.freeze(daemonSchema.parse({}));

/** Settings from a partial input, defaults filled in; throws a ZodError on invalid input. */
export function daemonSettings(input: DaemonSettingsInput = {}): DaemonSettings {
  return daemonSchema.parse(input);
}
