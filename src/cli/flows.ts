// `rentline flows check` and `rentline flows test [--update]`: the landlord's scripts, their policy file and
// their transcripts.
import { join, relative } from 'node:path';
import { checkFlows, formatProblem, readFlowFiles, runTranscripts } from '../engine/index.js';
import { readPolicyFile } from '../accounts/policy-file.js';
import type { Policy } from '../rent/policy.js';

/**
 * Checks every flow file and the policy file (flows/policy.yaml) and prints each problem with its file and
 * the fix; 1 when there is any. `timeZone` is the TIME_ZONE setting the policy is read with.
 */
export function flowsCheck(flowsDir: string, timeZone: string): number {
  const { flows, problems } = checkFlows(readFlowFiles(flowsDir));
  const policy = readPolicyFile(flowsDir, timeZone);
  const policyFile = relative(process.cwd(), policy.path) || policy.path;
  if (problems.length > 0) {
    console.log(`The flow files have ${problems.length} problem(s):`);
    for (const p of problems) console.log(formatProblem(p));
  }
  if (policy.problems.length > 0) {
    console.log(`The policy file ${policyFile} has ${policy.problems.length} problem(s):`);
    for (const p of policy.problems) console.log(`- ${policyFile}, ${p}`);
    console.log(`Fix each key in ${policyFile} (its comments say what each expects), then run flows check again.`);
  }
  if (problems.length > 0 || policy.problems.length > 0) return 1;
  const names = [...flows.latest.entries()].map(([id, version]) => `${id} (version ${version})`);
  console.log(`All ${names.length} flows are valid:\n  ${names.join('\n  ')}\nThe policy file ${policyFile} is valid.`);
  return 0;
}

export function flowsTest(flowsDir: string, policy: Policy, update: boolean): number {
  const { flows, problems } = checkFlows(readFlowFiles(flowsDir));
  if (problems.length > 0) return flowsCheck(flowsDir, policy.time_zone);
  const result = runTranscripts(join(flowsDir, 'transcripts'), flows, policy, { update });
  for (const f of result.failed) console.log(`FAIL ${f.file}\n${f.diff}\n`);
  console.log(`${result.passed} passed, ${result.failed.length} failed${update ? ' (expectations rewritten)' : ''}`);
  return result.failed.length === 0 ? 0 : 1;
}
