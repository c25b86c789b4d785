// createApp(deps): the whole HTTP surface as a Hono app, with no listen(), so tests call app.request().
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Sql } from './db/connect.js';
import { createApi } from './http/api.js';
import { bodyLimits } from './http/body-limits.js';
import { errorBody, handleError } from './http/errors.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import type { Policy } from './rent/policy.js';

export interface AppDeps {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  apiToken: string | null;
  timeZone: string;
  /** Vendor webhooks (Twilio, Slack), mounted by main.ts when configured. */
  mounts?: { path: string; app: Hono }[];
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || randomUUID();
    c.set('requestId' as never, requestId as never);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    // Paths only: query strings and bodies may carry personal data.
    deps.logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  app.use('*', bodyLimits());

  app.get('/healthz', async (c) => {
    try {
      await deps.sql`select 1`;
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'unavailable', message: 'the database does not answer' }, 503);
    }
  });

  app.route('/api', createApi(deps));
  for (const mount of deps.mounts ?? []) app.route(mount.path, mount.app);

  app.notFound((c) => c.json(errorBody('not_found', 'no such route; see README "HTTP" for the routes'), 404));
  app.onError(handleError(deps.logger));
  return app;
}
