"""Generate the small .npy fixtures used by src/npy.test.ts.

Run from this folder:  python3 make_npy.py
The outputs are committed; re-run only when changing the fixtures. Values are chosen so that
every dtype represents them exactly (the test compares with ===).
"""
import numpy as np

base = np.arange(6).reshape(2, 3) / 4  # [[0, .25, .5], [.75, 1, 1.25]]

np.save("f8_2x3.npy", base.astype("<f8"))
np.save("f4_2x3.npy", base.astype("<f4"))
np.save("bool_2x2.npy", np.array([[True, False], [False, True]]))
np.save("i1.npy", np.array([-3, 0, 127], dtype="i1"))
np.save("i2.npy", np.array([-3, 0, 30000], dtype="<i2"))
np.save("i4.npy", np.array([-3, 0, 2_000_000_000], dtype="<i4"))
np.save("i8.npy", np.array([-3, 0, 2**53 - 1], dtype="<i8"))
np.save("i8_too_big.npy", np.array([0, 2**60], dtype="<i8"))
np.save("u1.npy", np.array([0, 1, 255], dtype="u1"))
np.save("scalar_f8.npy", np.float64(0.5))
np.save("empty_0x3.npy", np.zeros((0, 3)))
np.save("c_order_2x3x4.npy", np.arange(24, dtype="<f8").reshape(2, 3, 4))
with open("v2_f8.npy", "wb") as f:
    np.lib.format.write_array(f, base, version=(2, 0))
np.save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save("fortran_f8.npy", np.asfortranarray(base))
np.save("big_endian_f8.npy", base.astype(">f8"))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save("complex.npy", np.array([1 + 2j]))
np.save("float16.npy", np.array([0.5], dtype="<f2"))
np.save("unicode.npy", np.array(["ab", "c"]))
# a tiny correctness matrix, TailoredBench-style (models x examples, float 0/1)
np.save("acc_3x4.npy", np.array([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 1, 1]], dtype="<f8"))
