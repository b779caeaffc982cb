import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/**
 * The chat page and its assets, all served from this process: the page's own files and the
 * NHS.UK frontend styles from the installed nhsuk-frontend package (no CDN, so the page works
 * on a closed network and no third party sees who uses it).
 */

/** The page folder beside this module: src/ when run from source, dist/ after a build (copied). */
function pageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, 'page');
}

function nhsukDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
}

export function webPage(): Router {
  const router = Router();
  const dir = pageDir();
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`the chat page is missing at ${dir}; run npm run build`);
  }
  router.use(
    '/assets/nhsuk',
    express.static(nhsukDir(), { immutable: true, maxAge: '7d', index: false }),
  );
  router.use('/assets', express.static(dir, { index: false, maxAge: '1h' }));
  router.get('/', (_req, res) => {
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}
