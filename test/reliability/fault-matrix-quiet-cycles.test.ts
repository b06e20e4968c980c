import { QUIET_CYCLE_CASES } from "./quiet-cycle-fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** One part of the fault matrix (split so each file stays short): see quiet-cycle-fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: quiet cycles still prove both ends and their binding", QUIET_CYCLE_CASES);
