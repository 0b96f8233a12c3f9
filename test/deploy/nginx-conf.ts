// A reader for nginx's configuration syntax, enough to check deploy/nginx/nginx.conf without an nginx:
// directives with their arguments, blocks, quoted strings and comments. No includes, no variables.

export interface Directive {
  name: string;
  args: string[];
  /** The directives inside its `{ … }`, for a block. */
  block?: Directive[];
}

export function parseNginxConf(text: string): Directive[] {
  const tokens = tokenize(text);
  let at = 0;
  const readBlock = (closing: boolean): Directive[] => {
    const out: Directive[] = [];
    let words: string[] = [];
    while (at < tokens.length) {
      const token = tokens[at++]!;
      if (token === ';') {
        if (words.length === 0) throw new Error('nginx.conf: an empty directive');
        out.push({ name: words[0]!, args: words.slice(1) });
        words = [];
      } else if (token === '{') {
        if (words.length === 0) throw new Error('nginx.conf: a block without a name');
        out.push({ name: words[0]!, args: words.slice(1), block: readBlock(true) });
        words = [];
      } else if (token === '}') {
        if (!closing || words.length > 0) throw new Error('nginx.conf: an unexpected "}"');
        return out;
      } else {
        words.push(token);
      }
    }
    if (closing || words.length > 0) throw new Error('nginx.conf: unexpected end of file');
    return out;
  };
  return readBlock(false);
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (c === ';' || c === '{' || c === '}') tokens.push(text[i++]!);
    else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        // A backslash keeps the next character (nginx turns \n, \t, \r into control characters).
        if (text[i] === '\\') i++;
        value += text[i++] ?? '';
      }
      if (i >= text.length) throw new Error('nginx.conf: an unterminated string');
      i++;
      tokens.push(value);
    } else {
      let word = '';
      while (i < text.length && !/[\s;{}]/.test(text[i]!)) word += text[i++];
      tokens.push(word);
    }
  }
  return tokens;
}

/** The directives named `name` in `directives` (not below). */
export function all(directives: Directive[], name: string): Directive[] {
  return directives.filter((d) => d.name === name);
}

/** The one directive named `name` in `directives`; several or none is an error. */
export function one(directives: Directive[], name: string, ...args: string[]): Directive {
  const found = directives.filter((d) => d.name === name && args.every((a, n) => d.args[n] === a));
  if (found.length !== 1) throw new Error(`nginx.conf: expected one "${[name, ...args].join(' ')}", found ${found.length}`);
  return found[0]!;
}

/** An nginx time (`330s`, `5m`, `300`: seconds without a unit) in seconds. */
export function seconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`nginx.conf: "${value}" is not a time`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? 's']!;
  return Number(match[1]) * factor;
}

/** An nginx size (`20m`, `512k`, `1048576`) in bytes. */
export function bytes(value: string): number {
  const match = /^(\d+)([kKmMgG])?$/.exec(value);
  if (!match) throw new Error(`nginx.conf: "${value}" is not a size`);
  const factor = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * factor;
}
