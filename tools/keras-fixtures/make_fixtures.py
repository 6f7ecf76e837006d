#!/usr/bin/python3
"""Writes the Keras fixtures of tests/Eclairs.Onnx.Tests/Fixtures/keras (issue 17, item 4).

Run with Debian's python3-h5py and python3-numpy:  /usr/bin/python3 tools/keras-fixtures/make_fixtures.py
Keras itself is not packaged by Debian, so the files are written by h5py in the layouts Keras documents and writes:

- Keras 2 HDF5 (model.save("m.h5")): root attributes keras_version, backend, model_config (the model's JSON);
  group model_weights with attribute layer_names; one group per layer with attribute weight_names
  ("conv2d/kernel:0", ...) and the datasets at model_weights/<layer>/<weight name>.
- Keras 3 (model.save("m.keras")): a zip of metadata.json, config.json (module/class_name/config, functional
  inbound_nodes as __keras_tensor__ keras_history) and model.weights.h5, where the variables of the n-th layer of a
  class sit at layers/<snake_case class>[_n]/vars/0, 1, ... (keras.src.saving.saving_lib).

Networks, 32 x 32 alerts, random weights from a fixed seed, batch-norm statistics made non-trivial:
  sequential.h5   Keras 2 Sequential, one [32, 32, 2] input: Conv2D 8 3x3 same ReLU, MaxPooling2D, Conv2D 16 5x5 valid
                  without bias, BatchNormalization, Activation relu, MaxPooling2D, Flatten, Dense 16 ReLU, Dropout,
                  Dense 1 sigmoid.
  functional.keras  Keras 3 Functional, inputs snr and mask [32, 32, 1], Concatenate, Conv2D 8 ReLU, MaxPooling2D,
                  Conv2D 16 same, BatchNormalization (scale=False), Activation relu, GlobalAveragePooling2D, Dense 8
                  ReLU, Dense 1, Activation sigmoid.
  functional.h5   the same network and weights as a Keras 2 functional model (class_name Functional).
  residual.keras  Keras 3 Functional, inputs snr and mask: Conv2D 8 ReLU, Conv2D 8 ReLU, Add (identity block),
                  Conv2D 8 valid ReLU, AveragePooling2D (15x15), then Conv2D 16 3x3 stride 2 'same' ReLU and a
                  Conv2D 16 1x1 stride 2 shortcut from the pool, Add, Activation relu, GlobalAveragePooling2D,
                  Dense 1 sigmoid.
alerts.npz: snr [8, 32, 32] float32 (0 where the mask is 0, as the engine feeds it), mask [8, 32, 32] uint8.
NAME.outputs.npz: the probability [8] computed here by a plain numpy forward pass of the network as Keras defines
it (channels last, 'same' padding (k-1)/2, floor pooling, inference batch norm, Flatten in (h, w, c) order).
"""
import io
import json
import os
import zipfile
import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Eclairs.Onnx.Tests", "Fixtures", "keras")
SIDE = 32
rng = np.random.default_rng(2024)


def he(shape, fan_in):
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, shape).astype(np.float32)


def bias(n):
    return rng.uniform(-0.1, 0.1, n).astype(np.float32)


def bn(n, scale=True):
    w = {"beta": rng.normal(0, 0.2, n).astype(np.float32),
         "moving_mean": rng.normal(0, 0.3, n).astype(np.float32),
         "moving_variance": rng.uniform(0.3, 2.0, n).astype(np.float32)}
    if scale:
        w["gamma"] = rng.uniform(0.5, 1.5, n).astype(np.float32)
    return w


# ---- numpy reference (channels last) ----
def conv(x, k, b, padding, relu):
    kh = k.shape[0]
    p = (kh - 1) // 2 if padding == "same" else 0
    x = np.pad(x, ((p, p), (p, p), (0, 0)))
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kh + 1
    y = np.zeros((oh, ow, k.shape[3]), np.float64)
    for dy in range(kh):
        for dx in range(kh):
            y += np.einsum("hwc,co->hwo", x[dy:dy + oh, dx:dx + ow, :], k[dy, dx])
    if b is not None:
        y += b
    return np.maximum(y, 0) if relu else y


