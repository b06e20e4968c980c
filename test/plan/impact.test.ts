import { describe, expect, it } from "vitest";
import { buildPlan, summariseImpact } from "../../src/plan/index.js";
import { desiredUser, input, klaxoonUser } from "./support.js";

describe("summariseImpact", () => {
  it("counts per attribute, leavers (held ones too), newcomers and reactivations, with three examples", () => {
    const plan = buildPlan(
      input({
        desired: [
          ...["a", "b", "c", "d"].map((n) => desiredUser(`s-${n}`, `${n}@contoso.com`, { "name.givenName": "New" })),
          desiredUser("s-new", "new@contoso.com"),
          desiredUser("s-back", "back@contoso.com"),
        ],
        actual: [
          ...["a", "b", "c", "d"].map((n) => klaxoonUser(`k-${n}`, `${n}@contoso.com`, { "name.givenName": "Old" })),
          klaxoonUser("k-back", "back@contoso.com", { active: false }),
          klaxoonUser("k-out1", "out1@contoso.com"),
          klaxoonUser("k-out2", "out2@contoso.com"),
        ],
        links: {
          "s-a": "k-a",
          "s-b": "k-b",
          "s-c": "k-c",
          "s-d": "k-d",
          "s-back": "k-back",
          o1: "k-out1",
          o2: "k-out2",
        },
        outOfScope: ["o1", "o2"],
        maxDeactivations: 1,
      }),
    );
    const impact = summariseImpact(plan);
    expect(impact.attributes[0]).toEqual({
      path: "name.givenName",
      count: 4,
      examples: ["a@contoso.com", "b@contoso.com", "c@contoso.com"],
    });
    expect(impact.leavingScope).toEqual({ count: 2, examples: ["out1@contoso.com", "out2@contoso.com"] });
    expect(impact.entering).toEqual({ count: 1, examples: ["new@contoso.com"] });
    expect(impact.reactivated.count).toBe(1);
    expect(impact.guard).toMatchObject({ held: true, deactivations: 2 });
  });
});
