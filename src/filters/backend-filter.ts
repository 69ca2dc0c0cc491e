import { compilePythonRegex, type CompiledRegex } from './python-regex.js';

/**
 * The per-backend processors of ERB's seed configuration (event-tracking 4.0.0), in order.
 * Every processor must pass an event; the first that refuses it stops the chain.
 */
export type BackendProcessor =
  /** `eventtracking.processors.whitelist.NameWhitelistProcessor`: the name must be in `whitelist`. */
  | { readonly engine: 'NameWhitelistProcessor'; readonly whitelist: readonly string[] }
  /**
   * `eventtracking.processors.regex_filter.RegexFilter`: Python `re.match` of each expression
   * against the name, i.e. anchored at the start only. `allowlist` passes a name that matches
   * any expression; `blocklist` passes a name that matches none.
   */
  | {
      readonly engine: 'RegexFilter';
      readonly filterType: 'allowlist' | 'blocklist';
      readonly regularExpressions: readonly string[];
    };

export type FilterDecision = { pass: true } | { pass: false; reason: 'filtered'; message: string };

/** A pure predicate over the event name; an empty processor list passes every event. */
export type BackendFilter = (eventName: string) => FilterDecision;

const PASS: FilterDecision = Object.freeze({ pass: true });

/**
 * Compile the processors once. Patterns are validated when settings load, so an invalid one
 * here is a programming error and throws.
 */
export function createBackendFilter(processors: readonly BackendProcessor[]): BackendFilter {
  const steps = processors.map(compileStep);
  return (eventName) => {
    for (const [index, step] of steps.entries()) {
      if (!step(eventName)) {
        const engine = processors[index]?.engine ?? 'processor';
        return { pass: false, reason: 'filtered', message: `${engine} #${index + 1} refused "${eventName}"` };
      }
    }
    return PASS;
  };
}

function compileStep(processor: BackendProcessor): (eventName: string) => boolean {
  if (processor.engine === 'NameWhitelistProcessor') {
    const names = new Set(processor.whitelist);
    return (name) => names.has(name);
  }
  const regexes = processor.regularExpressions.map(compileOrThrow);
  const allow = processor.filterType === 'allowlist';
  // Python's re.match anchors at the start of the string only, hence lookingAt().
  return (name) => regexes.some((regex) => regex.matcher(name).lookingAt()) === allow;
}

function compileOrThrow(pattern: string): CompiledRegex {
  const outcome = compilePythonRegex(pattern);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.regex;
}
