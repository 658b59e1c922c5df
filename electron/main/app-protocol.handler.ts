/**
 * Serves the built renderer on `app://coffer/`. Every answer, a refusal included, carries
 * the Content-Security-Policy (the one web mode sends too) and `nosniff`, so a file is
 * only ever run as the type its extension says. Anything the resolver refuses, or that is
 * missing, is a plain 404 that says no more than that.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';
import { confineToRoot, resolveAppAsset } from './app-asset.resolver.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers on every answer of the app protocol. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });
}

export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const resolved = resolveAppAsset(root, request.url);
    if (!resolved.ok) return plain(404, 'Not found');
    const confined = await confineToRoot(root, resolved.filePath);
    if (!confined.ok) return plain(404, 'Not found');
    const body = await fs.readFile(confined.realPath);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': contentTypeOf(resolved.filePath) },
    });
  };
}
