import type { Logger } from '../log/logger.ts';
import { AliasFileError } from '../errors/alias-file-error.ts';
import { readAliasFile, type AliasSet } from './alias-file.ts';

export interface AliasChanges {
  added: string[];
  removed: string[];
  changed: string[];
  defaultChanged: boolean;
}

/**
 * Holds the alias set in force. A reload swaps the whole set at once, and only when the new file is valid:
 * a request reads `current` once and keeps that chain however often the file changes under it.
 */
export class AliasRegistry {
  private set: AliasSet;

  constructor(
    private readonly path: string,
    initial: AliasSet,
    private readonly log: Logger,
  ) {
    this.set = initial;
  }

  get current(): AliasSet {
    return this.set;
  }

  /** Re-reads the file. A bad file is logged with its reason and the previous aliases stay in force. */
  async reload(): Promise<AliasChanges | undefined> {
    let next: AliasSet;
    try {
      next = await readAliasFile(this.path);
    } catch (err) {
      const reason = err instanceof AliasFileError ? err.message : String(err);
      this.log.error({ path: this.path, reason }, `alias reload rejected, previous aliases stay in force: ${reason}`);
      return undefined;
    }
    const changes = diff(this.set, next);
    this.set = next;
    this.log.info({ path: this.path, ...changes }, 'aliases reloaded');
    return changes;
  }
}

function diff(before: AliasSet, after: AliasSet): AliasChanges {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, alias] of after.aliases) {
    const old = before.aliases.get(name);
    if (!old) added.push(name);
    else if (old.description !== alias.description || old.chain.join('\n') !== alias.chain.join('\n')) changed.push(name);
  }
  const removed = [...before.aliases.keys()].filter((name) => !after.aliases.has(name));
  return { added, removed, changed, defaultChanged: before.default !== after.default };
}
