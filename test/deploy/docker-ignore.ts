import { posix } from 'node:path';

// .dockerignore as Docker reads it (moby/patternmatcher): patterns relative to the build context,
// `*` and `?` within one path segment, `**` across segments, `!` re-includes, the last matching pattern
// wins, and a pattern that matches a folder excludes everything under it.

interface Rule {
  negate: boolean;
  pattern: RegExp;
}

export type IgnoreMatcher = (path: string) => boolean;

/** A matcher that says whether a context-relative path (posix separators) is excluded from the build context. */
export function dockerIgnore(text: string): IgnoreMatcher {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = posix.normalize(line.replace(/^\/+/, ''));
    rules.push({ negate, pattern: toRegExp(line) });
  }
  return (path) => {
    const segments = posix.normalize(path).split('/');
    let excluded = false;
    for (const rule of rules) {
      // The path itself or any folder above it.
      const matches = segments.some((_, i) => rule.pattern.test(segments.slice(0, i + 1).join('/')));
      if (matches) excluded = !rule.negate;
    }
    return excluded;
  };
}

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
