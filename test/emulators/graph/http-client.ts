/** A bare HTTPS client for the emulator's own tests: a token, GETs, and paging to the end. */
import type { GraphEmulator } from "./start-graph-emulator.js";

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface ReadAll {
  readonly items: Record<string, unknown>[];
  readonly pages: number;
  readonly deltaLink?: string;
}

export interface EmulatorClient {
  get(url: string): Promise<Answer>;
  /** Follows `@odata.nextLink` until the last page; keeps the `@odata.deltaLink` if one came. */
  readAll(url: string): Promise<ReadAll>;
  /** `POST /_admin/{operation}` (the emulator must run with `httpAdmin: true`). */
  admin(operation: string, ...args: unknown[]): Promise<Answer>;
}

export async function accessToken(emu: GraphEmulator): Promise<string> {
  const response = await fetch(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export async function emulatorClient(emu: GraphEmulator): Promise<EmulatorClient> {
  const bearer = await accessToken(emu);
  const get = async (url: string): Promise<Answer> => {
    const response = await fetch(url.startsWith("https://") ? url : `${emu.url}${url}`, {
      headers: { Authorization: `Bearer ${bearer}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const readAll = async (url: string): Promise<ReadAll> => {
    const items: Record<string, unknown>[] = [];
    let next: string | undefined = url;
    let pages = 0;
    let deltaLink: string | undefined;
    while (next !== undefined) {
      const { status, body } = await get(next);
      if (status !== 200) throw new Error(`GET ${next} answered ${status}: ${JSON.stringify(body)}`);
      items.push(...(body["value"] as Record<string, unknown>[]));
      pages += 1;
      next = body["@odata.nextLink"] as string | undefined;
      deltaLink = (body["@odata.deltaLink"] as string | undefined) ?? deltaLink;
    }
    return deltaLink === undefined ? { items, pages } : { items, pages, deltaLink };
  };
  const admin = async (operation: string, ...args: unknown[]): Promise<Answer> => {
    const response = await fetch(`${emu.url}/_admin/${operation}`, { method: "POST", body: JSON.stringify(args) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { get, readAll, admin };
}
