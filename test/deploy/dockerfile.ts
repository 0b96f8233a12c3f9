// A reader for the part of the Dockerfile syntax the image uses: stages, COPY, RUN, ENV, WORKDIR, USER,
// HEALTHCHECK and CMD. No container engine runs on the test machines, so the container-assembly test
// rebuilds the image's file tree from this reading instead; an instruction it cannot model is an error,
// never silently skipped.

export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts, for messages. */
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

export interface CopyInstruction {
  from?: string;
  sources: string[];
  dest: string;
}

/** Splits the file into stages of instructions; continuation lines are joined and comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending: { text: string; line: number } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continued instruction, as Docker does.
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) continue;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending ? { text: `${pending.text} ${part}`, line: pending.line } : { text: part, line: index + 1 };
    if (continued) continue;
    addInstruction(stages, pending.text, pending.line);
    pending = undefined;
  }
  if (pending) addInstruction(stages, pending.text, pending.line);
  return stages;
}

function addInstruction(stages: Stage[], text: string, line: number): void {
  const match = /^(\S+)\s*(.*)$/s.exec(text)!;
  const keyword = match[1]!.toUpperCase();
  const args = match[2]!.trim();
  if (keyword === 'FROM') {
    const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
    if (!from) throw new Error(`Dockerfile line ${line}: cannot read FROM ${args}`);
    stages.push({ image: from[1]!, ...(from[2] ? { name: from[2] } : {}), instructions: [] });
    return;
  }
  const stage = stages.at(-1);
  if (!stage) throw new Error(`Dockerfile line ${line}: ${keyword} before the first FROM`);
  stage.instructions.push({ keyword, args, line });
}

/** `COPY [--from=stage] [--chown=…] src… dest`, in shell or JSON form. */
export function parseCopy(args: string): CopyInstruction {
  let rest = args;
  let from: string | undefined;
  for (let flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest); flag; flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)) {
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  if (words.length < 2) throw new Error(`COPY ${args}: needs at least one source and a destination`);
  return { ...(from ? { from } : {}), sources: words.slice(0, -1), dest: words.at(-1)! };
}

/** CMD, RUN, HEALTHCHECK CMD: the JSON (exec) form as given, the shell form as `/bin/sh -c`. */
export function parseCommand(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return ['/bin/sh', '-c', args];
}

/** `ENV A=1 B="two words"`, or the legacy `ENV A value`. */
export function parseEnv(args: string): Record<string, string> {
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(args);
  if (legacy) return { [legacy[1]!]: legacy[2]!.trim() };
  const env: Record<string, string> = {};
  for (const pair of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const value = pair[2]!;
    env[pair[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value.startsWith("'") ? value.slice(1, -1) : value;
  }
  return env;
}

/** `HEALTHCHECK [--interval=…] CMD …` → its options and command; `HEALTHCHECK NONE` → undefined. */
export function parseHealthcheck(args: string): { options: Record<string, string>; command: string[] } | undefined {
  if (/^NONE$/i.test(args)) return undefined;
  const options: Record<string, string> = {};
  let rest = args;
  for (let flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[flag[1]!] = flag[2]!;
    rest = rest.slice(flag[0].length);
  }
  const cmd = /^CMD\s+(.*)$/is.exec(rest);
  if (!cmd) throw new Error(`HEALTHCHECK ${args}: expected CMD after the options`);
  return { options, command: parseCommand(cmd[1]!.trim()) };
}

/** The instructions of one keyword in a stage, in order. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}
