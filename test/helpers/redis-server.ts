import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` on a loopback port, for tests; it can be stopped and started again on the same port. */
export interface RedisServerHandle {
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Kills the server (an outage, as abrupt as a crash) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted) and waits until it answers PING. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;
const NOT_INSTALLED = 'redis-server is not installed or not on PATH: install the Debian package "redis-server" (apt-get install redis-server); the cache tests need a real one';

/** Starts `redis-server` on a free loopback port, with persistence off and a temporary directory. */
export async function startRedisServer(): Promise<RedisServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-redis-'));
  let child: ChildProcess | undefined;
  // A test run that dies must not leave a redis-server behind.
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const handle: RedisServerHandle = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) throw new Error(`redis-server on port ${port} is already running`);
      child = await launch(port, dir);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    async close() {
      await handle.stop();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await handle.start();
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new Error(NOT_INSTALLED) : err));
    child.once('exit', (code, signal) => reject(new Error(`redis-server on port ${port} exited at start (${signal ?? `code ${code}`}):\n${output}`)));
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (true) {
    const answered = await Promise.race([ping(port), failed]);
    if (answered) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 20)), failed]);
  }
}

/** Whether a server on the port answers PING with PONG (a raw RESP exchange: no client library involved). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A port the OS just handed out on loopback; free again once our probe server closed. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
