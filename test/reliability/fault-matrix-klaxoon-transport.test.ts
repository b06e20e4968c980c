import { KLAXOON_TRANSPORT_CASES } from "./fault-cases.js";
import { describeFaultMatrix } from "./describe-fault-matrix.js";

/** One part of the fault matrix (split so each file stays short): see fault-cases.ts and the README's "Reliability". */
describeFaultMatrix("fault matrix: Klaxoon throttling, errors, lost connections and slowness", KLAXOON_TRANSPORT_CASES);
