import { describe } from "vitest";
import { describeSoak } from "./describe-soak.js";

describe("model-based soak, groups/delta silent on soft deletes (as Microsoft's group delta guide describes)", () => {
  describeSoak(1, { softDeleteMembership: "silent", softDeletedUserDelta: "idOnly" });
});
