// Credentials in one place: principals with secrets and bearer tokens, the
// files and flags they are read from, their digests, and the `authorization`
// header that carries them. The master, the agent, the SDK (and through it
// Marathon and Chronos) all use these.
export { CredentialsError } from './errors.js';
export {
  type Credential,
  type BearerToken,
  type CredentialsSpec,
  type ParsedCredentials,
  type CredentialRules,
  MESOS_CREDENTIAL_RULES,
  HTTP_API_CREDENTIAL_RULES,
  checkCredentials,
  checkTokens,
  checkCredential,
} from './credentials.js';
export {
  parseCredentials,
  parseCredentialsText,
  parseCredentialsFile,
  parseTokensFile,
  parseCredentialList,
} from './credentials-text.js';
export { loadCredentialsFile, readTextFile } from './credential-files.js';
export { CredentialStore, type Authentication } from './credential-store.js';
export {
  type PresentedCredentials,
  parseAuthorization,
  basicAuthorization,
  basicChallenge,
} from './authorization-header.js';
export { HttpAuthGuard, type HttpAuthOptions, type HttpAuthSources, loadHttpAuth } from './http-api-auth.js';
