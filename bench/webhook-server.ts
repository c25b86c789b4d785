// The server side of the webhook benchmark, run as its own process so the load generator does not share
// its event loop: the service built as main.ts builds it (src/service.ts), plus a bare route doing one
// INSERT per request (the ceiling this machine allows). Prints "listening <port>" when ready.
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config.js';
import { createSql } from '../src/db/connect.js';
import { fixedClock } from '../test/support/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { buildService } from '../src/service.js';

const [url, authToken, publicBaseUrl, now] = process.argv.slice(2) as [string, string, string, string];
const sql = createSql(url, { max: Number(process.env.BENCH_POOL ?? 10) });

// BENCH_BATCHING=off takes each text alone (receive.ts); a number sets how many batches may be in flight.
const batching =
  process.env.BENCH_BATCHING === 'off'
    ? false
    : process.env.BENCH_BATCHING
      ? { maxInFlight: Number(process.env.BENCH_BATCHING) }
      : {};

// The service as main.ts builds it, never started: only its webhook is measured, nothing is sent.
const config = loadConfig({
  PUBLIC_BASE_URL: publicBaseUrl,
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: authToken,
  TWILIO_SMS_FROM: '+447700900001',
  TIME_ZONE: 'Europe/London',
});
const service = await buildService(config, {
  database: { sql },
  clock: fixedClock(now),
  logger: silentLogger(),
  batching,
});

// The ceiling goes through the same app (its request log and body limits) as the webhook, so the ratio
// compares the webhook's own work with one INSERT, not Hono's middleware with none.
const app = service.app;
app.post('/bench/ceiling', async (c) => {
  const body = await c.req.text();
  await sql`insert into bench_ceiling (body) values (${body})`;
  return c.body(null, 200);
});

await sql`create table if not exists bench_ceiling (id bigint generated always as identity primary key, body text not null)`;
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
