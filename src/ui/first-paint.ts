/**
 * Resolves once the page has shown its first frame. Work that the first frame does not need
 * (lazy modules, messages that wake the service worker) waits for it, so it cannot compete with
 * the first frame for the main thread, the browser process or, on small machines, the CPU.
 */
export function afterFirstPaint(): Promise<void> {
  // A task queued from a frame callback runs after that frame has been rendered.
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
