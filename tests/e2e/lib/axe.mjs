// Runs axe-core inside the page and fails on serious or critical violations.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let source = null;

/** The serious and critical violations on the page right now (WCAG 2.x A/AA + best practices). */
export async function accessibilityProblems(page) {
  source ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: a <script> tag would (rightly)
  // be refused by the page's CSP.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(source);
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n    ${violation.nodes
      .slice(0, 5).map((node) => `${node.html.slice(0, 160)} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
      .join('\n    ')}`);
}
