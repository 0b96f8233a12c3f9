import type { HopName } from './hops.ts';
import type { CellSummary, StreamSummary } from './measure.ts';
import type { ManyStreamsFigures } from './many-streams.ts';
import type { MemoryReading } from './memory-reading.ts';
import type { Plan } from './plan.ts';

/** Everything one benchmark run measured: what the table prints, the targets judge and results.json keeps. */
export interface Figures {
  /** Scenarios `chat-0ms` and `chat-<slow>ms`, every hop and connection count. */
  chat: CellSummary[];
  embeddings: CellSummary[];
  streams: {
    chunks: number;
    /** 0 ms between chunks: the hop's own added time. */
    fast: StreamSummary[];
    /** A delay between chunks: a hop that holds chunks back shows fewer reads. */
    paced: StreamSummary[];
    pacedChunkDelayMs: number;
    /** Upstream connections opened by 20 sequential streams on one caller connection, per hop. */
    upstreamConnections: Record<HopName, number>;
  };
  memory: {
    /** Peak RSS of each hop's process over every 64-connection run. */
    peakRssUnder64Mb: Record<HopName, number>;
    /** The gateway at rest after the warm-up and after the soak (see memory-reading.ts). */
    afterWarmup: MemoryReading;
    afterSoak: MemoryReading;
    /** Requests the gateway answered between the two readings. */
    soakRequests: number;
    /** Of the RSS after a full GC. */
    growthPct: number;
  };
  /** Gateway only: scenarios `direct-hit` (openai/…), `alias` and `open-circuit` (mana/… chains). */
  aliasPaths: CellSummary[];
  /** A gateway with a callers file: the direct hit by a caller without limits and by one with every limit (caller-paths.ts). */
  callerPaths: CellSummary[];
  /** The gateway's chat streams and Responses streams of the same answers, alternated. */
  responsesStreams: { chat: StreamSummary; responses: StreamSummary };
  /** Many paced streams open at once through floor and gateway (many-streams.ts), with the plan's shape. */
  manyStreams: Plan['manyStreams'] & { hops: ManyStreamsFigures[] };
}

export function cellOf(cells: CellSummary[], scenario: string, hop: HopName, connections: number): CellSummary | undefined {
  return cells.find((c) => c.scenario === scenario && c.hop === hop && c.connections === connections);
}
