"""MiniLM-L6 embeddings in PyTorch (transformers' BertModel) on the same weights, sentences and
batch sizes as `benches/embedding.rs`, for the candle / PyTorch ratio.

    scripts/bench-minilm.sh        # runs both and prints the ratios

Prints one JSON line: median seconds per batch for batch 1 and 32, torch's thread count, and the
embedding of the first sentence (to compare with candle's).
"""
import json
import os
import statistics
import sys
import time

import torch
from transformers import BertModel, PreTrainedTokenizerFast

# The same sentences as benches/embedding.rs.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sentences.txt")) as f:
    SENTENCES = [line.strip() for line in f if line.strip()]


def main():
    model_dir = sys.argv[1]
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(model_dir, "tokenizer.json"), pad_token="[PAD]")
    model = BertModel.from_pretrained(model_dir).eval()

    def embed(sentences):
        batch = tokenizer(sentences, padding=True, truncation=True, max_length=256, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        mean = (hidden * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(mean, dim=-1)

    result = {"threads": torch.get_num_threads(), "torch": torch.__version__}
    for size in (1, 32):
        sentences = [SENTENCES[i % len(SENTENCES)] for i in range(size)]
        for _ in range(5):
            embed(sentences)
        times = []
        for _ in range(30 if size == 1 else 10):
            start = time.perf_counter()
            embed(sentences)
            times.append(time.perf_counter() - start)
        result[f"batch{size}_median_s"] = statistics.median(times)
    result["first_embedding"] = embed(SENTENCES[:1])[0].tolist()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
