/**
 * The standard normal upper tail through W. J. Cody's rational Chebyshev approximation of erfc
 * ("Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–638;
 * the coefficient sets of Netlib SPECFUN `CALERF`, each written here as its nearest double).
 * Accurate to about 1e-15 relative.
 * Internal: not re-exported from the package entry.
 * @internal
 */

const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const SQRPI = 0.5641895835477563; // 1/√π
const THRESH = 0.46875;
const XBIG = 26.543; // erfc(x) underflows to 0 beyond this

/** Coefficient `k` of one of the tables above (the tables are fixed, so the index is always valid). */
function c(table: readonly number[], k: number): number {
  return table[k] as number;
}

/** Complementary error function `erfc(x) = 1 − erf(x)` (Cody's CALERF, `jint = 1`). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let result: number;
  if (y <= THRESH) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = c(A, 4) * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + c(A, i)) * ysq;
      den = (den + c(B, i)) * ysq;
    }
    return 1 - (x * (num + c(A, 3))) / (den + c(B, 3));
  }
  if (y <= 4) {
    let num = c(C, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + c(C, i)) * y;
      den = (den + c(D, i)) * y;
    }
    result = (num + c(C, 7)) / (den + c(D, 7));
  } else if (y >= XBIG) {
    result = 0;
  } else {
    const zsq = 1 / (y * y);
    let num = c(P, 5) * zsq;
    let den = zsq;
    for (let i = 0; i < 4; i++) {
      num = (num + c(P, i)) * zsq;
      den = (den + c(Q, i)) * zsq;
    }
    result = (zsq * (num + c(P, 4))) / (den + c(Q, 4));
    result = (SQRPI - result) / y;
  }
  if (result !== 0) {
    // exp(−y²) split as exp(−s²)·exp(−(y−s)(y+s)) with s = y rounded down to 1/16, to keep precision
    const s = Math.trunc(y * 16) / 16;
    const del = (y - s) * (y + s);
    result = Math.exp(-s * s) * Math.exp(-del) * result;
  }
  return x < 0 ? 2 - result : result;
}

/** Upper tail of the standard normal distribution, `P(Z ≥ z) = erfc(z/√2)/2` (SciPy's `norm.sf`). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
