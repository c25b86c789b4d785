// Reads the landlord's policy file (flows/policy.yaml). A bad file stops boot with the key and the fix.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parsePolicy, type Policy } from '../rent/policy.js';

export function loadPolicyFile(flowsDir: string): Policy {
  const path = resolve(flowsDir, 'policy.yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the policy file (${(error as Error).message})`);
  }
  try {
    return parsePolicy(raw ?? {});
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}
