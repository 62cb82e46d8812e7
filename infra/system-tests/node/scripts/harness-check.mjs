// The harness's own check (SdkHarnessIT): the OpenFeature server SDK with its OFREP provider
// evaluates one boolean flag every 50 ms and prints a line each time the answer changes, until it
// has printed CHANGES lines. Settings: API_URL, TOKEN, FLAG, CHANGES.
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const { API_URL, TOKEN, FLAG } = process.env;
const changes = Number(process.env.CHANGES ?? '1');

await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: API_URL, headers: [['Authorization', `Bearer ${TOKEN}`]] }));
const client = OpenFeature.getClient();
let last;
let printed = 0;
while (printed < changes) {
  const details = await client.getBooleanDetails(FLAG, false, { targetingKey: 'user-1' });
  const line = JSON.stringify({ flag: FLAG, value: details.value, reason: details.reason, errorCode: details.errorCode ?? null });
  if (line !== last) {
    console.log(line);
    last = line;
    printed++;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await OpenFeature.close();
