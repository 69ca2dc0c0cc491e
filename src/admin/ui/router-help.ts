import { html, type SafeHtml } from './html.js';

/** Examples shown beside the router form; built with JSON.stringify so their escaping is right. */
const EXAMPLES: ReadonlyArray<{ text: string; value: object }> = [
  {
    text: 'Enrollment events of one organisation (every key must match):',
    value: { match_params: { 'context.org_id': '^edX$', name: '^edx\\.course\\.enrollment\\.' } },
  },
  { text: 'Several event names (a list matches any item):', value: { match_params: { name: ['^edx\\.video\\.', '^problem_check$'] } } },
  { text: 'Extra request headers and a statement override:', value: { headers: { 'X-Tenant': 'acme' }, override_args: { version: '1.0.3' } } },
];

export function renderRouterHelp(): SafeHtml {
  return html`<aside class="card" aria-labelledby="help-title">
  <h2 id="help-title">Configurations: examples</h2>
  ${EXAMPLES.map((example) => html`<p>${example.text}</p><pre class="wrap">${JSON.stringify(example.value, null, 1).replace(/\n\s*/g, ' ')}</pre>`)}
  <h2>Good to know</h2>
  <ul>
    <li>Patterns are Python regular expressions run on RE2, so lookaround and backreferences are refused when you save, never at event time.</li>
    <li>Keys are dotted paths from the event root: <code>context.course_id</code>, not <code>course_id</code>.</li>
    <li>Changes reach delivery within a few seconds; queued events wait for a disabled router.</li>
  </ul>
</aside>`;
}
