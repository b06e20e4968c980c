import { afterEach, describe, expect, it } from "vitest";
import { eqFilter, escapeFilterValue } from "../../src/scim/resources/filter.js";
import { startPair, userAttributes, type Pair } from "./support.js";

const HOSTILE = [
  'o"brien',
  "back\\slash",
  '" or userName pr "',
  '\\" or userName pr \\"',
  'x") or (userName pr',
  "tab\tand\nnewline",
  "ünï côdé 名前",
];

describe("filter values are escaped per RFC 7644", () => {
  it("escapes quotes, backslashes and control characters as JSON does", () => {
    expect(escapeFilterValue('a"b')).toBe('"a\\"b"');
    expect(escapeFilterValue("a\\b")).toBe('"a\\\\b"');
    expect(eqFilter("userName", '" or userName pr "')).toBe('userName eq "\\" or userName pr \\""');
    expect(eqFilter('emails[type eq "work"].value', "a@b")).toBe('emails[type eq "work"].value eq "a@b"');
  });

  it("refuses an attribute path that could smuggle an expression", () => {
    expect(() => eqFilter("userName pr or userName", "x")).toThrow(/not a filterable attribute path/);
  });

  describe("against the emulator", () => {
    let pair: Pair;
    afterEach(async () => pair.close());

    it("finds exactly the hostile userName asked for, and nothing for a non-existent one", async () => {
      pair = await startPair();
      await pair.client.createUser(userAttributes("innocent"));
      for (const name of HOSTILE)
        expect(await pair.client.createUser(userAttributes(name)), name).toMatchObject({ ok: true });
      for (const name of HOSTILE) {
        const found = await pair.client.findUserByUserName(name);
        expect(found, name).toMatchObject({ ok: true, value: { userName: name } });
      }
      expect(await pair.client.findUserByUserName('nobody" or userName pr "')).toEqual({ ok: true, value: null });
      expect(pair.emulator.requestLog.count((e) => e.status === 400)).toBe(0);
    });
  });
});
