import { KLAXOON_CASES } from "./fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** Klaxoon SCIM faults during a cycle: see fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: Klaxoon", KLAXOON_CASES);
