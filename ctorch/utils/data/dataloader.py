"""DataLoader: batches of a dataset, in the main process or in worker processes."""
import itertools
import multiprocessing
import queue
import random
import sys
import traceback
import warnings

import ctorch
from ctorch.utils.data import _collate
from ctorch.utils.data.dataset import IterableDataset, TensorDataset
from ctorch.utils.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

default_collate = _collate.default_collate
default_convert = _collate.default_convert

# seconds between checks that the workers are still alive while waiting for a batch
_POLL_INTERVAL = 5.0


class WorkerInfo:
    """What a worker process knows about itself: id, num_workers, seed, dataset (its copy)."""

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_keys", tuple(kwargs))

    def __setattr__(self, key, val):
        raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")

    def __repr__(self):
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self._keys)
        return f"{self.__class__.__name__}({items})"


_worker_info = None


def get_worker_info():
    """The WorkerInfo of the current DataLoader worker process; None in the main process."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    # the "indices" of an iterable dataset: None forever
    def __iter__(self):
        while True:
            yield None


class _MapFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn
        # a TensorDataset batched by default_collate: gathering the rows with one
        # index_select per tensor gives the stacked samples without building
        # batch_size tuples of views (same values, dtypes and shapes; a list, as
        # default_collate makes of tuple samples)
        self.gather = (auto_collation and type(dataset) is TensorDataset
                       and collate_fn is _collate.default_collate
                       and all(isinstance(t, ctorch.Tensor) and t.dim() > 0 for t in dataset.tensors))

    def _gather(self, index):
        tensors = self.dataset.tensors
        if (not index or not all(type(i) is int for i in index)
                or min(index) < 0 or max(index) >= tensors[0].size(0)
                or any(t.requires_grad or t.device.type != "cpu" for t in tensors)):
            return None
        rows = ctorch.tensor(index, dtype=ctorch.int64)
        return [t.index_select(0, rows) for t in tensors]

    def fetch(self, index):
        if self.gather:
            batch = self._gather(index)
            if batch is not None:
                return batch
        if self.auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            if getitems is not None:
                data = getitems(index)
            else:
                data = [self.dataset[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


class _IterableFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.iterator = iter(dataset)
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, drop_last
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in index:
                try:
                    data.append(next(self.iterator))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(self.iterator)
        return self.collate_fn(data)


class _ExceptionWrapper:
    """An exception raised in a worker, carried to the main process with its traceback."""

    def __init__(self, exc_info, where):
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            raise KeyError(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


class _ResumeIteration:
    # a new epoch for persistent workers: rebuild the fetcher (a fresh iterator)
    pass


class _IterableDatasetStopIteration:
    def __init__(self, worker_id):
        self.worker_id = worker_id


def _worker_loop(fetcher_cls, dataset, index_queue, data_queue, done_event, auto_collation,
                 collate_fn, drop_last, seed, init_fn, worker_id, num_workers):
    global _worker_info
    random.seed(seed)
    ctorch.manual_seed(seed)
    if "numpy" in sys.modules:
        import numpy as np
        ss = np.random.SeedSequence([worker_id, seed & 0xFFFFFFFFFFFFFFFF])
        np.random.seed(ss.generate_state(4))
    _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
    init_exception = None
    try:
        if init_fn is not None:
            init_fn(worker_id)
        fetcher = fetcher_cls(dataset, auto_collation, collate_fn, drop_last)
    except Exception:
        init_exception = _ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
    iteration_end = False
    while True:
        try:
            task = index_queue.get(timeout=_POLL_INTERVAL)
        except queue.Empty:
            if done_event.is_set():
                break
            continue
        if task is None:
            break
        if isinstance(task, _ResumeIteration):
            data_queue.put((task, None))
            iteration_end = False
            try:
                fetcher = fetcher_cls(dataset, auto_collation, collate_fn, drop_last)
            except Exception:
                init_exception = _ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
            continue
        if done_event.is_set() or iteration_end:
            continue
        idx, index = task
        if init_exception is not None:
            data, init_exception = init_exception, None
        else:
            try:
                data = fetcher.fetch(index)
            except StopIteration:
                if fetcher_cls is _IterableFetcher:
                    data = _IterableDatasetStopIteration(worker_id)
                    iteration_end = True
                else:
                    data = _ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
            except Exception:
                data = _ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process {worker_id}")
        data_queue.put((idx, data))
    data_queue.cancel_join_thread()


def _pin(data):
    # page-locked host memory, where the tensors support it
    if isinstance(data, ctorch.Tensor):
        pin = getattr(data, "pin_memory", None)
        return pin() if pin is not None else data
    if isinstance(data, dict):
        return type(data)({k: _pin(v) for k, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(_pin(v) for v in data))
    if isinstance(data, (list, tuple)):
        return type(data)(_pin(v) for v in data)
    return data


class _BaseIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._is_iterable = loader._dataset_kind_iterable
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._prefetch_factor = loader.prefetch_factor
        self._collate_fn = loader.collate_fn
        self._timeout = loader.timeout
        self._pin_memory = False
        if loader.pin_memory:
            if ctorch.cuda.is_available():
                self._pin_memory = True
            else:
                warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                              "then device pinned memory won't be used.")
        # the workers' base seed comes from the loader's generator, before the sampler draws
        self._base_seed = loader._shared_seed()
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._fetcher_cls = _IterableFetcher if self._is_iterable else _MapFetcher

    def __iter__(self):
        return self

    def _next_index(self):
        return next(self._sampler_iter)

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        return _pin(data) if self._pin_memory else data

    def __len__(self):
        return len(self._index_sampler)


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader):
        super().__init__(loader)
        self._fetcher = self._fetcher_cls(self._dataset, self._auto_collation, self._collate_fn,
                                          self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._fetcher.fetch(index)


class _MultiProcessIter(_BaseIter):
    """Worker processes, each with its own index queue (tasks handed out round-robin)
    and one shared result queue; batches come back in the sampler's order."""

    def __init__(self, loader):
        super().__init__(loader)
        ctx = loader.multiprocessing_context
        if ctx is None:
            ctx = multiprocessing
        self._worker_init_fn = loader.worker_init_fn
        self._data_queue = ctx.Queue()
        self._done_event = ctx.Event()
        self._index_queues, self._workers = [], []
        for i in range(self._num_workers):
            index_queue = ctx.Queue()
            index_queue.cancel_join_thread()
            w = ctx.Process(target=_worker_loop,
                            args=(self._fetcher_cls, self._dataset, index_queue, self._data_queue,
                                  self._done_event, self._auto_collation, self._collate_fn,
                                  self._drop_last, self._base_seed + i, self._worker_init_fn, i,
                                  self._num_workers))
            w.daemon = True
            w.start()
            self._index_queues.append(index_queue)
            self._workers.append(w)
        self._shutdown = False
        self._persistent_workers = loader.persistent_workers
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        # every epoch hands its first task to worker 0
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            # persistent workers: each acknowledges the new epoch, after any
            # results of the previous one still in the queue
            for q in self._index_queues:
                q.put(_ResumeIteration())
            remaining = self._num_workers
            while remaining > 0:
                tag, _ = self._get_data()
                if isinstance(tag, _ResumeIteration):
                    remaining -= 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        if self._tasks_outstanding >= self._prefetch_factor * self._num_workers:
            return
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_queue_idx = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_queue_idx]:
                break
        else:
            return
        self._index_queues[worker_queue_idx].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_queue_idx,)
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _get_data(self):
        if self._timeout > 0:
            try:
                return self._data_queue.get(timeout=self._timeout)
            except queue.Empty:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds") from None
        while True:
            try:
                return self._data_queue.get(timeout=_POLL_INTERVAL)
            except queue.Empty:
                failed = [w for w, active in zip(self._workers, self._workers_status)
                          if active and not w.is_alive()]
                if failed:
                    pids = ", ".join(str(w.pid) for w in failed)
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly") from None

    def _process_data(self, data):
        self._rcvd_idx += 1
        self._try_put_index()
        if isinstance(data, _ExceptionWrapper):
            self._shutdown_workers()
            data.reraise()
        return data

    def _next_data(self):
        while True:
            # skip the tasks of workers whose iterable dataset has ended
            while self._rcvd_idx < self._send_idx:
                info = self._task_info[self._rcvd_idx]
                if len(info) == 2 or self._workers_status[info[0]]:
                    break
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:
                data = self._task_info.pop(self._rcvd_idx)[1]
                return self._process_data(data)
            idx, data = self._get_data()
            self._tasks_outstanding -= 1
            if isinstance(data, _IterableDatasetStopIteration):
                self._workers_status[data.worker_id] = False
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                self._task_info[idx] += (data,)
            else:
                del self._task_info[idx]
                return self._process_data(data)

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        try:
            self._done_event.set()
            for q in self._index_queues:
                try:
                    q.put(None)
                except Exception:
                    pass
            for w in self._workers:
                w.join(timeout=_POLL_INTERVAL)
                if w.is_alive():
                    w.terminate()
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
            self._data_queue.cancel_join_thread()
            self._data_queue.close()
        except Exception:
            pass

    def __del__(self):
        self._shutdown_workers()


