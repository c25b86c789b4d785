import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('documents every variable it reads in .env.example, and nothing else', () => {
    const documented = readFileSync('.env.example', 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0]);
    expect([...documented].sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('runs with no configuration at all: embedded database, port 3000, Europe/London', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: null,
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      apiToken: null,
      twilio: null,
      slack: null,
      timeZone: 'Europe/London',
    });
  });

  it('treats the empty values of a copied .env.example as unset', () => {
    const env = Object.fromEntries(
      readFileSync('.env.example', 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.split('=')[0] as string, l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('names every bad variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        TWILIO_SMS_FROM: '07700900123',
        TIME_ZONE: 'Mars/Olympus',
        SLACK_OFFICER_IDS: 'U123,bob',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/TWILIO_SMS_FROM: must be an E\.164 number/);
    expect(message).toMatch(/TIME_ZONE: must be an IANA time zone/);
    expect(message).toMatch(/SLACK_OFFICER_IDS/);
  });

  it('asks for the Twilio credentials together', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` })).toThrow(
      /TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM together/,
    );
  });

  it('is frozen so nothing changes it after boot', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
  });
});
