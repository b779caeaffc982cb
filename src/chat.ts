import { createInterface } from 'node:readline';
import { buildApp } from './app.js';
import { runTerminal } from './channels/terminal/repl.js';
import { loadConfig } from './config.js';
import { createLogger } from './shared/index.js';
import { dataPaths, formatPathwayError, loadBundle } from './triage/index.js';

/** `npm run chat`: the conversation in this terminal, with the same engine and stores. */

const configResult = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
if (!configResult.ok) {
  configResult.problems.forEach((p) => process.stderr.write(`Invalid configuration: ${p}\n`));
  process.exit(1);
}
const { config } = configResult;
const { bundle, errors } = loadBundle(dataPaths(config.pathwaysDir, config.dataDir));
errors.forEach((e) => process.stderr.write(`${formatPathwayError(e)}\n`));
if (!bundle) {
  process.exit(1);
}
const built = buildApp({ config, bundle, logger: createLogger(config.logLevel) });
const lines = createInterface({ input: process.stdin, terminal: false });
runTerminal(built.engine, { lines, write: (t) => process.stdout.write(t) })
  .catch((err: unknown) => {
    process.stderr.write(`The chat stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    void built.close();
  });
