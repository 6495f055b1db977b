/**
 * The harness of the hostile-input benchmarks: each kind of input at each size is timed against
 * the plain input of that size in the same run. Bounds: every input within `maxRatio`× the plain
 * one of its size, and growth from the smallest to the largest size at most `maxGrowth`× (linear
 * is the ratio of the sizes). Prints the ratios and pass or fail; sets a non-zero exit code on
 * a failure.
 */

export interface BoundedCost<Kind extends string> {
  readonly title: string;
  /** The first kind is the plain reference. */
  readonly kinds: readonly Kind[];
  readonly sizes: readonly number[];
  readonly sizeLabel: (size: number) => string;
  readonly input: (kind: Kind, size: number) => string;
  readonly work: (input: string) => unknown;
  readonly maxRatio: number;
  readonly maxGrowth: number;
}

const ROUNDS = 5;
/** Each sample repeats the work this long at least, so a job of a few milliseconds is not timer noise. */
const SAMPLE_MS = 100;

interface Case<Kind> {
  readonly kind: Kind;
  readonly input: string;
  repeats: number;
  readonly samples: number[];
}

export function checkBoundedCost<Kind extends string>(bench: BoundedCost<Kind>): boolean {
  const sample = (entry: Case<Kind>): number => {
    const started = performance.now();
    for (let repeat = 0; repeat < entry.repeats; repeat += 1) bench.work(entry.input);
    return (performance.now() - started) / entry.repeats;
  };
  const cases: Case<Kind>[] = bench.sizes.flatMap((size) =>
    bench.kinds.map((kind) => ({ kind, input: bench.input(kind, size), repeats: 1, samples: [] })),
  );
  // One run of each first: the code compiled, and each input's repeats sized.
  for (const entry of cases) entry.repeats = Math.max(1, Math.ceil(SAMPLE_MS / sample(entry)));
  // Rounds interleave the inputs, so a slow moment of the machine or the heap is shared by all.
  for (let round = 0; round < ROUNDS; round += 1)
    for (const entry of cases) entry.samples.push(sample(entry));

  // The fastest sample: other work on the machine only ever adds time, and the bounds are about
  // the code's own cost (on a loaded machine the median of the largest inputs wanders by half).
  const times = new Map<Kind, number[]>(
    bench.kinds.map((kind) => [
      kind,
      cases.filter((entry) => entry.kind === kind).map((entry) => Math.min(...entry.samples)),
    ]),
  );
  const plain = times.get(bench.kinds[0] as Kind) ?? [];
  const sizes = bench.sizes.map(bench.sizeLabel).join(' / ');
  const span = `${bench.sizeLabel(bench.sizes[0] ?? 0)} → ${bench.sizeLabel(bench.sizes.at(-1) ?? 0)}`;
  console.log(
    `${bench.title}, fastest of ${ROUNDS}: ms at ${sizes}, ratio to the plain input of each size (≤ ${bench.maxRatio}×), growth ${span} (≤ ${bench.maxGrowth}×)`,
  );
  let failed = false;
  for (const kind of bench.kinds) {
    const ms = times.get(kind) ?? [];
    const ratios = ms.map((value, index) => value / (plain[index] ?? Number.NaN));
    const growth = (ms.at(-1) ?? Number.NaN) / (ms[0] ?? Number.NaN);
    const pass = ratios.every((ratio) => ratio <= bench.maxRatio) && growth <= bench.maxGrowth;
    if (!pass) failed = true;
    console.log(
      `${kind.padEnd(18)} ${ms.map((value) => value.toFixed(0).padStart(6)).join(' ')} ms   ${ratios.map((ratio) => `${ratio.toFixed(2)}×`.padStart(7)).join(' ')}   growth ${growth.toFixed(2)}×   ${pass ? 'pass' : 'FAIL'}`,
    );
  }
  console.log(`${bench.title}: ${failed ? 'FAIL' : 'pass'}`);
  if (failed) process.exitCode = 1;
  return !failed;
}
