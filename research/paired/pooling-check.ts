/**
 * Prototype (not in the packages): does tailored-plus on a pair order it worse than two separate
 * runs because of the joint native selection of two targets? On the explore pairs: the pair in one
 * run with joint pooling (the default), with single pooling (each target's natives chosen alone),
 * and two separate runs (each model its own run and stream, as joint-look.ts). Pair order and error
 * of the difference only.
 * Run: npx tsx --conditions=@tb/source research/paired/pooling-check.ts <data> <split> <budget> <seeds>
 */
import { createOracle } from "@tb/core";
import { tailoredPlus } from "@tb/estimate";
import { describeScore, newScore, pairsOf, prototypeArgs, scoreInterval } from "./pairs.js";

const { dir, split, N, seeds, m } = await prototypeArgs("interpolation");
const joint = newScore();
const single = newScore();
const separate = newScore();
const plus = tailoredPlus({ level: 0.9 });
const singlePlus = tailoredPlus({ level: 0.9, targetPooling: "single" });
for (const { sources, a, b, truth, rng } of pairsOf(m, split, seeds)) {
  const oracles = () => [createOracle(m.row(a), N), createOracle(m.row(b), N)];
  const j = plus.run({ sources, oracles: oracles(), budget: N, rng: rng.child("together") }).estimates;
  scoreInterval(joint, (j[0] as number) - (j[1] as number), -1, 1, truth);
  const s = singlePlus.run({ sources, oracles: oracles(), budget: N, rng: rng.child("together") }).estimates;
  scoreInterval(single, (s[0] as number) - (s[1] as number), -1, 1, truth);
  const ea = plus.run({ sources, oracles: [createOracle(m.row(a), N)], budget: N, rng: rng.child("ind", 0) })
    .estimates[0] as number;
  const eb = plus.run({ sources, oracles: [createOracle(m.row(b), N)], budget: N, rng: rng.child("ind", 1) })
    .estimates[0] as number;
  scoreInterval(separate, ea - eb, -1, 1, truth);
}
console.log(`${dir} ${split} N=${N}`);
console.log(`  one run, joint pooling   ${describeScore(joint)}`);
console.log(`  one run, single pooling  ${describeScore(single)}`);
console.log(`  two runs                 ${describeScore(separate)}`);
