import os
import sys

import pytest

# test against the ctorch built in this checkout (setup.py build_ext --inplace),
# wherever pytest is started from; and let test modules import helpers / op_db
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_HERE))
sys.path.insert(0, _HERE)


@pytest.fixture
def threads():
    """Sets ctorch's thread count for one test (the fixture's value is
    ctorch.set_num_threads); the count before is restored after it."""
    import ctorch
    old = ctorch.get_num_threads()
    yield ctorch.set_num_threads
    ctorch.set_num_threads(old)
