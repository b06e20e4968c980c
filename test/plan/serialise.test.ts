import { describe, expect, it } from "vitest";
import { PlanRefusedError } from "../../src/model/index.js";
import { buildPlan } from "../../src/plan/index.js";
import { parsePlan, serialisePlan } from "../../src/plan/serialise.js";
import { desiredUser, input } from "./support.js";

describe("plan files: sealed, checked when read", () => {
  const plan = buildPlan(input({ desired: [desiredUser("s1", "ada@contoso.com")] }));

  it("round-trips a plan with its integrity hash, and reseals a plan that had one", () => {
    const text = serialisePlan(plan);
    const read = parsePlan(text, "plan.json");
    expect(read.operations).toEqual(plan.operations);
    expect(read.integrity).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(serialisePlan(read)).toBe(text);
  });

  it("refuses any edit, even one that keeps the JSON valid, and a plan without its hash", () => {
    const text = serialisePlan(plan);
    const edited = text.replace("ada@contoso.com", "eve@contoso.com");
    expect(() => parsePlan(edited, "plan.json")).toThrow(PlanRefusedError);
    expect(() => parsePlan(edited, "plan.json")).toThrow(
      /plan\.json: the plan's content does not match its integrity hash/,
    );
    const unsealed = JSON.stringify({ ...plan });
    expect(() => parsePlan(unsealed, "plan.json")).toThrow(/integrity/);
  });
});
