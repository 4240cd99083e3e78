/**
 * Every preset by its kebab-case name, with a one-line description.
 *
 * @module
 */
import type { ChronyStateConfig } from "@chrony/mock-session";
import * as presets from "./presets.js";
import { deepFreeze } from "./freeze.js";

/** A preset's entry in {@link SCENARIOS}. */
export interface ScenarioInfo<N extends string = ScenarioName> {
  /** Kebab-case name: the key in {@link SCENARIOS} and the JSON file's name (`json/<name>.json`). */
  readonly name: N;
  /** Name of the exported constant, e.g. `"SCENARIO_NTP_SYNCED"`. */
  readonly constant: string;
  /** What it models, in one line. */
  readonly description: string;
  /** The state itself (the same, deeply frozen, object as the constant). */
  readonly config: ChronyStateConfig;
}

const entry = <N extends string>(name: N, constant: keyof typeof presets, description: string): ScenarioInfo<N> => ({
  name,
  constant,
  description,
  config: presets[constant],
});

const LIST = [
  entry("ntp-synced", "SCENARIO_NTP_SYNCED", "Synchronized to one LAN NTP server (stratum 1): tracking stratum 2, leap normal."),
  entry("unsync", "SCENARIO_UNSYNC", "Just started with no sources: reference ID 0, stratum 0, leap not synchronised."),
  entry("leap-insert", "SCENARIO_LEAP_INSERT", "Synchronized on 2016-12-31 with a leap second to insert at midnight."),
  entry("leap-delete", "SCENARIO_LEAP_DELETE", "Synchronized with a leap second to delete at midnight."),
  entry("gps-refclock", "SCENARIO_GPS_REFCLOCK", "Stratum-1 server on a GPS reference clock (refid GPS, no address)."),
  entry("pps-refclock", "SCENARIO_PPS_REFCLOCK", "Stratum-1 server on a PPS signal, with the GPS clock as noselect ('N')."),
  entry("rtc-available", "SCENARIO_RTC_AVAILABLE", "Synchronized, with the RTC tracked (rtcdata served)."),
  entry("rtc-unavailable", "SCENARIO_RTC_UNAVAILABLE", "Synchronized, without RTC tracking (rtcdata disabled)."),
  entry("multi-source", "SCENARIO_MULTI_SOURCE", "Five servers: selected, combined, too far, falseticker, never reached."),
  entry("falseticker", "SCENARIO_FALSETICKER", "Three servers, one 0.5 s off the others and marked falseticker ('x')."),
  entry("no-majority", "SCENARIO_NO_MAJORITY", "Two disagreeing servers, both falsetickers: no majority, unsynchronized."),
  entry("all-unreachable", "SCENARIO_ALL_UNREACHABLE", "Three servers never reached (reachability 0, 's'): unsynchronized."),
  entry(
    "upstream-lost",
    "SCENARIO_UPSTREAM_LOST",
    "The only server stops answering at 0 s (advance()): a health check sees leap normal and the reference kept throughout, reachability 0 and '?' from 544 s, root dispersion growing 1.022 µs/s.",
  ),
  entry(
    "network-partition",
    "SCENARIO_NETWORK_PARTITION",
    "Three LAN servers cut off at 0 s and back at 1800 s: reachability 0 and '?' from 544 s with the reference and leap normal kept; '*' again at 1800 s.",
  ),
  entry(
    "falseticker-appears",
    "SCENARIO_FALSETICKER_APPEARS",
    "Three LAN servers agree until one goes 0.5 s off at 600 s: it is voted out as a falseticker ('x'), the reference is kept.",
  ),
  entry("leap-second", "SCENARIO_LEAP_SECOND", "An hour before the 2016-12-31 leap second: 'insert second' until it passes at 3600 s, normal after."),
  entry(
    "resume-from-suspend",
    "SCENARIO_RESUME_FROM_SUSPEND",
    "Resumes from suspend at 100 s with the clock 4 s behind: measured at 160 s, slewed out over 48 s; offset beyond 1 s until 196 s, leap normal.",
  ),
  entry("source-added", "SCENARIO_SOURCE_ADDED", "Synchronized, with two sources just added: one with 2 samples ('M'), one with none."),
  entry("jittery", "SCENARIO_JITTERY", "Two of three servers jittery ('~') over a congested path."),
  entry("local-reference", "SCENARIO_LOCAL_REFERENCE", "`local stratum 3` with no sources: reference ID 0x7F7F0101, no address."),
  entry("peer-mode", "SCENARIO_PEER_MODE", "Symmetric peers: synchronized to one peer, combining the other."),
  entry("ipv6-sources", "SCENARIO_IPV6_SOURCES", "Three IPv6 servers, reference IDs hashed from the addresses."),
  entry("nts-authenticated", "SCENARIO_NTS_AUTHENTICATED", "Two NTS servers: AEAD-AES-SIV-CMAC-256 keys, cookies, authenticated."),
  entry("large-offset", "SCENARIO_LARGE_OFFSET", "Clock 12.3 s slow right after start, before makestep steps it."),
  entry("frequency-drift", "SCENARIO_FREQUENCY_DRIFT", "Unstable oscillator: frequency −87.654 ppm, high residual and skew."),
  entry("smoothing-active", "SCENARIO_SMOOTHING_ACTIVE", "Synchronized with smoothtime: smoothing report active."),
  entry("busy-server", "SCENARIO_BUSY_SERVER", "Busy public stratum-2 server (chronyd 4.6): counters past 2^32."),
  entry("many-sources", "SCENARIO_MANY_SOURCES", "64 servers in every selection state."),
  entry("stratum-1", "SCENARIO_STRATUM_1", "Lower stratum boundary: stratum-1 server on a PTP hardware clock."),
  entry("stratum-max", "SCENARIO_STRATUM_MAX", "Upper stratum boundary: a stratum-14 source, so stratum 15."),
  entry("captured-lan-client", "SCENARIO_CAPTURED_LAN_CLIENT", "Captured from real chronyd 4.3 (redacted): client of a local-reference chronyd polled every 1/16 s, plus a second address of it."),
  entry("captured-local-reference", "SCENARIO_CAPTURED_LOCAL_REFERENCE", "Captured from real chronyd 4.3 (redacted): `local stratum 3`, no sources, serving NTP to the other captures."),
  entry("captured-mixed-ipv4-ipv6", "SCENARIO_CAPTURED_MIXED_IPV4_IPV6", "Captured from real chronyd 4.3 (redacted): one server over IPv4 (selected) and IPv6 (combined), plus a third address."),
] as const;

/** The kebab-case name of a preset. */
export type ScenarioName = (typeof LIST)[number]["name"];

/** Every preset's name, in {@link SCENARIOS}' order. */
export const SCENARIO_NAMES: readonly ScenarioName[] = Object.freeze(LIST.map((s) => s.name));

/** Every preset by kebab-case name (`"ntp-synced"`, `"gps-refclock"`, …), with its constant's name and a description. Deeply frozen. */
export const SCENARIOS: { readonly [N in ScenarioName]: ScenarioInfo<N> } = deepFreeze(
  Object.fromEntries(LIST.map((s) => [s.name, s])) as { [N in ScenarioName]: ScenarioInfo<N> },
);

/** Whether `name` is a preset's name. */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
