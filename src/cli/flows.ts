// `rentline flows check` and `rentline flows test [--update]`: the landlord's scripts and their transcripts.
import { join } from 'node:path';
import { checkFlows, formatProblem, readFlowFiles, runTranscripts } from '../engine/index.js';
import type { Policy } from '../rent/policy.js';

export function flowsCheck(flowsDir: string): number {
  const { flows, problems } = checkFlows(readFlowFiles(flowsDir));
  if (problems.length > 0) {
    console.log(`The flow files have ${problems.length} problem(s):`);
    for (const p of problems) console.log(formatProblem(p));
    return 1;
  }
  const names = [...flows.latest.entries()].map(([id, version]) => `${id} (version ${version})`);
  console.log(`All ${names.length} flows are valid:\n  ${names.join('\n  ')}`);
  return 0;
}

export function flowsTest(flowsDir: string, policy: Policy, update: boolean): number {
  const { flows, problems } = checkFlows(readFlowFiles(flowsDir));
  if (problems.length > 0) return flowsCheck(flowsDir);
  const result = runTranscripts(join(flowsDir, 'transcripts'), flows, policy, { update });
  for (const f of result.failed) console.log(`FAIL ${f.file}\n${f.diff}\n`);
  console.log(`${result.passed} passed, ${result.failed.length} failed${update ? ' (expectations rewritten)' : ''}`);
  return result.failed.length === 0 ? 0 : 1;
}
