// Fails the build when the first load of the portal (index.html plus the JS and CSS it references, with their
// static imports) exceeds 300 KB gzipped (issue 7). Pages are lazy chunks and are not counted.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const dist = 'dist';
const html = readFileSync(`${dist}/index.html`, 'utf8');
const seen = new Set();
const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let total = gzipSync(html).length;
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = readFileSync(`${dist}/${file}`, 'utf8');
  total += gzipSync(text, { level: 9 }).length;
  // static imports of the entry (shared chunks); dynamic import("...") chunks load later, on navigation
  for (const m of text.matchAll(/(?:^|[;\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    queue.push('assets/' + m[1]);
  }
}
console.log(`portal first load: ${(total / 1024).toFixed(1)} KB gzipped in ${seen.size} files (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('The portal\'s first load is over budget: move code into lazy routes');
  process.exit(1);
}
