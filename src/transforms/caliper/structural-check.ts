import { AGENT_TERMS, CALIPER_ACTIONS, CALIPER_CONTEXT, ENTITY_TERMS, EVENT_ACTIONS, EVENT_PROPERTIES } from './vocabulary.js';

/**
 * Structural checks of Caliper 1.2 events and envelopes, written from the specification text
 * (not from the IMS JSON schemas): required properties, identifiers, terms, the action allowed
 * for the event type, and the formats of date-times and durations. Each check returns the
 * problems found; an empty list means the value passed.
 */

const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const BLANK_NODE = /^_:\S+$/;
/** Caliper DateTime: ISO 8601 with millisecond precision in UTC, `YYYY-MM-DDTHH:mm:ss.SSSZ`. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;
/** ISO 8601 duration (`P0D`, `PT3M14.381S`, `P1W`): at least one component, no sign. */
const N = String.raw`\d+(?:[.,]\d+)?`;
const DURATION = new RegExp(`^P(?!$)(${N}Y)?(${N}M)?(${N}W)?(${N}D)?(T(?=\\d)(${N}H)?(${N}M)?(${N}S)?)?$`);

/** Entity properties holding durations and date-times (Caliper 1.2 entity tables). */
const DURATION_PROPERTIES = new Set(['duration', 'currentTime']);
const DATE_TIME_PROPERTIES = new Set([
  'dateCreated',
  'dateModified',
  'datePublished',
  'dateToActivate',
  'dateToShow',
  'dateToStartOn',
  'dateToSubmit',
  'startedAtTime',
  'endedAtTime',
  'sentTime',
]);
/** Entity properties holding numbers (Caliper 1.2 Score and Result: decimals). */
const NUMBER_PROPERTIES = new Set(['maxScore', 'scoreGiven', 'resultScore', 'maxResultScore']);
/** Event properties whose values are entities (or IRIs). */
const ENTITY_PROPERTIES = ['actor', 'object', 'edApp', 'generated', 'target', 'referrer', 'group', 'membership', 'session', 'federatedSession'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCaliperDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function isIsoDuration(value: unknown): boolean {
  return typeof value === 'string' && DURATION.test(value);
}

function isIri(value: unknown): boolean {
  return typeof value === 'string' && IRI.test(value);
}

/** Problems with one Caliper 1.2 event; empty when it passes. */
export function checkCaliperEvent(event: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(event)) return ['/ the event must be a JSON object'];

  const context = event['@context'];
  const contexts = Array.isArray(context) ? context : [context];
  if (context === undefined) problems.push('/@context is required');
  else if (!contexts.includes(CALIPER_CONTEXT)) problems.push(`/@context must be ${CALIPER_CONTEXT}`);

  if (event['id'] === undefined) problems.push('/id is required');
  else if (typeof event['id'] !== 'string' || !URN_UUID.test(event['id'])) {
    problems.push('/id must be a UUID URN (urn:uuid:…)');
  }

  const type = event['type'];
  let allowed: ReadonlySet<string> | undefined;
  if (type === undefined) problems.push('/type is required');
  else if (typeof type !== 'string' || !EVENT_ACTIONS.has(type)) {
    problems.push(`/type ${JSON.stringify(type)} is not a Caliper 1.2 event term`);
  } else allowed = EVENT_ACTIONS.get(type);

  const action = event['action'];
  if (action === undefined) problems.push('/action is required');
  else if (typeof action !== 'string' || !(CALIPER_ACTIONS.has(action) || (allowed?.has(action) ?? false))) {
    problems.push(`/action ${JSON.stringify(action)} is not a Caliper 1.2 action`);
  } else if (allowed !== undefined && !allowed.has(action)) {
    problems.push(`/action ${action} is not allowed for ${String(type)} (allowed: ${[...allowed].join(', ')})`);
  }

  if (event['actor'] === undefined) problems.push('/actor is required');
  if (event['object'] === undefined) problems.push('/object is required');
  for (const property of ENTITY_PROPERTIES) {
    if (event[property] !== undefined) checkEntity(event[property], `/${property}`, problems, property === 'actor');
  }

  if (event['eventTime'] === undefined) problems.push('/eventTime is required');
  else if (!isCaliperDateTime(event['eventTime'])) {
    problems.push('/eventTime must be an ISO 8601 UTC date-time with milliseconds (YYYY-MM-DDTHH:mm:ss.SSSZ)');
  }

  if (event['extensions'] !== undefined && !isObject(event['extensions'])) {
    problems.push('/extensions must be an object');
  }
  for (const key of Object.keys(event)) {
    if (!EVENT_PROPERTIES.has(key)) problems.push(`/${key} is not a Caliper event property (custom ones go in extensions)`);
  }
  return problems;
}

