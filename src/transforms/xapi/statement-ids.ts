import { pythonJsonDumps } from '../shared/python-json.js';
import { Uuid5SuffixHasher } from '../shared/sha1-prefix.js';
import { Utf8Writer } from '../shared/utf8-writer.js';
import { NAMESPACE_DNS, uuid5Bytes, uuidBytes } from '../shared/uuid5.js';
import { ActorBytesCache, idPrefix, type ActorIdBytes } from './actor-bytes.js';
import type { Agent, Verb } from './statement.js';
import { EN } from './vocabulary.js';

const DNS_BYTES = uuidBytes(NAMESPACE_DNS);

/** A verb's Python JSON and uuid5(DNS, that JSON), the namespace of its statements' ids. */
interface VerbIdParts {
  json: string;
  namespace: Buffer;
}

const MAX_VERBS = 1000;
const MAX_CHILD_NAMESPACES = 10_000;

/**
 * ERB's deterministic statement ids, uuid5(uuid5(DNS, verb JSON), `<actor JSON>-<timestamp>`),
 * with the parts that repeat from statement to statement remembered. One per transform context
 * (TransformCaches): what it remembers is made from that context's statements only.
 */
export class StatementIds {
  /**
   * Verb id → its word and id parts. Holds only verbs of the vocabulary's shape, `{ id, display:
   * { en: word } }` with the members in that order: their JSON depends on the id and the word
   * alone, so the id is the key and the word is compared on a hit. Other verbs are hashed each time.
   */
  private readonly verbs = new Map<string, { word: string; parts: VerbIdParts }>();
  /**
   * Verb JSON → child id → uuid5(DNS, `<verb JSON>-<child id>`): a pure function of the two keys.
   * The child id is the question's input id, which every learner answering that problem shares,
   * so this spares a second SHA-1 per child statement.
   */
  private readonly childNamespaces = new Map<string, Map<string, Buffer>>();
  private readonly actors = new ActorBytesCache();
  private readonly hasher = new Uuid5SuffixHasher();
  private readonly namespaceWriter = new Utf8Writer();

  /** The actor's part of every id of its statements (see ActorBytesCache for what is compared). */
  actorBytes(actor: Agent): ActorIdBytes {
    return this.actors.bytesOf(actor);
  }

  /** The id of a statement by this actor, with this verb, at this raw timestamp text. */
  id(actor: ActorIdBytes, verb: Verb, rawTimestamp: string, childId?: string): string {
    const verbParts = this.verbIdParts(verb);
    const namespace = childId === undefined ? verbParts.namespace : this.childNamespace(verbParts.json, childId);
    return this.hasher.uuid5WithSuffix(idPrefix(actor, namespace, this.hasher), rawTimestamp);
  }

  private verbIdParts(verb: Verb): VerbIdParts {
    const word = vocabularyWord(verb);
    const cached = word !== undefined ? this.verbs.get(verb.id) : undefined;
    if (cached !== undefined && cached.word === word) return cached.parts;
    const json = pythonJsonDumps(verb);
    const parts = { json, namespace: uuid5Bytes(DNS_BYTES, json, this.namespaceWriter) };
    if (word !== undefined && this.verbs.size < MAX_VERBS) this.verbs.set(verb.id, { word, parts });
    return parts;
  }

  private childNamespace(verbJson: string, childId: string): Buffer {
    let byChild = this.childNamespaces.get(verbJson);
    if (byChild === undefined) {
      byChild = new Map();
      if (this.childNamespaces.size < MAX_VERBS) this.childNamespaces.set(verbJson, byChild);
    }
    let namespace = byChild.get(childId);
    if (namespace === undefined) {
      namespace = uuid5Bytes(DNS_BYTES, `${verbJson}-${childId}`, this.namespaceWriter);
      if (byChild.size >= MAX_CHILD_NAMESPACES) byChild.clear();
      byChild.set(childId, namespace);
    }
    return namespace;
  }
}

const VERB_MEMBERS = ['id', 'display'];

/** The `en` word of a verb of the vocabulary's shape (see `verbs` above); otherwise undefined. */
function vocabularyWord(verb: Verb): string | undefined {
  let members = 0;
  for (const key in verb) {
    if (key !== VERB_MEMBERS[members] || !Object.hasOwn(verb, key)) return undefined;
    members++;
  }
  if (members !== VERB_MEMBERS.length) return undefined;
  const display = verb.display;
  let words = 0;
  for (const key in display) {
    if (key !== EN || !Object.hasOwn(display, key)) return undefined;
    words++;
  }
  return words === 1 ? display[EN] : undefined;
}
