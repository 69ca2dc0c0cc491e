/** Where an effective setting came from. */
export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** One problem, with the setting path and where the bad value came from. */
export interface SettingsIssue {
  /** e.g. `EVENT_ROUTER_BACKEND_PROCESSORS.xapi[0].OPTIONS.regular_expressions[1]`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  /** `file` issues carry the file name so the message can say which file. */
  readonly source: SettingSource;
  readonly file?: string;
}

/** `["A", "xapi", 0, "OPTIONS"]` → `A.xapi[0].OPTIONS`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per issue: where the value came from, its path, what is wrong. */
export function formatIssue(issue: SettingsIssue): string {
  const where =
    issue.source === 'file' ? (issue.file ?? 'settings file') : issue.source === 'env' ? 'environment' : issue.source === 'flag' ? 'command line' : 'default';
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** ` (did you mean X?)` for a near miss, else ''. */
export function suggestName(name: string, known: readonly string[]): string {
  const upper = name.toUpperCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = candidate === upper ? 0 : editDistance(upper, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 5)) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
