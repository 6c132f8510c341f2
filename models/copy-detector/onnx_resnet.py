"""The built-in ImageNet ResNet-18 (ML.NET's CNTK export in the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18)
read from its ONNX file into a PyTorch module, so that training starts from exactly the weights `--model resnet18` uses.

The graph is 22 Conv + 22 BatchNormalization + Relu/Add, one MaxPool and a fixed 7×7 AveragePool. It is read node by node:
each BatchNormalization (inference statistics) is folded into the convolution before it (w·γ/σ, (b−μ)·γ/σ+β), CNTK's
asymmetric pads ([3,3,2,2] on the stem, [1,1,0,0] on the max-pool, …) are kept as explicit F.pad calls, and the final
AveragePool is left out: `features(x)` returns the last [N, 512, h, w] map for any input size, so pooling (average or GeM) is
the caller's. The network expects BGR in [0, 255] minus a mean image (the package's ResNetPreprocess.onnx); `from_onnx`
permutes the stem's input channels so that it takes RGB, and `BGR_MEAN` holds the per-channel means of that mean image,
which the descriptor's card uses as its mean (resolution-free; the mean image is nearly constant per channel).
"""
from __future__ import annotations

import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# NuGet's cache; REPLICATION_RESNET18_ONNX overrides.
DEFAULT_ONNX = os.path.expanduser(
    "~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx")
DEFAULT_PREPROCESS = os.path.join(os.path.dirname(DEFAULT_ONNX), "..", "ResNetPrepOnnx", "ResNetPreprocess.onnx")


def locate_onnx(path: str | None = None) -> str:
    path = path or os.environ.get("REPLICATION_RESNET18_ONNX") or DEFAULT_ONNX
    if not os.path.isfile(path):
        raise SystemExit("error: the built-in ResNet-18 ONNX file is missing at " + path +
                         " (run `dotnet build Research.sln` once: NuGet restores Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1;"
                         " or set REPLICATION_RESNET18_ONNX)")
    return path


