import { GRAPH_CASES } from "./fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** Graph and Entra faults during a cycle: see fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: Microsoft Graph", GRAPH_CASES);
