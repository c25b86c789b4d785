// `rentline flows check` checks flows/policy.yaml as well as the flow files: each problem with its file and
// field path, exit 1; the time zone is TIME_ZONE's, never the file's.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flowsCheck } from '../../src/cli/flows.js';
import { loadPolicyFile } from '../../src/accounts/policy-file.js';

let dir: string;
let printed: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rentline-flows-'));
  cpSync('flows', dir, { recursive: true });
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function editPolicy(edit: (yaml: string) => string): void {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

describe('flows check', () => {
  it('passes the shipped flows and policy file', () => {
    expect(flowsCheck(dir, 'Europe/London')).toBe(0);
    expect(printed.join('\n')).toMatch(/policy file .*policy\.yaml is valid/);
  });

  it('fails on a bad policy value, naming the file, the field path and what it expects', () => {
    editPolicy((y) => y.replace('grace_days: 3', 'grace_days: -5').replace('max_weeks: 104', 'max_weeks: lots'));
    expect(flowsCheck(dir, 'Europe/London')).toBe(1);
    const out = printed.join('\n');
    expect(out).toContain('has 2 problem(s)');
    expect(out).toMatch(/policy\.yaml, arrears\.grace_days: expects a whole number of days from 0 to 28 \(got -5\)/);
    expect(out).toMatch(
      /policy\.yaml, offers\.max_weeks: expects a whole number of weeks from 1 to 520 \(got "lots"\)/,
    );
    expect(out).toContain('then run flows check again');
    expect(out).not.toContain('flows are valid');
  });

  it('refuses a time_zone key: the time zone is the TIME_ZONE environment variable', () => {
    editPolicy((y) => `${y}\ntime_zone: Europe/Paris\n`);
    expect(flowsCheck(dir, 'Europe/London')).toBe(1);
    expect(printed.join('\n')).toContain(
      'time_zone is set by the TIME_ZONE environment variable; remove it from policy.yaml',
    );
    expect(() => loadPolicyFile(dir, 'Europe/London')).toThrow(
      /policy\.yaml: the policy file has 1 problem:\n- time_zone is set by the TIME_ZONE environment variable/,
    );
  });

  it('reports an unreadable policy file', () => {
    editPolicy(() => 'arrears: [unclosed');
    expect(flowsCheck(dir, 'Europe/London')).toBe(1);
    expect(printed.join('\n')).toMatch(/policy\.yaml, cannot read the policy file/);
  });

  it('exits 1 from the command line too', async () => {
    editPolicy((y) => y.replace('grace_days: 3', 'grace_days: -5'));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'flows', 'check'], {
      env: { ...process.env, FLOWS_DIR: dir, DATABASE_URL: '' },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('arrears.grace_days: expects a whole number of days from 0 to 28 (got -5)'),
    });
  }, 30_000);
});

describe('the policy time zone', () => {
  it('is the TIME_ZONE setting the file is loaded with', () => {
    expect(loadPolicyFile(dir, 'Europe/London').time_zone).toBe('Europe/London');
    expect(loadPolicyFile(dir, 'America/New_York').time_zone).toBe('America/New_York');
  });
});
