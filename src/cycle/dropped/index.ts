export { findDroppedAttributes, type DroppedAttribute } from "./find-dropped-attributes.js";
export { reportDroppedAttributes, withFindings } from "./report-dropped-attributes.js";
export { recordDroppedAttributes } from "./record-dropped-attributes.js";
