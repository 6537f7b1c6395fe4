// Measures the official JS SDK (`authing-js-sdk` 4.23.55) against a running emulator, in Node.
//
// Usage: node js_sdk.js CONFIG_JSON SECONDS CONCURRENCY   (NODE_PATH pointing at the SDK's node_modules)
// CONFIG_JSON is the emulator's first stdout line. Measures each operation one call at a time, then with CONCURRENCY
// calls in flight, and prints one JSON object per measured case on stdout.
'use strict';

const { ManagementClient, AuthenticationClient } = require('authing-js-sdk');

const USERNAME = 'bench';
const PASSWORD = 'Bench-passw0rd!';

// Runs `call` for about `seconds` with `concurrency` workers (Promise.all over them), each calling again as soon as
// its call settles: `concurrency` calls stay in flight.
async function measure(call, seconds, concurrency) {
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      await call();
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { done, elapsed: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function main() {
  const config = JSON.parse(process.argv[2]);
  const seconds = parseFloat(process.argv[3]);
  const concurrency = parseInt(process.argv[4], 10);
  const onError = (code, message) => {
    throw new Error(`authing error ${code}: ${message}`);
  };

  const management = new ManagementClient({
    userPoolId: config.user_pool_id,
    secret: config.secret,
    host: config.host,
    publicKey: config.public_key,
    onError,
  });
  const app = new AuthenticationClient({
    appId: config.app_id,
    userPoolId: config.user_pool_id,
    appHost: config.host,
    publicKey: config.public_key,
    onError,
  });
  const token = (await app.loginByUsername(USERNAME, PASSWORD)).token;

  const operations = [
    ['users.list', () => management.users.list(1, 10), r => r.list.length === 10],
    ['login_by_username', () => app.loginByUsername(USERNAME, PASSWORD), r => Boolean(r.token)],
    ['check_login_status', () => app.checkLoginStatus(token), r => r.status === true],
  ];
  for (const [name, call, check] of operations) {
    if (!check(await call())) throw new Error(`js sdk: ${name} returned an unexpected result`);
    for (const [mode, inFlight] of [['sequential', 1], ['concurrent', concurrency]]) {
      await Promise.all(Array.from({ length: inFlight }, () => call())); // warm-up: open the connections
      const { done, elapsed } = await measure(call, seconds, inFlight);
      console.log(JSON.stringify({ client: 'js', op: name, mode, in_flight: inFlight, calls: done, seconds: elapsed }));
    }
  }
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
