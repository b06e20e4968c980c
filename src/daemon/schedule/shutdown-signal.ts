import type { Logger } from "../../log/index.js";

/** The part of `process` used here, so tests pass an EventEmitter. */
export interface SignalSource {
  once(event: NodeJS.Signals, listener: () => void): unknown;
  off(event: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownHandle {
  readonly signal: AbortSignal;
  /** Removes the listeners (call it once the daemon has resolved). */
  dispose(): void;
}

/**
 * SIGTERM (Kubernetes) or SIGINT (Ctrl-C) aborts the returned signal: the daemon stops taking
 * new work and lets the running cycle finish within its grace. A second signal calls
 * `onSecondSignal` (the CLI's choice: typically exit at once).
 */
export function abortOnSignals(
  source: SignalSource,
  options: {
    readonly logger?: Logger;
    readonly onSecondSignal?: (name: NodeJS.Signals) => void;
    readonly signals?: readonly NodeJS.Signals[];
  } = {},
): ShutdownHandle {
  const controller = new AbortController();
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const listeners = new Map<NodeJS.Signals, () => void>();
  const listen = (name: NodeJS.Signals): void => {
    const listener = (): void => {
      if (controller.signal.aborted) {
        options.logger?.warn({ signal: name }, "second shutdown signal");
        options.onSecondSignal?.(name);
      } else {
        options.logger?.info({ signal: name }, "shutdown requested");
        controller.abort(new Error(`received ${name}`));
      }
      listen(name);
    };
    listeners.set(name, listener);
    source.once(name, listener);
  };
  for (const name of signals) listen(name);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, listener] of listeners) source.off(name, listener);
      listeners.clear();
    },
  };
}
