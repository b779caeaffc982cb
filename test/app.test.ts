import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/shared/index.js';
import { loadBundle } from '../src/triage/index.js';
import { buildTestApp, HEADACHE_SELF_CARE, say, startChat, testConfig } from './helpers/app.js';
import { fixturePath } from './helpers/triage.js';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { app } = buildTestApp();

describe('the service', () => {
  test('when /healthz is asked, then it answers 200', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  test('when /readyz is asked and the stores answer, then it is ready', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', stores: { conversations: 'up' } });
  });

  test('when the pathway catalogue is asked for, then each pathway shows id, version and title', async () => {
    const res = await request(app).get('/api/pathways').expect(200);
    const ids = (res.body as { pathways: { id: string }[] }).pathways.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['headache', 'chest-pain', 'general']));
  });

  test('when one pathway is asked for, then its sources and changelog come with it', async () => {
    const res = await request(app).get('/api/pathways/headache').expect(200);
    expect(res.body).toMatchObject({
      id: 'headache',
      version: 1,
      sources: expect.any(Array) as unknown,
    });
  });

  test('when an unknown pathway or route is asked for, then the answer is a JSON 404 with a reason', async () => {
    const res = await request(app).get('/api/pathways/nope').expect(404);
    expect(res.body).toEqual({
      error: { code: 'not-found', message: "There is no pathway 'nope'." },
    });
    await request(app).get('/nowhere').expect(404);
  });

  test('when a conversation reaches an outcome, then /metrics counts turns, latency and the disposition', async () => {
    const { app: fresh } = buildTestApp();
    const { id } = await startChat(fresh);
    await say(fresh, id, ...HEADACHE_SELF_CARE);
    await say(fresh, id, 'my husband is not breathing');
    const res = await request(fresh).get('/metrics').expect(200);
    expect(res.text).toMatch(/triage_turns_total\{result="ok"\} \d+/);
    expect(res.text).toContain('triage_turn_duration_seconds_bucket');
    expect(res.text).toMatch(/triage_dispositions_total\{category="self-care"\} 1/);
    expect(res.text).toMatch(/triage_red_flag_interrupts_total\{flag="[a-z-]+"\} 1/);
  });

  test('when the pages are served, then security headers are set', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('buildApp', () => {
  test('when the general pathway is missing, then the app refuses to build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-no-general-'));
    copyFileSync(fixturePath('valid'), join(dir, 'valid.yaml'));
    const { bundle } = loadBundle({
      pathwaysDir: dir,
      dispositionsFile: 'data/dispositions.yaml',
      redFlagsFile: 'data/red-flags.yaml',
    });
    expect(() =>
      buildApp({ config: testConfig(), bundle: bundle!, logger: createLogger('silent') }),
    ).toThrow("the 'general' pathway is required");
  });

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
