// homebody's WebSocket hold, installed in every frame before the page's own scripts run.
// WebSocket.prototype.send asks homebody (through the binding named below) before each message
// leaves. What homebody lets through leaves at once, in the order sent (answers come back in the
// order asked); what it holds waits until the user answers, without holding up the messages
// after it (the app's heartbeats go on while the user decides); what it fails is dropped (the
// page's socket stays open). The binding is captured here, so a page that later replaces
// window.__homebodySend cannot answer for homebody.
(() => {
  const ask = globalThis.__homebodySend;
  const proto = globalThis.WebSocket && globalThis.WebSocket.prototype;
  if (typeof ask !== "function" || !proto || proto.__homebodyHeld) return;
  const send = proto.send;
  const sizeOf = (data) =>
    typeof data === "string" ? new TextEncoder().encode(data).length : (data.byteLength ?? data.size ?? 0);
  const held = function send_(data) {
    if (this.readyState !== 1) return send.call(this, data); // the browser's own error for a closed socket
    const text = typeof data === "string" ? data.slice(0, 65536) : null;
    const size = sizeOf(data);
    ask(this.url, text, size)
      .then((go) => {
        if (go === true && this.readyState === 1) send.call(this, data);
      })
      .catch(() => {});
  };
  Object.defineProperty(proto, "send", { value: held, writable: true, configurable: true });
  Object.defineProperty(proto, "__homebodyHeld", { value: true });
})();
