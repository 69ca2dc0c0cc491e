import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from './session.js';

/** Helpers every page module uses: the form body, the signed-in session, and answers. */

const sessions = new WeakMap<FastifyRequest, Session>();

export function attachSession(request: FastifyRequest, session: Session): void {
  sessions.set(request, session);
}

/** The session of a request that passed the sign-in guard (every route but sign-in and assets). */
export function sessionOf(request: FastifyRequest): Session {
  const session = sessions.get(request);
  if (session === undefined) throw new Error('admin UI: no session on a guarded route');
  return session;
}

export function maybeSessionOf(request: FastifyRequest): Session | undefined {
  return sessions.get(request);
}

/**
 * The urlencoded body. Our scope parses it into URLSearchParams; should another parser have
 * produced a plain object, it is converted, so handlers see one shape.
 */
export function formOf(request: FastifyRequest): URLSearchParams {
  const body = request.body;
  if (body instanceof URLSearchParams) return body;
  const form = new URLSearchParams();
  if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') form.append(key, item);
    }
  }
  return form;
}

export function sendHtml(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** 303 See Other: after a POST the browser GETs the target (no resubmission on reload). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}

/** A redirect target from the query or a form: only paths inside /admin, never another origin. */
export function safeNext(value: string | null | undefined): string {
  if (typeof value !== 'string' || !/^\/admin(\/|$|\?)/.test(value) || value.includes('\\') || /[\r\n]/.test(value)) return '/admin';
  return value;
}

export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
