// Builds what the tests run for real, once per `vitest run`: the job worker and browser mode's
// server (esbuild, well under a second) and, when end-to-end tests are selected, the renderer.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const { buildNode } = (await import(path.join(root, 'scripts/build-node.mjs'))) as {
    buildNode: (options?: { extra?: Record<string, string> }) => Promise<string>;
  };
  await buildNode({ extra: { 'test-job-worker': 'test/support/test-job-worker.ts' } });
  const wantsE2e = project.vitest.projects.some((p) => p.name === 'e2e');
  if (wantsE2e && process.env.STUDIO_SKIP_RENDERER_BUILD !== '1') {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}
