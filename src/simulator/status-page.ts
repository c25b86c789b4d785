// GET /: where a newcomer lands. With the simulator on (no Twilio) and the visitor allowed to use it, the
// simulator; otherwise a short status page: version, whether the database answers, and whether Twilio and
// Slack are configured. Nothing about any tenant. `Accept: application/json` gets the same as JSON.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { Sql } from '../db/connect.js';
import { simulatorScopeOf } from './access.js';
import { escapeHtml } from './blocks-html.js';

interface StatusPageDeps {
  sql: Sql;
  version: string;
  database: 'embedded' | 'external';
  twilioConfigured: boolean;
  slackConfigured: boolean;
  simulatorOn: boolean;
  apiToken: string | null;
}

/** The version in package.json, read once at start. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function createStatusPage(deps: StatusPageDeps): Hono {
  const route = new Hono();
  route.get('/', async (c) => {
    if (deps.simulatorOn && simulatorScopeOf(c, deps.apiToken) !== null) return c.redirect('/simulator', 302);
    const answers = await deps.sql`select 1`.then(
      () => true,
      () => false,
    );
    const status = {
      service: 'rentline',
      version: deps.version,
      database: { kind: deps.database, answers },
      twilio: deps.twilioConfigured ? 'configured' : 'not configured',
      slack: deps.slackConfigured ? 'configured' : 'not configured',
      simulator: deps.simulatorOn ? '/simulator (this machine, or with the API token)' : 'off (Twilio is configured)',
    };
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json(status, answers ? 200 : 503);
    const rows: [string, string][] = [
      ['Version', status.version],
      ['Database', `${status.database.kind}, ${answers ? 'answering' : 'not answering'}`],
      ['Twilio', status.twilio],
      ['Slack', status.slack],
      ['Simulator', status.simulator],
    ];
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Rentline</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}th{text-align:left;padding-right:1rem}td,th{padding:.3rem 0}caption{text-align:left;font-weight:600;padding-bottom:.4rem}</style></head>
<body><h1>Rentline</h1><table><caption>Service status</caption><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>
<p>Health check: <a href="/healthz">/healthz</a>. The operator guide is the README.</p></body></html>`,
      answers ? 200 : 503,
    );
  });
  return route;
}
