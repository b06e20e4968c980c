import { describe } from "vitest";
import { describeSoak } from "./describe-soak.js";

describe("model-based soak, groups/delta reports soft-deleted members leaving", () => {
  describeSoak(20261129, { softDeleteMembership: "reported", softDeletedUserDelta: "idOnly" });
});
