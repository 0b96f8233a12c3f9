import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { PluginRouteResult } from '../../core/index.ts';

const require = createRequire(import.meta.url);

/**
 * The page's files are served as written, never compiled: beside this module in the sources and in the
 * image (its Dockerfile copies them there), and in the checkout's sources for a compiled tree inside the
 * checkout (`dist/plugins/console/` reads `plugins/console/page/`).
 */
function pageFolder(): URL {
  const beside = new URL('./page/', import.meta.url);
  if (existsSync(beside)) return beside;
  const checkout = new URL('../../../plugins/console/page/', import.meta.url);
  if (existsSync(checkout)) return checkout;
  throw new Error(`the console's page files are missing: looked in ${beside.pathname} and ${checkout.pathname}`);
}

/**
 * Nothing the page loads comes from elsewhere, and nothing it runs is inline: scripts and styles from this
 * origin only, data fetched from this origin only, no frames, no forms posted anywhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
}

/**
 * The page and what it loads, read once at start: the page, its script and style from this folder, and
 * uPlot (charts) from node_modules as published. No build step: the files are served as they are.
 */
export function loadAssets(base: string): Asset[] {
  const here = pageFolder();
  const page = readFileSync(new URL('index.html', here), 'utf8').replaceAll('{{base}}', base);
  const files: Array<[path: string, type: string, body: Buffer]> = [
    [base, 'text/html; charset=utf-8', Buffer.from(page)],
    [`${base}/console.js`, 'text/javascript; charset=utf-8', readFileSync(new URL('console.js', here))],
    [`${base}/console.css`, 'text/css; charset=utf-8', readFileSync(new URL('console.css', here))],
    [`${base}/uplot.js`, 'text/javascript; charset=utf-8', readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'))],
    [`${base}/uplot.css`, 'text/css; charset=utf-8', readFileSync(require.resolve('uplot/dist/uPlot.min.css'))],
  ];
  return files.map(([path, type, body]) => ({ path, type, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }));
}

/** An asset's answer: 304 when the browser holds this version, else the file, with the page's safety headers. */
export function serveAsset(asset: Asset, request: IncomingMessage): PluginRouteResult {
  const headers = {
    'Content-Type': asset.type,
    // Revalidated on every load (the ETag makes that a 304), so a new version of the gateway shows at once.
    'Cache-Control': 'no-cache',
    ETag: asset.etag,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
  if (request.headers['if-none-match'] === asset.etag) return { status: 304, headers, body: '' };
  return { headers, body: asset.body };
}
