"""Sorting and searching: a long float32 row (sort, argsort, topk of a few),
many rows sorted along the last dim, and searchsorted."""
import ctorch

from .common import ct_data


class SortLong:
    params = (["sort", "argsort", "sort_descending"],)
    param_names = ["op"]

    def setup(self, op):
        self.x = ct_data((1_000_000,), "float32", seed=40)

    def time_op(self, op):
        if op == "sort":
            self.x.sort()
        elif op == "argsort":
            self.x.argsort()
        else:
            self.x.sort(descending=True)


class TopK:
    params = ([1, 10, 1000],)
    param_names = ["k"]

    def setup(self, k):
        self.x = ct_data((1_000_000,), "float32", seed=41)

    def time_topk(self, k):
        self.x.topk(k)


class SortRows:
    params = ([1, 0],)
    param_names = ["dim"]

    def setup(self, dim):
        self.x = ct_data((1024, 1024), "float32", seed=42)

    def time_sort(self, dim):
        self.x.sort(dim)


class Search:
    def setup(self):
        self.b = ct_data((100_000,), "float32", seed=43).sort().values
        self.v = ct_data((1_000_000,), "float32", seed=44)

    def time_searchsorted(self):
        ctorch.searchsorted(self.b, self.v)

    def time_kthvalue(self):
        self.v.kthvalue(500_000)
