pragma circom 2.0.0;

// The chain's zk-job statement in circom: the circom twin of the R1CS gadgets in
// primitives/zk-circuits/src/lib.rs (`JobStatement`, `i32_inputs`, `I32Output`).
//
// A zk-tier job is checked on chain against the public inputs
// `aichain_compute::zk_public_inputs(input, output)`:
//
//     [ input_len + 2^32 * output_len,  pack(input)...,  pack(output)... ]
//
// where `pack` puts 31 little-endian bytes in each scalar. A circom circuit served by the
// chain's `circom-v1` model format must have exactly these public signals, in this order.
// circom orders public signals as main's outputs (in declaration order) then main's public
// inputs, so a model's main template declares, first and in this order:
//
//     signal input input_bytes[IN_LEN];           // private: the job's input, one byte each
//     signal output lengths;
//     signal output input_packed[(IN_LEN + 30) \ 31];
//     signal output output_packed[(OUT_LEN + 30) \ 31];
//
// and has no public inputs; it wires them through `JobStatement(IN_LEN, OUT_LEN)` below, which
// range-checks every input and output byte (without it a prover could pick other "bytes" with
// the same packing). See offchain-worker/models/islp-logit/circuit.circom for a whole model and
// docs/compute-engine.md ("Circom circuits") for the files and commands.

// `n` boolean signals, least significant first, that recompose to `in` (so `0 <= in < 2^n`).
template AichainBits(n) {
    signal input in;
    signal output out[n];
    var sum = 0;
    var weight = 1;
    for (var i = 0; i < n; i++) {
        out[i] <-- (in >> i) & 1;
        out[i] * (out[i] - 1) === 0;
        sum += out[i] * weight;
        weight += weight;
    }
    sum === in;
}

// Packs `n` bytes (range-checked by the caller) into the chain's scalars, 31 little-endian
// bytes per scalar, the last one zero-padded.
template AichainPack(n) {
    signal input bytes[n];
    signal output out[(n + 30) \ 31];
    for (var s = 0; s < (n + 30) \ 31; s++) {
        var sum = 0;
        var weight = 1;
        for (var i = 31 * s; i < 31 * s + 31 && i < n; i++) {
            sum += bytes[i] * weight;
            weight *= 256;
        }
        out[s] <== sum;
    }
}

// The statement of a job with IN_LEN input and OUT_LEN output bytes: checks that every byte is
// one, and computes the public signals a model's main template must output in this order.
template JobStatement(IN_LEN, OUT_LEN) {
    signal input input_bytes[IN_LEN];
    signal input output_bytes[OUT_LEN];
    signal output lengths;
    signal output input_packed[(IN_LEN + 30) \ 31];
    signal output output_packed[(OUT_LEN + 30) \ 31];

    component input_range[IN_LEN];
    for (var i = 0; i < IN_LEN; i++) {
        input_range[i] = AichainBits(8);
        input_range[i].in <== input_bytes[i];
    }
    component output_range[OUT_LEN];
    for (var i = 0; i < OUT_LEN; i++) {
        output_range[i] = AichainBits(8);
        output_range[i].in <== output_bytes[i];
    }
    lengths <== IN_LEN + OUT_LEN * 4294967296;
    component pack_input = AichainPack(IN_LEN);
    pack_input.bytes <== input_bytes;
    input_packed <== pack_input.out;
    component pack_output = AichainPack(OUT_LEN);
    pack_output.bytes <== output_bytes;
    output_packed <== pack_output.out;
}

// Four input bytes read as a little-endian unsigned integer below 2^BITS (the bytes above are
// constrained to zero bits). The bytes' own range checks are JobStatement's.
template U32FromBytes(BITS) {
    signal input bytes[4];
    signal output out;
    component bits[4];
    var sum = 0;
    for (var b = 0; b < 4; b++) {
        bits[b] = AichainBits(8);
        bits[b].in <== bytes[b];
        for (var i = 0; i < 8; i++) {
            if (8 * b + i >= BITS) {
                bits[b].out[i] === 0;
            }
        }
        sum += bytes[b] * (1 << (8 * b));
    }
    out <== sum;
}

// A signed value in [-2^31, 2^31) (checked: otherwise unsatisfiable) as its four little-endian
// two's-complement bytes, the engine's `i32` output encoding.
template I32ToBytes() {
    signal input in;
    signal output bytes[4];
    // in + 2^31 has 32 bits; flipping the top bit gives the two's complement.
    component bits = AichainBits(32);
    bits.in <== in + 2147483648;
    for (var b = 0; b < 4; b++) {
        var sum = 0;
        for (var i = 0; i < 8; i++) {
            if (8 * b + i == 31) {
                sum += (1 - bits.out[31]) * 128;
            } else {
                sum += bits.out[8 * b + i] * (1 << i);
            }
        }
        bytes[b] <== sum;
    }
}
