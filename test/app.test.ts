import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/shared/logger.js';
import { loadBundle, type TriageBundle } from '../src/triage/index.js';
import { fixturePath } from './helpers/triage.js';

function fixtureBundle(): TriageBundle {
  const dir = mkdtempSync(join(tmpdir(), 'app-pathways-'));
  copyFileSync(fixturePath('valid'), join(dir, 'valid.yaml'));
  const { bundle, errors } = loadBundle({
    pathwaysDir: dir,
    dispositionsFile: 'data/dispositions.yaml',
    redFlagsFile: 'data/red-flags.yaml',
  });
  if (!bundle) {
    throw new Error(JSON.stringify(errors));
  }
  return bundle;
}

const config = loadConfig({});
if (!config.ok) {
  throw new Error('default config must load');
}
const app = buildApp({
  config: config.config,
  bundle: fixtureBundle(),
  logger: createLogger('silent'),
});

describe('the service', () => {
  test('when /healthz is asked, then it answers 200', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  test('when /readyz is asked, then it says how many pathways are loaded', async () => {
    await request(app).get('/readyz').expect(200, { status: 'ready', pathways: 1 });
  });

  test('when the pathway catalogue is asked for, then each pathway shows id, version and title', async () => {
    const res = await request(app).get('/api/pathways').expect(200);
    expect(res.body).toEqual({
      pathways: [{ id: 'valid', version: 1, title: 'Valid fixture', applies: {} }],
    });
  });

  test('when one pathway is asked for, then its sources and changelog come with it', async () => {
    const res = await request(app).get('/api/pathways/valid').expect(200);
    expect(res.body).toMatchObject({
      id: 'valid',
      questions: 3,
      sources: [{ url: 'https://www.nhs.uk/' }],
    });
  });

  test('when an unknown pathway or route is asked for, then the answer is a JSON 404 with a reason', async () => {
    const res = await request(app).get('/api/pathways/nope').expect(404);
    expect(res.body).toEqual({
      error: { code: 'not-found', message: "There is no pathway 'nope'." },
    });
    const other = await request(app).get('/nowhere').expect(404);
    expect((other.body as { error: { code: string } }).error.code).toBe('not-found');
  });
});

describe('loadBundle', () => {
  test('when a pathway in the folder is broken, then no bundle is built and the errors name the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-broken-'));
    copyFileSync(fixturePath('unknown-target'), join(dir, 'unknown-target.yaml'));
    const { bundle, errors } = loadBundle({
      pathwaysDir: dir,
      dispositionsFile: 'data/dispositions.yaml',
      redFlagsFile: 'data/red-flags.yaml',
    });
    expect(bundle).toBeUndefined();
    expect(errors[0]).toMatchObject({
      rule: 'unknown-target',
      file: join(dir, 'unknown-target.yaml'),
    });
  });
});
