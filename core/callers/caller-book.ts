import { access } from 'node:fs/promises';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_CALLER, defaultCallerWithKey, type Caller } from './caller.ts';
import { CallersFileError, keyDigest, readCallersFile, type CallerSet, type CallersFileContext } from './callers-file.ts';

/**
 * Who holds which key: the callers file in force (swapped whole on a reload, and only for a valid file)
 * and the caller `default` of `API_KEYS` / `GPU_API_KEY`. Keys are looked up by their SHA-256, so a
 * lookup takes the same time whatever the key, and no key is kept.
 */
export class CallerBook {
  private set: CallerSet | undefined;
  private readonly defaults: ReadonlyMap<string, Caller>;

  constructor(
    private readonly path: string,
    initial: CallerSet | undefined,
    defaultKeys: readonly string[],
    private readonly context: () => CallersFileContext,
    private readonly log: Logger,
  ) {
    this.set = initial;
    // One caller object per default key, made once: callers with different keys never share cached answers.
    this.defaults = new Map(defaultKeys.map((key) => {
      const digest = keyDigest(key);
      return [digest, defaultCallerWithKey(`key:${digest.slice(0, 32)}`)];
    }));
  }

  /** No keys anywhere: everyone is the caller `default`. */
  get open(): boolean {
    return this.set === undefined && this.defaults.size === 0;
  }

  /** Whether a callers file is in force (then only an `admin` caller reads what is everyone's). */
  get hasCallersFile(): boolean {
    return this.set !== undefined;
  }

  get callers(): ReadonlyMap<string, Caller> {
    return this.set?.callers ?? new Map();
  }

  /** The caller a presented key belongs to, or undefined for a key nobody has. */
  identify(presentedKey: string): Caller | undefined {
    if (this.open) return DEFAULT_CALLER;
    const digest = keyDigest(presentedKey);
    return this.set?.byKeyDigest.get(digest) ?? this.defaults.get(digest);
  }

  /** Re-reads the file. A bad (or vanished) file is logged with its reason and the previous callers stay in force. */
  async reload(): Promise<boolean> {
    try {
      if (this.set === undefined && !(await exists(this.path))) return false;
      const next = await readCallersFile(this.path, this.context());
      this.set = next;
      this.log.info({ path: this.path, callers: [...next.callers.keys()] }, 'callers reloaded');
      return true;
    } catch (err) {
      const reason = err instanceof CallersFileError ? err.message : String(err);
      this.log.error({ path: this.path, reason }, `callers reload rejected, previous callers stay in force: ${reason}`);
      return false;
    }
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
