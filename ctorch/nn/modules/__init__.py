"""The nn.Module classes."""
from ctorch.nn.modules.module import Module  # noqa: F401
from ctorch.nn.modules.container import (  # noqa: F401
    Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict)
from ctorch.nn.modules.linear import Linear, Bilinear  # noqa: F401
from ctorch.nn.modules.conv import (  # noqa: F401
    Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
from ctorch.nn.modules.normalization import (  # noqa: F401
    BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
    LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm)
from ctorch.nn.modules.sparse import Embedding, EmbeddingBag  # noqa: F401
from ctorch.nn.modules.pooling import (  # noqa: F401
    MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d,
    AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
    AdaptiveMaxPool3d, LPPool1d, LPPool2d, LPPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
    FractionalMaxPool2d, FractionalMaxPool3d)
from ctorch.nn.modules.rnn import RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell  # noqa: F401
from ctorch.nn.modules.activation_mha import MultiheadAttention  # noqa: F401
from ctorch.nn.modules.transformer import (  # noqa: F401
    Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer,
    TransformerDecoderLayer)
from ctorch.nn.modules.lazy import *  # noqa: F401,F403,E402
from ctorch.nn.modules.adaptive import AdaptiveLogSoftmaxWithLoss  # noqa: F401,E402
from ctorch.nn.modules.container import Container  # noqa: F401,E402
from ctorch.nn.modules.normalization import CrossMapLRN2d, SyncBatchNorm  # noqa: F401,E402
from ctorch.nn.modules.data_parallel import DataParallel  # noqa: F401,E402
from ctorch.nn.modules.activation import *  # noqa: F401,F403,E402
from ctorch.nn.modules.loss import *  # noqa: F401,F403,E402
from ctorch.nn.modules.simple import *  # noqa: F401,F403,E402
