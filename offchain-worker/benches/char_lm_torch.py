"""The character language model of `src/models/char_lm` in PyTorch: the same architecture
(bytes in, learned positions, pre-norm blocks of causal attention and a tanh-GELU MLP, final norm,
untied head), size (CharLmConfig::SMALL), batch (16 windows of 64 characters of the training
plays), initialisation scales and AdamW settings, for the candle / PyTorch training-speed ratio.

    scripts/bench-char-lm.sh        # runs both and prints the ratio

Prints one JSON line: the median seconds of 10 AdamW steps, tokens per second, torch's version
and thread count, the parameter count and the first and last step's loss.
"""
import json
import math
import os
import statistics
import sys
import time

import torch
from torch import nn

CONTEXT, WIDTH, LAYERS, HEADS, VOCAB = 64, 64, 2, 4, 256
BATCH, STEPS = 16, 10
VALIDATION = {"julius_caesar_gut.txt", "twelfth_night_gut.txt"}
POEMS = {"lovers_complaint_gut.txt", "passionate_pilgrim_gut.txt", "phoenix_and_the_turtle_gut.txt",
         "rape_of_lucrece_gut.txt", "sonnets_gut.txt"}


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(WIDTH), nn.LayerNorm(WIDTH)
        self.qkv, self.out = nn.Linear(WIDTH, 3 * WIDTH), nn.Linear(WIDTH, WIDTH)
        self.up, self.down = nn.Linear(WIDTH, 4 * WIDTH), nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x):
        b, t, w = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(w, dim=2)
        q, k, v = (z.view(b, t, HEADS, w // HEADS).transpose(1, 2) for z in (q, k, v))
        mixed = nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.out(mixed.transpose(1, 2).reshape(b, t, w))
        return x + self.down(nn.functional.gelu(self.up(self.norm2(x)), approximate="tanh"))


class CharLm(nn.Module):
    def __init__(self):
        super().__init__()
        self.token = nn.Embedding(VOCAB, WIDTH)
        self.position = nn.Embedding(CONTEXT, WIDTH)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.final_norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB)
        residual = 0.02 / math.sqrt(2 * LAYERS)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "norm" not in name:
                nn.init.normal_(p, std=residual if name.endswith(("out.weight", "down.weight")) else 0.02)

    def forward(self, tokens):
        x = self.token(tokens) + self.position.weight[: tokens.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.head(self.final_norm(x))


def main():
    directory = sys.argv[1]
    names = sorted(n for n in os.listdir(directory) if n.endswith("_gut.txt") and n not in VALIDATION | POEMS)
    text = torch.tensor(list(b"".join(open(os.path.join(directory, n), "rb").read() for n in names)), dtype=torch.long)
    torch.manual_seed(0)
    model = CharLm()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    starts = torch.randint(0, len(text) - CONTEXT, (1000, BATCH))
    losses, step = [], 0

    def steps():
        nonlocal step
        for _ in range(STEPS):
            rows = starts[step % len(starts)]
            step += 1
            windows = torch.stack([text[s: s + CONTEXT + 1] for s in rows.tolist()])
            logits = model(windows[:, :-1])
            loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), windows[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

    for _ in range(3):
        steps()
    times = []
    for _ in range(20):
        begin = time.perf_counter()
        steps()
        times.append(time.perf_counter() - begin)
    median = statistics.median(times)
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "median_s_10_steps": median, "tokens_per_s": STEPS * BATCH * CONTEXT / median,
        "first_loss": losses[0], "last_loss": losses[-1],
    }))


if __name__ == "__main__":
    main()
