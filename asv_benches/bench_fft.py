"""FFT: the CPU backend's transforms (complex64 fft and float32 rfft of 2^10
and 2^20 points: the long ones run as two passes of short transforms shared
between threads; batches of rows, a group of rows at a time in vector lanes
where the length's power of two is small), and the same transforms with
autograd recording."""
import ctorch

from .common import ct_data


class FFT:
    params = [2 ** 10, 2 ** 20]
    param_names = ["n"]

    def setup(self, n):
        self.x = ctorch.complex(ct_data((n,), "float32", seed=1), ct_data((n,), "float32", seed=2))
        self.r = ct_data((n,), "float32", seed=3)

    def time_fft_complex64(self, n):
        ctorch.fft.fft(self.x)

    def time_rfft_float32(self, n):
        ctorch.fft.rfft(self.r)

    def time_irfft_float32(self, n):
        ctorch.fft.irfft(self.x, n=n)


class FFTRows:
    params = [256, 1000, 1024, 3000]
    param_names = ["n"]

    def setup(self, n):
        self.x = ctorch.complex(ct_data((64, n), "float32", seed=5), ct_data((64, n), "float32", seed=6))
        self.r = ct_data((64, 2 * n), "float32", seed=7)

    def time_fft_complex64(self, n):
        ctorch.fft.fft(self.x)

    def time_rfft_float32(self, n):
        ctorch.fft.rfft(self.r)


class FFT2:
    params = [256, 1024]
    param_names = ["n"]

    def setup(self, n):
        self.x = ct_data((n, n), "float32", seed=4)

    def time_rfft2(self, n):
        ctorch.fft.rfft2(self.x)

    def time_fft2(self, n):
        ctorch.fft.fft2(self.x)


class FFTBackward:
    params = [2 ** 16]
    param_names = ["n"]

    def setup(self, n):
        self.r = ct_data((n,), "float32", seed=5).requires_grad_(True)

    def time_rfft_abs_sum_backward(self, n):
        ctorch.fft.rfft(self.r).abs().sum().backward()
