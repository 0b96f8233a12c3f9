import { spawnGateway, type GatewayProcess } from './test-gateway.ts';

/** Several gateway processes sharing one environment (one REDIS_URL), each with its own REPLICA_ID. */
export interface ReplicaSet {
  replicas: GatewayProcess[];
  /** The replica `index % n`: spreads requests round-robin, as a load balancer would. */
  at(index: number): GatewayProcess;
  /** Starts replica `index` again (after a kill) with the same environment. */
  restart(index: number): Promise<GatewayProcess>;
  stop(): Promise<void>;
}

export async function startReplicas(count: number, env: Record<string, string>): Promise<ReplicaSet> {
  const start = (index: number) => spawnGateway({ ...env, REPLICA_ID: `replica-${index + 1}` });
  // One after the other: three cold tsx starts at once on two cores take longer than in a row.
  const replicas: GatewayProcess[] = [];
  try {
    for (let index = 0; index < count; index++) replicas.push(await start(index));
  } catch (err) {
    await Promise.all(replicas.map((r) => r.stop()));
    throw err;
  }
  return {
    replicas,
    at: (index) => replicas[index % replicas.length]!,
    async restart(index) {
      await replicas[index]!.stop();
      replicas[index] = await start(index);
      return replicas[index]!;
    },
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

/** `GET /v1/health` of one replica. */
export async function healthOf(replica: GatewayProcess, key?: string): Promise<any> {
  const response = await fetch(`${replica.url}/v1/health`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return response.json();
}

/** Polls `check` every 20 ms until it holds; resolves with the milliseconds it took, rejects past `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
