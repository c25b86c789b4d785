// Golden transcripts: every scenario in flows/transcripts/ is replayed through the shipped flows on its
// own fixed clock and must match line for line. To accept intended wording changes, run
//   UPDATE_TRANSCRIPTS=1 npx vitest run test/engine/transcripts.test.ts
// and review the rewritten files like any other change.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTranscriptFiles } from '../../src/engine/load.js';
import { checkTranscript, runTranscripts } from '../../src/engine/transcripts.js';
import { shippedFlows, shippedPolicy, TRANSCRIPTS_DIR } from './support.js';

const update = process.env.UPDATE_TRANSCRIPTS === '1';
const flows = shippedFlows();
const policy = shippedPolicy();
const files = readTranscriptFiles(TRANSCRIPTS_DIR);

describe('golden transcripts', () => {
  it('has at least 30 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files.map((f) => [f.file.slice(TRANSCRIPTS_DIR.length + 1), f.file]))(
    '%s reads exactly as the flows run',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const { updated, diff } = checkTranscript(text, flows, policy);
      if (update && updated !== text) writeFileSync(file, updated);
      const remaining = update ? checkTranscript(updated, flows, policy).diff : diff;
      expect(remaining, `\n${remaining ?? ''}\n(UPDATE_TRANSCRIPTS=1 rewrites the bot and action lines)`).toBeNull();
    },
  );

  it('runTranscripts reports every scenario as passed', () => {
    const result = runTranscripts(TRANSCRIPTS_DIR, flows, policy, { update: false });
    expect(result.failed).toEqual([]);
    expect(result.passed).toBe(files.length);
  });
});
