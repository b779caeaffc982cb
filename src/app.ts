import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from './config.js';
import type { Logger } from './shared/logger.js';
import { isAppError, type ErrorCode } from './shared/errors.js';
import type { TriageBundle } from './triage/index.js';

/**
 * The composition root: builds the Express app from checked config and the checked triage
 * bundle. Conversation channels (web chat, SMS, voice, Bot Framework) plug in here as they are
 * built; today it serves health checks and a read-only catalogue of the loaded pathways.
 */

export interface AppDeps {
  config: Config;
  bundle: TriageBundle;
  logger: Logger;
}

const STATUS: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'not-found': 404,
  'payload-too-large': 413,
  'config-invalid': 500,
  'pathway-invalid': 500,
  internal: 500,
};

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function buildApp({ bundle, logger }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready', pathways: bundle.pathways.length });
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
    if (status >= 400 && status < 500) {
      sendError(res, status, 'invalid-input', 'The request could not be read.');
      return;
    }
    logger.error({ err }, 'request failed');
    sendError(
      res,
      500,
      'internal',
      'Something went wrong on our side. If you need medical help, call 111, or 999 in an emergency.',
    );
  });

  return app;
}
