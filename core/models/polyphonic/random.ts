/**
 * Seeded randomness whose state can be saved: training (shuffling, transposition, dropout masks) and
 * sampling draw from it, and a checkpoint stores the state, so a resumed run draws exactly what the
 * uninterrupted run would have. The draws are core/models/hmm/random.ts's mulberry32; its state (the
 * seed advanced by one increment a draw) is tracked here beside it, so it can be saved and restored.
 */
import { mulberry32, normal, type Random } from '../hmm/random';

/** mulberry32 adds this to its state before each draw. */
const MULBERRY32_INCREMENT = 0x6d2b79f5;

export class SeededRandom {
  private state: number;
  private readonly draw: Random;
  /** next() as a function, for the shared helpers that take one. */
  private readonly uniform: Random = () => this.next();

  constructor(seed: number) {
    this.state = seed >>> 0;
    this.draw = mulberry32(this.state);
  }

  /** Uniform on [0, 1). */
  next(): number {
    this.state = (this.state + MULBERRY32_INCREMENT) >>> 0;
    return this.draw();
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    return normal(this.uniform);
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let k = items.length - 1; k > 0; k--) {
      const j = this.below(k + 1);
      [items[k], items[j]] = [items[j]!, items[k]!];
    }
    return items;
  }

  getState(): number {
    return this.state;
  }

  static fromState(state: number): SeededRandom {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) throw new RangeError(`SeededRandom: a state is a 32-bit unsigned integer, got ${state}.`);
    return new SeededRandom(state);
  }
}
