import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './processes.ts';

// Preloaded into a profiled gateway by bench/profile.ts (after tsx). tsx compiles each .ts file to one
// line, so a .cpuprofile places every project function at line 1; at exit this writes the source maps of
// the project's loaded files next to the profile (the --cpu-prof-dir folder), and cpu-profile-top.ts maps
// the positions back to TypeScript lines. Nothing runs before exit.

const dirFlag = process.execArgv.find((a) => a.startsWith('--cpu-prof-dir='));

function typescriptFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) typescriptFiles(path, out);
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

if (dirFlag) {
  process.on('exit', () => {
    const maps: Record<string, unknown> = {};
    for (const folder of ['core', 'plugins', 'bench']) {
      for (const file of typescriptFiles(join(PROJECT_ROOT, folder), [])) {
        const url = pathToFileURL(file).href;
        const map = findSourceMap(url);
        if (map) maps[url] = { ...map.payload, sourcesContent: undefined };
      }
    }
    // Node creates the profile folder only when it writes the profile, after this handler.
    const dir = dirFlag.slice('--cpu-prof-dir='.length);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'source-maps.json'), JSON.stringify(maps));
  });
}
