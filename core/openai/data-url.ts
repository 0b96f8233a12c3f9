export interface DataUrl {
  mimeType: string;
  /** The payload as base64 (re-encoded when the URL carried it percent-encoded). */
  base64: string;
}

/** Parses `data:[<mime>][;base64],<payload>`; undefined when the string is not a data URL. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(5, comma).split(';');
  const mimeType = (meta[0] || 'text/plain').toLowerCase();
  const isBase64 = meta.slice(1).some((p) => p.toLowerCase() === 'base64');
  const payload = url.slice(comma + 1);
  const base64 = isBase64 ? payload.replace(/\s+/g, '') : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  return { mimeType, base64 };
}
