"""A long run of the differential fuzzer (tests/test_fuzz.py) that reports
the number of ctorch op calls it made.

    python tests/fuzz_long.py [EXAMPLES_PER_TEST] [SEED] [extra pytest args]

EXAMPLES_PER_TEST defaults to 1500 (about 100,000 calls); failures are
reported unshrunk (CTORCH_FUZZ_NO_SHRINK) to keep the run short.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    n = argv[1] if len(argv) > 1 else "1500"
    os.environ["CTORCH_FUZZ_EXAMPLES"] = n
    if len(argv) > 2:
        os.environ["CTORCH_FUZZ_SEED"] = argv[2]
    os.environ.setdefault("CTORCH_FUZZ_NO_SHRINK", "1")
    sys.path.insert(0, HERE)
    import pytest
    t0 = time.time()
    rc = pytest.main(["-q", "-p", "no:cacheprovider", os.path.join(HERE, "test_fuzz.py")] + argv[3:])
    import fuzz_support
    print(f"fuzz: {n} examples per test, seed {os.environ.get('CTORCH_FUZZ_SEED', 'random')}: "
          f"{fuzz_support.CALLS.n} ctorch calls in {time.time() - t0:.0f} s, pytest exit code {rc}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
