import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { dockerIgnore, type IgnoreMatcher } from './docker-ignore.ts';
import { parseCommand, parseCopy, parseEnv, type Stage } from './dockerfile.ts';

// Rebuilds an image's file tree in a plain folder from a parsed Dockerfile, without a container engine:
// context COPYs honour .dockerignore, `COPY --from=<stage>` builds that stage first (its RUN lines run
// through `run`, in the folder that stands for its WORKDIR). The folder stands for the stage's WORKDIR,
// so every path the Dockerfile writes must lie inside it; anything else is refused rather than guessed.

export interface AssemblyOptions {
  /** The build context (the repository). */
  context: string;
  /** Runs one RUN command of a stage (exec form) with `cwd` standing for the stage's WORKDIR. */
  run(command: string[], cwd: string, stage: Stage): void;
  /** Stages built for `--from`, by name; pass the same map again to reuse them. */
  built?: Map<string, BuiltStage>;
}

export interface BuiltStage {
  /** The host folder that stands for `base` inside the stage. */
  dir: string;
  /** The container path the folder stands for (the stage's WORKDIR when it first wrote a file). */
  base: string;
  workdir: string;
  env: Record<string, string>;
}

/** Keywords that change nothing on disk; the tests read them from the parsed stage. */
const METADATA = new Set(['ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'LABEL', 'ARG', 'STOPSIGNAL']);

export function assembleStage(stages: Stage[], stage: Stage, dir: string, options: AssemblyOptions): BuiltStage {
  const ignored = dockerIgnore(existsSync(join(options.context, '.dockerignore')) ? readFileSync(join(options.context, '.dockerignore'), 'utf8') : '');
  const built = options.built ?? new Map<string, BuiltStage>();
  const state: BuiltStage = { dir, base: '', workdir: '/', env: {} };
  const host = (containerPath: string, line: number) => {
    const absolute = posix.resolve(state.workdir, containerPath);
    state.base ||= state.workdir;
    const inside = posix.relative(state.base, absolute);
    if (inside.startsWith('..')) throw new Error(`Dockerfile line ${line}: ${absolute} lies outside ${state.base}, which the assembly cannot model`);
    return join(dir, inside);
  };
  for (const instruction of stage.instructions) {
    const { keyword, args, line } = instruction;
    if (keyword === 'WORKDIR') state.workdir = posix.resolve(state.workdir, args);
    else if (keyword === 'ENV') Object.assign(state.env, parseEnv(args));
    else if (keyword === 'RUN') {
      const cwd = host('.', line);
      mkdirSync(cwd, { recursive: true });
      options.run(parseCommand(args), cwd, stage);
    } else if (keyword === 'COPY') {
      const copy = parseCopy(args);
      const dest = host(copy.dest, line);
      const intoFolder = copy.sources.length > 1 || copy.dest.endsWith('/');
      for (const source of copy.sources) {
        if (copy.from) copyFromStage(stages, copy.from, source, dest, intoFolder, options, built, line);
        else copyFromContext(options.context, ignored, source, dest, intoFolder, line);
      }
    } else if (!METADATA.has(keyword)) {
      throw new Error(`Dockerfile line ${line}: ${keyword} is not modelled by the container-assembly test; teach test/deploy/image-assembly.ts what it does`);
    }
  }
  return state;
}

function copyFromContext(context: string, ignored: IgnoreMatcher, source: string, dest: string, intoFolder: boolean, line: number): void {
  const relative = posix.normalize(source).replace(/\/+$/, '');
  if (relative.startsWith('..')) throw new Error(`Dockerfile line ${line}: COPY ${source} leaves the build context`);
  if (/[*?[]/.test(relative)) throw new Error(`Dockerfile line ${line}: COPY with a wildcard (${source}) is not modelled`);
  const path = join(context, relative);
  // Docker reports an excluded source as missing: the build fails, and so does this.
  if (!existsSync(path) || (relative !== '.' && ignored(relative))) {
    throw new Error(`Dockerfile line ${line}: COPY ${source}: not in the build context${existsSync(path) ? ' (excluded by .dockerignore)' : ''}`);
  }
  if (statSync(path).isDirectory()) {
    for (const file of walk(path)) {
      const inContext = relative === '.' ? file : posix.join(relative, file);
      if (!ignored(inContext)) copyFile(join(path, file), join(dest, file));
    }
    return;
  }
  const target = intoFolder || (existsSync(dest) && statSync(dest).isDirectory()) ? join(dest, posix.basename(relative)) : dest;
  copyFile(path, target);
}

function copyFromStage(
  stages: Stage[],
  name: string,
  source: string,
  dest: string,
  intoFolder: boolean,
  options: AssemblyOptions,
  built: Map<string, BuiltStage>,
  line: number,
): void {
  let from = built.get(name);
  if (!from) {
    const stage = stages.find((s) => s.name === name) ?? stages[Number(name)];
    if (!stage) throw new Error(`Dockerfile line ${line}: COPY --from=${name} names no stage of the Dockerfile`);
    from = assembleStage(stages, stage, mkdtempSync(join(tmpdir(), `mana-llm-stage-${name}-`)), { ...options, built });
    built.set(name, from);
  }
  const inside = posix.relative(from.base || from.workdir, posix.resolve(from.workdir, source));
  if (inside.startsWith('..')) throw new Error(`Dockerfile line ${line}: COPY --from=${name} ${source} lies outside the stage's ${from.base}`);
  const path = join(from.dir, inside);
  if (!existsSync(path)) throw new Error(`Dockerfile line ${line}: COPY --from=${name} ${source}: the stage has no such file`);
  const target = !statSync(path).isDirectory() && intoFolder ? join(dest, posix.basename(source)) : dest;
  // verbatimSymlinks keeps node_modules/.bin links relative, as in the image.
  cpSync(path, target, { recursive: true, verbatimSymlinks: true });
}

function copyFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Every file under `dir`, as posix paths relative to it. */
export function walk(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? posix.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) files.push(...walk(dir, path));
    else files.push(path);
  }
  return files;
}
