import { TbError } from "./errors.js";

/**
 * Budgeted access to ONE target model's correctness (docs/DESIGN.md §2). A method never sees a target's
 * row; it asks the oracle for named examples. The oracle counts distinct examples and refuses any
 * query that would take that count past the budget. Repeated questions are free.
 */
export interface Oracle {
  /** The target's id (for reports only). */
  readonly id: string;
  /** The largest number of distinct examples this oracle will answer for. */
  readonly budget: number;
  /** Number of examples in the benchmark (valid indices are 0..n−1). */
  readonly examples: number;
  /** Distinct examples asked so far. */
  readonly queried: number;
  /** Correctness of the target on example `index`. Throws `E_BUDGET` past the budget. */
  query(index: number): number;
  /** Correctness on several examples, in the given order. All-or-nothing on the budget. */
  queryMany(indices: ArrayLike<number>): Float64Array;
}

/**
 * An oracle over a private copy of one row. The row is held in a closure-scoped field that is not
 * reachable from the returned object's public surface.
 */
export function createOracle(row: ArrayLike<number>, budget: number, id = "target"): Oracle {
  const values = Float64Array.from(row);
  const n = values.length;
  if (!(Number.isInteger(budget) && budget >= 0)) {
    throw new TbError("E_USAGE", `oracle budget must be a non-negative integer, got ${budget}`);
  }
  const seen = new Uint8Array(n);
  let count = 0;
  const check = (i: number): void => {
    if (!(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new TbError("E_UNKNOWN_ID", `oracle for ${id}: example index ${i} is not in [0, ${n})`);
    }
  };
  const oracle: Oracle = {
    id,
    budget,
    examples: n,
    get queried() {
      return count;
    },
    query(i: number): number {
      check(i);
      if (seen[i] === 0) {
        if (count + 1 > budget) {
          throw new TbError(
            "E_BUDGET",
            `oracle for ${id}: asking for example ${i} would exceed the budget of ${budget} distinct examples`,
          );
        }
        seen[i] = 1;
        count++;
      }
      return values[i] as number;
    },
    queryMany(indices: ArrayLike<number>): Float64Array {
      let fresh = 0;
      const mark = new Set<number>();
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k] as number;
        check(i);
        if (seen[i] === 0 && !mark.has(i)) {
          mark.add(i);
          fresh++;
        }
      }
      if (count + fresh > budget) {
        throw new TbError(
          "E_BUDGET",
          `oracle for ${id}: ${fresh} new examples would take the count to ${count + fresh}, past the budget of ${budget}`,
        );
      }
      const out = new Float64Array(indices.length);
      for (let k = 0; k < indices.length; k++) out[k] = oracle.query(indices[k] as number);
      return out;
    },
  };
  return Object.freeze(oracle);
}
