/**
 * A `ChronyLib` wrapper that remembers which sockets and sessions were
 * opened through it, so a test scope can free whatever the code under test
 * left open (and say so).
 *
 * @module
 */
import type { MockChronySession } from "@chrony/mock-session";

/** libchrony's C API as `@chrony/fields` types it (taken from the mock, to need no direct dependency). */
export type ChronyLib = MockChronySession["lib"];
type ChronySessionHandle = NonNullable<Parameters<ChronyLib["chrony_init_session"]>[0][0]>;

/** Counts of handles still open. */
export interface OpenHandles {
  readonly sockets: number;
  readonly sessions: number;
}

/** A lib delegating to another, tracking the handles it hands out. */
export interface TrackedLib {
  readonly lib: ChronyLib;
  /** Handles opened through {@link lib} and not closed yet. */
  open(): OpenHandles;
  /** Deinits every open session and closes every open socket; returns what was open. */
  release(): OpenHandles;
}

/** Wraps `base` so the handles opened through the result are tracked. */
export function trackLib(base: ChronyLib): TrackedLib {
  const sockets = new Set<number>();
  const sessions = new Set<ChronySessionHandle>();
  const lib: ChronyLib = {
    ...base,
    chrony_open_socket: (address) => {
      const fd = base.chrony_open_socket(address);
      if (fd >= 0) sockets.add(fd);
      return fd;
    },
    chrony_close_socket: (fd) => {
      sockets.delete(fd);
      base.chrony_close_socket(fd);
    },
    chrony_init_session: (out, fd) => {
      const err = base.chrony_init_session(out, fd);
      if (out[0]) sessions.add(out[0]);
      return err;
    },
    chrony_deinit_session: (s) => {
      sessions.delete(s);
      base.chrony_deinit_session(s);
    },
  };
  return {
    lib,
    open: () => ({ sockets: sockets.size, sessions: sessions.size }),
    release: () => {
      const was = { sockets: sockets.size, sessions: sessions.size };
      for (const s of [...sessions]) lib.chrony_deinit_session(s);
      for (const fd of [...sockets]) lib.chrony_close_socket(fd);
      return was;
    },
  };
}
