import picomatch from 'picomatch';

/** True when a source argument is a glob pattern rather than a path. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/**
 * Shell semantics, as docs/replay.md promises: `*` and `?` match dot files too (`dot`), `[!a-c]`
 * negates (`posix`; without it picomatch reads the `!` as a member), and `(`, `)`, `+`, `@`, `!`
 * are literal: picomatch would read parentheses as groups and `+(…)` as extended globs, and
 * rotated logs are often named `tracking (1).log`.
 */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, posix: true, noextglob: true, nonegate: true };

/**
 * Splits a glob into the directory to walk (its leading segments without glob characters) and a
 * matcher for paths relative to that directory. Supports `*`, `?`, `**` (any depth), `[abc]`,
 * `[!abc]` and `{a,b}`: what shells give, for patterns quoted so the shell leaves them to us.
 */
export function compileGlob(pattern: string): { base: string; deep: boolean; matches: (relative: string) => boolean } {
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex(isGlob);
  const baseSegments = segments.slice(0, firstGlob);
  const base = baseSegments.length === 0 ? '.' : baseSegments.join('/') || '/';
  const rest = segments.slice(firstGlob);
  const matches = picomatch(rest.join('/').replace(/(?<!\\)[()]/g, '\\$&'), OPTIONS);
  return { base, deep: rest.length > 1 || rest.includes('**'), matches: (relative) => matches(relative) };
}