def conv_strided(x, k, b, padding, stride, relu):
    # Keras 'same' at stride 2 on an odd side pads (k - 1) / 2 on both sides: a stride-1 conv, every second output.
    return conv(x, k, b, padding, relu)[::stride, ::stride]


def avgpool(x):
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return x[:2 * h, :2 * w].reshape(h, 2, w, 2, -1).mean(axis=(1, 3))


def maxpool(x):
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return x[:2 * h, :2 * w].reshape(h, 2, w, 2, -1).max(axis=(1, 3))


def batchnorm(x, w, eps=1e-3):
    gamma = w.get("gamma", np.ones_like(w["beta"]))
    return gamma * (x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + eps) + w["beta"]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def alerts(count):
    snr = rng.normal(0, 1, (count, SIDE, SIDE)).astype(np.float32)
    mask = np.ones((count, SIDE, SIDE), np.uint8)
    for n in range(count):
        y, x = rng.integers(4, SIDE - 4, 2)
        snr[n, y - 1:y + 2, x - 1:x + 2] += rng.uniform(2, 9)
        mask[n, y, x] = 3
        mask[n, rng.random((SIDE, SIDE)) < 0.05] = 0
        mask[n, rng.random((SIDE, SIDE)) < 0.03] = 2
    snr[mask == 0] = 0
    return snr, mask


# ---- the two networks ----
S = {"conv2d": [he((3, 3, 2, 8), 18), bias(8)], "conv2d_1": [he((5, 5, 8, 16), 200)],
     "batch_normalization": bn(16), "dense": [he((576, 16), 576), bias(16)], "dense_1": [he((16, 1), 16), bias(1)]}
F = {"conv2d": [he((3, 3, 2, 8), 18), bias(8)], "conv2d_1": [he((3, 3, 8, 16), 72), bias(16)],
     "batch_normalization": bn(16, scale=False), "dense": [he((16, 8), 16), bias(8)], "dense_1": [he((8, 1), 8), bias(1)]}


def sequential_forward(x):
    x = maxpool(conv(x, *S["conv2d"], "same", True))
    x = conv(x, S["conv2d_1"][0], None, "valid", False)
    x = maxpool(np.maximum(batchnorm(x, S["batch_normalization"]), 0))
    x = np.maximum(x.reshape(-1) @ S["dense"][0] + S["dense"][1], 0)
    return sigmoid(x @ S["dense_1"][0] + S["dense_1"][1])[0]


def functional_forward(x):
    x = maxpool(conv(x, *F["conv2d"], "same", True))
    x = conv(x, *F["conv2d_1"], "same", False)
    x = np.maximum(batchnorm(x, F["batch_normalization"]), 0).mean(axis=(0, 1))
    x = np.maximum(x @ F["dense"][0] + F["dense"][1], 0)
    return sigmoid(x @ F["dense_1"][0] + F["dense_1"][1])[0]


# ---- Keras configurations ----
def conv_cfg(name, filters, k, padding, activation, use_bias=True, stride=1):
    return {"name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [k, k],
            "strides": [stride, stride], "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1],
            "groups": 1, "activation": activation, "use_bias": use_bias}


def layer(cls, cfg, keras3, inbound=None):
    entry = {"class_name": cls, "config": cfg}
    if keras3:
        entry["module"] = "keras.layers"
        entry["registered_name"] = None
    if inbound is not None:
        entry["name"] = cfg["name"]
        if keras3:
            def tensor(src):
                return {"class_name": "__keras_tensor__", "config": {"shape": None, "dtype": "float32", "keras_history": [src, 0, 0]}}
            args = [[tensor(s) for s in inbound]] if len(inbound) > 1 else [tensor(s) for s in inbound]
            entry["inbound_nodes"] = [{"args": args, "kwargs": {}}] if inbound else []
        else:
            entry["inbound_nodes"] = [[[s, 0, 0, {}] for s in inbound]] if inbound else []
    return entry


