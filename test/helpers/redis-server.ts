import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortInUseError, startOnFreePort } from './listen-port.ts';

/** A real `redis-server` on a loopback port, for tests; it can be stopped and started again on the same port. */
export interface RedisServerHandle {
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Kills the server (an outage, as abrupt as a crash) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted) and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;
const NOT_INSTALLED = 'redis-server is not installed or not on PATH: install the Debian package "redis-server" (apt-get install redis-server); the cache tests need a real one';

/**
 * Starts `redis-server` on a free loopback port, with persistence off and a temporary directory. Redis
 * cannot listen on port 0 and say what it got, so the port is a candidate from listen-port.ts, and
 * another is tried when this one turns out to be taken. `tryFirst`: ports to try before the random ones.
 */
export async function startRedisServer(tryFirst: number[] = []): Promise<RedisServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'mana-llm-redis-'));
  let child: ChildProcess | undefined;
  // A test run that dies must not leave a redis-server behind.
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanUp = (): void => {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await startOnFreePort(async (candidate) => {
      child = await launch(candidate, dir);
      return candidate;
    }, tryFirst);
  } catch (err) {
    cleanUp();
    throw err;
  }

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
      cleanUp();
    },
  };
  return handle;
}

/**
 * Runs redis-server on `port` and resolves once it says it accepts connections. Its own words, not a PING:
 * a PING could be answered by whichever server already holds the port. Throws PortInUseError when the
 * port is taken.
 */
function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let ready = false;
  return new Promise<ChildProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} did not get ready within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    // Read for as long as it runs (a full pipe would block it), but keep only what it said until ready.
    const onData = (chunk: Buffer): void => {
      if (ready) return;
      output += chunk.toString('utf8');
      if (/Ready to accept connections/.test(output)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new Error(NOT_INSTALLED) : err);
    });
    // After it was ready this changes nothing: the promise is settled.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (/Address already in use/.test(output)) reject(new PortInUseError(port, output));
      else reject(new Error(`redis-server on port ${port} exited at start (${signal ?? `code ${code}`}):\n${output}`));
    });
  });
}
