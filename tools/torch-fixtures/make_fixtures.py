#!/usr/bin/python3
"""Writes the PyTorch-made ONNX fixtures of tests/Eclairs.Onnx.Tests/Fixtures/torch (issue 17, item 6).

Run with Debian's python3-torch (1.13) and python3-numpy:  /usr/bin/python3 tools/torch-fixtures/make_fixtures.py
Three networks of the deck's family, random weights from a fixed seed (the fixtures test the import chain, not a
classifier), batch-norm statistics made non-trivial, eval mode, exported by torch.onnx.export (opset 14, torch's
default) with constant folding, as a user would:

  deck_like.onnx   inputs snr, mask [N, 1, 56, 56] (dynamic batch): (snr - 0.5) / 2, torch.where(mask == 0, 0, snr),
                   cat with the mask, conv3x3 8 + ReLU + maxpool, conv3x3 16 + ReLU + maxpool, x.view(x.size(0), -1)
                   (NCHW order), linear 16 + ReLU, dropout, linear 1; output logit [N, 1].
  batchnorm.onnx   one input x [1, 2, 56, 56] (SNR already zeroed where the mask is 0, and the mask): conv (no bias) +
                   BatchNorm2d + ReLU + maxpool twice, a 5x5 'valid' conv + BatchNorm2d + ReLU, global average pool,
                   torch.flatten, linear 24 + BatchNorm1d + ReLU, linear 1, sigmoid; outputs logit and probability.
  residual.onnx    inputs snr, mask: a stem conv + BN + ReLU, a residual block with an identity shortcut, a down-sampling
                   block (3x3 stride 2 + 1x1 stride-2 shortcut, both with BN), 2x2 average pooling, global average
                   pooling, linear 1; output logit. Needs the engine layers of issue 17 phase 2 (residual Add, stride 2,
                   1x1 convolution, AveragePool 2x2): today's importer must refuse it, naming the node.

alerts.npz holds the 16 alerts fed to every network: snr [16, 56, 56] float32 (NaN where the mask is 0: the graph
or the engine must gate it), mask [16, 56, 56] uint8; synthetic (noise, one bright source, masked bands and
pixels). NAME.outputs.npz holds what torch computed: logit [16] float32 and, for batchnorm, probability [16].
Weights are He-uniform (seed 17), biases uniform in [-0.1, 0.1].
"""
import os
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Eclairs.Onnx.Tests", "Fixtures", "torch")
SIDE = 56
ALERTS = 16


def alerts(seed):
    rng = np.random.default_rng(seed)
    snr = rng.normal(0, 1, (ALERTS, SIDE, SIDE)).astype(np.float32)
    mask = np.ones((ALERTS, SIDE, SIDE), np.uint8)
    for n in range(ALERTS):
        y, x = rng.integers(8, SIDE - 8, 2)
        snr[n, y - 1:y + 2, x - 1:x + 2] += rng.uniform(2, 9)
        mask[n, y, x] = 3
        mask[n, rng.random((SIDE, SIDE)) < 0.03] = 0
        mask[n, rng.random((SIDE, SIDE)) < 0.02] = 2
        band = int(rng.integers(0, 20))
        if n % 3 == 0:
            mask[n, :, :band] = 0
    snr[mask == 0] = np.nan
    return snr, mask


def gated(snr, mask):
    return np.where(mask == 0, 0, snr).astype(np.float32)


class DeckLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 14 * 14, 16)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(16, 1)

    def forward(self, snr, mask):
        snr = (snr - 0.5) / 2.0
        snr = torch.where(mask == 0, torch.zeros_like(snr), snr)
        x = torch.cat([snr, mask], 1)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = self.drop(F.relu(self.fc1(x)))
        return self.fc2(x)


class WithBatchNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.conv3 = nn.Conv2d(16, 24, 5)
        self.bn3 = nn.BatchNorm2d(24)
        self.fc1 = nn.Linear(24, 24)
        self.bn4 = nn.BatchNorm1d(24)
        self.fc2 = nn.Linear(24, 1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.bn3(self.conv3(x)))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        x = F.relu(self.bn4(self.fc1(x)))
        logit = self.fc2(x)
        return logit, torch.sigmoid(logit)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(2, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.block1 = Block(8, 8, 1)
        self.block2 = Block(8, 16, 2)
        self.fc = nn.Linear(16, 1)

    def forward(self, snr, mask):
        snr = torch.where(mask == 0, torch.zeros_like(snr), snr)
        x = torch.cat([snr, mask], 1)
        x = F.relu(self.bn(self.stem(x)))
        x = self.block2(self.block1(x))
        x = F.avg_pool2d(x, 2)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def randomise_batch_norm(model, rng):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.from_numpy(rng.normal(0, 0.3, n).astype(np.float32)))
            m.running_var.copy_(torch.from_numpy(rng.uniform(0.3, 2.0, n).astype(np.float32)))
            m.weight.data.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, n).astype(np.float32)))
            m.bias.data.copy_(torch.from_numpy(rng.normal(0, 0.2, n).astype(np.float32)))


def he_init(model):
    """He-uniform weights (PyTorch's default init is four times narrower): logits that differ from alert to alert."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            if m.bias is not None:
                nn.init.uniform_(m.bias, -0.1, 0.1)


def export(name, model, inputs, input_names, output_names, dynamic=None):
    model.eval()
    with torch.no_grad():
        outputs = model(*inputs)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    torch.onnx.export(model, tuple(inputs), os.path.join(OUT, name + ".onnx"), opset_version=14,
                      input_names=input_names, output_names=output_names, do_constant_folding=True,
                      dynamic_axes=dynamic)
    saved = {"logit": outputs[0].numpy().reshape(-1).astype(np.float32)}
    if len(outputs) > 1:
        saved["probability"] = outputs[1].numpy().reshape(-1).astype(np.float32)
    np.savez(os.path.join(OUT, name + ".outputs.npz"), **saved)
    print(name, "logits", np.round(saved["logit"][:6], 4))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(17)
    rng = np.random.default_rng(17)
    snr, mask = alerts(1)
    np.savez(os.path.join(OUT, "alerts.npz"), snr=snr, mask=mask)
    # Batch-1 planes: torch.where lets the NaN of masked pixels through nowhere.
    t_snr = torch.from_numpy(snr[:, None])
    t_mask = torch.from_numpy(mask[:, None].astype(np.float32))
    t_x = torch.from_numpy(np.stack([gated(snr, mask), mask.astype(np.float32)], 1))

    model = DeckLike()
    he_init(model)
    export("deck_like", model, [t_snr, t_mask], ["snr", "mask"], ["logit"],
           dynamic={"snr": {0: "batch"}, "mask": {0: "batch"}, "logit": {0: "batch"}})
    model = WithBatchNorm()
    he_init(model)
    randomise_batch_norm(model, rng)
    # Export with batch 1 (the engine's), outputs for all 16 computed in the same eval-mode model.
    model.eval()
    with torch.no_grad():
        logit, probability = model(t_x)
    torch.onnx.export(model, (t_x[:1],), os.path.join(OUT, "batchnorm.onnx"), opset_version=14,
                      input_names=["x"], output_names=["logit", "probability"], do_constant_folding=True)
    np.savez(os.path.join(OUT, "batchnorm.outputs.npz"), logit=logit.numpy().reshape(-1), probability=probability.numpy().reshape(-1))
    print("batchnorm logits", np.round(logit.numpy().reshape(-1)[:6], 4))
    model = Residual()
    he_init(model)
    randomise_batch_norm(model, rng)
    export("residual", model, [t_snr, t_mask], ["snr", "mask"], ["logit"],
           dynamic={"snr": {0: "batch"}, "mask": {0: "batch"}, "logit": {0: "batch"}})


if __name__ == "__main__":
    main()
