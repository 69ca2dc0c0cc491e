import { pythonJsonDumps } from '../shared/python-json.js';
import type { Sha1Prefix, Uuid5SuffixHasher } from '../shared/sha1-prefix.js';
import type { Agent } from './statement.js';

const MAX_ENTRIES = 10_000;

/** A learner's actor JSON bytes and, by namespace, SHA-1 states of `<namespace><actor>-`. */
export interface ActorIdBytes {
  readonly bytes: Buffer;
  readonly prefixes: Map<Uint8Array, Sha1Prefix>;
}

/** An entry with the members its bytes were rendered from, to check a hit against. */
interface Entry extends ActorIdBytes {
  readonly mbox: string | undefined;
  readonly mboxSha1sum: string | undefined;
  readonly accountName: string | undefined;
  readonly homePage: string | undefined;
}

const MAX_PREFIXES = 256;

/**
 * The hashing state of `<namespace><actor JSON>-`, which starts every id of this learner's
 * statements with that namespace (a verb's, or a question's for child statements).
 *
 * Keyed by the namespace object, not its bytes: right only because namespaces are never written
 * to once made, and each is made once per content by the same StatementIds (its verb and child
 * namespace maps). A namespace made again after its map was emptied is a new key, a miss.
 */
export function idPrefix(actor: ActorIdBytes, namespace: Uint8Array, hasher: Uuid5SuffixHasher): Sha1Prefix {
  let prefix = actor.prefixes.get(namespace);
  if (prefix === undefined) {
    const message = Buffer.allocUnsafe(namespace.length + actor.bytes.length + 1);
    message.set(namespace, 0);
    message.set(actor.bytes, namespace.length);
    message[message.length - 1] = 0x2d; // '-'
    prefix = hasher.prefix(message);
    if (actor.prefixes.size >= MAX_PREFIXES) actor.prefixes.clear();
    actor.prefixes.set(namespace, prefix);
  }
  return prefix;
}

/**
 * The actor's Python JSON as bytes (the learner's part of every statement id), remembered by
 * the value that identifies the learner (anonymous id, mbox or its hash).
 *
 * A learner's events come in runs (one session is dozens to hundreds of events), and rendering
 * and encoding the actor was a fifth of each id's cost. Bounded: when full, it starts again empty.
 *
 * What the key must hold: the bytes are pythonJsonDumps(actor), which depends on every member of
 * the Agent and their order. `objectType` is always 'Agent' and XapiRun builds
 * every actor with its members in one order; the rest — mbox, mbox_sha1sum, account name and
 * home page (the LMS URL) — are compared on every hit, so the IFI value alone is the map key
 * without the cache resting on the LMS URL or IFI type staying the same (actor-bytes.test.ts).
 */
export class ActorBytesCache {
  private readonly entries = new Map<string, Entry>();

  bytesOf(actor: Agent): ActorIdBytes {
    const account = actor.account;
    const identity = account?.name ?? actor.mbox ?? actor.mbox_sha1sum ?? '';
    let entry = this.entries.get(identity);
    if (entry === undefined || !sameRendering(entry, actor)) {
      entry = {
        // ensure_ascii: the rendering is ASCII, so latin1 is its exact UTF-8 encoding.
        bytes: Buffer.from(pythonJsonDumps(actor), 'latin1'),
        prefixes: new Map(),
        mbox: actor.mbox,
        mboxSha1sum: actor.mbox_sha1sum,
        accountName: account?.name,
        homePage: account?.homePage,
      };
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(identity, entry);
    }
    return entry;
  }
}

function sameRendering(entry: Entry, actor: Agent): boolean {
  const account = actor.account;
  return entry.accountName === account?.name && entry.homePage === account?.homePage && entry.mbox === actor.mbox && entry.mboxSha1sum === actor.mbox_sha1sum;
}
