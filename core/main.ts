import { isStartupError } from './errors/startup-error.ts';
import { startGateway } from './gateway.ts';
import { limitHeapGrowth } from './heap-growth.ts';

// The process entry (`npm start`): start the gateway, reload aliases on SIGHUP, stop cleanly on
// SIGTERM/SIGINT. A configuration problem ends the process with one line that says what to fix.

limitHeapGrowth();
try {
  const gateway = await startGateway();
  const { log } = gateway.services;
  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading aliases');
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
