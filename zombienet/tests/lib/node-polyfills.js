/**
 * Node 20 lacks `Promise.withResolvers` (Node >= 22), which libp2p 3 uses: defined here, and
 * imported before any libp2p module (ES modules run their imports in order).
 */
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
