import { readFileSync } from 'node:fs';

// The one place a port is chosen for a program that cannot be told "port 0" and report what it got
// (redis-server over TCP). Everything that can listen on port 0 does so instead: the gateway, the fakes,
// the benchmark's own servers. A port picked here is only a candidate: nothing holds it until the program
// binds it, and another process may take it first. So the program's refusal to bind is expected, and the
// start is tried again on another candidate.

/** What a `start` function throws when its program could not bind the port (EADDRINUSE). */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    detail = '',
  ) {
    super(`port ${port} is already in use${detail ? `:\n${detail}` : ''}`);
  }
}

const ATTEMPTS = 8;

/**
 * Calls `start` with a candidate port until it does not throw PortInUseError (at most 8 candidates), and
 * returns what it returned. Any other error ends the attempts at once. `tryFirst` are candidates to try
 * before the random ones (a test of the retry hands in a port it holds).
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, tryFirst: number[] = []): Promise<T> {
  const tried: number[] = [];
  for (;;) {
    const port = tryFirst[tried.length] ?? candidatePort(tried);
    tried.push(port);
    try {
      return await start(port);
    } catch (err) {
      if (!(err instanceof PortInUseError) || tried.length >= ATTEMPTS) throw err;
    }
  }
}

/**
 * A random loopback port outside the kernel's ephemeral range (where it picks the ports of port-0
 * listeners and of outgoing connections), so that a candidate meets only the few fixed-port services of
 * the machine, not the many short-lived ports the tests and their clients use.
 */
export function candidatePort(tried: number[] = []): number {
  const [low, high] = ephemeralRange();
  // Below the range when there is room for it, else above it; 10000 keeps clear of well-known services.
  const [from, to] = low - 1 - 10_000 >= 1000 ? [10_000, low - 1] : high + 1000 <= 65_535 ? [high + 1, 65_535] : [1024, 65_535];
  for (;;) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (!tried.includes(port)) return port;
  }
}

export function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // not Linux: the range Linux uses by default
  }
  return [32_768, 60_999];
}
