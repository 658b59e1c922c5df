/**
 * Maps a request path to a file of the built renderer, and to nothing outside it. The
 * path is refused when it tries to climb out (`..` plain or percent-encoded, a backslash,
 * an encoded slash, NUL) and a file found is used only if its real path, symlinks
 * followed, is still inside the root. `/` is index.html; nothing else falls back to it
 * (the renderer routes by hash, so a path that is not a file is a mistake).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StaticFileLookup =
  | { kind: 'file'; file: string; contentType: string }
  /** The path is malformed or tries to leave the root: 400. */
  | { kind: 'refused' }
  /** No such file inside the root: 404. */
  | { kind: 'missing' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
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
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Percent-encodings of characters no asset path needs and traversal tricks use. */
const ENCODED_SEPARATOR_OR_NUL = /%(2f|5c|00)/i;

/** The path's segments, or null when it is malformed or tries to leave the root. */
export function pathSegments(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null;
  if (pathname.includes('\\') || ENCODED_SEPARATOR_OR_NUL.test(pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  return segments;
}

/**
 * Looks `pathname` (the URL's path, still percent-encoded, no query) up under `root`,
 * which must already be a real path (no symlinks in it).
 */
export async function lookUpStaticFile(root: string, pathname: string): Promise<StaticFileLookup> {
  const segments = pathname === '/' ? ['index.html'] : pathSegments(pathname);
  if (segments === null) return { kind: 'refused' };
  // Empty segments (`//x`, a trailing slash) and dotfiles name nothing the build serves.
  if (segments.some((segment) => segment === '' || segment.startsWith('.'))) {
    return { kind: 'missing' };
  }
  const candidate = path.join(root, ...segments);
  let real: string;
  try {
    real = await realpath(candidate);
    if (!(await stat(real)).isFile()) return { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
  if (!real.startsWith(root + path.sep)) return { kind: 'refused' };
  return { kind: 'file', file: real, contentType: contentTypeOf(real) };
}
