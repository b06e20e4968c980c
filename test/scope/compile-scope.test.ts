import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters, seeded } from "../support/fuzz-seed.js";
import { ConfigError } from "../../src/model/index.js";
import { compileScope } from "../../src/scope/compile-scope.js";
import { SCOPING_OPERATORS, type ScopingClause, type ScopingOperator } from "../../src/scope/types.js";

function clause(attribute: string, operator: ScopingOperator, value?: string): ScopingClause {
  return value === undefined ? { attribute, operator } : { attribute, operator, value };
}

function inScope(c: ScopingClause, attributes: Record<string, unknown>): boolean {
  return compileScope([[c]], "scoping.users").isInScope(attributes);
}

type Row = readonly [name: string, clause: ScopingClause, attributes: Record<string, unknown>, expected: boolean];

const rows: readonly Row[] = [
  // & and !&
  [
    "& : value occurs in the clause's string",
    clause("department", "&", "Sales,Marketing"),
    { department: "Sales" },
    true,
  ],
  ["& : value does not occur", clause("department", "&", "Sales,Marketing"), { department: "Finance" }, false],
  ["& : case-sensitive", clause("department", "&", "Sales,Marketing"), { department: "sales" }, false],
  ["& : null is false", clause("department", "&", "Sales"), {}, false],
  [
    "!& : value absent from the clause's string",
    clause("department", "!&", "Sales,Marketing"),
    { department: "Finance" },
    true,
  ],
  ["!& : value present", clause("department", "!&", "Sales,Marketing"), { department: "Marketing" }, false],
  ["!& : null is false", clause("department", "!&", "Sales"), {}, false],
  // ENDS_WITH
  [
    "ENDS_WITH: matches",
    clause("userPrincipalName", "ENDS_WITH", "@contoso.com"),
    { userPrincipalName: "a@contoso.com" },
    true,
  ],
  [
    "ENDS_WITH: case-sensitive",
    clause("userPrincipalName", "ENDS_WITH", "@contoso.com"),
    { userPrincipalName: "a@Contoso.com" },
    false,
  ],
  ["ENDS_WITH: empty string is false", clause("userPrincipalName", "ENDS_WITH", "m"), { userPrincipalName: "" }, false],
  // EQUALS / NOT EQUALS
  ["EQUALS: MS common filter department sales", clause("department", "EQUALS", "sales"), { department: "sales" }, true],
  [
    "EQUALS: case-sensitive (MS: matches exactly)",
    clause("department", "EQUALS", "sales"),
    { department: "Sales" },
    false,
  ],
  ["EQUALS: null is false", clause("department", "EQUALS", "sales"), { department: null }, false],
  ["EQUALS: number attribute compares as text", clause("employeeNumber", "EQUALS", "42"), { employeeNumber: 42 }, true],
  [
    "EQUALS: Boolean attribute matches true in any case",
    clause("accountEnabled", "EQUALS", "true"),
    { accountEnabled: true },
    true,
  ],
  ["NOT EQUALS: different value", clause("department", "NOT EQUALS", "Sales"), { department: "HR" }, true],
  [
    "NOT EQUALS: case differs counts as different",
    clause("department", "NOT EQUALS", "Sales"),
    { department: "sales" },
    true,
  ],
  ["NOT EQUALS: same value", clause("department", "NOT EQUALS", "Sales"), { department: "Sales" }, false],
  ["NOT EQUALS: null is false (MS: null/empty → false)", clause("department", "NOT EQUALS", "Sales"), {}, false],
  // Includes
  ["Includes: substring", clause("jobTitle", "Includes", "Engineer"), { jobTitle: "Senior Engineer II" }, true],
  ["Includes: case-sensitive", clause("jobTitle", "Includes", "engineer"), { jobTitle: "Senior Engineer" }, false],
  ["Includes: null is false", clause("jobTitle", "Includes", "x"), {}, false],
  // Integer comparisons
  [
    "Greater_Than: MS employee ID range, above",
    clause("employeeId", "Greater_Than", "1000000"),
    { employeeId: "1500000" },
    true,
  ],
  [
    "Greater_Than: equal is not greater",
    clause("employeeId", "Greater_Than", "1000000"),
    { employeeId: "1000000" },
    false,
  ],
  ["Greater_Than: numeric not lexical (9 < 10)", clause("level", "Greater_Than", "10"), { level: "9" }, false],
  ["Greater_Than: number attribute", clause("level", "Greater_Than", "10"), { level: 11 }, true],
  ["Greater_Than: non-integer attribute is false", clause("level", "Greater_Than", "1"), { level: "abc" }, false],
  ["Greater_Than: decimal attribute is false", clause("level", "Greater_Than", "1"), { level: 2.5 }, false],
  ["Greater_Than: null is false", clause("level", "Greater_Than", "1"), {}, false],
  [
    "Greater_Than: 18-digit integers stay exact",
    clause("n", "Greater_Than", "900000000000000000"),
    { n: "900000000000000001" },
    true,
  ],
  ["Greater_Than_OR_EQUALS: equal", clause("level", "Greater_Than_OR_EQUALS", "10"), { level: "10" }, true],
  ["Greater_Than_OR_EQUALS: below", clause("level", "Greater_Than_OR_EQUALS", "10"), { level: "-3" }, false],
  ["Less_Than (our extension): below", clause("level", "Less_Than", "10"), { level: "9" }, true],
  ["Less_Than (our extension): equal", clause("level", "Less_Than", "10"), { level: "10" }, false],
  ["Less_Than_OR_EQUALS (our extension): equal", clause("level", "Less_Than_OR_EQUALS", "10"), { level: 10 }, true],
  ["Less_Than_OR_EQUALS (our extension): null is false", clause("level", "Less_Than_OR_EQUALS", "10"), {}, false],
  // IS TRUE / IS FALSE
  ["IS TRUE: Boolean true", clause("accountEnabled", "IS TRUE"), { accountEnabled: true }, true],
  ["IS TRUE: Boolean false", clause("accountEnabled", "IS TRUE"), { accountEnabled: false }, false],
  [
    'IS TRUE: string "true" (Graph extension attributes)',
    clause("extension_x_flag", "IS TRUE"),
    { extension_x_flag: "TRUE" },
    true,
  ],
  ["IS TRUE: other string", clause("flag", "IS TRUE"), { flag: "yes" }, false],
  ["IS TRUE: null is false", clause("accountEnabled", "IS TRUE"), {}, false],
  ["IS FALSE: Boolean false", clause("accountEnabled", "IS FALSE"), { accountEnabled: false }, true],
  ['IS FALSE: string "false"', clause("flag", "IS FALSE"), { flag: "false" }, true],
  ["IS FALSE: null is not false", clause("accountEnabled", "IS FALSE"), {}, false],
  // IS NULL / IS NOT NULL
  ["IS NULL: absent", clause("jobTitle", "IS NULL"), {}, true],
  ["IS NULL: null", clause("jobTitle", "IS NULL"), { jobTitle: null }, true],
  ["IS NULL: empty string", clause("jobTitle", "IS NULL"), { jobTitle: "" }, true],
  ["IS NULL: present", clause("jobTitle", "IS NULL"), { jobTitle: "x" }, false],
  ["IS NOT NULL: MS example, job title not null", clause("jobTitle", "IS NOT NULL"), { jobTitle: "Engineer" }, true],
  ["IS NOT NULL: empty string", clause("jobTitle", "IS NOT NULL"), { jobTitle: "" }, false],
  ["IS NOT NULL: absent", clause("jobTitle", "IS NOT NULL"), {}, false],
  ["IS NOT NULL: Boolean false is a value", clause("accountEnabled", "IS NOT NULL"), { accountEnabled: false }, true],
  // REGEX MATCH / NOT REGEX MATCH
  [
    "REGEX MATCH: MS common filter domain",
    clause("userPrincipalName", "REGEX MATCH", ".*\\@domain.com"),
    { userPrincipalName: "a@domain.com" },
    true,
  ],
  [
    "REGEX MATCH: MS worker ID range",
    clause("workerID", "REGEX MATCH", "(1[0-9][0-9][0-9][0-9][0-9][0-9])"),
    { workerID: "1234567" },
    true,
  ],
  ["REGEX MATCH: MS example ([1-9][0-9]) unanchored", clause("n", "REGEX MATCH", "([1-9][0-9])"), { n: "x42" }, true],
  ["REGEX MATCH: case-sensitive", clause("department", "REGEX MATCH", "^sales$"), { department: "Sales" }, false],
  ["REGEX MATCH: null is false", clause("department", "REGEX MATCH", ".*"), {}, false],
  [
    "NOT REGEX MATCH: MS common filter, other domain",
    clause("userPrincipalName", "NOT REGEX MATCH", ".*\\@domain.com"),
    { userPrincipalName: "a@other.com" },
    true,
  ],
  [
    "NOT REGEX MATCH: matching domain",
    clause("userPrincipalName", "NOT REGEX MATCH", ".*\\@domain.com"),
    { userPrincipalName: "a@domain.com" },
    false,
  ],
  ["NOT REGEX MATCH: null is false (MS)", clause("userPrincipalName", "NOT REGEX MATCH", "x"), {}, false],
  // Names and multi-valued values
  ["attribute names are case-insensitive", clause("Department", "EQUALS", "Sales"), { department: "Sales" }, true],
  ["no prototype lookup", clause("constructor", "IS NOT NULL"), {}, false],
  [
    "a multi-valued value makes EQUALS false",
    clause("extension_roles", "EQUALS", "a"),
    { extension_roles: ["a"] },
    false,
  ],
  ["a multi-valued value makes IS NULL false", clause("extension_roles", "IS NULL"), { extension_roles: ["a"] }, false],
  [
    "a multi-valued value makes IS NOT NULL false",
    clause("extension_roles", "IS NOT NULL"),
    { extension_roles: ["a"] },
    false,
  ],
  ["an empty list counts as null", clause("extension_roles", "IS NULL"), { extension_roles: [] }, true],
  ["an object value makes clauses false", clause("manager", "IS NOT NULL"), { manager: { id: "1" } }, false],
];

