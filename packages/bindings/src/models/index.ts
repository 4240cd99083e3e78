/**
 * Typed, frozen models of the ten libchrony reports, each with the reader
 * that builds it from a session's current record.
 *
 * @module
 */
export * from "./tracking.js";
export * from "./sources.js";
export * from "./sourcestats.js";
export * from "./rtcdata.js";
export * from "./selectdata.js";
export * from "./activity.js";
export * from "./authdata.js";
export * from "./ntpdata.js";
export * from "./serverstats.js";
export * from "./smoothing.js";
export { referenceIdName, type ModelFields } from "./model.js";
