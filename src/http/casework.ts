// /api routes for the officer's casework reports: KPIs, rent statements and the evidence pack.
import type { Hono } from 'hono';
import { computeKpis, kpiPeriod } from '../kpis/index.js';
import { localDateOf } from '../rent/schedule.js';
import type { ApiDeps } from './api.js';

export function registerCaseworkRoutes(api: Hono, deps: ApiDeps): void {
  const today = () => localDateOf(deps.clock.now(), deps.timeZone);

  api.get('/kpis', async (c) => {
    const period = kpiPeriod({ from: c.req.query('from'), to: c.req.query('to') }, today());
    return c.json(await computeKpis(deps.sql, period, { policy: deps.policy, timeZone: deps.timeZone }));
  });
}
