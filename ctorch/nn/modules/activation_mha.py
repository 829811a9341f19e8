"""MultiheadAttention: attention over several heads (Vaswani et al.), a
Module over ctorch.nn.functional.multi_head_attention_forward, and the
output projection it holds (NonDynamicallyQuantizableLinear)."""
import math

import ctorch
from ctorch.nn import functional as F
from ctorch.nn import init
from ctorch.nn.parameter import Parameter
from ctorch.nn.modules.module import Module
from ctorch.nn.modules.linear import Linear

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection of MultiheadAttention: a Linear under the name
    PyTorch gives it (its repr shows this name)."""


class MultiheadAttention(Module):
    """MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True,
    add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None,
    batch_first=False, device=None, dtype=None).

    The query, key and value projections are one packed in_proj_weight
    (3 * embed_dim, embed_dim) when key and value have embed_dim features,
    else three q/k/v_proj_weight; forward returns (attn_output,
    attn_output_weights or None)."""

    __constants__ = ["batch_first"]

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")

        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(ctorch.empty((embed_dim, embed_dim), **factory_kwargs))
            self.k_proj_weight = Parameter(ctorch.empty((embed_dim, self.kdim), **factory_kwargs))
            self.v_proj_weight = Parameter(ctorch.empty((embed_dim, self.vdim), **factory_kwargs))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(ctorch.empty((3 * embed_dim, embed_dim),
                                                         **factory_kwargs))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(ctorch.empty(3 * embed_dim, **factory_kwargs))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias,
                                                        **factory_kwargs)
        if add_bias_kv:
            self.bias_k = Parameter(ctorch.empty((1, 1, embed_dim), **factory_kwargs))
            self.bias_v = Parameter(ctorch.empty((1, 1, embed_dim), **factory_kwargs))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def __setstate__(self, state):
        if "_qkv_same_embed_dim" not in state:
            state["_qkv_same_embed_dim"] = True
        super().__setstate__(state)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        """query (L, N, E) (or (N, L, E) with batch_first, or unbatched
        (L, E)), key (S, N, kdim), value (S, N, vdim); key_padding_mask
        (N, S) and attn_mask (L, S) or (N * num_heads, L, S), True (or -inf)
        where attention is not allowed. Returns (attn_output, weights): the
        weights (N, L, S) averaged over heads, or (N, num_heads, L, S)."""
        batched = query.dim() == 3
        if self.batch_first and batched:
            query, key, value = query.transpose(1, 0), key.transpose(1, 0), value.transpose(1, 0)
        common = dict(training=self.training, key_padding_mask=key_padding_mask,
                      need_weights=need_weights, attn_mask=attn_mask,
                      average_attn_weights=average_attn_weights, is_causal=is_causal)
        if not self._qkv_same_embed_dim:
            out, weights = F.multi_head_attention_forward(
                query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
                self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
                self.out_proj.weight, self.out_proj.bias, use_separate_proj_weight=True,
                q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
                v_proj_weight=self.v_proj_weight, **common)
        else:
            out, weights = F.multi_head_attention_forward(
                query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
                self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
                self.out_proj.weight, self.out_proj.bias, **common)
        if self.batch_first and batched:
            return out.transpose(1, 0), weights
        return out, weights

    def merge_masks(self, attn_mask, key_padding_mask, query):
        """Combines attn_mask (L, S) or (N * num_heads, L, S) and
        key_padding_mask (N, S) into one additive float mask
        (N, num_heads, L, S); returns (mask, mask_type) with mask_type 1 for
        key_padding_mask only, 2 when attn_mask is given, (None, None) for
        neither."""
        def additive(m):
            if m is None or m.dtype.is_floating_point:
                return m
            return ctorch.zeros(m.shape, dtype=query.dtype, device=m.device).masked_fill(
                m, float("-inf"))
        attn_mask, key_padding_mask = additive(attn_mask), additive(key_padding_mask)
        if key_padding_mask is None and attn_mask is None:
            return None, None
        batch_size, seq_len, _ = query.shape
        mask_type = 2 if attn_mask is not None else 1
        if attn_mask is not None:
            if attn_mask.dim() == 2:
                a = attn_mask.view(1, 1, seq_len, seq_len).expand(batch_size, self.num_heads, -1, -1)
            else:
                a = attn_mask.view(batch_size, -1, seq_len, seq_len).expand(-1, self.num_heads,
                                                                             -1, -1)
            merged = a
        if key_padding_mask is not None:
            k = key_padding_mask.view(batch_size, 1, 1, seq_len).expand(-1, self.num_heads, -1, -1)
            merged = k if attn_mask is None else merged + k
        return merged, mask_type
