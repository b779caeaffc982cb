import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { randomBytes } from 'node:crypto';
import {
  createBookingService,
  MemoryBookingStore,
  RedisBookingStore,
  type Booking,
  type BookingService,
  type ServiceDirectory,
} from './booking/index.js';
import { botFrameworkRouter } from './channels/botframework/router.js';
import { bookingsRouter, type BookingView } from './channels/web/bookings.js';
import { createTwilioMessenger } from './channels/sms/outbound.js';
import { continueBySmsRouter } from './channels/sms/continue.js';
import { smsRouter } from './channels/sms/router.js';
import { staffRouter } from './channels/staff/router.js';
import { voiceRouter } from './channels/voice/router.js';
import { webRouter } from './channels/web/router.js';
import { webPage } from './channels/web/page.js';
import type { Config } from './config.js';
import { loadServices } from './load-services.js';
import {
  createCrmService,
  createDataCipher,
  MemoryCrmStore,
  parseEncryptionKey,
  RedisCrmStore,
  type CrmService,
  type CrmStore,
} from './crm/index.js';
import {
  ConversationEngine,
  createConversationMachine,
  MemoryConversationStore,
  PathwayLibrary,
  RedisConversationStore,
  type ConversationStore,
  type EngineObserver,
  type OutboundMessenger,
} from './flows/index.js';
import {
  isAppError,
  systemClock,
  type Clock,
  type ErrorCode,
  type Logger,
} from './shared/index.js';
import type { TriageBundle } from './triage/index.js';

/**
 * The composition root: config and the checked triage bundle in, a ready Express app out.
 * Stores are in memory by default and in Redis when REDIS_URL is set; this is the one place
 * that makes a Redis client and the one place that chooses.
 */

export interface AppDeps {
  config: Config;
  bundle: TriageBundle;
  logger: Logger;
  clock?: Clock;
  /** Tests may pass their own stores (for example shared by two app instances). */
  conversationStore?: ConversationStore;
  crmStore?: CrmStore;
  /** The directory of services; main.ts loads and checks it. Absent: read from SERVICES_DIR. */
  services?: ServiceDirectory;
}

export interface BuiltApp {
  app: express.Express;
  engine: ConversationEngine;
  crm: CrmService;
  /** Sends messages we start (confirmations, links); not configured = logged, not sent. */
  messenger: OutboundMessenger;
  booking: BookingService;
  registry: Registry;
  close(): Promise<void>;
}

const STATUS: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'not-found': 404,
  'payload-too-large': 413,
  'config-invalid': 500,
  'pathway-invalid': 500,
  internal: 500,
};

const GENERAL_PATHWAY = 'general';

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function makeMetrics(registry: Registry): EngineObserver {
  const turns = new Counter({
    name: 'triage_turns_total',
    help: 'Conversation turns, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'triage_turn_duration_seconds',
    help: 'Time to handle one conversation turn.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const dispositions = new Counter({
    name: 'triage_dispositions_total',
    help: 'Dispositions reached, by category.',
    labelNames: ['category'],
    registers: [registry],
  });
  const redFlags = new Counter({
    name: 'triage_red_flag_interrupts_total',
    help: 'Red flags detected in free text.',
    labelNames: ['flag'],
    registers: [registry],
  });
  return {
    turn: ({ durationMs, result }) => {
      turns.inc({ result });
      latency.observe(durationMs / 1000);
    },
    disposition: ({ category }) => {
      dispositions.inc({ category });
    },
    redFlag: ({ flag }) => {
      redFlags.inc({ flag });
    },
  };
}

