// The harness's own check (SdkHarnessIT): a page on the pages origin loads this bundle and asks
// the API's OFREP endpoint from another origin, then reports what it got.
import { OpenFeature } from '@openfeature/web-sdk';

const params = new URLSearchParams(window.location.search);
fetch(`${params.get('api')}/ofrep/v1/evaluate/flags`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${params.get('token')}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
})
  .then((response) => response.json().then((body) => ({ status: response.status, body })))
  .then((answer) => ({ sdkLoaded: typeof OpenFeature.getClient === 'function', ...answer }))
  .catch((error) => ({ error: String(error) }))
  .then((report) => fetch('/report', { method: 'POST', body: JSON.stringify(report) }));
