/**
 * Event names ERB lists for xAPI (or that appear in its fixtures) without a transformer, each with
 * the reason. Such events are skipped with reason `unsupported_event`.
 */
export const XAPI_UNSUPPORTED: Readonly<Record<string, string>> = {
  'edx.video.language_menu.shown': "In ERB's xAPI allow-list but ERB has no transformer for it (it logs an error per event); nothing to map it to.",
  'edx.video.language_menu.hidden': "In ERB's xAPI allow-list but ERB has no transformer for it (it logs an error per event); nothing to map it to.",
};
