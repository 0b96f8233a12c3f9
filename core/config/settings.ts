import { hostname } from 'node:os';
import { StartupError } from '../errors/startup-error.ts';
import type { LogLevel } from '../log/logger.ts';

/** The gateway-wide settings, read once from the environment at start (the CONTRACT's variable table). */
export interface Settings {
  port: number;
  host: string;
  logLevel: LogLevel;
  profile: string;
  aliasesPath: string;
  /** The callers file; absent at the default path means no callers. */
  callersPath: string;
  /** Whether `CALLERS_PATH` was set: then a missing file is a mistake to report, not "no callers". */
  callersPathSet: boolean;
  apiKeys: string[];
  corsOrigins: string[];
  maxBodySize: string;
  maxBodyBytes: number;
  healthProbeIntervalMs: number;
  healthProbeTimeoutMs: number;
  circuitFailureThreshold: number;
  circuitBackoffMs: number;
  timeouts: TimeoutSettings;
  /** How long a shutdown waits for requests and streams in flight before it cuts them. */
  shutdownTimeoutMs: number;
  /** How long a caller may take to send a whole request (headers and body): slow clients cannot hold a socket. */
  requestReadTimeoutMs: number;
  /** How long a stored Responses-API answer can be read back or continued; 0: never stored. */
  responseStoreTtlSeconds: number;
  /** This process among the gateway's replicas: in `/v1/health` and on every log line. */
  replicaId: string;
}

/** Milliseconds. A profile may override the first three per provider. */
export interface TimeoutSettings {
  firstTokenMs: number;
  stallMs: number;
  /** One provider attempt, whole; unbounded (within the request deadline) when absent. */
  attemptMs?: number;
  /** The whole request across its chain. */
  requestMs: number;
}

/** A variable that does not parse stops the start with this error (`MANA_ERR_SETTING`), naming the variable. */
function settingError(message: string): StartupError {
  return new StartupError('MANA_ERR_SETTING', message);
}

type Env = Record<string, string | undefined>;

export function readSettings(env: Env = process.env): Settings {
  const maxBodySize = env.MAX_BODY_SIZE?.trim() || '20mb';
  const apiKeys = list(env.API_KEYS);
  if (env.GPU_API_KEY?.trim()) apiKeys.push(env.GPU_API_KEY.trim());
  return {
    port: integer(env, 'PORT', 3025, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    logLevel: logLevel(env.LOG_LEVEL),
    profile: env.MANA_LLM_PROFILE?.trim() || 'default',
    // A container's hostname is its own (a pod's name, a compose container's id); the pid tells apart
    // several processes on one host.
    replicaId: env.REPLICA_ID?.trim() || `${hostname()}-${process.pid}`,
    aliasesPath: env.ALIASES_PATH?.trim() || './aliases.yaml',
    callersPath: env.CALLERS_PATH?.trim() || './callers.yaml',
    callersPathSet: Boolean(env.CALLERS_PATH?.trim()),
    apiKeys,
    corsOrigins: list(env.CORS_ORIGINS ?? 'http://localhost:*'),
    maxBodySize,
    maxBodyBytes: byteSize(maxBodySize),
    healthProbeIntervalMs: seconds(env, 'HEALTH_PROBE_INTERVAL', 30),
    healthProbeTimeoutMs: seconds(env, 'HEALTH_PROBE_TIMEOUT', 3),
    circuitFailureThreshold: integer(env, 'CIRCUIT_FAILURE_THRESHOLD', 2, 1, 1000),
    circuitBackoffMs: seconds(env, 'CIRCUIT_BACKOFF', 60),
    timeouts: {
      firstTokenMs: seconds(env, 'FIRST_TOKEN_TIMEOUT', 60),
      stallMs: seconds(env, 'STALL_TIMEOUT', 30),
      requestMs: seconds(env, 'REQUEST_TIMEOUT', 300),
    },
    shutdownTimeoutMs: seconds(env, 'SHUTDOWN_TIMEOUT', 30),
    requestReadTimeoutMs: seconds(env, 'REQUEST_READ_TIMEOUT', 30),
    responseStoreTtlSeconds: integer(env, 'RESPONSE_STORE_TTL', 3600, 0, 365 * 86400),
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function logLevel(value: string | undefined): LogLevel {
  const level = (value?.trim() || 'info').toLowerCase();
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error' || level === 'silent') return level;
  throw settingError(`LOG_LEVEL must be one of debug, info, warn, error (got "${value}")`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw settingError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** A positive number of seconds (fractions allowed, so tests can use short timeouts), as milliseconds. */
function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw settingError(`${name} must be a positive number of seconds (got "${raw}")`);
  return Math.round(value * 1000);
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `20mb`, `512kb`, `1048576` → bytes. */
export function byteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!match) throw settingError(`MAX_BODY_SIZE must look like 20mb, 512kb or a number of bytes (got "${value}")`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}
