"""ctorch.nn: modules (`Module` and containers), `Parameter`/`Buffer`,
`init`, and the functional interface (`ctorch.nn.functional`)."""
from ctorch.nn import functional  # noqa: F401
from ctorch.nn.parameter import (  # noqa: F401
    Parameter, Buffer, UninitializedParameter, UninitializedBuffer)
from ctorch.nn.modules import (  # noqa: F401
    Module, Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict)
from ctorch.nn import init  # noqa: F401
from ctorch.nn.modules import (  # noqa: F401
    Linear, Bilinear, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d,
    ConvTranspose3d, BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d,
    InstanceNorm3d, LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm, Embedding, EmbeddingBag,
    MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d,
    AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
    AdaptiveMaxPool3d, LPPool1d, LPPool2d, LPPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
    FractionalMaxPool2d, FractionalMaxPool3d)
from ctorch.nn.modules import (  # noqa: F401
    RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell, MultiheadAttention,
    Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer,
    TransformerDecoderLayer)
from ctorch.nn.modules.lazy import *  # noqa: F401,F403,E402
from ctorch.nn.modules import (  # noqa: F401,E402
    AdaptiveLogSoftmaxWithLoss, Container, CrossMapLRN2d, SyncBatchNorm, DataParallel)
from ctorch.nn.modules.activation import *  # noqa: F401,F403,E402
from ctorch.nn.modules.loss import *  # noqa: F401,F403,E402
from ctorch.nn.modules.simple import *  # noqa: F401,F403,E402
