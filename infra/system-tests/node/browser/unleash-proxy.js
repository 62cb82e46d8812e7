// The browser SDK test (UnleashProxyClientIT): unleash-proxy-client, unchanged, on a page of another
// origin, pointed at flagsync's /api/frontend with a frontend token. The page reports to /report:
//   {event:"ready"|"update", user, toggles, variants, at}  on the SDK's own events (at = Date.now());
//   {event:"fetch", url, method, sentEtag, status, etag}   for each answer to a toggles fetch that is
//                                                          not a repeat of the one before (a 304 after
//                                                          a 304 is not reported);
//   {event:"fetch-failed", url, name}                      for a fetch that got no answer (aborted, network);
//   {event:"metrics", status} / {event:"error", ...}        for metrics posts and SDK errors.
// When it sees the toggle named by ?waitFor= (after a SQL change), it switches the user with
// updateContext({userId: ?nextUser}), as an app does on login, and reports the answer for that user.
import { UnleashClient } from 'unleash-proxy-client';

const params = new URLSearchParams(window.location.search);
const api = params.get('api');
const waitFor = params.get('waitFor');
const nextUser = params.get('nextUser');
const names = (params.get('names') || '').split(',').filter((name) => name);
let user = params.get('user');
let switched = false;
let lastFetch = '';

const report = (body) => fetch('/report', { method: 'POST', body: JSON.stringify(body) });

// The SDK takes a fetch of the app's choosing; this one only watches what goes over the wire.
const watchingFetch = async (url, options) => {
  let response;
  try {
    response = await window.fetch(url, options);
  } catch (error) {
    // The SDK aborts a fetch still in flight when it starts the next one (each refreshInterval):
    // a server slower than the interval never gets an answer through. Say so.
    report({ event: 'fetch-failed', url, name: error.name, error: String(error) });
    throw error;
  }
  const path = new URL(url).pathname;
  if (path.endsWith('/client/metrics')) {
    report({ event: 'metrics', status: response.status });
  } else {
    const seen = {
      event: 'fetch', url, method: options.method, sentEtag: options.headers['if-none-match'] || null,
      status: response.status, etag: response.headers.get('ETag'),
    };
    const key = `${seen.url} ${seen.status} ${seen.etag}`;
    if (key !== lastFetch) {
      lastFetch = key;
      report(seen);
    }
  }
  return response;
};

const client = new UnleashClient({
  url: `${api}/api/frontend`,
  clientKey: params.get('token'),
  appName: 'sdk-frontend-test',
  refreshInterval: Number(params.get('refreshSeconds') || '30'),
  metricsInterval: 1,
  metricsIntervalInitial: 0.5,
  usePOSTrequests: params.get('post') === 'true',
  context: { userId: user, properties: { country: params.get('country') } },
  fetch: watchingFetch,
});

const state = (event) => {
  const toggles = client.getAllToggles().map((toggle) => toggle.name).sort();
  const variants = {};
  const enabled = {};
  for (const name of names) {
    variants[name] = client.getVariant(name).name;
    enabled[name] = client.isEnabled(name); // counted in the metrics the SDK posts
  }
  return { event, user, toggles, enabled, variants, at: Date.now() };
};

client.on('ready', () => report(state('ready')));
client.on('update', () => {
  const now = state('update');
  report(now);
  if (waitFor && nextUser && !switched && now.toggles.includes(waitFor)) {
    switched = true;
    user = nextUser;
    client.updateContext({ userId: nextUser, properties: { country: params.get('country') } });
  }
});
client.on('error', (error) => report({ event: 'error', type: error.type, code: error.code || null, error: String(error.error || '') }));
client.start();
