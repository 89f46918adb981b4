// Builds the two bundles: engage-panel.js first, then widget.js (engage-widget.js) with the panel's content hash
// baked in, so the panel can be cached for good while widget.js stays small. Fails when widget.js breaks its
// size budget (issue 6: at most 10 KB gzipped).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 10 * 1024;
const common = { bundle: true, minify: true, format: 'iife', target: 'es2019', legalComments: 'none' };

await build({ ...common, entryPoints: ['src/panel.ts'], outfile: 'dist/engage-panel.js' });
const panel = readFileSync('dist/engage-panel.js');
const version = createHash('sha256').update(panel).digest('hex').slice(0, 12);
await build({
  ...common,
  entryPoints: ['src/loader.ts'],
  outfile: 'dist/engage-widget.js',
  define: { __PANEL_VERSION__: JSON.stringify(version) },
});

const sizes = {};
for (const name of ['engage-widget.js', 'engage-panel.js']) {
  const bytes = readFileSync('dist/' + name);
  sizes[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  console.log(`${name}: ${bytes.length} bytes, ${sizes[name].gzip} gzipped`);
}
const total = sizes['engage-widget.js'].gzip + sizes['engage-panel.js'].gzip;
console.log(`widget.js + panel: ${total} bytes gzipped`);
if (sizes['engage-widget.js'].gzip > BUDGET_GZIP_BYTES) {
  console.error(`widget.js is over its budget of ${BUDGET_GZIP_BYTES} bytes gzipped`);
  process.exit(1);
}
