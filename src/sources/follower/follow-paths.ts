import { isAbsolute, resolve } from 'node:path';
import { filesMatching } from '../files/files-matching.js';
import { isGlob } from '../files/glob.js';

export { isGlob };

/**
 * The files a pattern names now, as absolute paths. A plain path is returned as it is, whether or
 * not it exists (the follower waits for it); a glob (`*`, `?`, `[…]`, `{a,b}`, `**`, as `replay`
 * reads them) names the files that match at this moment.
 */
export async function expandFollowPattern(pattern: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(pattern);
  if (!isGlob(absolute)) return [absolute];
  return filesMatching(absolute);
}