export function buildApp(deps: AppDeps): BuiltApp {
  const { config, bundle, logger } = deps;
  const clock = deps.clock ?? systemClock;
  if (!bundle.pathways.some((p) => p.pathway.id === GENERAL_PATHWAY)) {
    throw new Error(
      `the '${GENERAL_PATHWAY}' pathway is required: conversations fall back to it when nothing matches`,
    );
  }

  // In embedded mode the key lives and dies with the process, like the data it protects.
  const key =
    config.dataEncryptionKey === undefined
      ? randomBytes(32)
      : parseEncryptionKey(config.dataEncryptionKey);
  if (!key) {
    throw new Error('DATA_ENCRYPTION_KEY could not be read');
  }
  const cipher = createDataCipher(key);

  let redis: Redis | undefined;
  let store = deps.conversationStore;
  let crmStore = deps.crmStore;
  if ((!store || !crmStore) && config.redisUrl) {
    // While Redis is away a command waits for at most one reconnect attempt or two seconds,
    // then fails: the turn answers the safe fallback instead of hanging, and the client keeps
    // reconnecting by itself in the background.
    redis = new Redis(config.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    redis.on('error', (err: Error) => {
      logger.warn({ err: { message: err.message } }, 'redis connection problem');
    });
    store ??= new RedisConversationStore(redis, {
      ttlSeconds: config.conversationTtlSeconds,
      prefix: config.redisKeyPrefix,
      cipher,
    });
    crmStore ??= new RedisCrmStore(redis, { prefix: config.redisKeyPrefix });
  }
  store ??= new MemoryConversationStore({ ttlSeconds: config.conversationTtlSeconds, clock });
  crmStore ??= new MemoryCrmStore({ clock });
  const crm = createCrmService({
    store: crmStore,
    cipher,
    clock,
    retentionDays: config.historyRetentionDays,
  });
  let directory = deps.services;
  if (!directory) {
    const loaded = loadServices(config.servicesDir, bundle.scale.codes);
    if (!loaded.directory) {
      throw new Error(`the directory of services has errors:\n${loaded.errors.join('\n')}`);
    }
    directory = loaded.directory;
  }
  const services = directory;
  const booking = createBookingService({
    store: redis
      ? new RedisBookingStore(redis, { prefix: config.redisKeyPrefix })
      : new MemoryBookingStore(),
    directory: services,
    clock,
  });
  const bookingView = (b: Booking): BookingView => {
    const service = services.byId(b.serviceId);
    return {
      reference: b.reference,
      service: {
        id: b.serviceId,
        name: service?.name ?? b.serviceId,
        address: service ? [...service.address, service.postcode].join(', ') : '',
      },
      start: b.start,
      end: b.end,
      status: b.status,
    };
  };
  const conversations = store;

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const library = new PathwayLibrary(bundle.pathways, bundle.scale);
  const machine = createConversationMachine({
    scale: bundle.scale,
    complaints: bundle.complaints,
    pathways: library,
    generalPathwayId: GENERAL_PATHWAY,
  });
  const engine = new ConversationEngine({
    store,
    machine,
    library,
    redFlags: bundle.redFlags,
    logger,
    clock,
    observer: makeMetrics(registry),
    crm,
    hashAddress: (address) => cipher.lookupHash('address', address),
    categoryOf: (code) => (bundle.scale.has(code) ? bundle.scale.get(code).category : 'unknown'),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'"] } },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const [conversationsUp, crmUp] = await Promise.all([conversations.ping(), crm.ping()]);
    const ready = conversationsUp && crmUp;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      stores: { conversations: conversationsUp ? 'up' : 'down', crm: crmUp ? 'up' : 'down' },
      pathways: bundle.pathways.length,
    });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.get('/api/pathways', (_req, res) => {
    res.json({
      pathways: bundle.pathways.map(({ pathway }) => ({
        id: pathway.id,
        version: pathway.version,
        title: pathway.title,
        summary: pathway.summary,
        applies: pathway.applies,
      })),
    });
  });

  app.get('/api/pathways/:id', (req, res) => {
    const found = bundle.pathways.find((p) => p.pathway.id === req.params.id);
    if (!found) {
      sendError(res, 404, 'not-found', `There is no pathway '${req.params.id}'.`);
      return;
    }
    const { pathway } = found;
    res.json({
      id: pathway.id,
      version: pathway.version,
      title: pathway.title,
      summary: pathway.summary,
      applies: pathway.applies,
      sources: pathway.sources,
      changelog: pathway.changelog,
      questions: Object.values(pathway.nodes).filter((n) => n.type !== 'outcome').length,
    });
  });

  app.use(webRouter(engine));
  app.use(
    bookingsRouter({
      get: async (reference) => {
        const found = await booking.get(reference);
        return found ? bookingView(found) : undefined;
      },
      cancel: async (reference) => {
        const result = await booking.cancel(reference);
        return result.ok
          ? { ok: true, booking: bookingView(result.booking) }
          : { ok: false, reason: result.reason };
      },
    }),
  );
  const messenger = createTwilioMessenger({
    twilio: config.twilio,
    logger,
    isOptedOut: (phone) => engine.isSmsOptedOut(phone),
  });
  app.use(continueBySmsRouter({ engine, messenger, publicBaseUrl: config.publicBaseUrl }));
  app.use(
    smsRouter({ engine, twilio: config.twilio, publicBaseUrl: config.publicBaseUrl, logger }),
  );
  app.use(
    voiceRouter({
      engine,
      twilio: config.twilio,
      publicBaseUrl: config.publicBaseUrl,
      handoffNumber: config.handoffNumber,
      logger,
    }),
  );
  app.use(botFrameworkRouter({ engine, botFramework: config.botFramework, logger }));
  app.use(staffRouter(crm, config.staffApiToken));
  app.use(webPage());

  app.use((req, res) => {
    sendError(res, 404, 'not-found', `Nothing at ${req.method} ${req.path}.`);
  });

  // Express 5 hands rejected async handlers here; answer JSON, never a stack trace.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (isAppError(err)) {
      sendError(res, STATUS[err.code], err.code, err.message);
      return;
    }
    const status =
      typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
        ? err.status
        : 500;
    if (status === 413) {
      sendError(res, 413, 'payload-too-large', 'The request body is too large.');
      return;
    }
    if (status >= 400 && status < 500) {
      sendError(res, status, 'invalid-input', 'The request could not be read: send JSON.');
      return;
    }
    logger.error(
      { err: err instanceof Error ? { message: err.message } : String(err) },
      'request failed',
    );
    sendError(
      res,
      503,
      'unavailable',
      'Something went wrong on our side. If you need medical help, call 111, or 999 in an emergency.',
    );
  });

  return {
    app,
    engine,
    crm,
    messenger,
    booking,
    registry,
    close: async () => {
      if (redis) {
        await redis.quit().catch(() => undefined);
      }
    },
  };
}
