"""Write python-random.json: CPython's own random.Random outputs, the reference for
python-random.test.ts (our TypeScript MT19937). Run: python3 make_python_random.py"""
import json
import random
import sys

out = {"python": sys.version.split()[0], "getrandbits32": {}, "randbelow": {}, "shuffle": {}}
for seed in (0, 1, 42, 2**32 - 1, 2**32, 2**40 + 12345):
    r = random.Random(seed)
    out["getrandbits32"][str(seed)] = [r.getrandbits(32) for _ in range(700)]  # past one state refill (624)
for n in (1, 2, 3, 7, 100, 1000, 1319, 2**31 + 5):
    r = random.Random(7)
    out["randbelow"][str(n)] = [r._randbelow(n) for _ in range(50)]
for seed in (42, 0, 1234):
    for n in (0, 1, 2, 10, 57, 1000, 1319):
        perm = list(range(n))
        r = random.Random()
        r.seed(seed)
        r.shuffle(perm)
        out["shuffle"][f"{seed}:{n}"] = perm
with open("python-random.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
