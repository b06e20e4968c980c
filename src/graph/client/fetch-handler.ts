/**
 * The Graph client's last middleware: undici's fetch over the endpoint's dispatcher (the proxy
 * NO_PROXY leaves it, the private CA of `graph.tls.caFile`), in place of the client's
 * HTTPMessageHandler and Node's global fetch, which know neither. A connection failure leaves
 * it in words that name the proxy or the certificate problem and the key that fixes it.
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { fetch, type Dispatcher, type RequestInit } from "undici";
import { describeConnectionFailure, type ConnectionSettings } from "../../net/index.js";

/** A connection that failed in a way a retry cannot fix (untrusted certificate, refusing proxy) or can. */
export class GraphConnectionError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "GraphConnectionError";
    this.permanent = permanent;
  }
}

export class FetchHandler implements Middleware {
  private readonly dispatcher: Dispatcher;
  private readonly connection: ConnectionSettings;

  constructor(dispatcher: Dispatcher, connection: ConnectionSettings) {
    this.dispatcher = dispatcher;
    this.connection = connection;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const init = { ...(context.options as RequestInit | undefined), dispatcher: this.dispatcher };
    try {
      context.response = (await fetch(url, init)) as unknown as Response;
    } catch (error) {
      const failure = describeConnectionFailure(error, this.connection, url);
      if (failure === null) throw error;
      throw new GraphConnectionError(failure.message, failure.permanent, { cause: error });
    }
  }

  setNext(): void {
    // The last middleware: nothing comes after it.
  }
}
