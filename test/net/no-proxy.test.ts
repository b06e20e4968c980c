import { describe, expect, it } from "vitest";
import { bypassesProxy, parseNoProxy } from "../../src/net/index.js";

describe("NO_PROXY", () => {
  const bypass = (entries: string, url: string) => bypassesProxy(parseNoProxy(entries), new URL(url));

  it.each([
    ["example.com", "https://example.com/x", true],
    ["example.com", "https://graph.example.com/x", true],
    ["example.com", "https://notexample.com/x", false],
    [".example.com", "https://a.example.com", true],
    ["*.example.com", "https://a.b.example.com", true],
    ["example.com:8443", "https://example.com:8443", true],
    ["example.com:8443", "https://example.com", false],
    ["example.com:443", "https://example.com", true],
    ["127.0.0.1", "http://127.0.0.1:8080", true],
    ["127.0.0.1:8080", "http://127.0.0.1:8081", false],
    ["::1", "http://[::1]:8080", true],
    ["[::1]:8080", "http://[::1]:8080", true],
    ["*", "https://anything.test", true],
    ["a.test, b.test c.test", "https://c.test", true],
    ["", "https://example.com", false],
    ["EXAMPLE.com", "https://Example.COM", true],
  ])("%j for %s: %s", (entries, url, expected) => {
    expect(bypass(entries, url)).toBe(expected);
  });
});
