export { recordCycle, type CycleRecord } from "./record-outcome.js";
