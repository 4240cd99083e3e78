/**
 * koffi, imported on first use so that importing `@chrony/bindings` works
 * even where koffi's native module or libchrony is missing.
 *
 * @module
 */
type Koffi = typeof import("koffi");

let koffiModule: Promise<Koffi> | undefined;

/** The koffi module, loaded once. */
export function importKoffi(): Promise<Koffi> {
  koffiModule ??= import("koffi").then((module) => ("default" in module ? (module.default as Koffi) : module));
  return koffiModule;
}
