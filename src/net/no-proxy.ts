/**
 * NO_PROXY as curl and most tools read it: a list of hosts (`example.com` also covers its
 * subdomains, `.example.com` and `*.example.com` only them and the domain), optionally with
 * `:port`, IP addresses as written, or `*` for every host.
 */
export function bypassesProxy(entries: readonly string[], target: URL): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    // A bare IPv6 address has colons of its own; with a port it is written [::1]:8080.
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = bracketed || (entry.match(/:/g) ?? []).length > 1 ? null : /^(.*?)(?::(\d+))?$/.exec(entry);
    const name = (bracketed?.[1] ?? plain?.[1] ?? entry).replace(/^\*?\./, "");
    const portText = bracketed?.[2] ?? plain?.[2];
    const entryPort = portText === undefined ? null : Number(portText);
    if (entryPort !== null && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** `a,b c` (the environment's form) → entries. */
export function parseNoProxy(value: string): string[] {
  return value.split(/[,\s]+/).filter((entry) => entry !== "");
}
