// docs/contract.md is the operator contract: its environment table must name exactly the variables
// src/config.ts reads, so the document cannot drift from the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config.js';

const contract = readFileSync(join(import.meta.dirname, '../../docs/contract.md'), 'utf8');

function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/contract.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('docs/contract.md', () => {
  it('documents every environment variable config.ts reads, and nothing else', () => {
    const rows = section(contract, 'Environment').split('\n').filter((l) => l.startsWith('| `'));
    const documented = rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...CONFIG_KEYS].sort());
  });
});
