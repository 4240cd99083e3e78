/**
 * `@chrony/fields`: libchrony 0.2's data model in one place — its reports,
 * their response variants and fields, enums, error codes and C API — for
 * every other `@chrony` package to read instead of repeating it.
 *
 * @packageDocumentation
 */
export * from "./codes.js";
export * from "./constants.js";
export * from "./reports.js";
export * from "./protocol.js";
export * from "./capi.js";
export * from "./lookup.js";
