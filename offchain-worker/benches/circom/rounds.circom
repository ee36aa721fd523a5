pragma circom 2.0.0;

// The benchmark circuit of scripts/bench-circom.sh: N rounds of y = (x + i)^5, three
// multiplications each (N = 10,000: 30,000 constraints, a domain of 2^15).
template Rounds(N) {
    signal input x;
    signal output y;
    signal state[N + 1];
    signal square[N];
    signal fourth[N];
    state[0] <== x;
    for (var i = 0; i < N; i++) {
        square[i] <== (state[i] + i) * (state[i] + i);
        fourth[i] <== square[i] * square[i];
        state[i + 1] <== fourth[i] * (state[i] + i);
    }
    y <== state[N];
}

component main = Rounds(10000);
