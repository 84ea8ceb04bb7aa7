// Prints one row per page and preset from Lighthouse's JSON reports, and with --assert fails (exit 1) when a page
// misses the targets that do not vary from run to run: accessibility and best practices 100, SEO at least 95.
// Performance is a benchmark (README), never asserted here: it depends on the machine's load.
//   node build/lighthouse/summarize.mjs [--assert] report.json...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const args = process.argv.slice(2);
const assert = args.includes('--assert');
const files = args.filter(a => a !== '--assert');
const targets = { accessibility: 100, 'best-practices': 100, seo: 95 };
const columns = ['performance', 'accessibility', 'best-practices', 'seo'];
const failures = [];

console.log(['page'.padEnd(22), 'preset'.padEnd(8), ...columns.map(c => c.padStart(14))].join(' '));
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const page = new URL(report.finalDisplayedUrl ?? report.requestedUrl).pathname;
  const preset = basename(file, '.json').split('.').pop();
  const score = c => report.categories[c]?.score == null ? null : Math.round(report.categories[c].score * 100);
  console.log([page.padEnd(22), preset.padEnd(8), ...columns.map(c => String(score(c) ?? '-').padStart(14))].join(' '));
  if (report.runtimeError) failures.push(`${page} (${preset}): Lighthouse could not run: ${report.runtimeError.message}`);
  for (const [category, min] of Object.entries(targets)) {
    const s = score(category);
    if (s === null || s >= min) continue;
    // The audits that cost points, so the fix is in the CI log.
    const lost = report.categories[category].auditRefs.filter(r => r.weight > 0 && (report.audits[r.id].score ?? 1) < 1).map(r => r.id);
    failures.push(`${page} (${preset}): ${category} ${s} < ${min} (${lost.join(', ')})`);
  }
}
if (assert) {
  for (const f of failures) console.log(`lighthouse: ${f}`);
  console.log(failures.length === 0 ? 'lighthouse: every page meets accessibility 100, best practices 100, SEO >= 95' : `lighthouse: ${failures.length} target(s) missed`);
  process.exit(failures.length === 0 ? 0 : 1);
}
