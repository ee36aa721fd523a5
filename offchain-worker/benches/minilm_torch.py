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

SENTENCES = [
    "A man is playing a guitar on the street corner.",
    "The central bank raised interest rates by a quarter point.",
    "How do I reset my password if I no longer have access to my email?",
    "Penguins huddle together to survive the Antarctic winter.",
    "The new phone has a larger battery and a brighter screen.",
    "Children were playing football in the park after school.",
    "The recipe calls for two cups of flour and three eggs.",
    "Researchers found a new species of frog in the rainforest.",
]


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
