/**
 * Open edX usage keys and IRIs built the way ERB builds them (helpers.py), so that object ids
 * match the statements already stored in an LRS.
 */

/** `<LMS_ROOT_URL>/<type>/<id>`, unescaped, as ERB's `get_object_iri`. */
export function objectIri(lmsUrl: string, type: string, id: string): string {
  return `${lmsUrl}/${type}/${id}`;
}

/** `block-v1` for `course-v1:…`, `ccx-block-v1` for `ccx-v1:…` (ERB `get_block_version`). */
export function blockVersion(courseId: string): string {
  // ERB: the text before the first ":", its last "-"-separated part. Sliced rather than split:
  // this runs for every video and problem event.
  const colon = courseId.indexOf(':');
  const prefix = colon < 0 ? courseId : courseId.slice(0, colon);
  const version = 'block-' + prefix.slice(prefix.lastIndexOf('-') + 1);
  return prefix.includes('ccx') ? 'ccx-' + version : version;
}

/** `<version>:<course part>+type@<type>+block@<id>`; undefined for keys without a `:`. */
export function usageKey(courseId: string, blockType: string, blockId: string): string | undefined {
  const colon = courseId.indexOf(':');
  if (colon < 0) return undefined;
  // The course part is what lies between the first ":" and the next one, if any.
  const next = courseId.indexOf(':', colon + 1);
  const coursePart = next < 0 ? courseId.slice(colon + 1) : courseId.slice(colon + 1, next);
  return `${blockVersion(courseId)}:${coursePart}+type@${blockType}+block@${blockId}`;
}

/** The `activate_block_id` query parameter of a courseware referer, if any (ERB). */
export function blockIdFromReferrer(referrer: string | undefined): string | undefined {
  if (referrer === undefined) return undefined;
  const query = referrer.includes('?') ? (referrer.slice(referrer.indexOf('?') + 1).split('#')[0] ?? '') : '';
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (decodeQueryComponent(key) !== 'activate_block_id') continue;
    const value = eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1));
    // Python's parse_qs drops blank values, so an empty parameter counts as absent.
    if (value) return value;
  }
  return undefined;
}

/** Block id from browser `problem_check` data (`input_<hash>_2_1=…`): element [1] of `_`-split. */
export function blockIdFromProblemData(data: string | undefined, courseId: string | undefined): string | undefined {
  if (data === undefined || courseId === undefined) return undefined;
  const pieces = data.split('_');
  if (pieces.length < 2 || courseId.split(':').length < 2) return undefined;
  return usageKey(courseId, 'problem', pieces[1] as string);
}

/** ERB `get_problem_block_id`: the referer's `activate_block_id`, else the data string. */
export function problemBlockId(referrer: string | undefined, data: string | undefined, courseId: string | undefined): string | undefined {
  return blockIdFromReferrer(referrer) ?? blockIdFromProblemData(data, courseId);
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
