// The server side of the webhook benchmark, run as its own process so the load generator does not share
// its event loop: the real app with the Twilio webhook, plus a bare route doing one INSERT per request
// (the ceiling this machine allows). Prints "listening <port>" when ready.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { createSql } from '../src/db/connect.js';
import { loadFlows } from '../src/engine/index.js';
import { fixedClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { loadPolicyFile } from '../src/accounts/policy-file.js';
import { createTwilioInboundRoute } from '../src/twilio/inbound.js';

const [url, authToken, publicBaseUrl, now] = process.argv.slice(2) as [string, string, string, string];
const sql = createSql(url, { max: Number(process.env.BENCH_POOL ?? 10) });
const clock = fixedClock(now);
const logger = silentLogger();
const policy = loadPolicyFile('flows', 'Europe/London');
const flows = loadFlows('flows');

// BENCH_BATCHING=off takes each text alone (receive.ts); a number sets how many batches may be in flight.
const batching =
  process.env.BENCH_BATCHING === 'off'
    ? false
    : process.env.BENCH_BATCHING
      ? { maxInFlight: Number(process.env.BENCH_BATCHING) }
      : {};

const ceiling = new Hono();
ceiling.post('/', async (c) => {
  const body = await c.req.text();
  await sql`insert into bench_ceiling (body) values (${body})`;
  return c.body(null, 200);
});

const app = createApp({
  sql,
  clock,
  logger,
  policy,
  apiToken: null,
  timeZone: 'Europe/London',
  mounts: [
    {
      path: '/twilio/messages',
      app: createTwilioInboundRoute({
        sql,
        flows,
        policy,
        clock,
        logger,
        timeZone: 'Europe/London',
        authToken,
        publicBaseUrl,
        batching,
      }),
    },
    { path: '/bench/ceiling', app: ceiling },
  ],
});
await sql`create table if not exists bench_ceiling (id bigint generated always as identity primary key, body text not null)`;
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
