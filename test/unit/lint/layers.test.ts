// The layering rule must fail the build when a folder imports across its boundary.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/paths';

const eslint = new ESLint({ cwd: projectRoot, overrideConfigFile: path.join(projectRoot, 'eslint.config.mjs') });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['core/music/x.ts', `import fs from 'node:fs';`],
    ['core/music/x.ts', `import path from 'path';`],
    ['core/music/x.ts', `import { app } from 'electron';`],
    ['core/music/x.ts', `import Database from 'better-sqlite3';`],
    ['core/music/x.ts', `import { createStudio } from '../../electron/main/services/studio';`],
    ['core/music/x.ts', `import { App } from '../../renderer/src/App';`],
    ['renderer/src/x.ts', `import { createStudio } from '../../electron/main/services/studio';`],
    ['renderer/src/x.ts', `import fs from 'node:fs';`],
    ['renderer/src/x.ts', `import { ipcRenderer } from 'electron';`],
    ['electron/workers/x.ts', `import { app } from 'electron';`],
    ['electron/workers/x.ts', `import { JobManager } from '../main/services/jobs/job-manager';`],
    ['electron/main/services/x.ts', `import { dialog } from 'electron';`],
    ['electron/main/server/x.ts', `import { BrowserWindow } from 'electron';`],
    ['electron/main/app/x.ts', `import { App } from '../../../renderer/src/App';`],
    ['electron/preload/x.ts', `import fs from 'node:fs';`],
    ['electron/preload/x.ts', `import { createStudio } from '../main/services/studio';`],
  ])('%s may not: %s', async (file, code) => {
    expect(await layerErrors(file, code)).not.toEqual([]);
  });

  it.each([
    ['core/music/x.ts', `import { z } from 'zod';\nimport { Midi } from '@tonejs/midi';\nimport type { Piece } from './types';`],
    ['renderer/src/x.ts', `import { createStudioClient } from '../../core/ipc/client';`],
    ['electron/workers/x.ts', `import fs from 'node:fs';\nimport { parseMidi } from '../../core/midi/parse-midi';`],
    ['electron/main/services/x.ts', `import Database from 'better-sqlite3';\nimport { methods } from '../../../core/ipc/contract';`],
    ['electron/main/app/x.ts', `import { app } from 'electron';\nimport { createStudio } from '../services/studio';`],
    ['electron/preload/x.ts', `import { contextBridge } from 'electron';\nimport { createStudioClient } from '../../core/ipc/client';`],
  ])('%s may: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
