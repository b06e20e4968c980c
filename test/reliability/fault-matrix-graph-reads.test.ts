import { GRAPH_READ_CASES } from "./fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** One part of the fault matrix (split so each file stays short): see fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: Microsoft Graph reads that fail or come back empty", GRAPH_READ_CASES);
