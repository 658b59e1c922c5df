/**
 * Maps an `app://coffer/...` URL to a file of the built renderer, refusing anything that
 * could name a file outside it. Chromium already normalises standard-scheme URLs before
 * the protocol handler sees them; this does not rely on that. It reads the URL as
 * written, and rather than repairing a suspicious path it refuses it: dot segments,
 * encoded dots or slashes, backslashes, NUL, empty segments (`//etc`), drive letters,
 * hidden files. The renderer's build only ever names plain file paths.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { APP_ORIGIN } from '../../shared/app/desktop-ipc.js';

export type AssetRefusal =
  'NOT_APP_ORIGIN' | 'MALFORMED_PATH' | 'TRAVERSAL' | 'OUTSIDE_ROOT' | 'NOT_A_FILE';

export type AssetResolution =
  { ok: true; filePath: string; relativePath: string } | { ok: false; reason: AssetRefusal };

/** One path segment as the renderer's build writes them: no leading dot, no separators. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._@+~-]*$/;
/** Percent-escapes that decode to something a path segment must not hold. */
const FORBIDDEN_ESCAPE = /%(2e|2f|5c|00|3a)/i;

/** The file under `root` that `url` names, without touching the disk. */
export function resolveAppAsset(root: string, url: string): AssetResolution {
  const prefix = `${APP_ORIGIN}/`;
  if (url !== APP_ORIGIN && !url.startsWith(prefix)) return { ok: false, reason: 'NOT_APP_ORIGIN' };
  const rest = url === APP_ORIGIN ? '' : url.slice(prefix.length);
  const rawPath = rest.split(/[?#]/, 1)[0] ?? '';
  if (rawPath.includes('\\') || FORBIDDEN_ESCAPE.test(rawPath)) {
    return { ok: false, reason: 'TRAVERSAL' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'MALFORMED_PATH' };
  }
  if (decoded === '') decoded = 'index.html';
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, reason: 'TRAVERSAL' };
  }
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    return { ok: false, reason: 'MALFORMED_PATH' };
  }
  const base = path.resolve(root);
  const filePath = path.resolve(base, ...segments);
  const relativePath = path.relative(base, filePath);
  if (relativePath === '' || relativePath.startsWith('..') || path.isAbsolute(relativePath)) {
    return { ok: false, reason: 'OUTSIDE_ROOT' };
  }
  return { ok: true, filePath, relativePath: relativePath.split(path.sep).join('/') };
}

/**
 * The real path of a resolved asset once symbolic links are followed, when it is still a
 * regular file inside the real root; a link that leads out of the build is refused.
 */
export async function confineToRoot(
  root: string,
  filePath: string,
): Promise<{ ok: true; realPath: string } | { ok: false; reason: AssetRefusal }> {
  let realRoot: string;
  let realPath: string;
  try {
    realRoot = await fs.realpath(root);
    realPath = await fs.realpath(filePath);
  } catch {
    return { ok: false, reason: 'NOT_A_FILE' };
  }
  const relativePath = path.relative(realRoot, realPath);
  if (relativePath === '' || relativePath.startsWith('..') || path.isAbsolute(relativePath)) {
    return { ok: false, reason: 'OUTSIDE_ROOT' };
  }
  const stat = await fs.stat(realPath);
  return stat.isFile() ? { ok: true, realPath } : { ok: false, reason: 'NOT_A_FILE' };
}
