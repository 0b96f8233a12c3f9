/** Whether `--name` is on the command line. */
export function hasFlag(name: string, argv: string[] = process.argv.slice(2)): boolean {
  return argv.includes(`--${name}`);
}

/** A numeric option from `--name=value` / `--name value`, else the environment variable, else the fallback. */
export function optionFrom(name: string, envName: string, fallback: number, argv: string[] = process.argv.slice(2)): number {
  const raw = stringOption(name, argv) ?? process.env[envName];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} / ${envName} must be a non-negative number (got "${raw}")`);
  return value;
}

/** A string option from `--name=value` / `--name value`. */
export function stringOption(name: string, argv: string[] = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
    if (arg === `--${name}` && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return argv[i + 1];
  }
  return undefined;
}
