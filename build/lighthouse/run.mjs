// Runs Lighthouse on each page in one Chromium (launching one per page cost about 6 s each on the reference
// machine), writing one JSON report per page and preset: <reports>/<page>.<preset>.json.
//   node build/lighthouse/run.mjs <base url> <reports dir> <presets: desktop,mobile> <categories> <path>...
import { writeFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const [base, reports, presets, categories, ...paths] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.GANDASHBOARD_CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = 0;
try {
  for (const preset of presets.split(',')) {
    for (const path of paths) {
      const name = path === '/' ? '_overview' : path.replaceAll('/', '_');
      const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories.split(','), maxWaitForLoad: 60000 };
      try {
        // The mobile preset is Lighthouse's default configuration (a mid-range phone on a throttled network).
        const result = await lighthouse(base + path, flags, preset === 'desktop' ? desktopConfig : undefined);
        writeFileSync(`${reports}/${name}.${preset}.json`, result.report);
      } catch (e) {
        console.log(`lighthouse: no report for ${path} (${preset}): ${e.message}`);
        failed++;
      }
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed === 0 ? 0 : 1);
