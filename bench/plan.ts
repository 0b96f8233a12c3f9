// How long and how often each part of the benchmark runs. The full plan fits the issue's "about 10
// minutes" on a 2-core machine; --quick keeps every part but shrinks it, for development and smoke runs.

export interface Plan {
  mode: 'full' | 'quick';
  /** Each measurement is repeated this many times, hops interleaved (direct, floor, gateway, direct, …). */
  rounds: number;
  connections: number[];
  /** The slow upstream's fixed delay. */
  slowUpstreamMs: number;
  loadS: number;
  embeddingsConnections: number;
  /** Sequential 20-chunk streams per hop and round (0 ms between chunks: pure hop overhead). */
  streamsPerRound: number;
  /** Sequential paced streams per hop and round (a delay between chunks: shows any batching). */
  pacedStreamsPerRound: number;
  chunks: number;
  pacedChunkDelayMs: number;
  /** Connections of the alias / open-circuit comparison. */
  aliasConnections: number[];
  /** The paths differ by microseconds, so they get more, shorter rounds than the hop comparison. */
  aliasRounds: number;
  aliasLoadS: number;
  /** Rounds of the caller-with-limits comparison (its difference is a few microseconds: more rounds, for the median). */
  callerRounds: number;
  /** Requests the gateway serves before its "after warm-up" RSS is read. */
  gatewayWarmupRequests: number;
  /** Requests after warm-up before the "after" RSS is read (the runs count; a soak run makes up the rest). */
  soakRequests: number;
  /** Pause between runs, so one run's tail does not land in the next. */
  settleMs: number;
  /**
   * Many long streams open at once through one provider, as a chat platform's real load is: `streams`
   * paced streams of `chunks` chunks `chunkDelayMs` apart, opened evenly over `rampMs`, while a small whole
   * request to the same provider is sent every `probeIntervalMs`.
   */
  manyStreams: { streams: number; rampMs: number; chunks: number; chunkDelayMs: number; probeIntervalMs: number };
}

export const FULL: Plan = {
  mode: 'full',
  rounds: 2,
  connections: [1, 16, 64],
  slowUpstreamMs: 50,
  loadS: 5,
  embeddingsConnections: 16,
  streamsPerRound: 200,
  pacedStreamsPerRound: 30,
  chunks: 20,
  pacedChunkDelayMs: 2,
  aliasConnections: [1, 16],
  aliasRounds: 3,
  aliasLoadS: 4,
  callerRounds: 9,
  gatewayWarmupRequests: 20_000,
  soakRequests: 200_000,
  settleMs: 300,
  manyStreams: { streams: 5_000, rampMs: 5_000, chunks: 40, chunkDelayMs: 250, probeIntervalMs: 50 },
};

export const QUICK: Plan = {
  ...FULL,
  mode: 'quick',
  loadS: 1,
  streamsPerRound: 30,
  pacedStreamsPerRound: 5,
  aliasLoadS: 1,
  callerRounds: 3,
  gatewayWarmupRequests: 3_000,
  soakRequests: 20_000,
  settleMs: 100,
  manyStreams: { streams: 500, rampMs: 2_000, chunks: 20, chunkDelayMs: 250, probeIntervalMs: 50 },
};
