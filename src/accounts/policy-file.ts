// Reads the landlord's policy file (flows/policy.yaml). A bad file stops boot with the key and the fix; the
// time zone comes from the configuration (TIME_ZONE), never from the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { checkPolicy, type PolicyCheck } from '../rent/policy.js';
import type { Policy } from '../rent/policy.js';

/** The policy file read and checked: its path, and the policy or every problem (`field.path: what it expects`). */
export function readPolicyFile(flowsDir: string, timeZone: string): PolicyCheck & { path: string } {
  const path = resolve(flowsDir, 'policy.yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { path, policy: null, problems: [`cannot read the policy file (${(error as Error).message})`] };
  }
  return { path, ...checkPolicy(raw, timeZone) };
}

/** The policy in the landlord's time zone (config.timeZone); throws naming the file and every problem. */
export function loadPolicyFile(flowsDir: string, timeZone: string): Policy {
  const checked = readPolicyFile(flowsDir, timeZone);
  if (checked.policy) return checked.policy;
  const { problems } = checked;
  throw new Error(
    `${checked.path}: the policy file has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n- ${problems.join('\n- ')}`,
  );
}
