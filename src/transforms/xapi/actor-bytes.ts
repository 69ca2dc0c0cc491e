import { pythonJsonDumps } from '../shared/python-json.js';
import { sha1Prefix, type Sha1Prefix } from '../shared/sha1-prefix.js';
import type { TransformContext } from '../shared/transform-settings.js';
import type { Agent } from './statement.js';

const MAX_ENTRIES = 10_000;

/** A learner's actor JSON bytes and, by namespace, SHA-1 states of `<namespace><actor>-`. */
export interface ActorIdBytes {
  readonly bytes: Buffer;
  readonly prefixes: Map<Uint8Array, Sha1Prefix>;
}

const MAX_PREFIXES = 256;

/**
 * The hashing state of `<namespace><actor JSON>-`, which starts every id of this learner's
 * statements with that namespace (a verb's, or a question's for child statements). Namespaces
 * are remembered objects, so they key the map by identity.
 */
export function idPrefix(actor: ActorIdBytes, namespace: Uint8Array): Sha1Prefix {
  let prefix = actor.prefixes.get(namespace);
  if (prefix === undefined) {
    const message = Buffer.allocUnsafe(namespace.length + actor.bytes.length + 1);
    message.set(namespace, 0);
    message.set(actor.bytes, namespace.length);
    message[message.length - 1] = 0x2d; // '-'
    prefix = sha1Prefix(message);
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
 * and encoding the actor was a fifth of each id's cost. The actor also depends on the LMS URL
 * and IFI type, which are the same for every event of a process; should they change, the
 * entries are dropped rather than keyed by them. Bounded: when full, it starts again empty.
 */
export class ActorBytesCache {
  private lmsUrl: string | undefined;
  private ifiType: string | undefined;
  private readonly entries = new Map<string, ActorIdBytes>();

  bytesOf(ctx: TransformContext, actor: Agent): ActorIdBytes {
    if (ctx.lmsUrl !== this.lmsUrl || ctx.ifiType !== this.ifiType) {
      this.entries.clear();
      this.lmsUrl = ctx.lmsUrl;
      this.ifiType = ctx.ifiType;
    }
    // Within one IFI type and LMS URL, the IFI value alone decides the actor's rendering.
    const identity = actor.account?.name ?? actor.mbox ?? actor.mbox_sha1sum ?? '';
    let entry = this.entries.get(identity);
    if (entry === undefined) {
      // ensure_ascii: the rendering is ASCII, so latin1 is its exact UTF-8 encoding.
      entry = { bytes: Buffer.from(pythonJsonDumps(actor), 'latin1'), prefixes: new Map() };
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(identity, entry);
    }
    return entry;
  }
}
