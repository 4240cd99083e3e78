/**
 * The two ways `ChronyConnection` reaches chronyd: the TypeScript libchrony
 * of `@chrony/protocol` over this package's sockets, or the native
 * libchrony through koffi.
 *
 * @module
 */
import type { ChronyLib } from "@chrony/fields";
import { createLibChrony } from "@chrony/protocol";
import { ChronyLibraryError } from "./errors.js";
import { loadNativeLibChrony } from "./native/load.js";
import { UnixDatagramTransport } from "./native/unix-datagram.js";
import { ChronydSockets } from "./transport/sockets.js";

/** `"typescript"`: the command protocol spoken by this package; `"libchrony"`: the C library. */
export type ChronyBackend = "typescript" | "libchrony";

/** What the backend needs to know of the connection's options. */
export interface BackendOptions {
  readonly backend?: ChronyBackend;
  readonly libraryPath?: string;
  readonly clientDirectory?: string;
}

const isUnixPath = (address: string) => address.startsWith("/");

/**
 * The lib of the chosen backend and the addresses it can try. Without
 * native code the TypeScript backend still reads chronyd over UDP: Unix
 * socket paths are then dropped from a default search, and an explicit one
 * fails with a {@link ChronyLibraryError} naming why.
 */
export async function loadBackend(options: BackendOptions, addresses: readonly string[]): Promise<{ lib: ChronyLib; addresses: string[] }> {
  const backend = options.backend ?? (options.libraryPath !== undefined ? "libchrony" : "typescript");
  if (backend === "libchrony") return { lib: await loadNativeLibChrony(options.libraryPath), addresses: [...addresses] };
  if (backend !== "typescript") throw new RangeError(`backend must be "typescript" or "libchrony", got ${JSON.stringify(backend)}`);

  let unix: UnixDatagramTransport | null = null;
  if (addresses.some(isUnixPath)) {
    try {
      unix = await UnixDatagramTransport.create({ clientDirectory: options.clientDirectory });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const udp = addresses.filter((address) => !isUnixPath(address));
      if (udp.length === 0 || addresses.length === 1) {
        throw new ChronyLibraryError(
          `chronyd's Unix socket needs native code that could not be loaded (${reason}); over UDP (e.g. address "127.0.0.1") chronyd still serves tracking, sources, sourcestats, activity, rtcdata and smoothing`,
          [{ path: "koffi", reason }],
        );
      }
      return { lib: createLibChrony(new ChronydSockets()), addresses: udp };
    }
  }
  return { lib: createLibChrony(new ChronydSockets(undefined, unix)), addresses: [...addresses] };
}
