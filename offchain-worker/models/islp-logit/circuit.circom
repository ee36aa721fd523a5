pragma circom 2.0.0;

// The ISLP book's logistic regression of credit default, as a circom circuit the chain's
// `circom-v1` model format serves (offchain-worker/src/models/circom).
//
//     log-odds(default) = b0 + b_student * student + b_balance * balance + b_income * income
//
// fitted by maximum likelihood (IRLS) on all 10,000 rows of ISLP 0.6.0's Default.csv (the fit
// of ISLR2 Table 4.3: -10.869045, -0.646776, 0.0057365053, 3.0334501e-06), the coefficients
// rounded to multiples of 2^-24.
//
// Input (12 bytes, the lending-risk model's encoding): three little-endian 32-bit integers,
// student (0 or 1), balance and income in whole dollars, limited to balance < 2^14 and
// income < 2^20 (any other input leaves the circuit unsatisfiable: providers decline it).
// Output (4 bytes): the log-odds times 2^24 as a little-endian i32 (the limits keep it in
// range). Positive: default is the likelier outcome.
include "aichain.circom"; // -l primitives/zk-circuits/circom

template IslpDefaultLogit() {
    signal input input_bytes[12];
    signal output lengths;
    signal output input_packed[1];
    signal output output_packed[1];

    component job = JobStatement(12, 4);
    job.input_bytes <== input_bytes;

    var BITS[3] = [1, 14, 20];
    var WEIGHTS[3] = [-10851097, 96243, 51];
    var INTERCEPT = -182352319;
    component features[3];
    var logit = INTERCEPT;
    for (var f = 0; f < 3; f++) {
        features[f] = U32FromBytes(BITS[f]);
        for (var b = 0; b < 4; b++) {
            features[f].bytes[b] <== input_bytes[4 * f + b];
        }
        logit += WEIGHTS[f] * features[f].out;
    }
    component output_bytes = I32ToBytes();
    output_bytes.in <== logit;
    job.output_bytes <== output_bytes.bytes;

    lengths <== job.lengths;
    input_packed <== job.input_packed;
    output_packed <== job.output_packed;
}

component main = IslpDefaultLogit();
