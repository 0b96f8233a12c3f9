import { isStartupError } from './errors/startup-error.ts';
import { startGateway } from './gateway.ts';
import { limitHeapGrowth } from './heap-growth.ts';
import { createLogger } from './log/logger.ts';

// The process entry (`npm start`): start the gateway, reload aliases and callers on SIGHUP, stop cleanly on
// SIGTERM/SIGINT. A configuration problem ends the process with one line that says what to fix.

limitHeapGrowth();
try {
  const gateway = await startGateway();
  const { log, settings } = gateway.services;
  // With PORT=0 the kernel picks the port, and the listening line is the only way for whoever started the
  // process (the tests, the benchmark) to learn which: it is written even when LOG_LEVEL hides info lines.
  if (settings.port === 0 && !log.isLevelEnabled('info')) createLogger('info').info({ url: gateway.url }, `mana-llm listening on ${gateway.url}`);
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading aliases and callers');
    void gateway.reloadAliases();
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
} catch (err) {
  if (isStartupError(err)) {
    process.stderr.write(`mana-llm cannot start: ${err.message} (${err.code})\n`);
    process.exit(1);
  }
  throw err;
}