def sequential_config():
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        layer("InputLayer", {"batch_input_shape": [None, SIDE, SIDE, 2], "dtype": "float32", "sparse": False, "name": "alert"}, False),
        layer("Conv2D", conv_cfg("conv2d", 8, 3, "same", "relu"), False),
        layer("MaxPooling2D", {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, False),
        layer("Conv2D", conv_cfg("conv2d_1", 16, 5, "valid", "linear", use_bias=False), False),
        layer("BatchNormalization", {"name": "batch_normalization", "axis": [3], "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}, False),
        layer("Activation", {"name": "activation", "activation": "relu"}, False),
        layer("MaxPooling2D", {"name": "max_pooling2d_1", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, False),
        layer("Flatten", {"name": "flatten", "data_format": "channels_last"}, False),
        layer("Dense", {"name": "dense", "units": 16, "activation": "relu", "use_bias": True}, False),
        layer("Dropout", {"name": "dropout", "rate": 0.25}, False),
        layer("Dense", {"name": "dense_1", "units": 1, "activation": "sigmoid", "use_bias": True}, False),
    ]}}


def functional_config(keras3, residual=False):
    shape = "batch_shape" if keras3 else "batch_input_shape"
    layers = [
        layer("InputLayer", {shape: [None, SIDE, SIDE, 1], "dtype": "float32", "sparse": False, "name": "snr"}, keras3, []),
        layer("InputLayer", {shape: [None, SIDE, SIDE, 1], "dtype": "float32", "sparse": False, "name": "mask"}, keras3, []),
        layer("Concatenate", {"name": "concatenate", "axis": -1}, keras3, ["snr", "mask"]),
        layer("Conv2D", conv_cfg("conv2d", 8, 3, "same", "relu"), keras3, ["concatenate"]),
    ]
    if residual:
        layers += [
            layer("Conv2D", conv_cfg("conv2d_1", 8, 3, "same", "relu"), keras3, ["conv2d"]),
            layer("Add", {"name": "add"}, keras3, ["conv2d", "conv2d_1"]),
            layer("Conv2D", conv_cfg("conv2d_2", 8, 3, "valid", "relu"), keras3, ["add"]),
            layer("AveragePooling2D", {"name": "average_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2]}, keras3, ["conv2d_2"]),
            layer("Conv2D", conv_cfg("conv2d_3", 16, 3, "same", "relu", stride=2), keras3, ["average_pooling2d"]),
            layer("Conv2D", conv_cfg("conv2d_4", 16, 1, "same", "linear", stride=2), keras3, ["average_pooling2d"]),
            layer("Add", {"name": "add_1"}, keras3, ["conv2d_3", "conv2d_4"]),
            layer("Activation", {"name": "activation", "activation": "relu"}, keras3, ["add_1"]),
            layer("GlobalAveragePooling2D", {"name": "global_average_pooling2d", "data_format": "channels_last", "keepdims": False}, keras3, ["activation"]),
            layer("Dense", {"name": "dense", "units": 1, "activation": "sigmoid", "use_bias": True}, keras3, ["global_average_pooling2d"]),
        ]
        out = "dense"
    else:
        layers += [
            layer("MaxPooling2D", {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, keras3, ["conv2d"]),
            layer("Conv2D", conv_cfg("conv2d_1", 16, 3, "same", "linear"), keras3, ["max_pooling2d"]),
            layer("BatchNormalization", {"name": "batch_normalization", "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": False}, keras3, ["conv2d_1"]),
            layer("Activation", {"name": "activation", "activation": "relu"}, keras3, ["batch_normalization"]),
            layer("GlobalAveragePooling2D", {"name": "global_average_pooling2d", "data_format": "channels_last", "keepdims": False}, keras3, ["activation"]),
            layer("Dense", {"name": "dense", "units": 8, "activation": "relu", "use_bias": True}, keras3, ["global_average_pooling2d"]),
            layer("Dense", {"name": "dense_1", "units": 1, "activation": "linear", "use_bias": True}, keras3, ["dense"]),
            layer("Activation", {"name": "activation_1", "activation": "sigmoid"}, keras3, ["dense_1"]),
        ]
        out = "activation_1"
    config = {"name": "functional", "layers": layers, "input_layers": [["snr", 0, 0], ["mask", 0, 0]], "output_layers": [[out, 0, 0]]}
    entry = {"class_name": "Functional", "config": config}
    if keras3:
        entry["module"] = "keras.src.models.functional"
        entry["registered_name"] = "Functional"
    return entry


def layer_weights(weights, cls_name):
    if cls_name == "BatchNormalization":
        return [(k, weights[k]) for k in ("gamma", "beta", "moving_mean", "moving_variance") if k in weights]
    names = ["kernel", "bias"]
    return list(zip(names, weights))


def write_keras2(path, config, weights):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        g = f.create_group("model_weights")
        layers = config["config"]["layers"]
        g.attrs["layer_names"] = np.array([l["config"]["name"].encode() for l in layers])
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = "2.15.0"
        for l in layers:
            name = l["config"]["name"]
            lg = g.create_group(name)
            pairs = layer_weights(weights[name], l["class_name"]) if name in weights else []
            lg.attrs["weight_names"] = np.array([f"{name}/{k}:0".encode() for k, _ in pairs]) if pairs else np.array([], dtype="S1")
            for k, v in pairs:
                lg.create_dataset(f"{name}/{k}:0", data=v)


def snake(cls):
    import re
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def write_keras3(path, config, weights, sequential=False):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("vars")
        used = {}
        for l in config["config"]["layers"]:
            if sequential and l["class_name"] == "InputLayer":
                continue
            s = snake(l["class_name"])
            n = used.get(s, -1) + 1
            used[s] = n
            group = f.create_group(f"layers/{s}" + (f"_{n}" if n else "")).create_group("vars")
            name = l["config"]["name"]
            for i, (_, v) in enumerate(layer_weights(weights[name], l["class_name"]) if name in weights else []):
                group.create_dataset(str(i), data=v)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2026-12-03@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buffer.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    snr, mask = alerts(8)
    np.savez(os.path.join(OUT, "alerts.npz"), snr=snr, mask=mask)
    inputs = np.stack([snr, mask.astype(np.float32)], -1).astype(np.float64)
    write_keras2(os.path.join(OUT, "sequential.h5"), sequential_config(), S)
    np.savez(os.path.join(OUT, "sequential.outputs.npz"), probability=np.array([sequential_forward(x) for x in inputs], np.float32))
    write_keras3(os.path.join(OUT, "functional.keras"), functional_config(True), F)
    write_keras2(os.path.join(OUT, "functional.h5"), functional_config(False), F)
    np.savez(os.path.join(OUT, "functional.outputs.npz"), probability=np.array([functional_forward(x) for x in inputs], np.float32))
    R = {"conv2d": F["conv2d"], "conv2d_1": [he((3, 3, 8, 8), 72), bias(8)], "dense": [he((8, 1), 8), bias(1)]}
    # Drawn after every other fixture's values, so those files stay byte for byte what they were.
    R.update({"conv2d_2": [he((3, 3, 8, 8), 72), bias(8)], "conv2d_3": [he((3, 3, 8, 16), 72), bias(16)],
              "conv2d_4": [he((1, 1, 8, 16), 8), bias(16)], "dense": [he((16, 1), 16), bias(1)]})
    write_keras3(os.path.join(OUT, "residual.keras"), functional_config(True, residual=True), R)

    def residual_forward(x):
        a = conv(x, *R["conv2d"], "same", True)
        x = a + conv(a, *R["conv2d_1"], "same", True)
        x = avgpool(conv(x, *R["conv2d_2"], "valid", True))
        x = np.maximum(conv_strided(x, *R["conv2d_3"], "same", 2, True) + conv_strided(x, *R["conv2d_4"], "same", 2, False), 0)
        return sigmoid(x.mean(axis=(0, 1)) @ R["dense"][0] + R["dense"][1])[0]
    np.savez(os.path.join(OUT, "residual.outputs.npz"), probability=np.array([residual_forward(x) for x in inputs], np.float32))
    for name in ("sequential", "functional", "residual"):
        print(name, np.load(os.path.join(OUT, name + ".outputs.npz"))["probability"])


if __name__ == "__main__":
    main()
