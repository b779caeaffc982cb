import { z } from 'zod';

/**
 * The environment, parsed and checked once at start-up. This is the only module that knows
 * environment variable names; everything else receives a typed Config. More settings arrive with
 * the features that use them (Redis, Twilio, Bot Framework): see .env.example.
 */

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port.'),
  PATHWAYS_DIR: z.string().min(1).default('data/pathways').describe('Folder of pathway files.'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Folder with dispositions.yaml and red-flags.yaml.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('How much to log.'),
});

export interface Config {
  port: number;
  pathwaysDir: string;
  dataDir: string;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Pure: reads only the object it is given (tests pass literals, main.ts passes process.env). */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (i) => `${i.path.join('.') || 'environment'}: ${i.message}`,
      ),
    };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      port: e.PORT,
      pathwaysDir: e.PATHWAYS_DIR,
      dataDir: e.DATA_DIR,
      logLevel: e.LOG_LEVEL,
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