/**
 * An entity: an IRI string, or an object with an `id` (IRI or blank node) and a known `type`
 * term; its durations and date-times are checked, and nested entities recursively. Values
 * under `extensions` are free-form and not checked.
 */
function checkEntity(value: unknown, path: string, problems: string[], isActor = false): void {
  if (typeof value === 'string') {
    if (!isIri(value)) problems.push(`${path} must be an IRI or an entity object`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkEntity(item, `${path}/${index}`, problems));
    return;
  }
  if (!isObject(value)) {
    problems.push(`${path} must be an IRI or an entity object`);
    return;
  }
  const id = value['id'];
  if (id === undefined) problems.push(`${path}/id is required`);
  else if (typeof id !== 'string' || !(isIri(id) || BLANK_NODE.test(id))) {
    problems.push(`${path}/id must be an IRI or a blank node identifier`);
  }
  const type = value['type'];
  if (type === undefined) problems.push(`${path}/type is required`);
  else if (typeof type !== 'string' || !ENTITY_TERMS.has(type)) {
    problems.push(`${path}/type ${JSON.stringify(type)} is not a Caliper 1.2 entity term`);
  } else if (isActor && !AGENT_TERMS.has(type)) {
    problems.push(`${path}/type ${type} is not an Agent`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === 'extensions') {
      if (!isObject(item)) problems.push(`${path}/extensions must be an object`);
      continue;
    }
    if (DURATION_PROPERTIES.has(key)) {
      if (!isIsoDuration(item)) problems.push(`${path}/${key} must be an ISO 8601 duration`);
    } else if (NUMBER_PROPERTIES.has(key)) {
      if (typeof item !== 'number' || !Number.isFinite(item)) problems.push(`${path}/${key} must be a number`);
    } else if (DATE_TIME_PROPERTIES.has(key)) {
      if (!isCaliperDateTime(item)) problems.push(`${path}/${key} must be an ISO 8601 UTC date-time with milliseconds`);
    } else if (isObject(item) && (item['type'] !== undefined || item['id'] !== undefined)) {
      checkEntity(item, `${path}/${key}`, problems);
    } else if (Array.isArray(item) && item.some((x) => isObject(x) && x['type'] !== undefined)) {
      checkEntity(item, `${path}/${key}`, problems);
    }
  }
}

const ENVELOPE_PROPERTIES = new Set(['sensor', 'sendTime', 'dataVersion', 'data']);

/** Problems with a Caliper 1.2 envelope and the events it carries; empty when it passes. */
export function checkCaliperEnvelope(envelope: unknown): string[] {
  if (!isObject(envelope)) return ['/ the envelope must be a JSON object'];
  const problems: string[] = [];
  if (typeof envelope['sensor'] !== 'string' || envelope['sensor'] === '') {
    problems.push('/sensor is required (a string, ideally an IRI)');
  }
  if (!isCaliperDateTime(envelope['sendTime'])) {
    problems.push('/sendTime is required: an ISO 8601 UTC date-time with milliseconds');
  }
  if (envelope['dataVersion'] !== CALIPER_CONTEXT) problems.push(`/dataVersion must be ${CALIPER_CONTEXT}`);
  const data = envelope['data'];
  if (!Array.isArray(data)) problems.push('/data is required: an array of events');
  else {
    data.forEach((event, index) => {
      for (const problem of checkCaliperEvent(event)) problems.push(`/data/${index}${problem}`);
    });
  }
  for (const key of Object.keys(envelope)) {
    if (!ENVELOPE_PROPERTIES.has(key)) problems.push(`/${key} is not an envelope property (Caliper permits no custom ones)`);
  }
  return problems;
}
