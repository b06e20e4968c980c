import { describe } from "vitest";
import { describeSoak } from "./describe-soak.js";

describe("model-based soak, a soft-deleted user's delta entry carries its rewritten UPN", () => {
  describeSoak(2, { softDeleteMembership: "silent", softDeletedUserDelta: "withProperties" });
});
