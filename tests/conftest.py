import os
import sys

# test against the ctorch built in this checkout (setup.py build_ext --inplace),
# wherever pytest is started from; and let test modules import helpers / op_db
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_HERE))
sys.path.insert(0, _HERE)
