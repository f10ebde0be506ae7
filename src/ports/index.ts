// Ports of a machine at local ports over the instance's one SSH connection, pure (no vscode import):
// the forward itself, what listens on the machine (`ss -ltn`), the well-known names, Jupyter's token.
export { isPort, knownPortName, KNOWN_PORTS, parsePort } from './knownPorts';
export { LISTENING_COMMAND, listeningOf, parseListening, type Listening, type ListeningPort } from './listeningPorts';
export { JUPYTER_COMMAND, jupyterPath, parseJupyterServers, type JupyterServer } from './jupyterServers';
export { LOOPBACK, PortForward, PortForwardError, type PortForwardOptions } from './portForward';
