/**
 * Loads libchrony lazily — at the first `ChronyConnection.open()`, never at
 * import — and caches the binding per path.
 *
 * @module
 */
import type { ChronyLib } from "@chrony/fields";
import type { LibraryLoadAttempt } from "../errors.js";
import { bindHost } from "./host.js";
import { importKoffi } from "./koffi.js";
import { bindLibChrony } from "./libchrony.js";
import { libraryCandidates, libraryNotFound } from "./locate.js";

const loaded = new Map<string, Promise<ChronyLib>>();

async function loadFrom(path: string): Promise<ChronyLib> {
  const koffi = await importKoffi();
  const library = koffi.load(path);
  const api = await bindLibChrony(library);
  return Object.freeze({ ...api, ...(await bindHost(api)) });
}

/**
 * The native libchrony with non-blocking sockets, the shared poller's `waitReadable` and `lastErrno`,
 * from the first candidate path that loads.
 *
 * @throws {@link ChronyLibraryError} listing every path tried and why it failed.
 */
export async function loadNativeLibChrony(libraryPath?: string): Promise<ChronyLib> {
  const attempts: LibraryLoadAttempt[] = [];
  for (const path of libraryCandidates(libraryPath)) {
    let pending = loaded.get(path);
    if (!pending) {
      pending = loadFrom(path);
      loaded.set(path, pending);
    }
    try {
      return await pending;
    } catch (error) {
      loaded.delete(path);
      attempts.push({ path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw libraryNotFound(attempts);
}
