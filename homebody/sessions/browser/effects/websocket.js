// homebody's WebSocket hold, installed in every frame before the page's own scripts run.
// WebSocket.prototype.send asks homebody (through the binding named below) before each message
// leaves; messages of one socket keep their order. What homebody holds waits until the user
// answers; what it fails is dropped (the page's socket stays open). The binding is captured here,
// so a page that later replaces window.__homebodySend cannot answer for homebody.
(() => {
  const ask = globalThis.__homebodySend;
  const proto = globalThis.WebSocket && globalThis.WebSocket.prototype;
  if (typeof ask !== "function" || !proto || proto.__homebodyHeld) return;
  const send = proto.send;
  const queues = new WeakMap();
  const sizeOf = (data) =>
    typeof data === "string" ? new TextEncoder().encode(data).length : (data.byteLength ?? data.size ?? 0);
  const held = function send_(data) {
    if (this.readyState !== 1) return send.call(this, data); // the browser's own error for a closed socket
    const text = typeof data === "string" ? data.slice(0, 65536) : null;
    const size = sizeOf(data);
    const previous = queues.get(this) || Promise.resolve();
    const next = previous
      .then(() => ask(this.url, text, size))
      .then((go) => {
        if (go === true && this.readyState === 1) send.call(this, data);
      })
      .catch(() => {});
    queues.set(this, next);
  };
  Object.defineProperty(proto, "send", { value: held, writable: true, configurable: true });
  Object.defineProperty(proto, "__homebodyHeld", { value: true });
})();