describe("scoping operators", () => {
  it.each(rows)("%s", (_name, c, attributes, expected) => {
    expect(inScope(c, attributes)).toBe(expected);
  });

  it("every operator has a row", () => {
    const covered = new Set(rows.map(([, c]) => c.operator));
    expect(SCOPING_OPERATORS.filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe("groups", () => {
  const ny = clause("state", "EQUALS", "New York");
  const eng = clause("department", "EQUALS", "Engineering");
  const ids = [
    clause("employeeId", "Greater_Than_OR_EQUALS", "1000000"),
    clause("employeeId", "Less_Than_OR_EQUALS", "2000000"),
  ];
  const title = clause("jobTitle", "IS NOT NULL");
  const msExample = compileScope([[ny, eng, ...ids, title]], "scoping.users");
  const person = { state: "New York", department: "Engineering", employeeId: "1500000", jobTitle: "Dev" };

  it("MS example filter: all clauses AND-ed", () => {
    expect(msExample.isInScope(person)).toBe(true);
    expect(msExample.isInScope({ ...person, jobTitle: "" })).toBe(false);
    expect(msExample.isInScope({ ...person, employeeId: "2000001" })).toBe(false);
  });

  it("several filters are OR-ed", () => {
    const scope = compileScope([[ny], [eng]], "scoping.users");
    expect(scope.isInScope({ state: "Ohio", department: "Engineering" })).toBe(true);
    expect(scope.isInScope({ state: "Ohio", department: "Sales" })).toBe(false);
  });

  it("no filters: everything is in scope", () => {
    const scope = compileScope([], "scoping.users");
    expect(scope.isInScope({})).toBe(true);
    expect(scope.explain({})).toBe("in scope: no scoping filters");
    expect(scope.attributes).toEqual([]);
  });

  it("lists the attributes it reads once each", () => {
    expect(msExample.attributes).toEqual(["state", "department", "employeeId", "jobTitle"]);
  });

  it("explains which clause of each filter failed", () => {
    const scope = compileScope([[ny, eng], [clause("department", "EQUALS", "Sales")]], "scoping.users");
    expect(scope.explain({ state: "New York", department: "HR" })).toBe(
      'out of scope: filter 1, clause 2 (department EQUALS "Engineering") is false: department is "HR"; ' +
        'filter 2, clause 1 (department EQUALS "Sales") is false: department is "HR"',
    );
    expect(scope.explain({ state: "New York", department: "Engineering" })).toBe(
      'in scope: filter 1 matches (state EQUALS "New York" AND department EQUALS "Engineering")',
    );
    expect(scope.explain({})).toContain("state is null or empty");
  });
});

describe("invalid filters are refused at load with FILTER_INVALID and their position", () => {
  it.each([
    [
      "a non-integer Greater_Than value",
      [[clause("a", "EQUALS", "x"), clause("n", "Greater_Than", "1.5")]],
      "scoping.users[0][1]",
      "needs an integer value",
    ],
    [
      "a non-integer Less_Than value",
      [[clause("n", "Less_Than", "ten")]],
      "scoping.users[0][0]",
      "needs an integer value",
    ],
    [
      "an invalid regex",
      [[clause("a", "REGEX MATCH", "(")]],
      "scoping.users[0][0]",
      "not a supported regular expression",
    ],
    [
      "a backreference (not linear-time)",
      [[clause("a", "REGEX MATCH", "(a)\\1")]],
      "scoping.users[0][0]",
      "not a supported regular expression",
    ],
    [
      "lookahead (not linear-time)",
      [[clause("a", "NOT REGEX MATCH", "(?=a)a")]],
      "scoping.users[0][0]",
      "not a supported regular expression",
    ],
    [
      "an unknown operator",
      [[{ attribute: "a", operator: "STARTS_WITH" } as unknown as ScopingClause]],
      "scoping.users[0][0]",
      'unknown operator "STARTS_WITH"',
    ],
    ["a missing value", [[clause("a", "EQUALS")]], "scoping.users[0][0]", "needs a value"],
    ["a value on a unary operator", [[clause("a", "IS NULL", "x")]], "scoping.users[0][0]", "takes no value"],
    ["a missing attribute name", [[clause(" ", "IS NULL")]], "scoping.users[0][0]", "attribute name is missing"],
    [
      "a multi-valued Graph attribute",
      [[clause("proxyAddresses", "Includes", "x")]],
      "scoping.users[0][0]",
      "multi-valued",
    ],
    ["group members", [[clause("members", "IS NOT NULL")]], "scoping.users[0][0]", "members"],
    ["IsMemberOf", [[clause("IsMemberOf", "EQUALS", "g")]], "scoping.users[0][0]", "IsMemberOf"],
    ["an empty filter", [[clause("a", "IS NULL")], []], "scoping.users[1]", "at least one clause"],
  ] as const)("%s", (_name, groups, where, reason) => {
    let caught: unknown;
    try {
      compileScope(groups, "scoping.users");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe("FILTER_INVALID");
    expect((caught as ConfigError).message).toContain(`${where}:`);
    expect((caught as ConfigError).message).toContain(reason);
  });
});

describe("regex matching is linear-time (RE2)", () => {
  it("a catastrophic-backtracking pattern for backtracking engines runs fast", () => {
    const scope = compileScope([[clause("a", "REGEX MATCH", "^(a+)+$")]], "scoping.users");
    const start = performance.now();
    expect(scope.isInScope({ a: `${"a".repeat(50_000)}!` })).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("isInScope never throws on any attribute values", () => {
  it(seeded("holds for every operator"), () => {
    const scope = compileScope(
      SCOPING_OPERATORS.map((operator) => [
        clause(
          "x",
          operator,
          ["IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL"].includes(operator)
            ? undefined
            : operator.includes("Than")
              ? "5"
              : "a.*",
        ),
      ]),
      "scoping.users",
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("x", "X", "y"), fc.anything()), (attributes) => {
        expect(typeof scope.isInScope(attributes)).toBe("boolean");
        expect(typeof scope.explain(attributes)).toBe("string");
      }),
      fuzzParameters({ numRuns: 2000 }),
    );
  });
});

describe("trace (the explain command)", () => {
  const GROUP = "00000000-0000-0000-0000-0000000000aa";
  const scope = compileScope(
    [
      [
        { attribute: "department", operator: "EQUALS", value: "Sales" },
        { attribute: "memberOf", operator: "IS MEMBER OF", value: GROUP },
      ],
      [{ attribute: "jobTitle", operator: "IS NOT NULL" }],
    ],
    "scoping.users",
  );

  it("gives every clause of every filter with the value it compared and its verdict", () => {
    const trace = scope.trace({ department: "Sales", jobTitle: "" }, () => false);
    expect(trace).toEqual({
      inScope: false,
      filters: [
        {
          passed: false,
          clauses: [
            { clause: 'department EQUALS "Sales"', value: '"Sales"', passed: true },
            { clause: `memberOf IS MEMBER OF "${GROUP}"`, value: `not a direct member of ${GROUP}`, passed: false },
          ],
        },
        { passed: false, clauses: [{ clause: "jobTitle IS NOT NULL", value: "null or empty", passed: false }] },
      ],
    });
    expect(scope.trace({ department: "Sales" }, () => true).inScope).toBe(true);
  });

  it("without filters: in scope, nothing to trace", () => {
    expect(compileScope([], "scoping.users").trace({})).toEqual({ inScope: true, filters: [] });
  });
});
