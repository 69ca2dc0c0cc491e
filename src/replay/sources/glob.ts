/** True when a source argument is a glob pattern rather than a path. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

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
  const regex = new RegExp(`^${rest.map((segment, i) => (segment === '**' && i === rest.length - 1 ? '.*' : segmentRegex(segment))).join('/').replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?')}$`);
  return { base, deep: rest.length > 1 || rest.includes('**'), matches: (relative) => regex.test(relative) };
}

function segmentRegex(segment: string): string {
  if (segment === '**') return '(?:.*/)?';
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = segment.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${segment.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else out += escape(c);
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.+^$()|\\/]/g, '\\$&').replace(/[*?]/g, (c) => (c === '*' ? '[^/]*' : '[^/]'));
}
