// Older models wrap JSON-mode answers in Markdown fences (```json … ```) even when asked for bare JSON.
// A caller that asked for JSON gets it bare: these functions remove one fence pair around the whole
// answer and leave anything else untouched.

const WHOLE = /^\s*```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?[ \t]*```\s*$/;

/** The answer without a fence pair around all of it; unchanged when it has none. */
export function stripJsonFences(text: string): string {
  const match = WHOLE.exec(text);
  return match ? match[1]! : text;
}

/**
 * The same for a stream, piece by piece, never holding more than a fence's worth of text: the opening
 * fence line is swallowed once it is recognized, and a tail that could be the closing fence is held back
 * until more text shows it is not (or the stream ends and shows it is).
 */
export class JsonFenceStripper {
  private state: 'start' | 'fenced' | 'plain' = 'start';
  private pending = '';

  push(text: string): string {
    this.pending += text;
    if (this.state === 'start') {
      const trimmed = this.pending.trimStart();
      if (trimmed.length < 3 && !/[^`]/.test(trimmed)) return '';
      if (!trimmed.startsWith('```')) {
        this.state = 'plain';
      } else {
        const newline = trimmed.indexOf('\n');
        if (newline === -1) return '';
        if (!/^```[A-Za-z0-9_-]*[ \t]*\r?$/.test(trimmed.slice(0, newline))) {
          this.state = 'plain';
        } else {
          this.state = 'fenced';
          this.pending = trimmed.slice(newline + 1);
        }
      }
    }
    if (this.state === 'plain') {
      const out = this.pending;
      this.pending = '';
      return out;
    }
    // Fenced: emit all but a tail that may still turn out to be the closing fence.
    const tail = /\r?\n?[ \t]*`{0,3}[ \t]*\r?\n?[ \t]*$/.exec(this.pending);
    const keep = tail ? tail.index : this.pending.length;
    const out = this.pending.slice(0, keep);
    this.pending = this.pending.slice(keep);
    return out;
  }

  /** What is left at the end of the stream: nothing when it was the closing fence. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    if (this.state === 'fenced' && /^\s*```\s*$/.test(rest)) return '';
    return rest;
  }
}
