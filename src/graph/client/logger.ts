/** The slice of pino the adapter uses: object first, then the message. */
export interface GraphLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export const silentLogger: GraphLogger = { info: () => {}, warn: () => {}, debug: () => {} };
