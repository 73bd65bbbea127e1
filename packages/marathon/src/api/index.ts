// Marathon's REST API: `/v2` over a MarathonService, the event stream, the
// web page, and proxying to the leader.
export { startMarathonHttp, type MarathonHttp, type MarathonHttpOptions } from './http-server.js';
export { HttpError } from './http-error.js';
export { errorAnswer, type ErrorAnswer } from './error-response.js';
export { formatEvent, HEARTBEAT_MS } from './event-stream.js';
export { MAX_BODY_BYTES } from './http-io.js';
export { renderTasksText, safePath, servicePorts } from './tasks-text.js';
export { ApiGuard, DEFAULT_REALM, loadApiAuth, type ApiAuthOptions, type ApiAuthSources } from './auth/api-guard.js';
export { AuthorizedService } from './auth/authorized-service.js';
export { visibleEvent, visibleGroup, visibleDeployment, type Visible } from './auth/visible.js';
