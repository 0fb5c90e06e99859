"""Reads a safetensors file with only the standard library and torch (no `safetensors` package),
following the format spec: 8-byte little-endian header length, JSON header, raw little-endian data.

Usage: python read_safetensors.py FILE
Prints one JSON object: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}} with
values as float64 lists (row-major), so a caller can compare them with what it wrote.
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "BF16": torch.bfloat16, "I64": torch.int64,
          "F16": torch.float16, "I32": torch.int32, "U8": torch.uint8}


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        shape = info["shape"]
        chunk = bytearray(data[begin:end])
        t = torch.frombuffer(chunk, dtype=dtype) if len(chunk) else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(shape)
    return metadata, tensors


if __name__ == "__main__":
    meta, ts = load(sys.argv[1])
    out = {"metadata": meta, "tensors": {}}
    for name, t in ts.items():
        dtype = next(k for k, v in DTYPES.items() if v == t.dtype)
        out["tensors"][name] = {"dtype": dtype, "shape": list(t.shape),
                                "values": [float(v) for v in t.to(torch.float64).reshape(-1)]}
    print(json.dumps(out))
