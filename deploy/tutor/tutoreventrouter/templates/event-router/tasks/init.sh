# edx-event-router: create (or update) the router to Aspects' Ralph through the service's admin
# API. Runs in event-router-job; RALPH_XAPI_URL and the credentials are in its environment only
# when Aspects is enabled (and EVENT_ROUTER_RALPH_ROUTER is on), so that nothing secret is
# printed with this script.
node --input-type=module <<'SCRIPT'
{% raw -%}
const env = process.env;
if (!env.RALPH_XAPI_URL) {
  console.log('event-router init: no Ralph router to create (Aspects not enabled, or EVENT_ROUTER_RALPH_ROUTER off)');
  process.exit(0);
}
const api = env.ADMIN_API_URL.replace(/\/+$/, '');
const headers = { authorization: `Bearer ${env.EVENT_ROUTER_ADMIN_TOKEN}`, 'content-type': 'application/json' };

// The service may still be starting: wait for its HTTP server, up to two minutes.
const deadline = Date.now() + 120_000;
for (;;) {
  try {
    if ((await fetch(`${api}/healthz`)).ok) break;
  } catch {}
  if (Date.now() > deadline) throw new Error(`event-router init: ${api} did not answer within 120 s`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function call(method, path, body) {
  const response = await fetch(`${api}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`event-router init: ${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

// Route URLs are unique: find ours by URL, so a second init updates instead of adding.
const credentials = { authScheme: 'basic', username: env.RALPH_LMS_USERNAME, password: env.RALPH_LMS_PASSWORD };
const { routers } = await call('GET', '/api/routers');
const existing = routers.find((router) => router.routeUrl === env.RALPH_XAPI_URL);
if (existing === undefined) {
  const { router } = await call('POST', '/api/routers', { backend: 'xapi', routeUrl: env.RALPH_XAPI_URL, ...credentials });
  console.log(`event-router init: created router ${router.id} to ${router.routeUrl}`);
} else {
  await call('PATCH', `/api/routers/${existing.id}`, credentials);
  console.log(`event-router init: router ${existing.id} to ${existing.routeUrl} exists; credentials updated`);
}
{%- endraw %}
SCRIPT
