// The ports ML tools listen on by default, by the tool's name: what Open Port… calls a listening
// port when it has no better name. Only well-known defaults, each from the tool's own docs. The
// names are the tools' own (proper names), the same in every language.
export const KNOWN_PORTS: ReadonlyMap<number, string> = new Map([
  [6006, 'TensorBoard'], // `tensorboard --port` default
  // l10n-exempt: the tool's own name
  [7860, 'Gradio'], // GRADIO_SERVER_PORT default
  [8000, 'vLLM'], // `vllm serve --port` default
  // l10n-exempt: the tool's own name
  [8265, 'Ray dashboard'], // `ray start --dashboard-port` default
  // l10n-exempt: the tool's own name
  [8888, 'Jupyter'], // `jupyter lab` / `jupyter notebook` --port default
  [30000, 'SGLang'], // `python -m sglang.launch_server --port` default
]);

/** The tool that listens on `port` by default, if it is a well-known one. */
export function knownPortName(port: number): string | undefined {
  return KNOWN_PORTS.get(port);
}

/** `port` is a TCP port number (1–65535). */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

/** A port typed by the user: the number, or undefined when it is not one (spaces around it are fine). */
export function parsePort(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return undefined;
  const port = Number(trimmed);
  return isPort(port) ? port : undefined;
}
