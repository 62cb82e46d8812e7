// OfrepWebProviderIT: the stock OpenFeature web provider with DEFAULT options (no pollInterval,
// so it refreshes only through the eventStreams of its bulk answers) on a page of another origin.
// It reports once when ready and then every time the flag's value changes, with Date.now(), so
// the test can measure from its SQL commit to the page seeing the change.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

const params = new URLSearchParams(window.location.search);
const flag = params.get('flag');
const report = (body) => fetch('/report', { method: 'POST', body: JSON.stringify(body) });
window.addEventListener('error', (event) => report({ kind: 'error', message: String(event.message) }));

async function main() {
  const provider = new OFREPWebProvider({
    baseUrl: params.get('api'),
    headers: [['Authorization', `Bearer ${params.get('token')}`]],
  });
  await OpenFeature.setContext({ targetingKey: 'user-1' });
  await OpenFeature.setProviderAndWait(provider);
  const client = OpenFeature.getClient();
  let last = client.getBooleanValue(flag, false);
  let n = 0;
  await report({ kind: 'ready', n, value: last, at: Date.now() });
  client.addHandler(ProviderEvents.ConfigurationChanged, () => {
    const value = client.getBooleanValue(flag, false);
    if (value !== last) {
      last = value;
      n += 1;
      report({ kind: 'changed', n, value, at: Date.now() });
    }
  });
  client.addHandler(ProviderEvents.Error, (details) => report({ kind: 'provider-error', message: String(details?.message) }));
}

main().catch((error) => report({ kind: 'error', message: String(error) }));
