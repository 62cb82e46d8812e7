// Bundles every browser/<name>.js into dist/<name>.js (one IIFE per page), so the test pages of
// the headless-Chromium SDK tests load the real npm packages without a CDN.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const entries = readdirSync('browser').filter((name) => name.endsWith('.js')).map((name) => `browser/${name}`);
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  logLevel: 'info',
});
console.log(`bundled ${entries.length} page script(s) into dist/`);
