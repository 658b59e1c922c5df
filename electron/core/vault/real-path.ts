import * as fs from 'node:fs';
import * as path from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';

/** Linux gives up after 40 links (ELOOP); so do we. */
const MAX_LINKS = 40;

/**
 * The canonical path of `target` with every symlink resolved, also for a path that does not
 * exist yet: the nearest existing ancestor is resolved by the OS and the missing rest is
 * appended. A dangling symlink is followed to where it points, since that is where a file
 * written through it would land.
 */
export function resolveThroughLinks(target: string): string {
  let current = path.resolve(target);
  const missing: string[] = [];
  for (let links = 0; ;) {
    try {
      return path.join(fs.realpathSync(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink() === true) {
      if (++links > MAX_LINKS) {
        throw new CofferError('INVALID_INPUT', `Too many symbolic links in ${target}.`);
      }
      current = path.resolve(path.dirname(current), fs.readlinkSync(current));
      continue;
    }
    const parent = path.dirname(current);
    if (parent === current) return path.join(current, ...missing.reverse());
    missing.push(path.basename(current));
    current = parent;
  }
}

/** True when `inner` is `outer` itself or lies anywhere below it. */
export function isSameOrInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  if (relative === '') return true;
  const escapes = relative === '..' || relative.startsWith(`..${path.sep}`);
  return !escapes && !path.isAbsolute(relative);
}
