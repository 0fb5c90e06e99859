"""Golden values for the basic layers: Linear, Embedding, LayerNorm, RMSNorm."""
import torch
import torch.nn as nn

from golden_common import det, fill, case, write

cases = {}
x = det(0.3, 1.0, 2, 3, 8)

lin = nn.Linear(8, 5)
fill(lin, 0.3)
cases["linear"] = case(lin(x))

emb = nn.Embedding(11, 4)
fill(emb, 1.0)
cases["embedding"] = case(emb(torch.tensor([[0, 3, 10], [7, 7, 1]])))

ln = nn.LayerNorm(8)
fill(ln, 0.5)
cases["layernorm"] = case(ln(x))

rms = nn.RMSNorm(8, eps=1e-5)
fill(rms, 0.5)
cases["rmsnorm"] = case(rms(x))

write("basic", cases)
