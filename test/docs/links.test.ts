// Code comments and docs cite rules as `docs/rules.md#<anchor>`: every such pointer, and every relative link
// inside docs/, must land on a heading that exists, so renaming a heading cannot leave stale citations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SCANNED = ['src', 'test', 'bench', 'scripts', 'flows', 'docs', 'README.md'];

function filesUnder(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full).flatMap((name) => filesUnder(join(path, name)));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

function citations(): { file: string; doc: string; anchor: string }[] {
  const found: { file: string; doc: string; anchor: string }[] = [];
  for (const file of SCANNED.flatMap(filesUnder)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // docs/x.md#a from anywhere; (x.md#a) and (../docs/x.md#a) links inside docs/.
    for (const m of text.matchAll(/(?:docs\/|\()(contract|rules|architecture)\.md#([\w-]+)/g)) {
      found.push({ file: relative(ROOT, join(ROOT, file)), doc: `${m[1]}.md`, anchor: m[2] ?? '' });
    }
    if (file.startsWith('docs')) {
      for (const m of text.matchAll(/\]\(#([\w-]+)\)/g)) found.push({ file, doc: relative('docs', file), anchor: m[1] ?? '' });
    }
  }
  return found;
}

describe('docs citations', () => {
  it('turns headings into the anchors GitHub gives them', () => {
    expect(slug('Background: rent weeks')).toBe('background-rent-weeks');
    expect(slug('WhatsApp window')).toBe('whatsapp-window');
  });

  it('finds the citations it checks (the scan is not silently empty)', () => {
    expect(citations().filter((c) => c.file.startsWith('src/')).length).toBeGreaterThan(10);
  });

  it('every docs/*.md#anchor cited in the repository names a heading that exists', () => {
    const anchors = new Map(['contract.md', 'rules.md', 'architecture.md'].map((d) => [d, anchorsOf(d)]));
    const broken = citations().filter((c) => !anchors.get(c.doc)?.has(c.anchor));
    expect(broken.map((c) => `${c.file}: ${c.doc}#${c.anchor}`)).toEqual([]);
  });
});
