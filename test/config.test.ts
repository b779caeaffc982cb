import { describe, expect, test } from 'vitest';
import { describeConfig, loadConfig } from '../src/config.js';

const KEY = 'a'.repeat(64);

describe('loadConfig', () => {
  test('when nothing is set, then the embedded in-memory defaults apply', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      config: {
        port: 3000,
        redisUrl: undefined,
        redisKeyPrefix: '111',
        pathwaysDir: 'data/pathways',
        servicesDir: 'data/services',
        dataDir: 'data',
        conversationTtlSeconds: 86400,
        historyRetentionDays: 365,
        dataEncryptionKey: undefined,
        staffApiToken: undefined,
        logLevel: 'info',
        publicBaseUrl: 'http://localhost:3000',
        twilio: {
          authToken: undefined,
          accountSid: undefined,
          fromNumber: undefined,
          apiBaseUrl: undefined,
          validate: true,
        },
        handoffNumber: undefined,
        botFramework: {
          appId: undefined,
          appPassword: undefined,
          tenantId: undefined,
          appType: 'MultiTenant',
        },
      },
    });
  });

  test('when Redis and a key are set, then they are parsed and typed', () => {
    expect(
      loadConfig({
        PORT: '8080',
        REDIS_URL: 'redis://127.0.0.1:6390',
        DATA_ENCRYPTION_KEY: KEY,
        CONVERSATION_TTL_HOURS: '2',
      }),
    ).toMatchObject({
      ok: true,
      config: { port: 8080, redisUrl: 'redis://127.0.0.1:6390', conversationTtlSeconds: 7200 },
    });
  });

  test('when REDIS_URL is set without an encryption key, then start-up is refused with the fix', () => {
    const result = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6390' });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(
        /^DATA_ENCRYPTION_KEY: required when REDIS_URL is set.*openssl rand -hex 32/,
      ),
    ]);
  });

  test('when several values are wrong, then every problem is listed, one line each', () => {
    const result = loadConfig({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://x',
      DATA_ENCRYPTION_KEY: 'short',
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'REDIS_URL',
      'LOG_LEVEL',
    ]);
  });

  test('when the key is malformed, then it is refused', () => {
    const result = loadConfig({ DATA_ENCRYPTION_KEY: 'short' });
    expect(result.ok ? [] : result.problems).toEqual([
      'DATA_ENCRYPTION_KEY: must be 64 hex characters or base64 of 32 bytes',
    ]);
  });

  test('when the settings are described, then every one has a description', () => {
    for (const { name, description } of describeConfig()) {
      expect(description, name).not.toBe('');
    }
  });
});
