/**
 * Faults are `@chrony/mock-session`'s: one set of builders (`faults.*`), one
 * validator, one handle type for the in-process mock and this fake chronyd.
 * This module only re-exports them for the package's own files.
 */
import type { Fault } from "@chrony/mock-session";

export { ActiveFault, faults, validateFault, type Fault, type FaultHandle } from "@chrony/mock-session";

/**
 * The faults a state file lists (`cli-args.ts`): the shared `Fault`.
 *
 * @deprecated Internal alias kept while `cli-args.ts` still names it; use `Fault`. Not exported by the package.
 */
export type ServerFault = Fault;
