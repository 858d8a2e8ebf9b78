// Builds what the tests run for real, once per `vitest run`: the job workers and browser mode's
// server (esbuild, well under a second). The renderer is built by the e2e project's own setup.
import path from 'node:path';

export default async function setup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const { buildNode } = (await import(path.join(root, 'scripts/build-node.mjs'))) as {
    buildNode: (options?: { extra?: Record<string, string> }) => Promise<string>;
  };
  await buildNode({ extra: { 'test-job-worker': 'test/support/test-job-worker.ts' } });
}
