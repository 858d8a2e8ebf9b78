/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME [NAME...]` runs the named ones.
 *
 * Benchmarks live in bench/*.bench.ts, each exporting `benches: Bench[]`. Each measure prints one line:
 *   BENCH <name> ours=<n> ref=<n|none> unit=<u> ratio=<ours/ref|none>
 * and its notes on lines of their own starting with "#". A measure that cannot run here (its data is
 * missing) returns `{ skipped: reason }` and prints only a "#" line. The benches install nothing: a
 * reference that is missing gives ref=none and a note saying how to get it (`npm run bench:refs`).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface BenchResult {
  /** Our measure, in `unit`. */
  readonly ours: number;
  /** The reference implementation's measure in the same unit, or null when it is not installed. */
  readonly ref: number | null;
  readonly unit: string;
  readonly note?: string;
}

export interface BenchSkipped {
  readonly skipped: string;
}

export interface Bench {
  readonly name: string;
  run(): Promise<BenchResult | BenchSkipped>;
}

const BENCH_DIR = __dirname;

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

export function benchLine(name: string, result: BenchResult): string {
  const ref = result.ref === null ? 'none' : formatNumber(result.ref);
  const ratio = result.ref === null || result.ref === 0 ? 'none' : formatNumber(result.ours / result.ref);
  return `BENCH ${name} ours=${formatNumber(result.ours)} ref=${ref} unit=${result.unit} ratio=${ratio}`;
}

function isBench(value: unknown): value is Bench {
  return typeof value === 'object' && value !== null && typeof (value as Bench).name === 'string' && typeof (value as Bench).run === 'function';
}

async function discover(): Promise<Bench[]> {
  const files = fs
    .readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const module = (await import(path.join(BENCH_DIR, file))) as { benches?: unknown };
    if (!Array.isArray(module.benches) || !module.benches.every(isBench)) {
      throw new Error(`bench/${file} must export \`benches\`: an array of { name, run() }.`);
    }
    benches.push(...module.benches);
  }
  const seen = new Set<string>();
  for (const bench of benches) {
    if (seen.has(bench.name)) throw new Error(`Two benchmarks are named "${bench.name}": names must be unique.`);
    seen.add(bench.name);
  }
  return benches;
}

function printNote(note: string): void {
  for (const line of note.split('\n')) console.log(`# ${line}`);
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const benches = await discover();
  const unknown = wanted.filter((name) => !benches.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${benches.map((bench) => bench.name).join(', ')}.`);
    return 1;
  }
  const selected = wanted.length === 0 ? benches : benches.filter((bench) => wanted.includes(bench.name));
  let failed = 0;
  for (const bench of selected) {
    try {
      const result = await bench.run();
      if ('skipped' in result) {
        printNote(`${bench.name} skipped: ${result.skipped}`);
        continue;
      }
      console.log(benchLine(bench.name, result));
      if (result.note) printNote(result.note);
    } catch (error) {
      failed++;
      printNote(`${bench.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

// Only when run (`tsx bench/run.ts`), not when a bench file imports the types above.
if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
