/**
 * Errors in the shapes the clients understand:
 * - CPaaS REST: `{requestError:{serviceException|policyException:{messageId,text,variables}}}`; the SDK turns
 *   it into `{code: messageId, message: text with %1..%n replaced by variables}`.
 * - OAuth token endpoint: `{error, error_description}`.
 */

export type ExceptionKind = 'serviceException' | 'policyException';

export interface ExceptionDetail {
  messageId: string;
  text: string;
  variables: string[];
}

export type RequestErrorBody = { requestError: { [K in ExceptionKind]?: ExceptionDetail } };

/** Reason phrases for the SIP-flavoured statuses Node does not know. */
export const STATUS_TEXT: Record<number, string> = {
  480: 'Temporarily Unavailable',
  486: 'Busy Here',
  491: 'Request Pending',
};

/** `text` with %1..%n replaced, as the SDK renders it. */
export function renderText(text: string, variables: readonly string[]): string {
  return text.replace(/%(\d+)/g, (match, index: string) => variables[Number(index) - 1] ?? match);
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ExceptionKind,
    readonly messageId: string,
    readonly text: string,
    readonly variables: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(renderText(text, variables));
    this.name = 'GatewayError';
  }

  body(): RequestErrorBody {
    return { requestError: { [this.kind]: { messageId: this.messageId, text: this.text, variables: this.variables } } };
  }
}

const service = (status: number, messageId: string, text: string, variables: string[] = [], headers?: Record<string, string>): GatewayError =>
  new GatewayError(status, 'serviceException', messageId, text, variables, headers);
const policy = (status: number, messageId: string, text: string, variables: string[] = [], headers?: Record<string, string>): GatewayError =>
  new GatewayError(status, 'policyException', messageId, text, variables, headers);

/** The gateway's error catalogue (documented in gateway/README.md). */
export const errors = {
  malformedBody: (reason: string) => service(400, 'SVC0001', 'Malformed request body: %1', [reason]),
  invalidInput: (part: string, reason: string) => service(400, 'SVC0002', 'Invalid input value for message part %1: %2', [part, reason]),
  unknownCallee: (address: string) =>
    service(404, 'SVC0004', 'No valid addresses provided in message part %1: %2 is not a user or number known to this gateway', [
      'tParticipantAddress',
      address,
    ]),
  notFound: (what: string) => service(404, 'SVC0404', 'Resource not found: %1', [what]),
  sessionEnded: (sessionId: string) => service(404, 'SVC0404', 'Resource not found: session %1 has ended', [sessionId]),
  methodNotAllowed: (method: string, allowed: string[]) =>
    service(405, 'SVC0405', 'Method %1 is not allowed on this resource (allowed: %2)', [method, allowed.join(', ')], { Allow: allowed.join(', ') }),
  invalidState: (operation: string, state: string) =>
    service(409, 'SVC0409', 'Operation %1 is not allowed while the session is %2', [operation, state]),
  payloadTooLarge: (limit: number) => service(413, 'SVC0413', 'Request body exceeds the limit of %1 bytes', [String(limit)]),
  calleeUnavailable: (address: string) =>
    service(480, 'SVC0480', 'Callee %1 is not available: no device of theirs is subscribed to calls', [address]),
  calleeBusy: (address: string) => service(486, 'SVC0486', 'Callee %1 is busy in another call', [address]),
  requestPending: (sessionId: string) =>
    service(491, 'SVC0491', 'Session %1 already has a pending offer from the other party; retry later', [sessionId]),
  internal: (reference: string) => service(500, 'SVC0500', 'Internal gateway error (reference %1)', [reference]),
  unavailable: () => service(503, 'SVC0503', 'The gateway is not accepting requests right now (simulated outage)', [], { 'Retry-After': '5' }),
  unauthorized: (reason: string) =>
    policy(401, 'POL0001', 'Authentication failed: %1', [reason], { 'WWW-Authenticate': 'Bearer realm="kandy-gateway", error="invalid_token"' }),
  forbidden: (pathUser: string) =>
    policy(403, 'POL0002', 'The access token does not grant access to the resources of user %1', [pathUser]),
};

/** OAuth 2.0 token endpoint error (RFC 6749 §5.2). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'server_error' | 'temporarily_unavailable',
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
