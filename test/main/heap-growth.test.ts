import { describe, expect, it } from "vitest";
import { limitHeapGrowth } from "../../src/main/heap-growth.js";

describe("heap growth limit", () => {
  it("leaves an operator's own --heap-growing-percent alone, in either spelling", () => {
    expect(limitHeapGrowth(["--heap-growing-percent=30"])).toBe("operator's own");
    expect(limitHeapGrowth(["--max-old-space-size=512", "--heap_growing_percent=30"])).toBe("operator's own");
  });

  it("applies the agent's limit otherwise (V8 accepts the flag at run time)", () => {
    expect(limitHeapGrowth(["--max-old-space-size=512"])).toBe("applied");
  });
});
