// Reads a vulnerability report on stdin and decides: exit 1 when any advisory is high or critical,
// exit 0 otherwise (moderate and low ones are printed), exit 3 when the report says the advisory source
// could not be asked (the caller says so and goes on: CI has no internet beyond the package mirrors).
//   node build/vulnerabilities.mjs dotnet < output of `dotnet list package --vulnerable --include-transitive --format json`
//   node build/vulnerabilities.mjs npm    < output of `npm audit --json`
import { readFileSync } from 'node:fs';

const kind = process.argv[2];
const text = readFileSync(0, 'utf8');
let report;
try { report = JSON.parse(text); } catch { console.log(`${kind}: no JSON report (${text.trim().split('\n')[0] ?? ''})`); process.exit(3); }

const findings = []; // { name, version, severity, url }
if (kind === 'dotnet') {
  const errors = (report.problems ?? []).filter(p => p.level === 'error');
  if (errors.length > 0) { console.log(`dotnet: ${errors[0].text}`); process.exit(3); }
  for (const project of report.projects ?? [])
    for (const framework of project.frameworks ?? [])
      for (const pkg of [...(framework.topLevelPackages ?? []), ...(framework.transitivePackages ?? [])])
        for (const v of pkg.vulnerabilities ?? [])
          findings.push({ name: `${pkg.id} (${project.path.split('/').pop()})`, version: pkg.resolvedVersion, severity: v.severity.toLowerCase(), url: v.advisoryurl });
  // NuGet reports "no vulnerable packages" also when no source publishes advisories (a mirror may not):
  // only a source whose service index lists VulnerabilityInfo makes an empty answer mean something.
  if (findings.length === 0 && !(await anySourcePublishesAdvisories(report.sources ?? []))) {
    console.log(`dotnet: no package source publishes vulnerability data (${(report.sources ?? []).join(', ')})`);
    process.exit(3);
  }
} else if (kind === 'npm') {
  if (report.error) { console.log(`npm: ${report.message || report.error.summary || report.error.code || 'audit failed'}`); process.exit(3); }
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {}))
    for (const via of v.via ?? [])
      if (typeof via === 'object') findings.push({ name, version: v.range, severity: via.severity, url: via.url });
} else {
  console.log('usage: node build/vulnerabilities.mjs dotnet|npm < report.json');
  process.exit(2);
}

const unique = [...new Map(findings.map(f => [`${f.name} ${f.url}`, f])).values()];
for (const f of unique) console.log(`${kind}: ${f.severity.toUpperCase()} ${f.name} ${f.version} ${f.url}`);
const blocking = unique.filter(f => f.severity === 'high' || f.severity === 'critical');
console.log(`${kind}: ${unique.length} advisory(ies), ${blocking.length} high or critical`);
process.exit(blocking.length > 0 ? 1 : 0);

async function anySourcePublishesAdvisories(sources) {
  for (const source of sources) {
    if (!/^https?:/.test(source)) continue; // a local folder has no advisories
    try {
      const index = await (await fetch(source, { signal: AbortSignal.timeout(15000) })).json();
      if ((index.resources ?? []).some(r => String(r['@type']).startsWith('VulnerabilityInfo'))) return true;
    } catch { /* unreachable: treated like a source without advisories */ }
  }
  return false;
}
