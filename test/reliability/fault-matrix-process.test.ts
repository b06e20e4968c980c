import { PROCESS_CASES } from "./process-fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** The agent's own process and state faults: see process-fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: the agent's process and state", PROCESS_CASES);
