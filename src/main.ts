import type { Server } from 'node:http';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { loadServices } from './load-services.js';
import { createLogger } from './shared/index.js';
import { dataPaths, formatPathwayError, loadBundle } from './triage/index.js';

/**
 * Process entry: config, data, server, signals. The only place that exits the process: a
 * supervisor restarts it after a fatal error, and invalid config or pathways stop start-up with
 * one line per problem.
 */

const configResult = loadConfig(process.env);
if (!configResult.ok) {
  for (const problem of configResult.problems) {
    process.stderr.write(`Invalid configuration: ${problem}\n`);
  }
  process.exit(1);
}
const { config } = configResult;
const logger = createLogger(config.logLevel);

const { bundle, errors } = loadBundle(dataPaths(config.pathwaysDir, config.dataDir));
for (const e of errors) {
  process.stderr.write(`${formatPathwayError(e)}\n`);
}
if (!bundle) {
  process.stderr.write(
    'The pathway files have errors, so the service did not start. Run: npm run pathways -- check\n',
  );
  process.exit(1);
}

const services = loadServices(config.servicesDir, bundle.scale.codes);
services.errors.forEach((line) => process.stderr.write(`${line}\n`));
if (!services.directory) {
  process.stderr.write('The service files have errors, so the service did not start.\n');
  process.exit(1);
}

let built: ReturnType<typeof buildApp>;
try {
  built = buildApp({ config, bundle, logger, services: services.directory });
} catch (err) {
  process.stderr.write(
    `The service could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
}
const { app } = built;
const mode = config.redisUrl
  ? `Redis mode (${new URL(config.redisUrl).host})`
  : 'embedded in-memory mode: no Redis needed, data is lost when the process stops';
const server: Server = app.listen(config.port, () => {
  logger.info(
    {
      port: config.port,
      pathways: bundle.pathways.map((p) => `${p.pathway.id}@${p.pathway.version}`),
    },
    `listening on http://localhost:${config.port} with ${bundle.pathways.length} pathways, ${mode}`,
  );
});

function shutdown(signal: string): void {
  logger.info({ signal }, 'shutting down');
  server.close(() => {
    void built.close().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => {
  shutdown('SIGTERM');
});
process.on('SIGINT', () => {
  shutdown('SIGINT');
});
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled rejection');
  process.exit(1);
});
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
