/**
 * Plain http:// is accepted only towards this machine. The check is on the parsed URL's host:
 * `localhost`, `[::1]`, or an IPv4 address in 127.0.0.0/8 (the URL parser has already turned
 * `127.1` or `0x7f.0.0.1` into dotted form). A name that merely starts with "127." is a DNS name
 * like any other, so it is not loopback.
 */
const LOOPBACK_IPV4 = /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function isLoopbackUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { hostname } = new URL(value);
  return hostname === "localhost" || hostname === "[::1]" || LOOPBACK_IPV4.test(hostname);
}

/**
 * The refinement behind every configured endpoint: https://, or http:// to loopback. A value
 * that is not a URL at all passes here, since the schema's URL check already reports it.
 */
export function isHttpsOrLoopbackUrl(value: string): boolean {
  if (!URL.canParse(value)) return true;
  return new URL(value).protocol === "https:" || isLoopbackUrl(value);
}
