import type { AgentConfig } from "../config/index.js";
import { lockState, readState, writeState } from "../state/index.js";

export interface ResetOptions {
  readonly clearEscrows: boolean;
  readonly clearDelta: boolean;
}

/**
 * Like Entra's "Restart provisioning": leaves quarantine (and the disabled state after 28
 * days); optionally forgets escrows and the delta checkpoint, so the next cycle is a full one.
 * The links between Entra objects and Klaxoon accounts are always kept.
 */
export async function resetProvisioning(config: AgentConfig, options: ResetOptions): Promise<string> {
  const lock = await lockState(config.state.path);
  try {
    const { state } = await readState(config.state.path, () => new Date());
    await writeState(config.state.path, {
      ...state,
      quarantine: null,
      escrows: options.clearEscrows ? {} : state.escrows,
      directory: options.clearDelta ? null : state.directory,
    });
    const cleared = ["quarantine", ...(options.clearEscrows ? ["escrows"] : []), ...(options.clearDelta ? ["delta links (next cycle is a full read)"] : [])];
    return `${config.state.path}: cleared ${cleared.join(", ")}; links to Klaxoon accounts kept`;
  } finally {
    await lock.release();
  }
}
