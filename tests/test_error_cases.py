"""The error cases of the op tables (reductions, shape, sorting-free tables of
fft, histograms, random sampling, nn.functional): each call must raise the
exception type PyTorch raises, with a message that contains the table's
fragment (PyTorch's wording)."""
import warnings

import pytest

import ctorch as torch
from tests import op_db_fft, op_db_hist, op_db_nn, op_db_random, op_db_reductions, op_db_shape
from tests import op_db_composite

TABLES = {
    "reductions": op_db_reductions.OPS,
    "shape": op_db_shape.OPS,
    "fft": op_db_fft.OPS,
    "hist": op_db_hist.HIST_OPS,
    "random": op_db_random.RANDOM_OPS,
    "nn": op_db_nn.OPS,
    "composite": op_db_composite.OPS,
}

CASES = [(f"{table}-{op.name}-{i}", err) for table, ops in TABLES.items() for op in ops
         for i, err in enumerate(op.errors)]


@pytest.mark.parametrize("case,err", CASES, ids=[c for c, _ in CASES])
def test_errors(case, err):
    call, exc, frag = err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # e.g. mse_loss warns before it raises
        with pytest.raises(exc) as info:
            call(torch)
    assert frag in str(info.value)


def test_every_table_has_error_cases():
    for table, ops in TABLES.items():
        assert sum(len(op.errors) for op in ops) >= 3, table