class ConvStep(nn.Module):
    """One folded Conv+BN: explicit (left, right, top, bottom) padding, then a convolution with bias."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, stride: int, pads: tuple[int, int, int, int]):
        super().__init__()
        out_c, in_c, kh, kw = weight.shape
        self.conv = nn.Conv2d(in_c, out_c, (kh, kw), stride=stride, padding=0, bias=True)
        with torch.no_grad():
            self.conv.weight.copy_(torch.from_numpy(weight))
            self.conv.bias.copy_(torch.from_numpy(bias))
        self.pads = pads

    def forward(self, x):
        if any(self.pads):
            x = F.pad(x, self.pads)
        return self.conv(x)


class OnnxResNet(nn.Module):
    """Executes the converted node list. `steps` holds the convolutions in graph order; `program` the node sequence."""

    def __init__(self, program: list[tuple], steps: nn.ModuleList, input_name: str, feature_name: str):
        super().__init__()
        self.program = program
        self.steps = steps
        self.input_name = input_name
        self.feature_name = feature_name

    def features(self, x):
        values = {self.input_name: x}
        for op, inputs, output, extra in self.program:
            if op == "conv":
                values[output] = self.steps[extra](values[inputs[0]])
            elif op == "relu":
                values[output] = F.relu(values[inputs[0]])
            elif op == "add":
                values[output] = values[inputs[0]] + values[inputs[1]]
            elif op == "maxpool":
                kernel, stride, pads = extra
                y = F.pad(values[inputs[0]], pads, value=float("-inf")) if any(pads) else values[inputs[0]]
                values[output] = F.max_pool2d(y, kernel, stride)
            if output == self.feature_name:
                return values[output]
        raise AssertionError("feature map not reached")

    def stage_of(self, step_index: int) -> int:
        """1 for the stem and 64-channel stage … 4 for the 512-channel stage (by output channels)."""
        return {64: 1, 128: 2, 256: 3, 512: 4}[self.steps[step_index].conv.out_channels]


def _attr(node, name, default=None):
    import onnx
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _torch_pads(onnx_pads) -> tuple[int, int, int, int]:
    # ONNX: [h_begin, w_begin, h_end, w_end]; F.pad: (w_left, w_right, h_top, h_bottom)
    hb, wb, he, we = onnx_pads
    return (wb, we, hb, he)


def from_onnx(path: str | None = None) -> OnnxResNet:
    import onnx
    from onnx import numpy_helper
    model = onnx.load(locate_onnx(path))
    graph = model.graph
    init = {t.name: numpy_helper.to_array(t).astype(np.float32) for t in graph.initializer}
    nodes = list(graph.node)
    producer = {o: n for n in nodes for o in n.output}
    steps, program = [], []
    bn_of_conv = {}
    for n in nodes:
        if n.op_type == "BatchNormalization":
            bn_of_conv[n.input[0]] = n
    rename = {}  # BN output → the folded conv's output
    first_conv = True
    feature_name = None
    for n in nodes:
        op = n.op_type
        if op == "Conv":
            w = init[n.input[1]]
            b = init[n.input[2]] if len(n.input) > 2 and n.input[2] else np.zeros(w.shape[0], np.float32)
            bn = bn_of_conv.get(n.output[0])
            if bn is None:
                raise SystemExit("error: unexpected graph: a Conv without BatchNormalization in " + path)
            gamma, beta, mean, var = (init[bn.input[i]] for i in range(1, 5))
            eps = _attr(bn, "epsilon", 1e-5)
            scale = gamma / np.sqrt(var + eps)
            w = w * scale[:, None, None, None]
            b = (b - mean) * scale + beta
            if first_conv:  # BGR input → RGB input
                w = w[:, ::-1, :, :].copy()
                first_conv = False
            strides = _attr(n, "strides", [1, 1])
            assert strides[0] == strides[1]
            steps.append(ConvStep(w, b, strides[0], _torch_pads(_attr(n, "pads", [0, 0, 0, 0]))))
            src = rename.get(n.input[0], n.input[0])
            program.append(("conv", [src], bn.output[0], len(steps) - 1))
        elif op == "BatchNormalization":
            continue  # folded
        elif op == "Relu":
            program.append(("relu", [rename.get(n.input[0], n.input[0])], n.output[0], None))
            feature_name = n.output[0]
        elif op == "Add":
            program.append(("add", [rename.get(i, i) for i in n.input], n.output[0], None))
        elif op == "MaxPool":
            k = _attr(n, "kernel_shape")[0]
            s = _attr(n, "strides")[0]
            program.append(("maxpool", [rename.get(n.input[0], n.input[0])], n.output[0],
                            (k, s, _torch_pads(_attr(n, "pads", [0, 0, 0, 0])))))
        elif op in ("AveragePool", "GlobalAveragePool"):
            continue  # the caller pools
        else:
            raise SystemExit(f"error: unexpected operator {op} in {path}")
    return OnnxResNet(program, nn.ModuleList(steps), graph.input[0].name, feature_name)


def locate_preprocess(path: str | None = None) -> str:
    """ResNetPreprocess.onnx: REPLICATION_RESNET18_PREPROCESS_ONNX, else beside the located ResNet18.onnx (the library's
    bin/models/builtin copies both), else NuGet's cache."""
    candidates = [path, os.environ.get("REPLICATION_RESNET18_PREPROCESS_ONNX"),
                  os.path.join(os.path.dirname(locate_onnx()), "ResNetPreprocess.onnx"), os.path.normpath(DEFAULT_PREPROCESS)]
    for c in candidates:
        if c and os.path.isfile(c):
            return c
    raise SystemExit("error: ResNetPreprocess.onnx (NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1) is missing;"
                     " run `dotnet build Research.sln` once or set REPLICATION_RESNET18_PREPROCESS_ONNX")


def bgr_mean(preprocess_path: str | None = None) -> list[float]:
    """Per-channel means (R, G, B order) of the package's mean image, in [0, 255]."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(locate_preprocess(preprocess_path))
    arrays = [numpy_helper.to_array(t) for t in model.graph.initializer]
    image = max(arrays, key=lambda a: a.size).astype(np.float64).reshape(3, -1)  # BGR mean image
    b, g, r = image.mean(axis=1)
    return [float(r), float(g), float(b)]


def mean_image_rgb(preprocess_path: str | None = None) -> np.ndarray:
    """The package's mean image as [1, 3, 224, 224] in RGB order."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(locate_preprocess(preprocess_path))
    image = max((numpy_helper.to_array(t) for t in model.graph.initializer), key=lambda a: a.size).astype(np.float32)
    return image.reshape(1, 3, 224, 224)[:, ::-1].copy()
