import { z } from 'zod';

/**
 * The environment, parsed and checked once at start-up. This is the only module that knows
 * environment variable names; everything else receives a typed Config. Every variable is listed
 * with its description in .env.example and the README.
 */

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port.'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe('Redis for conversations and the CRM; absent = embedded in-memory stores.'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/)
    .default('111')
    .describe('Prefix of every Redis key.'),
  PATHWAYS_DIR: z.string().min(1).default('data/pathways').describe('Folder of pathway files.'),
  SERVICES_DIR: z
    .string()
    .min(1)
    .default('data/services')
    .describe('Folder of service files (the directory of services).'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder with dispositions.yaml and red-flags.yaml.'),
  CONVERSATION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24)
    .describe('How long a conversation is kept after its last message.'),
  HISTORY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .positive()
    .max(3650)
    .default(365)
    .describe('How long the CRM keeps a patient’s interaction history.'),
  DATA_ENCRYPTION_KEY: z
    .string()
    .optional()
    .describe(
      'Key for personal data at rest: 64 hex characters or base64 of 32 bytes. Required with REDIS_URL; generated per process in embedded mode.',
    ),
  STAFF_API_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe('Bearer token for /api/staff routes; absent = staff routes off.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('How much to log.'),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'The public origin Twilio calls, used to check X-Twilio-Signature and in links. Default http://localhost:$PORT.',
    ),
  TWILIO_AUTH_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('Twilio auth token: checks webhook signatures and sends messages.'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/)
    .optional()
    .describe('Twilio account SID, for outbound messages.'),
  TWILIO_FROM_NUMBER: z
    .string()
    .min(3)
    .optional()
    .describe('The number (E.164) or messaging service SID outbound messages come from.'),
  TWILIO_API_BASE_URL: z
    .url()
    .optional()
    .describe('Where the Twilio REST API is (tests point this at a local fake). Default: Twilio.'),
  TWILIO_VALIDATE: z
    .enum(['true', 'false'])
    .default('true')
    .describe('Check X-Twilio-Signature. Only set false for local work without a token.'),
  HANDOFF_NUMBER: z
    .string()
    .min(3)
    .optional()
    .describe('The number callers are put through to when they ask for a person.'),
  MICROSOFT_APP_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Bot Framework app id; absent = local/Emulator mode without auth.'),
  MICROSOFT_APP_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Bot Framework app password (client secret).'),
  MICROSOFT_APP_TENANT_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Bot Framework tenant id, for single-tenant bots.'),
  MICROSOFT_APP_TYPE: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])
    .default('MultiTenant')
    .describe('Bot Framework app type.'),
});

export interface Config {
  port: number;
  redisUrl?: string | undefined;
  redisKeyPrefix: string;
  pathwaysDir: string;
  servicesDir: string;
  dataDir: string;
  conversationTtlSeconds: number;
  historyRetentionDays: number;
  /** Raw key text; parsed and checked where the cipher is built. */
  dataEncryptionKey?: string | undefined;
  staffApiToken?: string | undefined;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  publicBaseUrl: string;
  twilio: {
    authToken?: string | undefined;
    accountSid?: string | undefined;
    fromNumber?: string | undefined;
    apiBaseUrl?: string | undefined;
    /** Check webhook signatures; false only when explicitly switched off for local work. */
    validate: boolean;
  };
  handoffNumber?: string | undefined;
  botFramework: {
    appId?: string | undefined;
    appPassword?: string | undefined;
    tenantId?: string | undefined;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const KEY_PATTERN = /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

/** Pure: reads only the object it is given (tests pass literals, main.ts passes process.env). */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  if (parsed.success) {
    const e = parsed.data;
    if (e.DATA_ENCRYPTION_KEY !== undefined && !KEY_PATTERN.test(e.DATA_ENCRYPTION_KEY)) {
      problems.push('DATA_ENCRYPTION_KEY: must be 64 hex characters or base64 of 32 bytes');
    }
    if (
      e.TWILIO_VALIDATE === 'true' &&
      e.TWILIO_AUTH_TOKEN === undefined &&
      e.TWILIO_ACCOUNT_SID !== undefined
    ) {
      problems.push('TWILIO_AUTH_TOKEN: required with TWILIO_ACCOUNT_SID');
    }
    if (
      e.MICROSOFT_APP_ID !== undefined &&
      e.MICROSOFT_APP_PASSWORD === undefined &&
      e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI'
    ) {
      problems.push('MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID');
    }
    if (e.REDIS_URL !== undefined && e.DATA_ENCRYPTION_KEY === undefined) {
      problems.push(
        'DATA_ENCRYPTION_KEY: required when REDIS_URL is set, so stored personal data stays readable across restarts (openssl rand -hex 32)',
      );
    }
  }
  if (!parsed.success || problems.length > 0) {
    return { ok: false, problems };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      port: e.PORT,
      redisUrl: e.REDIS_URL,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
      pathwaysDir: e.PATHWAYS_DIR,
      servicesDir: e.SERVICES_DIR,
      dataDir: e.DATA_DIR,
      conversationTtlSeconds: Math.round(e.CONVERSATION_TTL_HOURS * 3600),
      historyRetentionDays: e.HISTORY_RETENTION_DAYS,
      dataEncryptionKey: e.DATA_ENCRYPTION_KEY,
      staffApiToken: e.STAFF_API_TOKEN,
      logLevel: e.LOG_LEVEL,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      twilio: {
        authToken: e.TWILIO_AUTH_TOKEN,
        accountSid: e.TWILIO_ACCOUNT_SID,
        fromNumber: e.TWILIO_FROM_NUMBER,
        apiBaseUrl: e.TWILIO_API_BASE_URL,
        validate: e.TWILIO_VALIDATE === 'true',
      },
      handoffNumber: e.HANDOFF_NUMBER,
      botFramework: {
        appId: e.MICROSOFT_APP_ID,
        appPassword: e.MICROSOFT_APP_PASSWORD,
        tenantId: e.MICROSOFT_APP_TENANT_ID,
        appType: e.MICROSOFT_APP_TYPE,
      },
    },
  };
}

/** Variable names with their descriptions, for the README and .env.example. */
export function describeConfig(): { name: string; description: string }[] {
  return Object.entries(ConfigSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
  }));
}
