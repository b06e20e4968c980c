/** Connection failures in words: the endpoint, the proxy (never its credentials), the certificate problem, the key. */
import { describe, expect, it } from "vitest";
import { describeConnectionFailure, type ConnectionSettings } from "../../src/net/index.js";

const graph: ConnectionSettings = {
  name: "Graph",
  proxy: null,
  ca: null,
  caKey: "graph.tls.caFile",
  urlKey: "graph.endpoint",
};
const behindProxy: ConnectionSettings = {
  ...graph,
  proxy: {
    https: { url: "http://proxy.corp:3128", authorization: "Basic YWdlbnQ6czNjcmV0", from: "HTTPS_PROXY" },
    http: null,
    noProxy: ["graph.local"],
  },
};

/** As undici's fetch throws them: a TypeError whose cause carries the code. */
const failed = (code: string, message = code) =>
  new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });

describe("describeConnectionFailure", () => {
  it.each([
    [
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      /issued by a CA that is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set graph\.tls\.caFile/,
    ],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", /not trusted \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\): set graph\.tls\.caFile/],
    [
      "SELF_SIGNED_CERT_IN_CHAIN",
      /chains to a CA that is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\): set graph\.tls\.caFile/,
    ],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\): set graph\.tls\.caFile/],
    ["CERT_HAS_EXPIRED", /is expired \(CERT_HAS_EXPIRED\): renew it on the server/],
    ["ERR_TLS_CERT_ALTNAME_INVALID", /hostname mismatch\): set graph\.endpoint to a name the certificate covers/],
  ])("%s: permanent, with what fixes it", (code, words) => {
    const failure = describeConnectionFailure(failed(code), graph, "https://graph.example/v1.0/users");
    expect(failure?.permanent).toBe(true);
    expect(failure?.message).toMatch(/^Graph TLS: the certificate of graph\.example /);
    expect(failure?.message).toMatch(words);
  });

  it("says when the CA file set does not hold the issuer", () => {
    const failure = describeConnectionFailure(
      failed("UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
      { ...graph, ca: "-----BEGIN CERTIFICATE-----…" },
      "https://graph.example/",
    );
    expect(failure?.message).toContain("(the file set now does not hold it)");
  });

  it("leaves a plain network error of a direct connection to the caller", () => {
    expect(describeConnectionFailure(failed("ECONNRESET"), graph, "https://graph.example/")).toBeNull();
  });

  it("names the proxy of a failed tunnel, never its credentials; a proxy's 5xx may pass", () => {
    const refused = describeConnectionFailure(
      new Error("Proxy response (403) !== 200 when HTTP Tunneling"),
      behindProxy,
      "https://graph.example/v1.0/users",
    );
    expect(refused).toEqual({
      message:
        "Graph: proxy http://proxy.corp:3128 (from HTTPS_PROXY) refused to open a tunnel to graph.example (HTTP 403)",
      permanent: true,
    });
    const upstream = describeConnectionFailure(
      new Error("Proxy response (502) !== 200 when HTTP Tunneling"),
      behindProxy,
      "https://graph.example/",
    );
    expect(upstream?.permanent).toBe(false);
    const down = describeConnectionFailure(failed("ECONNREFUSED"), behindProxy, "https://graph.example/");
    expect(down?.message).toBe(
      "Graph: cannot reach graph.example through proxy http://proxy.corp:3128 (from HTTPS_PROXY): ECONNREFUSED",
    );
    for (const failure of [refused, upstream, down])
      expect(JSON.stringify(failure)).not.toMatch(/YWdlbnQ6czNjcmV0|s3cret/);
  });

  it("a host NO_PROXY names is direct: no proxy in the words", () => {
    expect(describeConnectionFailure(failed("ECONNREFUSED"), behindProxy, "https://graph.local/")).toBeNull();
    const tls = describeConnectionFailure(failed("CERT_HAS_EXPIRED"), behindProxy, "https://graph.local/");
    expect(tls?.message).not.toContain("proxy");
  });
});
