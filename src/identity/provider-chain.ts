import type { ProviderAnswer } from './providers.js';

/** One provider as the chain sees it. */
export interface ChainStep<K, T> {
  readonly name: string;
  ask(keys: readonly K[]): Promise<ProviderAnswer<T>>;
}

/** What the chain learned about a batch of keys. */
export interface ChainResult<T> {
  /** The merged answer per key text, for keys at least one provider knows. */
  readonly merged: Map<string, T>;
  /** Keys still incomplete after a provider that was asked about them could not answer: key → reason. */
  readonly uncertain: Map<string, string>;
  /** Names of the providers that said something about each key, in chain order. */
  readonly sources: Map<string, string[]>;
}

export interface ChainOptions<K, T> {
  readonly textOf: (key: K) => string;
  /** Earlier providers win: fields already in `previous` are kept. */
  readonly merge: (previous: T | undefined, next: T) => T;
  /** A complete key is not asked of later providers. */
  readonly complete: (value: T | undefined) => boolean;
  readonly onProviderError?: (provider: string) => void;
}

/**
 * Asks the providers in order, each only about the keys still incomplete, and merges the answers
 * (first answer wins, field by field). A provider that cannot answer marks its keys uncertain:
 * if a later provider completes them they are not, otherwise the caller must retry them.
 */
export async function runChain<K, T>(steps: readonly ChainStep<K, T>[], keys: readonly K[], options: ChainOptions<K, T>): Promise<ChainResult<T>> {
  const merged = new Map<string, T>();
  const uncertain = new Map<string, string>();
  const sources = new Map<string, string[]>();
  for (const step of steps) {
    const pending = keys.filter((key) => !options.complete(merged.get(options.textOf(key))));
    if (pending.length === 0) break;
    let answer: ProviderAnswer<T>;
    try {
      answer = await step.ask(pending);
    } catch (error) {
      // Providers return outcomes, but a bug in one must still not lose the event.
      answer = { ok: false, reason: `${step.name} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!answer.ok) {
      options.onProviderError?.(step.name);
      for (const key of pending) {
        const text = options.textOf(key);
        if (!uncertain.has(text)) uncertain.set(text, answer.reason);
      }
      continue;
    }
    for (const [text, value] of answer.found) {
      merged.set(text, options.merge(merged.get(text), value));
      sources.set(text, [...(sources.get(text) ?? []), step.name]);
    }
  }
  for (const text of [...uncertain.keys()]) {
    if (options.complete(merged.get(text))) uncertain.delete(text);
  }
  return { merged, uncertain, sources };
}
