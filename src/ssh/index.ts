// SSH side of the extension: keys, the SSH config entries Remote-SSH connects through, our
// known_hosts, and waiting for the port. Plain Node (no `vscode` import), unit-tested.
export { SshConfigError, type SshConfigErrorCode } from './errors';
export {
  isKeyProblem,
  looksLikePrivateKey,
  parsePublicKey,
  privateKeyProblem,
  PUBLIC_KEY_TYPES,
  type KeyProblem,
  type ParsedPublicKey,
  type PublicKeyType,
} from './publicKey';
export {
  generateKeyPair,
  listPublicKeys,
  type FoundKey,
  type GeneratedKeyPair,
  type GenerateKeyPairOptions,
  type SkippedKeyFile,
} from './keyFiles';
export { hostAlias, isHostAlias, renderHostBlock, type HostEntry } from './hostEntry';
export {
  BACKUP_SUFFIX,
  ensureInclude,
  INCLUDE_MARKER,
  includeLine,
  listHosts,
  MANAGED_HEADER,
  removeHost,
  removeInclude,
  upsertHost,
  userConfigWarnings,
} from './sshConfigFile';
export type { ManagedHost, UpsertResult } from './managedConfig';
export {
  findKnownHostKeys,
  forgetHost,
  forgetInstanceHostKeys,
  hostKeyAlgorithms,
  isAcceptedHostKey,
  isHostKeyChangedError,
  knownHostKeys,
  knownHostNames,
  type InstanceHost,
  type InstanceHostKeys,
  type KnownHostKey,
} from './knownHosts';
export { readSshBanner, ReachabilityError, waitForTcp, type WaitForTcpOptions } from './reachability';
export { writeFileAtomic, FileChangedError } from './atomicWrite';
export { formatFilePath, formatIncludePath, localPathStyle, type FormattedPath, type PathStyle } from './configPath';
export {
  checkResolves,
  expectedResolution,
  parseSshG,
  type ResolveCheck,
  type ResolveCheckOptions,
} from './resolveCheck';
export { sshPaths, type SshPaths } from './paths';
export { removeSshConfigChanges, tidyIfNoHosts, type TidyReport } from './sshTidy';
