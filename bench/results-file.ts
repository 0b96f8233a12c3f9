import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { Figures } from './figures.ts';
import type { Plan } from './plan.ts';
import type { TargetResult } from './targets.ts';

// bench/results.json: the machine, the plan, every figure and the targets, so a committed run can be
// compared with the next one without re-reading the table.

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  kernel: string;
  node: string;
  date: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    node: process.version,
    date: new Date().toISOString(),
  };
}

export function writeResults(path: string, content: { machine: Machine; plan: Plan; durationS: number; figures: Figures; targets: TargetResult[]; warnings: string[] }): void {
  const rounded = JSON.stringify(content, (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value), 2);
  writeFileSync(path, `${rounded}\n`);
}
