import { spawn, type ChildProcess } from 'node:child_process';
import { eachLine } from './output-lines.ts';

// A gateway run as a child process. It is always started with PORT=0: the kernel hands it a free port
// when it binds, and the process says which in its listening line. Choosing a port here and passing it on
// would race every other test that binds in between.

const LISTENING = 'mana-llm listening on ';

/** The URL of a gateway's listening line (a JSON log line), or undefined for any other line. */
export function listeningUrl(line: string): string | undefined {
  if (!line.includes(LISTENING)) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return typeof entry.msg === 'string' && entry.msg.startsWith(LISTENING) && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

export interface GatewayProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:port`, as the listening line said. */
  url: string;
  /** Every line written so far (stdout and stderr). */
  output: string[];
  /** Resolves with the first output line matching `pattern` (waiting for it when needed). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The process ended (or hung) before it listened; what it wrote says why. */
export class GatewayStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string[],
  ) {
    super(`${message}:\n${output.join('\n')}`);
  }
}

export interface SpawnGatewayOptions {
  cwd: string;
  /** The whole environment of the child (PORT is set to 0 whatever it says). */
  env: Record<string, string | undefined>;
  /** How long the process may take to listen. */
  timeoutMs?: number;
}

/** Runs `command args` (a gateway entry point) and resolves once it listens, with the URL it reported. */
export async function spawnGatewayProcess(command: string, args: string[], options: SpawnGatewayOptions): Promise<GatewayProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...options.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const onLine = (line: string) => {
    output.push(line);
    for (const waiter of waiters) {
      if (waiter.pattern.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  eachLine(child.stdout!, onLine);
  eachLine(child.stderr!, onLine);
  // 'close', not 'exit': by then its last output has been read too.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const waitForLine = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const found = output.find((l) => pattern.test(l));
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no output line matched ${pattern} within ${timeoutMs}ms:\n${output.join('\n')}`));
      }, timeoutMs);
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.add(waiter);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`gateway exited before ${pattern}:\n${output.join('\n')}`));
      });
    });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };

  const timeoutMs = options.timeoutMs ?? 20_000;
  let url: string | undefined;
  try {
    url = listeningUrl(await waitForLine(/mana-llm listening on /, timeoutMs));
  } catch {
    // Either it exited (its output says why) or it never listened: then it is not left running.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      throw new GatewayStartError(`the gateway did not listen within ${timeoutMs} ms`, await exited, output);
    }
    throw new GatewayStartError(`the gateway exited with ${child.exitCode ?? child.signalCode} before it listened`, await exited, output);
  }
  if (!url) {
    await stop();
    throw new GatewayStartError('the listening line carries no url field', child.exitCode, output);
  }
  return { child, url, output, waitForLine, exited, stop };
}
