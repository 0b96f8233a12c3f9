import { pino, type Logger as PinoLogger } from 'pino';

/** The structured logger every module and plugin receives (pino: `log.info({fields}, 'message')`). */
export type Logger = PinoLogger;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** One JSON line per entry on stdout, at `LOG_LEVEL`; the keys of providers never pass through it. */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream, replica?: string): Logger {
  const options = {
    level,
    // Bound once: every line says which replica wrote it, at no cost per line.
    base: replica === undefined ? { service: 'mana-llm' } : { service: 'mana-llm', replica },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
