import { copyFile } from "node:fs/promises";
import type { Clock } from "../model/index.js";
import { lockState, type StateLock } from "./lock.js";
import {
  identityOf,
  readQuiet,
  removeQuiet,
  writeQuiet,
  type QuietRecord,
  type StateFileIdentity,
} from "./quiet-file.js";
import { asidePath, readState, writeState, type AgentState, type StateReadResult } from "./state-file.js";

/**
 * The one way the agent touches its state file: opened once per process by the composition
 * root, with the clock that names a moved-aside file. `update` is read, change, write: the
 * daemon saves its quarantine record this way without knowing the rest of the state.
 */
export interface StateStore {
  readonly path: string;
  read(): Promise<StateReadResult>;
  /** Replaces the state file; its quiet record, which described the file replaced, goes. */
  write(state: AgentState): Promise<void>;
  /** The quiet record of the state file as it is now (see quiet-file.ts), or null. */
  readQuiet(): Promise<QuietRecord | null>;
  writeQuiet(record: QuietRecord): Promise<void>;
  update(change: (state: AgentState) => AgentState): Promise<AgentState>;
  /** Copies the state file aside as `<path>.<label>-<time>` and returns that path. */
  copyAside(label: string): Promise<string>;
  /** One agent per state file (see lock.ts); a dry run, which writes nothing, takes none. */
  lock(): Promise<StateLock>;
}

export function openStateStore(path: string, clock: Clock): StateStore {
  const read = (): Promise<StateReadResult> => readState(path, () => clock.now());
  // The state file a quiet record written now would describe: the one last read with its
  // record, or the one this store last wrote. Null until either: then no record is written.
  let describes: StateFileIdentity | null = null;
  const write = async (state: AgentState): Promise<void> => {
    describes = null;
    await writeState(path, state);
    await removeQuiet(path);
    describes = await identityOf(path);
  };
  return {
    path,
    read,
    write,
    readQuiet: async () => {
      const read = await readQuiet(path);
      describes = read?.stateFile ?? null;
      return read?.record ?? null;
    },
    writeQuiet: async (record) => {
      if (describes !== null) await writeQuiet(path, record, describes);
    },
    update: async (change) => {
      const next = change((await read()).state);
      await write(next);
      return next;
    },
    copyAside: async (label) => {
      const copy = asidePath(path, label, clock.now());
      await copyFile(path, copy);
      return copy;
    },
    lock: () => lockState(path, clock),
  };
}
