// Runs Unleash's client specification through the real Node SDK (unleash-client) against
// flagsync (SdkClientSpecIT). For each file in PLAN, one SDK instance with that file's client
// token polls /api/client/features; once synchronized, every test (isEnabled) and variantTest
// (getVariant) of the file runs with the case's context, and one line per case is printed:
// {file, mode, kind, index, description, toggle, expected, actual, pass}. SDK errors and warnings
// are printed as {file, mode, event, message}. Settings: API_URL (flagsync's base URL), PLAN (JSON
// [{file, mode, token}]; mode is echoed), SPEC_DIR (optional, defaults to the installed
// @unleash/client-specification).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import unleashClient from 'unleash-client';

const { Unleash, InMemStorageProvider } = unleashClient;
const require = createRequire(import.meta.url);
const specDir = process.env.SPEC_DIR
  ?? path.join(path.dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
const plan = JSON.parse(process.env.PLAN);
const print = (line) => console.log(JSON.stringify(line));

function sameVariant(expected, actual) {
  if (expected.name !== actual.name || expected.enabled !== actual.enabled
      || expected.feature_enabled !== actual.feature_enabled) {
    return false;
  }
  if (!expected.payload) {
    return actual.payload === undefined || actual.payload === null;
  }
  return actual.payload !== undefined && expected.payload.type === actual.payload.type
      && expected.payload.value === actual.payload.value;
}

for (const { file, mode, token } of plan) {
  const report = (line) => print({ file, mode, ...line });
  const spec = JSON.parse(readFileSync(path.join(specDir, file), 'utf8'));
  const unleash = new Unleash({
    url: `${process.env.API_URL}/api/`,
    appName: `flagsync-spec-${file.slice(0, 2)}-${mode}`,
    customHeaders: { Authorization: token },
    storageProvider: new InMemStorageProvider(),
    metricsInterval: 1000,
    refreshInterval: 60000,
    skipInstanceCountWarning: true,
  });
  unleash.on('error', (error) => report({ event: 'error', message: String(error?.message ?? error) }));
  unleash.on('warn', (message) => report({ event: 'warn', message: String(message) }));
  unleash.on('registered', () => report({ event: 'registered' }));
  unleash.on('sent', () => report({ event: 'sent' }));
  // Both before the cases: the register post runs beside the first fetch, and must be answered
  // (2xx emits 'registered') before destroyWithFlush, or its event would be lost.
  await Promise.all(['synchronized', 'registered'].map((event) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} (${mode}): no '${event}' within 30 s`)), 30000);
    unleash.once(event, () => { clearTimeout(timer); resolve(); });
  })));
  (spec.tests ?? []).forEach((test, index) => {
    const actual = unleash.isEnabled(test.toggleName, test.context);
    report({ kind: 'test', index, description: test.description, toggle: test.toggleName,
      expected: test.expectedResult, actual, pass: actual === test.expectedResult });
  });
  (spec.variantTests ?? []).forEach((test, index) => {
    const { featureEnabled, ...actual } = unleash.getVariant(test.toggleName, test.context);
    report({ kind: 'variant', index, description: test.description, toggle: test.toggleName,
      expected: test.expectedResult, actual, pass: sameVariant(test.expectedResult, actual) });
  });
  await unleash.destroyWithFlush();
  report({ event: 'done' });
}
