// The engine's only door to the file system: reads flow files (and transcript files) from a folder and
// hands their text to the pure checker. The service calls loadFlows at boot and refuses to start when it
// throws, naming every file, step and fix.
// eslint-disable-next-line no-restricted-imports -- the one loader module: flows are files edited by staff
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkFlows } from './check.js';
import type { FlowFile, FlowProblem } from './check.js';
import type { FlowSet } from './flow-schema.js';

/** Files in flows/ that are not flows: the landlord's policy settings. */
const NOT_FLOWS = new Set(['policy.yaml', 'policy.yml']);

export class FlowValidationError extends Error {
  constructor(readonly problems: FlowProblem[]) {
    super(`${problems.length} problem(s) in the flow files:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'FlowValidationError';
  }
}

export function formatProblem(problem: FlowProblem): string {
  const where = problem.step ? `${problem.file}, step ${problem.step}` : problem.file;
  return `- ${where}: ${problem.message}. Fix: ${problem.fix}.`;
}

function yamlFilesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name) && !NOT_FLOWS.has(name))
    .sort()
    .map((name) => join(folder, name));
}

/** Reads flows/*.yaml and flows/archive/*.yaml (older versions) as text, named relative to `dir`'s parent. */
export function readFlowFiles(dir: string): FlowFile[] {
  const base = join(dir, '..');
  return [...yamlFilesIn(dir), ...yamlFilesIn(join(dir, 'archive'))].map((path) => ({
    file: relative(base, path),
    text: readFileSync(path, 'utf8'),
  }));
}

/** Loads and checks every flow; throws FlowValidationError listing every problem. */
export function loadFlows(dir: string): FlowSet {
  const { flows, problems } = checkFlows(readFlowFiles(dir));
  if (problems.length > 0) throw new FlowValidationError(problems);
  return flows;
}

/** Transcript files (*.txt) under a folder, recursively, as text. */
export function readTranscriptFiles(dir: string): FlowFile[] {
  const found: FlowFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.txt')) found.push({ file: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
  return found;
}

export function writeTranscriptFile(file: string, text: string): void {
  writeFileSync(file, text, 'utf8');
}
