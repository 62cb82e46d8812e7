// UnleashStreamingSdkIT: the Node server SDK (unleash-client) in streaming mode against
// flagsync's /api/client/streaming. It prints one line on its first synchronisation and one on
// every 'changed' event the SDK emits, each with the answers to CASES, so the test sees what the
// SDK holds after every stream event. Settings: API_URL, TOKEN, CASES (JSON [{toggleName, context}]).
// Runs until killed.
import { initialize, InMemStorageProvider } from 'unleash-client';

const { API_URL, TOKEN } = process.env;
const cases = JSON.parse(process.env.CASES);
const unleash = initialize({
  url: `${API_URL}/api/`,
  appName: 'flagsync-streaming-test',
  customHeaders: { Authorization: TOKEN },
  experimentalMode: { type: 'streaming' },
  disableMetrics: true,
  storageProvider: new InMemStorageProvider(), // no backup file, so nothing but the stream feeds it
});
let n = 0;
const print = (event) => console.log(JSON.stringify({
  event,
  n: n++,
  results: cases.map((c) => unleash.isEnabled(c.toggleName, c.context)),
}));
unleash.on('synchronized', () => print('synchronized'));
unleash.on('changed', () => print('changed'));
unleash.on('warn', (message) => console.error('warn', message));
unleash.on('error', (error) => console.error('error', error));
unleash.on('mode', (mode) => console.log(JSON.stringify({ event: 'mode', mode })));