class DataLoader:
    """Iterates over `dataset` in batches (see PyTorch's torch.utils.data.DataLoader)."""

    __initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; "
                             "use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.in_order = in_order
        self._dataset_kind_iterable = isinstance(dataset, IterableDataset)

        if self._dataset_kind_iterable:
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.multiprocessing_context = multiprocessing_context
        self.__initialized = True

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, ctx):
        if ctx is not None:
            if self.num_workers > 0:
                if isinstance(ctx, str):
                    methods = multiprocessing.get_all_start_methods()
                    if ctx not in methods:
                        raise ValueError("multiprocessing_context option should specify a valid "
                                         f"start method in {methods!r}, but got "
                                         f"multiprocessing_context={ctx!r}")
                    ctx = multiprocessing.get_context(ctx)
                if not isinstance(ctx, multiprocessing.context.BaseContext):
                    raise TypeError("multiprocessing_context option should be a valid context "
                                    "object or a string specifying the start method, but got "
                                    f"multiprocessing_context={ctx}")
            else:
                raise ValueError("multiprocessing_context can only be used with multi-process "
                                 f"loading (num_workers > 0), but got num_workers={self.num_workers}")
        self.__multiprocessing_context = ctx

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last",
                                           "dataset", "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def _shared_seed(self):
        return int(ctorch.empty((), dtype=ctorch.int64).random_(generator=self.generator).item())

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self.persistent_workers:
            # the same worker processes serve every epoch
            it = self.__dict__.get("_iterator")
            if it is None or it._shutdown:
                it = _MultiProcessIter(self)
                self._iterator = it
            else:
                it._reset(self)
            return it
        return _MultiProcessIter(self)

    def __len__(self):
        if self._dataset_kind_iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                if self.drop_last:
                    length = length // self.batch_size
                else:
                    length = -(-length // self.batch_size)
            return length
        return len(self._index_sampler)
