// Who may open the simulator: a browser on this machine (a loopback connection, not forwarded by a proxy),
// which sees the demo landlord's tenancies only; or anyone holding the API token (Bearer header, or the
// cookie set when the page is opened once with ?token=), who may pick any tenancy. Everyone else is refused.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { errorBody } from '../http/errors.js';

export type SimulatorScope = 'demo' | 'all';

export interface SimulatorEnv {
  Variables: { simulatorScope: SimulatorScope };
}

const TOKEN_COOKIE = 'rentline_simulator';
/** The demo landlord's tenancy references all start so (the seed writes them). */
export const DEMO_REF_PREFIX = 'DEMO';

export function isDemoTenancy(ref: string | null | undefined): boolean {
  return typeof ref === 'string' && ref.startsWith(DEMO_REF_PREFIX);
}

function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/i, '');
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** The connecting socket's address (Node server), when the request came over one. */
function remoteAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

function sameToken(given: string | undefined, token: string | null): boolean {
  if (!token || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/** What this request may see: all tenancies (the token), the demo ones (this machine), or nothing. */
export function simulatorScopeOf(c: Context, apiToken: string | null): SimulatorScope | null {
  if (sameToken(bearerOf(c), apiToken) || sameToken(getCookie(c, TOKEN_COOKIE), apiToken)) return 'all';
  const forwarded = FORWARDED.some((h) => c.req.header(h) !== undefined);
  return !forwarded && isLoopbackAddress(remoteAddress(c)) ? 'demo' : null;
}

export function simulatorAccess(apiToken: string | null): MiddlewareHandler<SimulatorEnv> {
  return async function allowLoopbackOrToken(c, next) {
    const queryToken = c.req.query('token');
    if (sameToken(queryToken, apiToken)) {
      // Opened once with ?token=: keep it in a cookie for this page only, and drop it from the address bar.
      setCookie(c, TOKEN_COOKIE, queryToken as string, { path: '/simulator', httpOnly: true, sameSite: 'Strict' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(url.pathname + url.search, 303);
    }
    const scope = simulatorScopeOf(c, apiToken);
    if (scope === null) {
      return c.json(
        errorBody(
          'forbidden',
          'the simulator answers only on this machine (http://localhost), or with the API token: open /simulator?token=<API_TOKEN> or send Authorization: Bearer <API_TOKEN>',
        ),
        403,
      );
    }
    if (c.req.method === 'POST') {
      // A page on another site must not drive the simulator through the visitor's browser.
      const origin = c.req.header('origin');
      if (origin && origin !== 'null' && new URL(origin).host !== new URL(c.req.url).host) {
        return c.json(errorBody('forbidden', 'the simulator takes form posts from its own page only'), 403);
      }
    }
    c.set('simulatorScope', scope);
    await next();
  };
}
